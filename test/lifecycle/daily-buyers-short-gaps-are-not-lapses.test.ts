import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { assignLifecycleStages } from '../../src/lifecycle/assign-lifecycle-stages.js';
import { computeStageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { purchaseDaysWarehouse } from '../helpers/purchase-days-warehouse.js';

// The QA finding on `synth --shape daily`: 31 of 50 daily buyers (250+ orders, a purchase on the as-of day) were staged
// reactivated, because a 3-day gap exceeded 2 × their usual gap of about 1.2 days and counted as a lapse. A lapse must be
// a real break: a gap of more than lapseMinDays (30) days as well as over atRiskRatio × the usual gap.
const AS_OF = '2024-06-30';

/** Days before AS_OF of a buyer who buys every `step` days from `from` down to `to` days before. */
function every(step: number, from: number, to: number): number[] {
  const days: number[] = [];
  for (let d = from; d >= to; d -= step) days.push(d);
  return days;
}

/** A daily buyer with short irregular gaps (1, 1, 2, 1, 3, 1, 1, 4, …), the last purchase on the as-of day. */
function irregularDaily(pattern: readonly number[]): number[] {
  const days: number[] = [];
  let k = 0;
  for (let d = 300; d >= 0; d -= pattern[k++ % pattern.length]!) days.push(d);
  if (days.at(-1) !== 0) days.push(0);
  return days;
}

const DAYS_BEFORE: Record<string, number[]> = {
  // a daily habit with gaps of up to 5 days, some of them in the last 60 days: active, never lapsed
  daily_a: irregularDaily([1, 1, 2, 1, 3, 1, 1, 4, 1, 2]),
  daily_b: irregularDaily([1, 3, 1, 1, 5, 1, 2, 1, 1, 1]),
  // a daily buyer who went 12 days without a purchase (a holiday, a 13-day gap) 20 days ago and came back: still no break in the relationship
  daily_holiday: [...every(1, 300, 33), ...every(1, 20, 0)],
  // a daily habit, the last purchase 6 days before the as-of day: overdue (at risk), not dormant or churned
  daily_quiet: every(1, 300, 6),
  // a monthly habit for two years, then six months without a purchase, back 20 days ago: reactivated
  monthly_lapsed: [...every(30, 900, 210), 20],
  // a weekly habit, then a 47-day gap (over 30 days and over 2 × 7), back 10 days ago: reactivated
  weekly_lapsed: [...every(7, 400, 55), 10],
};

describe('a lapse is a real break in the relationship, not a few days more than a daily buyer’s usual gap', () => {
  let warehouse: Warehouse;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ warehouse, close } = await purchaseDaysWarehouse(AS_OF, DAYS_BEFORE));
  });
  afterAll(() => close());

  it('daily buyers with gaps of a few days are active; a six-month or 47-day break after a habit, then a purchase, is reactivated', async () => {
    const result = await assignLifecycleStages(warehouse, { asOf: AS_OF, scoresTable: null });
    const rows = await warehouse.query('SELECT customer_id, stage FROM customer_stages ORDER BY customer_id');
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.stage]))).toEqual({
      daily_a: 'active',
      daily_b: 'active',
      daily_holiday: 'active',
      daily_quiet: 'at_risk',
      monthly_lapsed: 'reactivated',
      weekly_lapsed: 'reactivated',
    });
    expect(result.stages.find((s) => s.stage === 'reactivated')!.customers).toBe(2);
    expect(result.thresholds.lapseMinDays).toBe(30);
  });

  it('a daily buyer silent for 6 days is at risk, not dormant or churned: lapsed stages need lapseMinDays too', async () => {
    await assignLifecycleStages(warehouse, { asOf: AS_OF, scoresTable: null });
    const [row] = await warehouse.query("SELECT stage, days_since_last, cadence_ratio FROM customer_stages WHERE customer_id = 'daily_quiet'");
    expect(row!.days_since_last).toBe(6);
    expect(Number(row!.cadence_ratio)).toBeGreaterThan(4); // churned by the ratio alone
    expect(row!.stage).toBe('at_risk');
    // the same silence at 31 days is dormant or worse (here churned: over 4 × the usual gap)
    await assignLifecycleStages(warehouse, { asOf: '2024-07-25', scoresTable: null });
    const [later] = await warehouse.query("SELECT stage, days_since_last FROM customer_stages WHERE customer_id = 'daily_quiet'");
    expect([later!.days_since_last, later!.stage]).toEqual([31, 'churned']);
  });

  it('the monthly snapshots never call the daily buyers reactivated either', async () => {
    const t = await computeStageTransitions(warehouse, { from: '2024-01-01', to: AS_OF });
    // weekly_lapsed came back on 06-20, monthly_lapsed on 06-10: reactivated only in the June snapshot
    expect(t.snapshots.map((s) => [s.label, s.counts.reactivated])).toEqual([
      ['2024-01', 0],
      ['2024-02', 0],
      ['2024-03', 0],
      ['2024-04', 0],
      ['2024-05', 0],
      ['2024-06', 2],
    ]);
  });

  it('lapseMinDays is a threshold: at 10 days the daily buyer’s 13-day holiday gap is a lapse again', async () => {
    await assignLifecycleStages(warehouse, { asOf: AS_OF, scoresTable: null, thresholds: { lapseMinDays: 10 } });
    const rows = await warehouse.query("SELECT customer_id FROM customer_stages WHERE stage = 'reactivated' ORDER BY customer_id");
    expect(rows.map((r) => r.customer_id)).toEqual(['daily_holiday', 'monthly_lapsed', 'weekly_lapsed']);
  });
});
