import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { computeStageTransitions } from '../../src/lifecycle/compute-stage-transitions.js';
import { validateLifecycleStages } from '../../src/lifecycle/validate-lifecycle-stages.js';
import { demoWarehouse } from '../helpers/demo-warehouse.js';

// UCI Online Retail (data/online-retail), stages from purchase history only, default thresholds.
describe('lifecycle stages on the demo data', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await demoWarehouse(); // the demo ingested as ingestFiles(warehouse, [DEMO_FILE]) does, once per run
  }, 300_000); // may wait for another file ingesting the shared demo warehouse
  afterAll(() => warehouse.close());

  it('the holdout repurchase rate falls from active to at_risk to dormant to churned (as of 2011-09-09, holdout to 2011-12-09)', async () => {
    const v = await validateLifecycleStages(warehouse, { asOf: '2011-09-09', holdoutEnd: '2011-12-09' });
    const row = (stage: string) => v.stages.find((s) => s.stage === stage)!;
    const table = v.stages.map((s) => `${s.stage} ${s.customers} ${s.repurchaseRate.toFixed(3)} ${s.meanHoldoutSpend.toFixed(0)}`).join('; ');
    expect(v.monotone, table).toBe(true);
    // measured: active 820 customers 0.802, at_risk 623 0.573, dormant 828 0.437, churned 437 0.346 (g₀ 52.5 days)
    expect(row('active').repurchaseRate, table).toBeGreaterThan(row('at_risk').repurchaseRate + 0.1);
    expect(row('at_risk').repurchaseRate, table).toBeGreaterThan(row('dormant').repurchaseRate + 0.05);
    expect(row('dormant').repurchaseRate, table).toBeGreaterThan(row('churned').repurchaseRate + 0.05);
    expect(row('active').meanHoldoutSpend, table).toBeGreaterThan(row('churned').meanHoldoutSpend * 3);
    for (const stage of ['new', 'active', 'reactivated', 'at_risk', 'dormant', 'churned']) expect(row(stage).customers, `${stage}: ${table}`).toBeGreaterThan(50);
    expect(row('prospect').customers).toBe(0); // the demo has no customers table
    expect(v.stages.reduce((s, x) => s + x.customers, 0)).toBe(3368); // customers with a purchase by 2011-09-09
    expect(v.populationGapDays).toBe(52.5);
  });

  it('the order holds at two earlier dates too (three-month holdouts)', async () => {
    for (const [asOf, holdoutEnd] of [['2011-06-09', '2011-09-09'], ['2011-08-09', '2011-11-09']] as const) {
      const v = await validateLifecycleStages(warehouse, { asOf, holdoutEnd });
      expect(v.monotone, `${asOf}: ${v.stages.map((s) => `${s.stage} ${s.customers} ${s.repurchaseRate.toFixed(3)}`).join('; ')}`).toBe(true);
    }
  });

  it('monthly snapshots over the whole year: the flows add up and the series covers every month', async () => {
    const t = await computeStageTransitions(warehouse, { to: '2011-12-09' });
    expect(t.snapshots.map((s) => s.label)).toEqual(['2010-12', '2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06', '2011-07', '2011-08', '2011-09', '2011-10', '2011-11', '2011-12']);
    const customers = t.snapshots.map((s) => Object.values(s.counts).reduce((a, b) => a + b, 0));
    expect(customers.at(-1)).toBe(4334);
    // each step's flows hold the later snapshot's customers; new arrivals come from `none`
    t.steps.forEach((step, j) => {
      expect(step.flows.reduce((s, f) => s + f.customers, 0)).toBe(customers[j + 1]);
      expect(step.flows.filter((f) => f.from === 'none').reduce((s, f) => s + f.customers, 0)).toBe(customers[j + 1]! - customers[j]!);
    });
    // the series stacks to the customer base at each month end (no prospects in the demo)
    expect(t.series.periodLabels.map((_, j) => Object.values(t.series.counts).reduce((a, c) => a + c[j]!, 0))).toEqual(customers);
    // staying put is the most likely move for churned customers, and churned customers do not jump straight to active often
    const churned = t.matrix.from.indexOf('churned');
    const rates = t.matrix.rates[churned]!;
    expect(rates[t.matrix.to.indexOf('churned')]!).toBeGreaterThan(0.8);
    expect(rates[t.matrix.to.indexOf('active')]!).toBeLessThan(0.05);
  });
});
