/**
 * plan.csv carried no balance of the plays' draws (plan.json and the printed plan do): an analyst filtering the CSV
 * for the plays to redraw had nothing to filter on. `balanceVerdict` says a balance in a few words that start with a
 * fixed phrase (`within chance`, `beyond chance: …`, `not published: …`), `largestAbsSmd` the number the CLI's line
 * leads with — plan.csv's `balance` and `balanceLargestAbsSmd`.
 */
import { describe, expect, it } from 'vitest';
import { balanceLine, balanceVerdict, largestAbsSmd } from '../../src/actions/balance-summary.js';
import { balanceOfSums, type GroupSums } from '../../src/actions/group-balance.js';
import { planBalanceCells } from '../../src/actions/plan-files.js';

// n, Σx and Σx² of a group of n with this mean and sample sd
const sums = (n: number, mean: number, sd = 1) => [n * mean, (n - 1) * sd * sd + n * mean * mean] as const;
const group = (n: number, prePurchases: number, withHistory = n, days = 10): GroupSums => ({ n, prePurchases: sums(n, prePurchases), preBuyers: n / 2, preRevenue: null, purchasesToDate: sums(n, 3), withHistory, daysSinceLastPurchase: sums(withHistory, days) });
const AT = { sendDate: '2024-01-01', preDays: 30, minGroupSize: 5 };

describe('balanceVerdict and largestAbsSmd: a draw\'s balance in a CSV cell', () => {
  it('within chance: the largest |SMD| of the covariates measured, as the line says it', () => {
    const b = balanceOfSums({ treatment: group(5000, 1.02), control: group(5000, 1) }, AT);
    expect(b.beyondChance).toEqual([]);
    expect(balanceVerdict(b)).toBe('within chance');
    expect(largestAbsSmd(b)).toBeCloseTo(0.02, 9);
    expect(balanceLine(b, 'x')).toMatch(/^largest \|SMD\| 0\.020 /);
    expect(planBalanceCells({ balance: b })).toEqual(['within chance', '0.020']);
    expect(planBalanceCells({ balance: null })).toEqual(['', '']); // a skipped play
  });

  it('beyond chance: the covariates beyond it, by the names plan.json gives them — one with a smaller |SMD| than the largest too', () => {
    // prePurchases +0.090 on 5,000 and 5,000 (beyond: range 0.050); days since the last purchase +0.199 on 100 and 100 (within: range 0.353)
    const b = balanceOfSums({ treatment: group(5000, 1.09, 100, 10.199), control: group(5000, 1, 100, 10) }, AT);
    expect(balanceVerdict(b)).toBe('beyond chance: prePurchases');
    expect(largestAbsSmd(b)).toBeCloseTo(0.199, 3);
    const two = balanceOfSums({ treatment: group(5000, 1.09, 5000, 10.2), control: group(5000, 1, 5000, 10) }, AT);
    expect(balanceVerdict(two)).toBe('beyond chance: prePurchases, daysSinceLastPurchase');
  });

  it('groups that do not overlap: beyond chance, the largest |SMD| infinite', () => {
    const apart = (mean: number): GroupSums => ({ ...group(10, mean), prePurchases: sums(10, mean, 0) });
    const b = balanceOfSums({ treatment: apart(1), control: apart(0) }, AT);
    expect(b.covariates.find((c) => c.name === 'prePurchases')!.smd).toBeNull();
    expect(balanceVerdict(b)).toBe('beyond chance: prePurchases');
    expect(largestAbsSmd(b)).toBe(Infinity);
    expect(planBalanceCells({ balance: b })).toEqual(['beyond chance: prePurchases', 'inf']);
  });

  it('no covariate measured (every one withheld below the k-floor): not published, with why; no largest |SMD|', () => {
    const b = balanceOfSums({ treatment: group(4, 1), control: group(4, 1) }, AT);
    expect(b.covariates.every((c) => c.withheld !== undefined)).toBe(true);
    expect(balanceVerdict(b)).toBe(`not published: ${b.covariates[0]!.withheld}`);
    expect(largestAbsSmd(b)).toBeNull();
    expect(planBalanceCells({ balance: b })).toEqual([`not published: ${b.covariates[0]!.withheld}`, '']);
  });
});
