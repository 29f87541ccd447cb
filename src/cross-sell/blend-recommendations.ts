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
  const scores = new Map<number, { score: number; order: number; fallback: boolean }>();
  for (let c = 0; c < a.nCustomers; c++) {
    scores.clear();
    let order = 0;
    const add = (list: Recommendations, weight: number, fromA: boolean) => {
      const start = list.offsets[c]!;
      const length = list.offsets[c + 1]! - start;
      for (let k = 0; k < length; k++) {
        const item = list.items[start + k]!;
        const entry = scores.get(item) ?? { score: 0, order: order++, fallback: true };
        entry.score += (weight * (n - k)) / n;
        if (fromA && list.fromFallback[start + k] === 0) entry.fallback = false;
        scores.set(item, entry);
      }
    };
    add(a, weightA, true);
    add(b, 1 - weightA, false);
    const ranked = [...scores].sort((x, y) => y[1].score - x[1].score || x[1].order - y[1].order).slice(0, n);
    for (const [item, entry] of ranked) builder.push(item, entry.score, entry.fallback);
    builder.endCustomer();
  }
  return builder.build();
}
