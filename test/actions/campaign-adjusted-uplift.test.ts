/**
 * The uplift adjusted for the pre-period (CUPED) beside campaign evaluate's estimates: each member's outcomes in the
 * window and before the send date from one query (the tiny audience of test/helpers/tiny-balance-audience.ts, θ and the
 * adjusted uplift worked out by hand), `adjusted` in the JSON contract, stored and on the text lines (the seeded
 * campaign without effect of test/helpers/no-uplift-campaign.ts), and an evaluation stored before it still reads.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustedUplifts, adjustmentWarning, memberOutcomes, prePeriod } from '../../src/actions/adjusted-uplift.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { estimateMeanUplifts } from '../../src/actions/estimate-uplift.js';
import { readStoredEvaluation } from '../../src/actions/stored-evaluation.js';
import { formatCampaignEvaluation } from '../../src/cli/commands/campaign-command.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { fillTinyAudience } from '../helpers/tiny-balance-audience.js';
import { scratchDir, withMemoryWarehouse } from '../helpers/warehouse.js';

const EVALUATE = ['campaign', 'evaluate', '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--role', 'analyst'];

// campaign evaluate's primary estimates on this campaign as main computed them before CUPED (0c250e0): pinned
const BEFORE_CUPED = {"purchases": {"treatment": 0.2571428571428571, "control": 0.2833333333333333, "absoluteUplift": -0.02619047619047621, "absoluteUpliftInterval": [-0.12928398608357614, 0.06959293689143932], "relativeUplift": -0.09243697478991608, "relativeUpliftInterval": [-0.3658943144945743, 0.3125383012170377], "pValue": 0.6253, "test": "permutation", "incremental": -7.333333333333338, "incrementalInterval": [-36.199516103401315, 19.48602232960301]}, "buyers": {"treatment": 0.2571428571428571, "control": 0.2833333333333333, "absoluteUplift": -0.02619047619047621, "absoluteUpliftInterval": [-0.124838639702875, 0.0646947731771882], "relativeUplift": -0.09243697478991608, "relativeUpliftInterval": [-0.3519153169319158, 0.29106316829293366], "pValue": 0.6215695631795689, "test": "fisher-exact", "incremental": -7.333333333333338, "incrementalInterval": [-34.954819116805, 18.114536489612696]}, "revenue": {"treatment": 7.6433928571428575, "control": 8.501999999999999, "absoluteUplift": -0.8586071428571413, "absoluteUpliftInterval": [-4.110046895563365, 2.232540038644406], "relativeUplift": -0.10098884296131982, "relativeUpliftInterval": [-0.3803883886550125, 0.3444760727206016], "pValue": 0.5831, "test": "permutation", "incremental": -240.40999999999957, "incrementalInterval": [-1150.8131307577423, 625.1112108204337]}, "margin": {"treatment": 7.6433928571428575, "control": 8.501999999999999, "absoluteUplift": -0.8586071428571413, "absoluteUpliftInterval": [-4.110046895563365, 2.232540038644406], "relativeUplift": -0.10098884296131982, "relativeUpliftInterval": [-0.3803883886550125, 0.3444760727206016], "pValue": 0.5831, "test": "permutation", "incremental": -240.40999999999957, "incrementalInterval": [-1150.8131307577423, 625.1112108204337]}} as const;

/** The variance change as the line says it: a sign from 1% on, "±0%" when it rounds to 0 (cuped-variance-change-rounded-to-zero.test.ts). */
const varianceChange = (reduction: number) => {
  const change = Math.round(-100 * reduction);
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change)}%`;
};

describe('the uplift adjusted for the pre-period (CUPED)', () => {
  it('the tiny audience: window and pre-period per member from one query, θ and the adjusted uplift by hand', async () => {
    const { outcomes, adjusted } = await withMemoryWarehouse(async (warehouse) => {
      await fillTinyAudience(warehouse);
      const d = warehouse.dialect;
      const outcomes = await memberOutcomes(warehouse, "'tiny'", { ...prePeriod(d, '2024-01-01', 10), start: d.timestamp('2024-01-01T00:00:00'), end: d.timestamp('2024-01-11T00:00:00') }, 1);
      return { outcomes, adjusted: adjustedUplifts(outcomes.periods, { treatment: 5, control: 5 }, true, '2024-01-01', 10) };
    });
    // the window: T1's order o1b of 99 alone (as responseValues reads it)
    expect(outcomes.window.treatment.map((c) => Array.from(c))).toEqual([[1], [99], [99]]);
    expect(outcomes.window.control.map((c) => c.length)).toEqual([0, 0, 0]);
    // active in either period: T1, T2, T4 and C1, C3, C5 (C4 bought an hour before the pre-period: not in it)
    const rows = (g: 'treatment' | 'control') => Array.from(outcomes.periods[g].x[0]!, (x, i) => [x, outcomes.periods[g].x[1]![i]!, outcomes.periods[g].y[0]![i]!, outcomes.periods[g].y[1]![i]!]).sort((a, b) => a[1]! - b[1]! || a[2]! - b[2]!);
    expect(rows('treatment')).toEqual([[1, 10, 0, 0], [1, 10, 1, 99], [2, 35, 0, 0]]);
    expect(rows('control')).toEqual([[1, 8, 0, 0], [1, 20, 0, 0], [1, 100, 0, 0]]);
    // purchases: X̄ 0.7, Ȳ 0.1, Σ(X−X̄)(Y−Ȳ) = 1 − 10·0.07 = 0.3, Σ(X−X̄)² = 9 − 4.9 = 4.1: θ = 3/41;
    // adjusted (0.2 − 0) − 3/41 · (0.8 − 0.6) = 7.6/41
    expect(adjusted.purchases.theta).toBeCloseTo(3 / 41, 12);
    expect(adjusted.purchases.absoluteUplift).toBeCloseTo(7.6 / 41, 12);
    // revenue: X̄ 18.3, Ȳ 9.9, Σ(X−X̄)(Y−Ȳ) = 990 − 1811.7, Σ(X−X̄)² = 11889 − 3348.9; adjusted 19.8 − θ · (11 − 25.6)
    const theta = -821.7 / 8540.1;
    expect(adjusted.revenue!.theta).toBeCloseTo(theta, 12);
    expect(adjusted.revenue!.absoluteUplift).toBeCloseTo(19.8 - theta * (11 - 25.6), 10);
    // no cost on these lines and a margin share of 1: margin is revenue
    expect(adjusted.margin!.theta).toBeCloseTo(theta, 12);
    expect(adjusted.revenue!.covariate).toBe('net revenue in the 10 days before the send date');
    expect([adjusted.preFrom, adjusted.preTo]).toEqual(['2023-12-22', '2023-12-31']);
  });

  it('the warning where the adjustment and the verdict disagree, naming the imbalance', async () => {
    // the raw uplift of the planted imbalance (test/math/cuped.test.ts): raised; adjusted 0
    const members = (heavy: number) => [...Array(heavy / 2).fill([3, 3]), ...Array(heavy / 2).fill([3, 1]), ...Array((200 - heavy) / 2).fill([0, 1])] as [number, number][];
    const periods = { treatment: members(80), control: members(40) };
    const group = (rows: [number, number][]) => ({ x: [Float64Array.from(rows, (r) => r[0])], y: [Float64Array.from(rows, (r) => r[1])] });
    const adjusted = adjustedUplifts({ treatment: group(periods.treatment), control: group(periods.control) }, { treatment: 200, control: 200 }, false, '2024-01-01', 31);
    const [purchases] = estimateMeanUplifts({ n: 200, values: group(periods.treatment).y }, { n: 200, values: group(periods.control).y });
    const warning = adjustmentWarning(adjusted, { purchases: purchases!, revenue: null, margin: null }, 'beyond chance');
    expect(warning).toMatch(/^adjusted for the same outcome in the 31 days before the send date \(CUPED\), purchases per customer is not shown to have changed \([+−]0 \[−0\.\d+, \+0\.\d+\], p = \d\.\d{3}\) though the unadjusted estimate reads raised \(p [<=] 0\.\d{3}\); treatment and control differed before the send date beyond chance \(see the balance warning\), so part of the unadjusted uplift may be that difference — the verdict stays the unadjusted estimate's, the adjusted one is a check beside it$/);
    // agreeing: none
    // an imbalance within chance (no balance warning): the balance line's note is named
    expect(adjustmentWarning(adjusted, { purchases: purchases!, revenue: null, margin: null }, 'within chance')).toContain('; treatment and control differed before the send date (|SMD| above 0.1, within chance at these group sizes: see the balance line), so part of the unadjusted uplift may be that difference — ');
    expect(adjustmentWarning(adjusted, { purchases: purchases!, revenue: null, margin: null }, null)).not.toContain('differed');
    // the adjustment shows an effect the unadjusted estimate does not: said so, not "reads not shown"
    const shownOnlyAdjusted = adjustedUplifts({ treatment: group(periods.control), control: group(periods.control) }, { treatment: 200, control: 200 }, false, '2024-01-01', 31);
    const lifted = { ...shownOnlyAdjusted, purchases: { ...shownOnlyAdjusted.purchases, absoluteUplift: 0.5, absoluteUpliftInterval: [0.2, 0.8] as const, pValue: 0.001 } };
    expect(adjustmentWarning(lifted, { purchases: { ...purchases!, absoluteUpliftInterval: [-0.1, 0.4], pValue: 0.5 }, revenue: null, margin: null }, null)).toMatch(/purchases per customer reads raised \(\+0\.5 \[\+0\.2, \+0\.8\], p = 0\.001\) though the unadjusted estimate does not show an effect \(p = 0\.500\) — /);
    // agreeing: none
    expect(adjustmentWarning(adjusted, { purchases: { ...purchases!, pValue: 0.5 }, revenue: null, margin: null }, 'beyond chance')).toBeNull();
  });

  describe('campaign evaluate', () => {
    let db = '';
    beforeAll(async () => {
      db = await noUpliftCampaign();
    }, 120_000);

    it('adjusted in the JSON contract and stored, one text line per outcome; an evaluation stored before it reads back', async () => {
      const run = await cli([...EVALUATE, '--db', db, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const e = JSON.parse(run.stdout) as CampaignEvaluation;
      const a = e.adjusted!;
      expect(Object.keys(a)).toEqual(['method', 'preDays', 'preFrom', 'preTo', 'purchases', 'revenue', 'margin']);
      expect([a.preDays, a.preFrom, a.preTo]).toEqual([31, '2023-12-01', '2023-12-31']);
      expect(Object.keys(a.revenue!)).toEqual(['absoluteUplift', 'absoluteUpliftInterval', 'pValue', 'theta', 'varianceReduction', 'covariate']);
      expect(a.purchases.covariate).toBe('purchases in the 31 days before the send date');
      // the primary estimates are untouched by CUPED: the same figures, to the last bit, as evaluate gave before it
      expect(e.groups).toEqual({ treatment: 280, control: 120 });
      expect({ purchases: e.purchases, buyers: e.buyers, revenue: e.revenue, margin: e.margin }).toEqual(BEFORE_CUPED);
      // January's purchases are drawn independently of the history, so θ is small
      for (const k of ['purchases', 'revenue', 'margin'] as const) {
        expect(Math.abs(a[k]!.theta), k).toBeLessThan(0.5);
        expect(a[k]!.absoluteUpliftInterval[0]).toBeLessThan(a[k]!.absoluteUplift);
        expect(a[k]!.absoluteUpliftInterval[1]).toBeGreaterThan(a[k]!.absoluteUplift);
      }
      const old = join(scratchDir(), 'shop.duckdb');
      copyFileSync(db, old);
      copyFileSync(`${db}.key`, `${old}.key`);
      const warehouse = await openDuckDbWarehouse(old);
      try {
        const [row] = await warehouse.query("SELECT result FROM campaign_evaluations WHERE audience = 'past' ORDER BY evaluated_at DESC LIMIT 1");
        expect((JSON.parse(String(row!.result)) as CampaignEvaluation).adjusted).toEqual(a);
        // stored before: no adjusted
        const { adjusted, ...before } = e;
        expect(adjusted).toBeDefined();
        await warehouse.execute('DELETE FROM campaign_evaluations');
        await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ('past', TIMESTAMP '2024-02-01 09:00:00', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-31 00:00:00', ${warehouse.dialect.literal(JSON.stringify(before))})`);
        const read = await readStoredEvaluation(warehouse, before as CampaignEvaluation);
        expect(read).toEqual(before);
        expect(formatCampaignEvaluation(read)).not.toContain('CUPED');
      } finally {
        await warehouse.close();
      }
      const compared = await cli(['campaign', 'compare', '--db', old, '--json']);
      expect(compared.code, compared.stderr).toBe(0);
      const text = await cli([...EVALUATE, '--db', db, '--no-store']);
      const lines = text.stdout.split('\n').filter((line) => line.includes('adjusted for the pre-period (CUPED)'));
      expect(lines).toHaveLength(3);
      const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toLocaleString('en-US', { maximumFractionDigits: 3 })}`;
      expect(lines[1]).toBe(`             adjusted for the pre-period (CUPED): ${signed(a.revenue!.absoluteUplift)} [${signed(a.revenue!.absoluteUpliftInterval[0])}, ${signed(a.revenue!.absoluteUpliftInterval[1])}] per customer, p = ${a.revenue!.pValue.toFixed(3)}, variance ${varianceChange(a.revenue!.varianceReduction)}`);
    }, 120_000);
  });
});
