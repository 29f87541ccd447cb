/**
 * A sum of doubles that does not depend on the order its terms come in: the sum is kept exactly, as a list of
 * non-overlapping partials (Shewchuk 1997, "Adaptive precision floating-point arithmetic and fast robust geometric
 * predicates", Discrete & Computational Geometry 18), and rounded once when read — Python's `math.fsum`. A plain `+=`
 * loop rounds at every step, so its last digits follow the order of the terms; where that order is the customers'
 * (sorted by pseudonymous token, so set by the key) or the engine's (threads), the same data gave different digits.
 *
 * Example: `exactSum([0.1, 0.2, 0.3])` → `0.6` (a `+=` loop gives 0.6000000000000001; 0.3 + 0.2 + 0.1 gives 0.6).
 */
export class ExactSum {
  private readonly partials: number[] = [];
  /** the sum of the non-finite terms (an infinity or NaN makes the result) */
  private special = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    const p = this.partials;
    let kept = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[kept++] = lo;
      x = hi;
    }
    p.length = kept;
    p.push(x);
  }

  /** The exact sum of the terms added, rounded to the nearest double (ties to even). */
  value(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // half-way case: the rest of the partials decide which way it rounds
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

/** The exact sum of `values`, rounded once: the same whatever order they are in (`ExactSum`). */
export function exactSum(values: Iterable<number>): number {
  const sum = new ExactSum();
  for (const v of values) sum.add(v);
  return sum.value();
}
