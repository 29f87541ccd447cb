/**
 * The balance check of an audience's random control draw (src/actions/group-balance.ts): per group, covariates of the
 * members measured before the send date, their standardised mean differences and the range random assignment gives.
 * A tiny audience (test/helpers/tiny-balance-audience.ts) whose every figure is worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import { balanceLine } from '../../src/actions/balance-summary.js';
import { balanceOfSums, balanceWarning, groupBalance, type GroupSums } from '../../src/actions/group-balance.js';
import { fillTinyAudience } from '../helpers/tiny-balance-audience.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

const OPTIONS = { audience: 'tiny', sendDate: '2024-01-01', preDays: 10 } as const;

describe('groupBalance', () => {
  it('means, sds, SMD and the chance range of a tiny audience, as worked out by hand; an |SMD| above 0.1 within chance is a note on the line, not a warning', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      return groupBalance(warehouse, { ...OPTIONS, minGroupSize: 3 });
    });
    expect(balance.preDays).toBe(10);
    expect([balance.preFrom, balance.preTo]).toEqual(['2023-12-22', '2023-12-31']);
    // one treated member without a purchase before the send date: a count below the k-floor of 3 is not published
    expect(balance.withoutHistory).toEqual({ treatment: null, control: 0 });
    const of = (name: string) => balance.covariates.find((c) => c.name === name)!;
    expect(balance.covariates.map((c) => c.name)).toEqual(['prePurchases', 'preBuyers', 'preRevenue', 'purchasesToDate', 'daysSinceLastPurchase']);
    const chance = 1.959964 * Math.sqrt(1 / 5 + 1 / 5); // 1.2396
    // purchases in the pre-period: T 1, 2, 0, 1, 0 (mean 0.8, variance (6 − 4 · 0.8) / 4 = 0.7); C 1, 0, 1, 0, 1 (0.6, 0.3)
    const pre = of('prePurchases');
    expect(pre.treatment!.mean).toBeCloseTo(0.8, 12);
    expect(pre.treatment!.sd).toBeCloseTo(Math.sqrt(0.7), 12);
    expect(pre.control!.mean).toBeCloseTo(0.6, 12);
    expect(pre.control!.sd).toBeCloseTo(Math.sqrt(0.3), 12);
    expect(pre.smd).toBeCloseTo(0.2 / Math.sqrt(0.5), 12); // 0.2828
    expect(pre.chance95).toBeCloseTo(chance, 12);
    // bought in it: 3 of 5 in both groups
    const buyers = of('preBuyers');
    expect([buyers.treatment!.mean, buyers.control!.mean, buyers.smd]).toEqual([0.6, 0.6, 0]);
    expect(buyers.treatment!.sd).toBeCloseTo(Math.sqrt(0.3), 12);
    // net revenue in it: T 10, 35, 0, 10, 0 (mean 11, variance 205); C 100, 0, 8, 0, 20 (25.6, 1796.8)
    const revenue = of('preRevenue');
    expect(revenue.treatment!.mean).toBeCloseTo(11, 12);
    expect(revenue.control!.mean).toBeCloseTo(25.6, 12);
    expect(revenue.treatment!.sd).toBeCloseTo(Math.sqrt(205), 10);
    expect(revenue.control!.sd).toBeCloseTo(Math.sqrt(1796.8), 10);
    expect(revenue.smd).toBeCloseTo(-14.6 / Math.sqrt((205 + 1796.8) / 2), 12); // −0.4615
    // purchases to date: T 2, 2, 1, 1, 0 (1.2, 0.7); C 1, 2, 1, 1, 3 (1.6, 0.8)
    const toDate = of('purchasesToDate');
    expect([toDate.treatment!.mean, toDate.control!.mean]).toEqual([1.2, 1.6]);
    expect(toDate.smd).toBeCloseTo(-0.4 / Math.sqrt(0.75), 12); // −0.4619
    // |SMD| above 0.1 is imbalanced (within the wide chance range of groups of 5), days since the last purchase too (+0.596)
    expect(balance.imbalanced).toEqual(['prePurchases', 'preRevenue', 'purchasesToDate', 'daysSinceLastPurchase']);
    // the largest of the 5 covariates measured: within 2.5758 · √(2/5) (Bonferroni, two-sided 0.05 / 5) 95% of the time
    expect(toDate.jointChance95).toBeCloseTo(2.575829 * Math.sqrt(0.4), 6);
    expect(balance.beyondChance).toEqual([]);
    // within chance: no warning; the line says it as a note, and advises a redraw only where an |SMD| is above 0.25
    expect(balanceWarning(balance, '2024-01-01')).toBeNull();
    expect(balanceLine(balance, 'see the warning', 'redraw')).toBe(
      'largest |SMD| 0.596 (days since the last purchase at the send date) of 5 covariates: within chance (random assignment keeps the largest of 5 within ±1.728 95% of the time at these group sizes); ' +
        'above 0.1 on purchases per customer in the 10 days before the send date, net revenue per customer in the 10 days before the send date, purchases per customer before the send date, days since the last purchase at the send date, within chance at these sizes — redraw',
    );
    // evaluate's line (no advice for a large |SMD| within chance: there is no warning below to see)
    expect(balanceLine(balance, 'see the warning')).toMatch(/, within chance at these sizes$/);
  });

  it('privacy: a group whose members with a history, or pre-period buyers, are 1 … k − 1 publishes none of the means they make up, nor the count without a history', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      return groupBalance(warehouse, { ...OPTIONS, minGroupSize: 5 });
    });
    // treatment: 5 members, 4 with a purchase before the send date, 3 who bought in the pre-period; k = 5
    expect(balance.withoutHistory).toEqual({ treatment: null, control: 0 });
    const of = (name: string) => balance.covariates.find((c) => c.name === name)!;
    for (const name of ['prePurchases', 'preBuyers', 'preRevenue']) {
      expect(of(name), name).toMatchObject({ treatment: null, control: null, smd: null, chance95: null, jointChance95: null, beyondChance: false });
      expect(of(name).withheld, name).toBe('fewer members who bought in the pre-period than the minimum group size 5 in a group: its mean would describe them');
    }
    expect(of('purchasesToDate')).toMatchObject({ treatment: null, control: null, smd: null });
    expect(of('purchasesToDate').withheld).toBe('fewer members with a purchase before the send date than the minimum group size 5 in a group: its mean would describe them');
    expect(of('daysSinceLastPurchase').withheld).toMatch(/fewer members with a purchase before the send date than the minimum group size 5/);
    expect([balance.imbalanced, balance.beyondChance]).toEqual([[], []]);
    expect(balanceLine(balance, 'see the warning')).toBeNull();
  });

  it('days since the last purchase: the members with one (prospects left out and counted); beyond chance where the groups do not overlap', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      return groupBalance(warehouse, { ...OPTIONS, minGroupSize: 3 });
    });
    // T 7, 2, 365, 4 (T5 has none): mean 94.5, variance (133294 − 378 · 94.5) / 3; C 1, 61, 10, 11, 6: 17.8, 598.7
    const days = balance.covariates.find((c) => c.name === 'daysSinceLastPurchase')!;
    expect(days.treatment).toEqual({ n: 4, mean: 94.5, sd: expect.closeTo(Math.sqrt(97573 / 3), 10) });
    expect(days.control!.n).toBe(5);
    expect(days.control!.mean).toBeCloseTo(17.8, 12);
    expect(days.control!.sd).toBeCloseTo(Math.sqrt(598.7), 10);
    expect(days.smd).toBeCloseTo(76.7 / Math.sqrt((97573 / 3 + 598.7) / 2), 12); // 0.596
    expect(days.chance95).toBeCloseTo(1.959964 * Math.sqrt(1 / 4 + 1 / 5), 12);
    // five covariates measured: the largest within 2.5758 · √(1/n_t + 1/n_c)
    expect(days.jointChance95).toBeCloseTo(2.575829 * Math.sqrt(1 / 4 + 1 / 5), 12);
    // within chance at these sizes: no warning
    expect(balanceWarning(balance, '2024-01-01')).toBeNull();
  });

  it('without order values no revenue covariate; groups apart with no spread are imbalanced beyond chance', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      // every treated member bought once on 2023-12-30, no control member before the send date
      const treated = ['A1', 'A2', 'A3', 'A4', 'A5'];
      await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${treated.map((m, i) => `(NULL, '${m}', TIMESTAMP '2023-12-30 10:00:00', NULL, false, false, 1, 's', ${i + 1}, 'h${i}')`).join(', ')}`);
      const members = [...treated.map((m) => `('apart', '${m}', 'treatment', NULL)`), ...['B1', 'B2', 'B3', 'B4', 'B5'].map((m) => `('apart', '${m}', 'control', NULL)`)];
      await warehouse.execute(`INSERT INTO audience_members VALUES ${members.join(', ')}`);
      return groupBalance(warehouse, { audience: 'apart', sendDate: '2024-01-01', preDays: 10, minGroupSize: 5 });
    });
    expect(balance.covariates.map((c) => c.name)).toEqual(['prePurchases', 'preBuyers', 'purchasesToDate', 'daysSinceLastPurchase']);
    expect(balance.covariates.find((c) => c.name === 'prePurchases')).toMatchObject({ treatment: { mean: 1, sd: 0 }, control: { mean: 0, sd: 0 }, smd: null });
    expect(balance.imbalanced).toEqual(['prePurchases', 'preBuyers', 'purchasesToDate']);
    expect(balance.beyondChance).toEqual(['prePurchases', 'preBuyers', 'purchasesToDate']);
    expect(balance.covariates.find((c) => c.name === 'daysSinceLastPurchase')!.withheld).toBe('no members with a purchase before the send date in the control group');
    expect(balanceWarning(balance, '2024-01-01')).toMatch(/in the 10 days before the send date 1 treatment against 0 control \(no overlap: every member of each group alike\);.*Groups that do not overlap are beyond anything random assignment gives, so this is beyond chance: the draw may not have been random/);
  });

  // n, Σx and Σx² of a group of n with this mean and sample sd
  const sums = (n: number, mean: number, sd = 1) => [n * mean, (n - 1) * sd * sd + n * mean * mean] as const;
  const group = (n: number, prePurchases: number, withHistory = n, days = 10): GroupSums => ({ n, prePurchases: sums(n, prePurchases), preBuyers: n / 2, preRevenue: null, purchasesToDate: sums(n, 3), withHistory, daysSinceLastPurchase: sums(withHistory, days) });
  const AT = { sendDate: '2024-01-01', preDays: 30, minGroupSize: 5 };

  it('beyond chance at |SMD| 0.090 of 5,000 and 5,000 (below 0.1): the line says so and a warning follows', () => {
    const b = balanceOfSums({ treatment: group(5000, 1.09), control: group(5000, 1) }, AT);
    expect([b.imbalanced, b.beyondChance]).toEqual([[], ['prePurchases']]);
    expect(balanceLine(b, 'see the warning below')).toBe('largest |SMD| 0.090 (purchases per customer in the 30 days before the send date) of 4 covariates: beyond chance (random assignment keeps the largest of 4 within ±0.050 95% of the time at these group sizes) — see the warning below');
    expect(balanceWarning(b, '2024-01-01')).toBe(
      'treatment and control differed before the send date 2024-01-01 beyond chance: purchases per customer in the 30 days before the send date 1.09 treatment against 1 control (SMD +0.090). ' +
        "At 5,000 and 5,000 customers random assignment keeps one covariate's |SMD| within 0.039 and the largest of 4 within 0.050 95% of the time, so this is beyond chance: the draw may not have been random — were members moved between the groups, or changed since the draw? " +
        'Part of the measured uplift may be that difference, not the campaign',
    );
  });

  it('a covariate beyond chance is named though another, measured on fewer members, has the larger |SMD| within chance', () => {
    // prePurchases +0.090 on 5,000 and 5,000 (range 0.050); days since the last purchase +0.199 on the 100 and 100 with a history (range 0.353)
    const b = balanceOfSums({ treatment: group(5000, 1.09, 100, 10.199), control: group(5000, 1, 100, 10) }, AT);
    expect([b.imbalanced, b.beyondChance]).toEqual([['daysSinceLastPurchase'], ['prePurchases']]);
    expect(balanceLine(b, 'see the warning below')).toBe(
      'largest |SMD| 0.199 (days since the last purchase at the send date) of 4 covariates is within chance, but purchases per customer in the 30 days before the send date is not: |SMD| 0.090, beyond chance (random assignment keeps the largest of 4 within ±0.050 95% of the time at these group sizes) — see the warning below',
    );
    const warning = balanceWarning(b, '2024-01-01')!;
    expect(warning).toMatch(/^treatment and control differed before the send date 2024-01-01 beyond chance: purchases per customer in the 30 days before the send date 1\.09 treatment against 1 control \(SMD \+0\.090\)\. At 5,000 and 5,000 customers .*, so this is beyond chance: the draw may not have been random/);
    expect(warning).toContain("Above 0.1 too, within chance: days since the last purchase at the send date 10.2 treatment against 10 control (SMD +0.199; at 100 and 100 members with a purchase before the send date random assignment keeps one covariate's |SMD| within 0.277 and the largest of 4 within 0.353). ");
    // without the imbalance beyond chance: no warning, a note on the line
    const within = balanceOfSums({ treatment: group(5000, 1, 100, 10.199), control: group(5000, 1, 100, 10) }, AT);
    expect(balanceWarning(within, '2024-01-01')).toBeNull();
    expect(balanceLine(within, 'see the warning below', 'redraw')).toMatch(/: within chance \(.*\); above 0\.1 on days since the last purchase at the send date, within chance at these sizes$/);
  });
});
