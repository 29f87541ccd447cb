/**
 * The recommenders' rules (the 500 of the time split and of recommendations.csv) are taken as item ids straight from
 * the mined rules (`crossSellRulesOf`), without building the report's rule rows (labels, customer counts) and mapping
 * their codes back to ids: they must be exactly the rows' rules, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { basketsFromArrays } from '../../src/models/patterns/baskets.js';
import { sequencesFromArrays } from '../../src/models/patterns/sequences.js';
import type { PurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { crossSellRulesOf, mineItemsets, rulesOf } from '../../src/cross-sell/mine-rules.js';
import { createRandom } from '../../src/math/random.js';

const N_ITEMS = 25;
const random = createRandom(11);
// 150 customers, 1–4 baskets each of 1–5 items, with pairs that go together (i and i + 1)
const customers = Array.from({ length: 150 }, () =>
  Array.from({ length: 1 + random.integer(4) }, () => {
    const first = random.integer(N_ITEMS - 1);
    const basket = new Set([first, ...(random.uniform() < 0.6 ? [first + 1] : []), ...Array.from({ length: random.integer(4) }, () => random.integer(N_ITEMS))]);
    return [...basket].sort((a, b) => a - b);
  }),
);
const baskets = customers.flat();
const data: PurchaseData = {
  level: 'product',
  itemCodes: Array.from({ length: N_ITEMS }, (_, i) => `SKU-${(N_ITEMS - i) * 7}`),
  itemLabels: Array.from({ length: N_ITEMS }, (_, i) => `item ${i}`),
  customerIds: customers.map((_, c) => `c${c}`),
  baskets: basketsFromArrays(baskets, N_ITEMS),
  basketCustomer: Uint32Array.from(customers.flatMap((orders, c) => orders.map(() => c))),
  sequences: sequencesFromArrays(customers, N_ITEMS),
};

describe('recommender rules as item ids', () => {
  for (const options of [{ minSupport: 0.01, minConfidence: 0.1 }, { minSupport: 0.02, minLift: 1.5, rankBy: 'confidence' as const }, { minSupport: 0.01, minConfidence: 0.05, topRules: 7 }]) {
    it(`are the rule rows' rules mapped back to ids (${JSON.stringify(options)})`, () => {
      const itemsets = mineItemsets(data, options);
      const topRules = options.topRules ?? 500;
      const rows = rulesOf(data, itemsets, { ...options, topRules });
      expect(rows.length).toBeGreaterThan(5);
      const idOf = new Map(data.itemCodes.map((code, i) => [code, i]));
      const expected = rows.map((r) => ({ antecedent: r.antecedent.map((c) => idOf.get(c)!), consequent: r.consequent.map((c) => idOf.get(c)!), confidence: r.confidence }));
      expect(crossSellRulesOf(itemsets, { ...options, topRules })).toEqual(expected);
    });
  }
});
