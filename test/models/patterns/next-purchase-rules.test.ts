import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { type NextPurchaseRule, generateNextPurchaseRules } from '../../../src/models/patterns/next-purchase-rules.js';
import { mineSequentialPatterns } from '../../../src/models/patterns/prefixspan.js';
import { sequencesFromArrays } from '../../../src/models/patterns/sequences.js';

// five customers; <0>: c0–c3 (4), <1>: c0,c1,c3 (3), <2>: c1,c2,c4 (3)
const DB = [
  [[0], [1]], // c0: 0 then 1
  [[0], [2], [1]], // c1: 0, 2, then 1
  [[0, 2]], // c2: 0 and 2 in one order — no "later"
  [[1], [0]], // c3: 1 then 0
  [[2]], // c4
];

const name = (r: NextPurchaseRule) => `${r.antecedent.map((e) => e.join(',')).join('|')}=>${r.consequent.join(',')}`;

function expectClose(actual: number, expected: number, label: string): void {
  expect(Math.abs(actual - expected), `${label}: expected ${expected}, got ${actual}`).toBeLessThanOrEqual(1e-12);
}

describe('generateNextPurchaseRules', () => {
  const patterns = mineSequentialPatterns(sequencesFromArrays(DB), { minSupport: 1 });

  it('computes customer-level support, confidence and lift checked by hand', () => {
    const rules = generateNextPurchaseRules(patterns);
    const byName = new Map(rules.map((r) => [name(r), r]));
    // after 0, buy 1 later: c0, c1 of the 4 customers with 0; 3 of 5 ever buy 1
    const r01 = byName.get('0=>1') as NextPurchaseRule;
    expect([r01.count, r01.antecedentCount, r01.consequentCount, r01.n]).toEqual([2, 4, 3, 5]);
    expectClose(r01.support, 0.4, 'support');
    expectClose(r01.confidence, 0.5, 'confidence');
    expectClose(r01.lift, 0.5 / 0.6, 'lift');
    // 0 then 2: only c1 (c2 bought them together, which is not "after")
    const r02 = byName.get('0=>2') as NextPurchaseRule;
    expect(r02.count).toBe(1);
    expectClose(r02.confidence, 0.25, '0=>2 confidence');
    expectClose(r02.lift, 0.25 / 0.6, '0=>2 lift');
    expectClose((byName.get('1=>0') as NextPurchaseRule).lift, 1 / 3 / 0.8, '1=>0 lift');
    expectClose((byName.get('2=>1') as NextPurchaseRule).lift, 1 / 3 / 0.6, '2=>1 lift');
    expect(rules.map(name)).toEqual(['0=>1', '2=>1', '1=>0', '0=>2']);
    // single-order antecedents only by default
    expect(rules.every((r) => r.antecedent.length === 1)).toBe(true);
  });

  it('allows longer antecedents and filters by confidence and lift', () => {
    const longer = generateNextPurchaseRules(patterns, { maxAntecedentElements: 2 });
    const r = longer.find((x) => name(x) === '0|2=>1') as NextPurchaseRule;
    expect([r.count, r.antecedentCount, r.consequentCount]).toEqual([1, 1, 3]);
    expectClose(r.confidence, 1, 'confidence');
    expect(r.conviction).toBe(Infinity);
    expect(generateNextPurchaseRules(patterns, { minConfidence: 0.4 }).map(name)).toEqual(['0=>1']);
    expect(generateNextPurchaseRules(patterns, { minLift: 0.5 }).map(name)).toEqual(['0=>1', '2=>1']);
    expect(generateNextPurchaseRules(patterns, { rankBy: 'confidence' }).map(name)).toEqual(['0=>1', '2=>1', '1=>0', '0=>2']);
    expect(generateNextPurchaseRules(patterns, { maxRules: 1 }).map(name)).toEqual(['0=>1']);
    expect(() => generateNextPurchaseRules(patterns, { minConfidence: 2 })).toThrow(UserError);
    expect(() => generateNextPurchaseRules(patterns, { maxAntecedentElements: 0 })).toThrow(UserError);
  });
});
