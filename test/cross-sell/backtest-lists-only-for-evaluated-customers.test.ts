/**
 * The recommender backtest (choose-recommender.ts) scores only customers with
 * test items, so it computes only their lists (`only`): the lists it does
 * compute, and so every MAP@k, are those of a run over all customers.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { sequencesFromArrays } from '../../src/models/patterns/sequences.js';
import { basketsFromArrays } from '../../src/models/patterns/baskets.js';
import { summarizePurchaseHistory } from '../../src/models/recommend/purchase-history.js';
import { computeRankingMetrics } from '../../src/models/recommend/ranking-metrics.js';
import type { Recommendations } from '../../src/models/recommend/recommendations.js';
import { RECOMMENDER_CANDIDATES, recommendWith } from '../../src/cross-sell/recommend-with.js';

const N_ITEMS = 40;
const random = createRandom(2026);
// 300 customers, 0–5 orders of 1–4 items (popular low ids); a fifth cold
const orders = Array.from({ length: 300 }, () =>
  Array.from({ length: random.integer(6) }, () => [...new Set(Array.from({ length: 1 + random.integer(4) }, () => Math.min(random.integer(N_ITEMS), random.integer(N_ITEMS))))].sort((a, b) => a - b)),
);
const history = summarizePurchaseHistory(sequencesFromArrays(orders, N_ITEMS));
// test items for about half of the customers
const test = basketsFromArrays(
  orders.map((_, c) => (c % 2 === 0 ? [] : [...new Set(Array.from({ length: 1 + random.integer(3) }, () => random.integer(N_ITEMS)))].sort((a, b) => a - b))),
  N_ITEMS,
);
const only = Uint8Array.from(orders, (_, c) => (test.offsets[c + 1]! > test.offsets[c]! ? 1 : 0));
const rules = [
  { antecedent: [0], consequent: [3], confidence: 0.6 },
  { antecedent: [1, 2], consequent: [5], confidence: 0.4 },
];
const listOf = (r: Recommendations, c: number) => ({
  items: Array.from(r.items.subarray(r.offsets[c], r.offsets[c + 1])),
  scores: Array.from(r.scores.subarray(r.offsets[c], r.offsets[c + 1])),
  fallback: Array.from(r.fromFallback.subarray(r.offsets[c], r.offsets[c + 1])),
});

describe('backtest lists only for the customers it scores', () => {
  for (const spec of RECOMMENDER_CANDIDATES) {
    it(`${spec.name}${spec.blendWeight ? ` ${spec.blendWeight}` : ''}: the same lists for scored customers, none for the others, the same MAP@10`, () => {
      const all = recommendWith(spec, { history, rules, lists: new Map() }, 10);
      const some = recommendWith(spec, { history, rules, only, lists: new Map() }, 10);
      expect(some.nCustomers).toBe(300);
      let skipped = 0;
      for (let c = 0; c < 300; c++) {
        if (only[c] === 1) expect(listOf(some, c), `customer ${c}`).toEqual(listOf(all, c));
        else {
          expect(listOf(some, c).items, `customer ${c} has no test items`).toEqual([]);
          expect(listOf(all, c).items.length).toBeGreaterThan(0);
          skipped++;
        }
      }
      expect(skipped).toBe(150);
      expect(some.coldCustomers).toBe(all.coldCustomers);
      const full = computeRankingMetrics(all, test, { k: 10 });
      expect(full.nCustomers).toBeGreaterThan(100);
      expect(full.mapAtK).toBeGreaterThan(0);
      expect(computeRankingMetrics(some, test, { k: 10 })).toEqual(full);
    });
  }
});
