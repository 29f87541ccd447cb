/**
 * The balance check of an audience's random control draw (src/actions/group-balance.ts): per group, covariates of the
 * members measured before the send date, their standardised mean differences and the range random assignment gives.
 * A tiny audience (test/helpers/tiny-balance-audience.ts) whose every figure is worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import { balanceLine } from '../../src/actions/balance-summary.js';
import { balanceWarning, groupBalance } from '../../src/actions/group-balance.js';
import { fillTinyAudience } from '../helpers/tiny-balance-audience.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

const OPTIONS = { audience: 'tiny', sendDate: '2024-01-01', preDays: 10 } as const;

describe('groupBalance', () => {
  it('means, sds, SMD and the chance range of a tiny audience, as worked out by hand; days since the last purchase withheld below the k-floor', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      return groupBalance(warehouse, { ...OPTIONS, minGroupSize: 5 });
    });
    expect(balance.preDays).toBe(10);
    expect([balance.preFrom, balance.preTo]).toEqual(['2023-12-22', '2023-12-31']);
    expect(balance.withoutHistory).toEqual({ treatment: 1, control: 0 });
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
    // 4 treated members with a purchase before the send date: below the k-floor of 5, no means published
    const days = of('daysSinceLastPurchase');
    expect(days).toMatchObject({ treatment: null, control: null, smd: null, chance95: null });
    expect(days.withheld).toMatch(/fewer members with a purchase before the send date than the minimum group size 5/);
    // |SMD| above 0.1 is imbalanced (within the wide chance range of groups of 5)
    expect(balance.imbalanced).toEqual(['prePurchases', 'preRevenue', 'purchasesToDate']);
    // the largest of the 4 covariates measured: within 2.4977 · √(2/5) (Bonferroni, two-sided 0.05 / 4) 95% of the time
    expect(toDate.jointChance95).toBeCloseTo(2.497705 * Math.sqrt(0.4), 6);
    expect(balance.beyondChance).toEqual([]);
    const warning = balanceWarning(balance, '2024-01-01')!;
    expect(warning).toBe(
      'treatment and control differed before the send date 2024-01-01 (|SMD| above 0.1): purchases per customer in the 10 days before the send date 0.8 treatment against 0.6 control (SMD +0.283); ' +
        'net revenue per customer in the 10 days before the send date 11 treatment against 25.6 control (SMD −0.461); purchases per customer before the send date 1.2 treatment against 1.6 control (SMD −0.462). ' +
        "At 5 and 5 customers random assignment keeps one covariate's |SMD| within 1.240 and the largest of 4 within 1.580 95% of the time, so this is within chance: an imbalance random assignment gives at these group sizes. " +
        'Part of the measured uplift may be that difference, not the campaign',
    );
    expect(warning).not.toContain('days since');
    expect(balanceLine(balance, 'redraw')).toBe('largest |SMD| 0.462 (purchases per customer before the send date) of 4 covariates: above 0.1, within chance (random assignment keeps the largest of 4 within ±1.580 95% of the time at these group sizes) — redraw');
  });

  it('days since the last purchase: the members with one (prospects left out and counted); beyond chance where the groups do not overlap', async () => {
    const balance = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      return groupBalance(warehouse, { ...OPTIONS, minGroupSize: 4 });
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
    // measured on other members than the rest: the warning gives its own ranges (the others' are said once, at 5 and 5)
    const warning = balanceWarning(balance, '2024-01-01')!;
    expect(warning).toContain("days since the last purchase at the send date 94.5 treatment against 17.8 control (SMD +0.596; at 4 and 5 members with a purchase before the send date random assignment keeps one covariate's |SMD| within 1.315 and the largest of 5 within 1.728)");
    expect(warning).toContain("At 5 and 5 customers random assignment keeps one covariate's |SMD| within 1.240 and the largest of 5 within 1.629 95% of the time");
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
});
