import { describe, expect, it } from 'vitest';
import { basketsFromArrays } from '../../src/models/patterns/baskets.js';
import type { PurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { ruleCustomerCounter, type GroupRules, type RuleRow } from '../../src/cross-sell/mine-rules.js';
import { publishAssociationRules, publishGroupRules, publishSequenceRules } from '../../src/cross-sell/publish-pattern-summary.js';

const S = 'small-group';
const C = 'complementary';

describe('rules', () => {
  const rule = (count: number, customers: number) => ({ count, customers, antecedent: ['x'] }) as unknown as RuleRow;

  it('association rules go by customers, not baskets; next-purchase rules by their count of customers', () => {
    const rules = [rule(12, 1), rule(6, 6), rule(4, 4)];
    expect(publishAssociationRules(rules, 5)).toEqual({ rules: [rules[1]], withheld: 2 });
    expect(publishAssociationRules(rules, 4)).toEqual({ rules: [rules[1], rules[2]], withheld: 1 });
    expect(publishSequenceRules([{ count: 5 }, { count: 4 }], 5)).toEqual({ rules: [{ count: 5 }], withheld: 1 });
  });

  it('rules per group: a group of 1 shows nothing, its partner hides its size but keeps its rules', () => {
    const groups: GroupRules[] = [
      { group: 'UK', customers: 1, baskets: 60, rules: [rule(60, 1)], lowLiftRules: 0 },
      { group: 'FR', customers: 6, baskets: 60, rules: [rule(60, 6), rule(10, 1)], lowLiftRules: 0 },
      { group: 'DE', customers: 7, baskets: 56, rules: [rule(56, 7)], lowLiftRules: 0 },
    ];
    const out = publishGroupRules(groups, 5);
    expect(out.map((g) => [g.group, g.customers, g.baskets, g.suppression, g.rules.length, g.withheld])).toEqual([
      ['UK', null, null, S, 0, 1],
      ['FR', null, null, C, 1, 1],
      ['DE', 7, 56, null, 1, 0],
    ]);
  });

  it('counts the distinct customers behind a rule: 3 baskets of 2 customers are 2', () => {
    const baskets = basketsFromArrays([[0, 1], [0, 1], [0, 1], [1, 2]]);
    const data = { baskets, basketCustomer: Uint32Array.from([0, 0, 1, 2]) } as unknown as PurchaseData;
    const customersOf = ruleCustomerCounter(data);
    expect(customersOf([0, 1])).toBe(2);
    expect(customersOf([1])).toBe(3);
    expect(customersOf([1, 2])).toBe(1);
    expect(customersOf([0, 2])).toBe(0);
  });
});
