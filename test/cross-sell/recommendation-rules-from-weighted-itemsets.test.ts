/**
 * The cross-sell step mines the baskets' frequent itemsets once: the rules it reports are ranked on itemsets weighted
 * by the buyers' P(alive), and the 500 rules its recommendations use are generated from those same itemsets without
 * their weights (`unweighted`), where it used to mine everything a second time. That is right only because weights
 * change no itemset and no count — which this checks on the demo data, with weights that are not all alike.
 */
import { describe, expect, it } from 'vitest';
import { loadPurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { mineItemsets, rulesOf, unweighted } from '../../src/cross-sell/mine-rules.js';
import { createRandom } from '../../src/math/random.js';
import { demoWarehouse } from '../helpers/demo-warehouse.js';

describe('recommendation rules from the weighted itemsets', () => {
  it('are the rules mined without weights: the same itemsets, counts and 500 rules', async () => {
    const warehouse = await demoWarehouse();
    try {
      const data = await loadPurchaseData(warehouse, { level: 'product' });
      const random = createRandom(3);
      const weights = Float64Array.from(data.basketCustomer, () => random.uniform());
      const options = { minSupport: 0.01 };
      const weighted = mineItemsets(data, options, weights);
      const plain = mineItemsets(data, options);
      expect(weighted.weightSums).toBeDefined();
      expect(plain.count).toBeGreaterThan(50);
      expect(unweighted(weighted)).toEqual(plain);
      const rules = rulesOf(data, unweighted(weighted), { ...options, topRules: 500 });
      expect(rules.length).toBeGreaterThan(10);
      expect(rules).toEqual(rulesOf(data, plain, { ...options, topRules: 500 }));
      // ranked by value, the weighted itemsets give other rules: the weights were there to be dropped
      expect(rulesOf(data, weighted, { ...options, rankBy: 'value', topRules: 500 }).map((r) => r.antecedent.join() + '>' + r.consequent.join())).not.toEqual(rules.map((r) => r.antecedent.join() + '>' + r.consequent.join()));
    } finally {
      await warehouse.close();
    }
  }, 180_000); // the demo ingested once per run
});
