import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { assignLifecycleStages } from '../../src/lifecycle/assign-lifecycle-stages.js';
import { computeStageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { validateLifecycleStages } from '../../src/lifecycle/validate-lifecycle-stages.js';
import { purchaseDaysWarehouse } from '../helpers/purchase-days-warehouse.js';

// As of 2024-06-30 with g₀ fixed at 30 days (priorGaps 1, atRiskRatio 2, reactivatedDays 60). Every customer bought
// every 30 days from 400 to 250 days before (expected gap (150 + 30) / 6 = 30), then lapsed (next gap ≥ 180 > 2 × 30).
const AS_OF = '2024-06-30';
const REGULAR = [400, 370, 340, 310, 280, 250];
const DAYS_BEFORE: Record<string, number[]> = {
  // came back 20 days ago, once: reactivated (as before)
  once: [...REGULAR, 20],
  // came back 50 days ago and bought again 10 days ago (gap 40 < 2 × (350 + 30) / 7): the comeback is in the window
  twice: [...REGULAR, 50, 10],
  // came back 59 days ago, then twice more: the comeback is still in the window
  thrice: [...REGULAR, 59, 30, 5],
  // came back 70 days ago, then bought 10 days ago (gap 60 < 2 × (330 + 30) / 7): the comeback is outside the window
  earlier: [...REGULAR, 70, 10],
  // came back exactly 60 days ago, then 10 days ago: not less than 60 days → outside
  boundary: [...REGULAR, 60, 10],
  // never lapsed: a purchase every 30 days up to 10 days ago
  steady: [400, 370, 340, 310, 280, 250, 220, 190, 160, 130, 100, 70, 40, 10],
};

describe('reactivated: a comeback purchase within reactivatedDays, whatever was bought since', () => {
  let warehouse: Warehouse;
  let close: () => Promise<void>;
  const thresholds = { populationGapDays: 30 };
  beforeAll(async () => {
    ({ warehouse, close } = await purchaseDaysWarehouse(AS_OF, DAYS_BEFORE));
  });
  afterAll(() => close());

  it('as of the date: back once or back and bought again within the window → reactivated; a comeback 60 or 70 days ago → by cadence', async () => {
    const result = await assignLifecycleStages(warehouse, { asOf: AS_OF, scoresTable: null, thresholds });
    const rows = await warehouse.query('SELECT customer_id, stage FROM customer_stages ORDER BY customer_id');
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.stage]))).toEqual({
      boundary: 'active',
      earlier: 'active',
      once: 'reactivated',
      steady: 'active',
      thrice: 'reactivated',
      twice: 'reactivated',
    });
    expect(result.stages.find((s) => s.stage === 'reactivated')!.customers).toBe(3);
  });

  it('the stages over time and the holdout validation use the same rule', async () => {
    const t = await computeStageTransitions(warehouse, { from: '2024-03-01', to: AS_OF, thresholds });
    // comebacks: earlier 04-21, boundary 05-01, thrice 05-02 (again 05-31, 06-25), twice 05-11 (again 06-20), once 06-10.
    // 03-31: all lapsed, none back. 04-30: earlier. 05-31: earlier, boundary, twice, and thrice (bought again that day).
    // 06-30: once, twice, thrice.
    expect(t.snapshots.map((s) => [s.label, s.counts.reactivated])).toEqual([
      ['2024-03', 0],
      ['2024-04', 1],
      ['2024-05', 4],
      ['2024-06', 3],
    ]);
    expect(t.steps[2]!.flows).toContainEqual({ from: 'reactivated', to: 'active', customers: 2 }); // boundary, earlier
    const v = await validateLifecycleStages(warehouse, { asOf: addDays(AS_OF, -15), holdoutEnd: AS_OF, thresholds });
    // as of 06-15: once (comeback 5 days before), twice (35), thrice (44, bought again since), boundary (45) and
    // earlier (55) are reactivated; all but once buy again in the holdout (06-16 … 06-30)
    expect(v.stages.find((s) => s.stage === 'reactivated')).toMatchObject({ customers: 5, repurchasers: 4 });
  });
});
