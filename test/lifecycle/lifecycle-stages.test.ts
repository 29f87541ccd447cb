import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { assignLifecycleStages } from '../../src/lifecycle/assign-lifecycle-stages.js';
import { expectedGap } from '../../src/lifecycle/classify-lifecycle-stages.js';
import { computeStageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { LIFECYCLE_STAGES, resolveLifecycleThresholds } from '../../src/lifecycle/lifecycle-stage-rules.js';
import { validateLifecycleStages } from '../../src/lifecycle/validate-lifecycle-stages.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// Tiny shop purchase days: A 01-05, 02-10, 03-15 · B 01-20 · C 02-01 (returned) · D 01-10, 04-01 · G 03-03 · I 01-02, 01-09, 01-16, 01-23 (2023).
describe('lifecycle stages on the tiny shop', () => {
  let warehouse: Warehouse;
  const stagesOf = async (table = 'customer_stages') =>
    Object.fromEntries((await warehouse.query(`SELECT customer_id, stage FROM ${table} ORDER BY customer_id`)).map((r) => [r.customer_id, r.stage]));
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
  });
  afterAll(() => warehouse.close());

  it('as of 2023-04-01 with the default thresholds, as computed by hand', async () => {
    // g₀ = median of the repeat customers' mean gaps: A 69/2 = 34.5, D 81, I 21/3 = 7 → 34.5
    // C (first purchase 59 days ago) and G (29) are new (< 60 days).
    // D: last gap 81 > 2 × its expected gap before (0 + 34.5) / (0 + 1) = 34.5, bought 0 days ago → reactivated.
    // A: expected gap (69 + 34.5) / 3 = 34.5, 17 days since → 0.49 → active.
    // B: one-time buyer, expected gap 34.5, 71 days since → 2.06 → dormant (2 < r ≤ 4).
    // I: expected gap (21 + 34.5) / 4 = 13.875, 68 days since → 4.9 → churned.
    const result = await assignLifecycleStages(warehouse, { asOf: '2023-04-01', scoresTable: null });
    expect(result.populationGapDays).toBe(34.5);
    expect(await stagesOf()).toEqual({ A: 'active', B: 'dormant', C: 'new', D: 'reactivated', G: 'new', I: 'churned' });
    const rows = await warehouse.query("SELECT days_since_last, expected_gap_days, cadence_ratio FROM customer_stages WHERE customer_id = 'I'");
    expect(rows[0]).toEqual({ days_since_last: 68, expected_gap_days: 13.875, cadence_ratio: 68 / 13.875 });
    expect(result.stages.map((s) => [s.stage, s.customers])).toEqual([
      ['prospect', 0],
      ['new', 2],
      ['active', 1],
      ['reactivated', 1],
      ['at_risk', 0],
      ['dormant', 1],
      ['churned', 1],
    ]);
    expect(result.stages.find((s) => s.stage === 'new')!.spend).toBeCloseTo(10 + 99, 12); // C's return is not netted here
    expect(result.stages.find((s) => s.stage === 'churned')!.medianDaysSinceLast).toBe(68);
    expect(result.stages.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    expect(result.stages[2]!.description).toMatch(/1 × their usual gap/);
  });

  it('adds prospects from the customers table (signed up by the date) and lets a low P(alive) make a stage worse, never better', async () => {
    await warehouse.execute("INSERT INTO customers (customer_id, signup_ts) VALUES ('P', TIMESTAMP '2023-02-01 00:00:00'), ('Q', TIMESTAMP '2023-05-01 00:00:00'), ('A', NULL)");
    await warehouse.execute("CREATE TABLE test_scores AS SELECT * FROM (VALUES ('A', 0.2, 1.0), ('B', 0.9, 1.0), ('I', 0.05, 0.0)) t(customer_id, p_alive, predicted_clv_12m)");
    const result = await assignLifecycleStages(warehouse, { asOf: '2023-04-01', scoresTable: 'test_scores', table: 'stages_scored' });
    expect(result.usedProbabilityAlive).toBe(true);
    // A: P(alive) 0.2 is in [0.1, 0.3) → dormant, worse than its cadence stage (active); B stays dormant despite 0.9; Q signs up later
    expect(await stagesOf('stages_scored')).toEqual({ A: 'dormant', B: 'dormant', C: 'new', D: 'reactivated', G: 'new', I: 'churned', P: 'prospect' });
    expect(result.customers).toBe(7);
    expect(result.stages.find((s) => s.stage === 'dormant')!.predictedValue).toBe(2);
    await warehouse.execute("DELETE FROM customers");
  });

  it('takes thresholds and checks them', async () => {
    // with a fixed g₀ of 100 days and new = first purchase within 10 days: B at 0.71 and I at 68 / ((21 + 100) / 4) = 2.25 move up
    await assignLifecycleStages(warehouse, { asOf: '2023-04-01', scoresTable: null, table: 'stages_custom', thresholds: { populationGapDays: 100, newDays: 10 } });
    expect(await stagesOf('stages_custom')).toEqual({ A: 'active', B: 'active', C: 'active', D: 'active', G: 'active', I: 'dormant' });
    expect(() => resolveLifecycleThresholds({ activeRatio: 3, atRiskRatio: 2 })).toThrow(/must increase/);
    expect(() => resolveLifecycleThresholds({ newDays: -1 })).toThrow(/not a positive number/);
    expect(expectedGap(0, 0, 30, 1)).toBe(30);
    expect(expectedGap(60, 2, 30, 0)).toBe(30);
    expect(expectedGap(10, 1, 30, 1)).toBe(20);
  });

  it('validates on a holdout: each stage’s repurchase rate and mean spend, as computed by hand', async () => {
    // As of 2023-03-01 (new = first purchase within 30 days), g₀ = median(A 36, I 7) = 21.5:
    // A active (19 days / ((36 + 21.5) / 2)), B at_risk (40 / 21.5), C new, D dormant (50 / 21.5), I dormant (37 / 10.625).
    // Holdout 03-02 … 04-01: A bought 10.00 on 03-15, D 7.25 on 04-01.
    const v = await validateLifecycleStages(warehouse, { asOf: '2023-03-01', holdoutEnd: '2023-04-01', thresholds: { newDays: 30 } });
    expect(v.populationGapDays).toBe(21.5);
    expect(v.holdoutDays).toBe(31);
    const row = (stage: string) => v.stages.find((s) => s.stage === stage)!;
    expect(row('active')).toMatchObject({ customers: 1, repurchasers: 1, repurchaseRate: 1, meanHoldoutSpend: 10, meanHoldoutOccasions: 1 });
    expect(row('at_risk')).toMatchObject({ customers: 1, repurchasers: 0, repurchaseRate: 0, meanHoldoutSpend: 0 });
    expect(row('dormant')).toMatchObject({ customers: 2, repurchasers: 1, repurchaseRate: 0.5, meanHoldoutSpend: 3.625, meanHoldoutOccasions: 0.5 });
    expect(row('new')).toMatchObject({ customers: 1, repurchaseRate: 0 });
    expect(row('churned').customers).toBe(0);
    expect(row('churned').repurchaseRate).toBeNaN();
    expect(v.monotone).toBe(false); // dormant (0.5) above at_risk (0): one customer each, the check says so
    await expect(validateLifecycleStages(warehouse, { asOf: '2023-03-01', holdoutEnd: '2023-03-01' })).rejects.toThrow(/not after/);
  });

  it('snapshots month ends, counts transitions, and builds the lifecycle series', async () => {
    const t = await computeStageTransitions(warehouse, { from: '2023-01-01', to: '2023-04-01' });
    expect(t.snapshots.map((s) => [s.label, s.day, s.partial])).toEqual([
      ['2023-01', '2023-01-31', false],
      ['2023-02', '2023-02-28', false],
      ['2023-03', '2023-03-31', false],
      ['2023-04', '2023-04-01', true],
    ]);
    expect(t.snapshots[0]!.counts.new).toBe(4); // A, B, D, I
    expect(t.snapshots.map((s) => Object.values(s.counts).reduce((a, b) => a + b, 0))).toEqual([4, 5, 6, 6]);
    // series: the snapshots' counts by stage (no prospects here); D comes back after a lapse on 04-01
    expect(t.series.periodLabels).toEqual(['2023-01', '2023-02', '2023-03', '2023-04']);
    expect(t.series.counts.new).toEqual(t.snapshots.map((s) => s.counts.new));
    expect(t.series.counts.reactivated).toEqual([0, 0, 0, 1]);
    expect(t.series.periodLabels.map((_, j) => Object.values(t.series.counts).reduce((a, c) => a + c[j]!, 0))).toEqual([4, 5, 6, 6]);
    expect(t.snapshots[3]!.counts).toMatchObject({ reactivated: 1, new: 2, active: 1, dormant: 1, churned: 1 });
    // the matrix holds every later-snapshot customer of every step; `none` → new for C and G
    const total = t.matrix.counts.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(5 + 6 + 6);
    expect(t.matrix.counts[0]![LIFECYCLE_STAGES.indexOf('new')]).toBe(2);
    expect(t.matrix.from[0]).toBe('none');
    for (const row of t.matrix.rates) if (row[0] !== null) expect(row.reduce<number>((a, b) => a + (b ?? 0), 0)).toBeCloseTo(1, 12);
    expect(t.steps).toHaveLength(3);
    expect(t.steps[2]!.flows).toContainEqual({ from: 'dormant', to: 'reactivated', customers: 1 }); // D
    expect(JSON.parse(JSON.stringify(t)).series).toEqual(t.series);
  });
});
