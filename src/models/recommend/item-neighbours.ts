/**
 * Sparse item-item similarity: for every item its top-K most similar items
 * (item-based collaborative filtering; Sarwar, Karypis, Konstan & Riedl 2001,
 * "Item-based collaborative filtering recommendation algorithms", WWW;
 * Deshpande & Karypis 2004, "Item-based top-N recommendation algorithms",
 * ACM TOIS 22(1)).
 *
 * Rows are the co-occurrence unit: customers' distinct items (the usual input,
 * `PurchaseHistory.customerItems`) or baskets. With co(i, j) = number of rows
 * containing both and n(i) = rows containing i:
 *   'cooccurrence': s(i, j) = co(i, j)
 *   'cosine':       s(i, j) = co(i, j) / √(n(i)·n(j))   (binary-vector cosine)
 * Pairs with co(i, j) < minCooccurrence are dropped; an item is never its own
 * neighbour. Neighbours are sorted by similarity (descending, ties by id).
 * Cost: Σ_rows |row|² accumulations via an item → rows inverted index, with
 * one dense accumulator reused for every item.
 */
import { UserError } from '../../core/errors/user-error.js';
import { type Baskets, countBaskets, validateBaskets } from '../patterns/baskets.js';
import { TopN } from './top-n.js';

export type SimilarityMeasure = 'cosine' | 'cooccurrence';

export interface ItemNeighbourOptions {
  /** neighbours kept per item (default 50) */
  readonly topK?: number;
  /** default 'cosine' */
  readonly measure?: SimilarityMeasure;
  /** minimum number of shared rows for a pair (default 1) */
  readonly minCooccurrence?: number;
}

/** Item i's neighbours are `neighbours[offsets[i] .. offsets[i+1])` with `similarities` alongside. */
export interface ItemNeighbours {
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  readonly similarities: Float64Array;
  readonly nItems: number;
  readonly measure: SimilarityMeasure;
}

export function computeItemNeighbours(rows: Baskets, options: ItemNeighbourOptions = {}): ItemNeighbours {
  validateBaskets(rows, 'rows');
  const topK = options.topK ?? 50;
  const measure = options.measure ?? 'cosine';
  const minCooccurrence = options.minCooccurrence ?? 1;
  if (!Number.isInteger(topK) || topK < 1) throw new UserError(`topK must be a positive integer, got ${topK}`);
  if (measure !== 'cosine' && measure !== 'cooccurrence') throw new UserError(`measure must be 'cosine' or 'cooccurrence', got ${String(measure)}`);
  if (!(minCooccurrence >= 1)) throw new UserError(`minCooccurrence must be ≥ 1, got ${minCooccurrence}`);
  const { offsets, items, nItems } = rows;
  const nRows = countBaskets(rows);

  // inverted index item → rows
  const itemRowCount = new Uint32Array(nItems);
  for (let k = 0; k < items.length; k++) itemRowCount[items[k]]++;
  const indexStart = new Uint32Array(nItems + 1);
  for (let i = 0; i < nItems; i++) indexStart[i + 1] = indexStart[i] + itemRowCount[i];
  const indexRows = new Uint32Array(items.length);
  const fill = indexStart.slice(0, nItems);
  for (let r = 0; r < nRows; r++) for (let k = offsets[r]; k < offsets[r + 1]; k++) indexRows[fill[items[k]]++] = r;

  const outOffsets = new Uint32Array(nItems + 1);
  let outNeighbours = new Uint32Array(Math.min(nItems * topK, 1 << 16) || 1);
  let outSimilarities = new Float64Array(outNeighbours.length);
  let outLength = 0;
  const cooccurrence = new Int32Array(nItems); // counts of rows, < 2³¹
  const touched = new Int32Array(nItems);
  const heap = new TopN(topK);
  const keptItems = new Int32Array(topK);
  const keptScores = new Float64Array(topK);
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    // i itself is counted too (every row holds it) and skipped below: no test in the innermost loop
    for (let q = indexStart[i]; q < indexStart[i + 1]; q++) {
      const r = indexRows[q];
      const end = offsets[r + 1];
      for (let k = offsets[r]; k < end; k++) {
        const j = items[k];
        if (cooccurrence[j] === 0) touched[nTouched++] = j;
        cooccurrence[j]++;
      }
    }
    const ni = itemRowCount[i];
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const co = cooccurrence[j];
      cooccurrence[j] = 0;
      if (j === i || co < minCooccurrence) continue;
      heap.offer(j, measure === 'cosine' ? co / Math.sqrt(ni * itemRowCount[j]) : co);
    }
    const kept = heap.drain(keptItems, keptScores);
    if (outLength + kept > outNeighbours.length) {
      const size = Math.max(outNeighbours.length * 2, outLength + kept);
      const grownItems = new Uint32Array(size);
      grownItems.set(outNeighbours);
      outNeighbours = grownItems;
      const grownScores = new Float64Array(size);
      grownScores.set(outSimilarities);
      outSimilarities = grownScores;
    }
    for (let k = 0; k < kept; k++) {
      outNeighbours[outLength] = keptItems[k];
      outSimilarities[outLength] = keptScores[k];
      outLength++;
    }
    outOffsets[i + 1] = outLength;
  }
  return { offsets: outOffsets, neighbours: outNeighbours.slice(0, outLength), similarities: outSimilarities.slice(0, outLength), nItems, measure };
}
