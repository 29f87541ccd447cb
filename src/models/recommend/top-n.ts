/**
 * Bounded selection of the n best (item, score) pairs with a binary min-heap on
 * typed arrays: higher score is better, ties go to the lower item id, so the
 * result is deterministic. O(log n) per offer.
 */
export class TopN {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(readonly capacity: number) {
    this.items = new Int32Array(Math.max(1, capacity));
    this.scores = new Float64Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.size;
  }

  offer(item: number, score: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let at = this.size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!better(this.items[parent], this.scores[parent], item, score)) break;
        this.items[at] = this.items[parent];
        this.scores[at] = this.scores[parent];
        at = parent;
      }
      this.items[at] = item;
      this.scores[at] = score;
      return;
    }
    if (!better(item, score, this.items[0], this.scores[0])) return;
    this.replaceWorst(item, score);
  }

  /** Puts (item, score) at the root, in place of the worst, and sifts it down. */
  private replaceWorst(item: number, score: number): void {
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let worst = left;
      if (right < this.size && better(this.items[left], this.scores[left], this.items[right], this.scores[right])) worst = right;
      if (!better(item, score, this.items[worst], this.scores[worst])) break;
      this.items[at] = this.items[worst];
      this.scores[at] = this.scores[worst];
      at = worst;
    }
    this.items[at] = item;
    this.scores[at] = score;
  }

  /** Writes the kept pairs best-first into the targets and empties the heap; returns how many. */
  drain(itemsOut: Int32Array | Uint32Array, scoresOut: Float64Array, at = 0): number {
    // pops the worst (the root) into the last free slot until empty: best-first, in place (the order is total)
    const n = this.size;
    for (let k = n - 1; k >= 0; k--) {
      itemsOut[at + k] = this.items[0];
      scoresOut[at + k] = this.scores[0];
      this.size--;
      if (this.size > 0) this.replaceWorst(this.items[this.size], this.scores[this.size]);
    }
    return n;
  }
}

/** true when (itemA, scoreA) ranks before (itemB, scoreB) */
function better(itemA: number, scoreA: number, itemB: number, scoreB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && itemA < itemB);
}
