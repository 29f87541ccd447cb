import { RecommendationsBuilder, type Recommendations } from '../models/recommend/recommendations.js';

/**
 * A blend of two top-n lists per customer by their normalised ranks (a
 * weighted Borda count): an item at rank r (1-based) of a list of length n
 * scores (n − r + 1) / n in it, 0 when absent, and
 *
 *   score = w · score_a + (1 − w) · score_b
 *
 * The n best of the union are kept (ties: the order of `a`, then of `b`).
 * Rank-based, so the lists' own scores need not share a scale. A slot is
 * flagged as fallback when its item is not in `a` or was a fallback in `a`.
 *
 * Example: a = [x, y], b = [y, z], w = 0.5, n = 2 → y (0.75), x (0.5)
 */
export function blendRecommendations(a: Recommendations, b: Recommendations, weightA: number, n: number): Recommendations {
  if (a.nCustomers !== b.nCustomers) throw new Error(`blend of ${a.nCustomers} and ${b.nCustomers} customers`);
  if (!(weightA >= 0 && weightA <= 1)) throw new Error(`blend weight ${weightA} outside [0, 1]`);
  const builder = new RecommendationsBuilder(a.nCustomers, n);
  builder.coldCustomers = a.coldCustomers;
  // per item id, reset after each customer: its score, first appearance and whether it is a fallback (arrays instead of
  // a Map of objects — every candidate of every customer allocated one, several blends per analysis)
  let size = 0;
  for (const list of [a, b]) for (const item of list.items) if (item >= size) size = item + 1;
  const score = new Float64Array(size);
  const order = new Int32Array(size).fill(-1);
  const fallback = new Uint8Array(size);
  const seen: number[] = [];
  for (let c = 0; c < a.nCustomers; c++) {
    const add = (list: Recommendations, weight: number, fromA: boolean) => {
      const start = list.offsets[c]!;
      const length = list.offsets[c + 1]! - start;
      for (let k = 0; k < length; k++) {
        const item = list.items[start + k]!;
        if (order[item] === -1) {
          order[item] = seen.length;
          seen.push(item);
          fallback[item] = 1;
        }
        score[item] += (weight * (n - k)) / n;
        if (fromA && list.fromFallback[start + k] === 0) fallback[item] = 0;
      }
    };
    add(a, weightA, true);
    add(b, 1 - weightA, false);
    // ties: the order of `a`, then of `b` (first appearance)
    const ranked = seen.slice().sort((x, y) => score[y]! - score[x]! || order[x]! - order[y]!);
    const kept = Math.min(n, ranked.length);
    for (let r = 0; r < kept; r++) builder.push(ranked[r]!, score[ranked[r]!]!, fallback[ranked[r]!] === 1);
    builder.endCustomer();
    for (const item of seen) {
      score[item] = 0;
      order[item] = -1;
    }
    seen.length = 0;
  }
  return builder.build();
}
