import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createRandom } from '../../../src/math/random.js';
import { type AssociationRule, generateAssociationRules } from '../../../src/models/patterns/association-rules.js';
import { basketsFromArrays } from '../../../src/models/patterns/baskets.js';
import { mineFrequentItemsets } from '../../../src/models/patterns/fp-growth.js';
import { computeRuleMetrics } from '../../../src/models/patterns/rule-metrics.js';

// n = 8 baskets; counts by hand: {0}:5 {1}:4 {2}:4 {3}:3 {0,1}:3 {0,2}:2 {1,2}:2 {0,1,2}:1, pairs with 3 once each
const LIST = [[0, 1], [0, 1, 2], [0, 2], [1, 2], [0, 1, 3], [3], [0], [2, 3]];
const WEIGHTS = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // total 36

const describeRule = (r: AssociationRule) => `${r.antecedent.join(',')}=>${r.consequent.join(',')}`;

function expectClose(actual: number, expected: number, label: string): void {
  // hand values are exact fractions; allow 1e-12 relative
  expect(Math.abs(actual - expected), `${label}: expected ${expected}, got ${actual}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

describe('computeRuleMetrics', () => {
  it('computes the five measures from counts, checked by hand', () => {
    const m = computeRuleMetrics(3, 5, 4, 8); // {0} ⇒ {1} above
    expectClose(m.support, 3 / 8, 'support');
    expectClose(m.confidence, 0.6, 'confidence');
    expectClose(m.lift, 1.2, 'lift');
    expectClose(m.leverage, 0.0625, 'leverage');
    expectClose(m.conviction, 1.25, 'conviction');
  });
  it('returns Infinity / NaN for the degenerate cases instead of throwing', () => {
    expect(computeRuleMetrics(2, 2, 2, 3).conviction).toBe(Infinity); // confidence 1, C not everywhere
    expect(computeRuleMetrics(2, 2, 3, 3).conviction).toBeNaN(); // confidence 1, C in every row
    expect(computeRuleMetrics(0, 0, 2, 3).confidence).toBeNaN();
    expect(computeRuleMetrics(0, 0, 0, 0).lift).toBeNaN();
  });
});

describe('generateAssociationRules', () => {
  const itemsets = mineFrequentItemsets(basketsFromArrays(LIST), { minSupport: 2, weights: WEIGHTS });

  it('gives the hand-computed metrics and the lift ranking on a tiny example', () => {
    const rules = generateAssociationRules(itemsets);
    // lift ties (1.2, 1.0, 0.8) are broken by confidence, then antecedent ids
    expect(rules.map(describeRule)).toEqual(['1=>0', '0=>1', '1=>2', '2=>1', '2=>0', '0=>2']);
    const byName = new Map(rules.map((r) => [describeRule(r), r]));
    const r01 = byName.get('0=>1') as AssociationRule;
    expect([r01.antecedentCount, r01.consequentCount, r01.count, r01.n]).toEqual([5, 4, 3, 8]);
    expectClose(r01.support, 0.375, '0=>1 support');
    expectClose(r01.confidence, 0.6, '0=>1 confidence');
    expectClose(r01.lift, 1.2, '0=>1 lift');
    expectClose(r01.leverage, 0.0625, '0=>1 leverage');
    expectClose(r01.conviction, 1.25, '0=>1 conviction');
    const r10 = byName.get('1=>0') as AssociationRule;
    expectClose(r10.confidence, 0.75, '1=>0 confidence');
    expectClose(r10.conviction, 1.5, '1=>0 conviction');
    const r02 = byName.get('0=>2') as AssociationRule;
    expectClose(r02.confidence, 0.4, '0=>2 confidence');
    expectClose(r02.lift, 0.8, '0=>2 lift');
    expectClose(r02.leverage, -0.0625, '0=>2 leverage');
    expectClose(r02.conviction, 0.5 / 0.6, '0=>2 conviction');
    // value support: {0,1} in baskets 1,2,5 → (1+2+5)/36; {1,2} in 2,4 → 6/36; {0,2} in 2,3 → 5/36
    expectClose(r01.valueSum as number, 8, '0=>1 valueSum');
    expectClose(r01.valueSupport as number, 8 / 36, '0=>1 valueSupport');
    expectClose(byName.get('2=>1')?.valueSupport as number, 6 / 36, '2=>1 valueSupport');
    expectClose(r02.valueSupport as number, 5 / 36, '0=>2 valueSupport');
  });

  it('filters by minConfidence and minLift and ranks by confidence or value', () => {
    expect(generateAssociationRules(itemsets, { minConfidence: 0.6 }).map(describeRule)).toEqual(['1=>0', '0=>1']);
    expect(generateAssociationRules(itemsets, { minLift: 1 }).map(describeRule)).toEqual(['1=>0', '0=>1', '1=>2', '2=>1']);
    expect(generateAssociationRules(itemsets, { rankBy: 'confidence' }).map(describeRule)).toEqual(['1=>0', '0=>1', '1=>2', '2=>1', '2=>0', '0=>2']);
    expect(generateAssociationRules(itemsets, { rankBy: 'value' }).map(describeRule)).toEqual(['1=>0', '0=>1', '1=>2', '2=>1', '2=>0', '0=>2']);
    // value ranking differs from lift when a frequent, low-lift pair carries the weight
    const heavy = mineFrequentItemsets(basketsFromArrays(LIST), { minSupport: 2, weights: Float64Array.from([1, 1, 100, 1, 1, 1, 1, 1]) });
    expect(generateAssociationRules(heavy, { rankBy: 'value' }).map(describeRule).slice(0, 2)).toEqual(['2=>0', '0=>2']);
    expect(generateAssociationRules(itemsets, { maxRules: 2 }).map(describeRule)).toEqual(['1=>0', '0=>1']);
  });

  it('builds multi-item consequents: {0} ⇒ {1,2} at min support 1', () => {
    const all = mineFrequentItemsets(basketsFromArrays(LIST), { minSupport: 1 });
    const rule = generateAssociationRules(all).find((r) => describeRule(r) === '0=>1,2') as AssociationRule;
    expect([rule.antecedentCount, rule.consequentCount, rule.count]).toEqual([5, 2, 1]);
    expectClose(rule.confidence, 0.2, 'confidence');
    expectClose(rule.lift, 0.8, 'lift');
    expect(generateAssociationRules(all, { maxConsequentLength: 1 }).every((r) => r.consequent.length === 1)).toBe(true);
    expect(rule.valueSupport).toBeUndefined();
  });

  it('matches all rules enumerated by brute force on 150 random data sets', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rng = createRandom(seed * 104729);
      const nItems = 3 + rng.integer(6);
      const nBaskets = 5 + rng.integer(30);
      const list: number[][] = [];
      for (let b = 0; b < nBaskets; b++) list.push(Array.from({ length: nItems }, (_, i) => i).filter(() => rng.uniform() < 0.45));
      const minCount = 1 + rng.integer(4);
      const minConfidence = rng.uniform() < 0.3 ? 0 : 0.8 * rng.uniform();
      const minLift = rng.uniform() < 0.5 ? 0 : 0.5 + rng.uniform();
      const maxConsequentLength = rng.uniform() < 0.5 ? undefined : 1 + rng.integer(2);
      const masks = list.map((basket) => basket.reduce((m, i) => m | (1 << i), 0));
      const countOf = (mask: number) => masks.filter((m) => (m & mask) === mask).length;
      const expected = new Map<string, [number, number, number]>();
      for (let z = 1; z < 1 << nItems; z++) {
        const count = countOf(z);
        if (count < minCount) continue;
        for (let c = (z - 1) & z; c > 0; c = (c - 1) & z) {
          const a = z & ~c;
          const consequentSize = c.toString(2).split('1').length - 1;
          if (maxConsequentLength !== undefined && consequentSize > maxConsequentLength) continue;
          const confidence = count / countOf(a);
          const lift = confidence / (countOf(c) / nBaskets);
          if (confidence < minConfidence || lift < minLift) continue;
          const bits = (m: number) => Array.from({ length: nItems }, (_, i) => i).filter((i) => (m >> i) & 1).join(',');
          expected.set(`${bits(a)}=>${bits(c)}`, [count, confidence, lift]);
        }
      }
      const itemsets = mineFrequentItemsets(basketsFromArrays(list, nItems), { minSupport: minCount });
      const rules = generateAssociationRules(itemsets, { minConfidence, minLift, maxConsequentLength });
      const context = `seed ${seed}: minCount=${minCount} minConfidence=${minConfidence} minLift=${minLift} maxConsequentLength=${maxConsequentLength}`;
      expect(rules.map(describeRule).sort(), context).toEqual([...expected.keys()].sort());
      for (const r of rules) {
        const [count, confidence, lift] = expected.get(describeRule(r)) as [number, number, number];
        expect(r.count, context).toBe(count);
        expectClose(r.confidence, confidence, `${context} ${describeRule(r)} confidence`);
        expectClose(r.lift, lift, `${context} ${describeRule(r)} lift`);
      }
      for (let q = 1; q < rules.length; q++) expect(rules[q - 1].lift >= rules[q].lift, context).toBe(true);
    }
  });

  it('rejects bad options with UserError', () => {
    const unweighted = mineFrequentItemsets(basketsFromArrays(LIST), { minSupport: 2 });
    expect(() => generateAssociationRules(unweighted, { rankBy: 'value' })).toThrow(UserError);
    expect(() => generateAssociationRules(itemsets, { minConfidence: 1.5 })).toThrow(UserError);
    expect(() => generateAssociationRules(itemsets, { minLift: -1 })).toThrow(UserError);
    expect(() => generateAssociationRules(itemsets, { maxConsequentLength: 0 })).toThrow(UserError);
    expect(() => generateAssociationRules(itemsets, { rankBy: 'support' as never })).toThrow(UserError);
  });
});
