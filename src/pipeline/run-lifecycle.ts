import type { Warehouse } from '../engine/warehouse.js';
import { computeCohorts, type Cohorts } from '../features/cohorts.js';
import { addDays } from '../core/calendar-days.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { computeKpisByGroups, type KpiRow } from '../features/kpis.js';
import { assignLifecycleStages, type LifecycleStages } from '../lifecycle/assign-lifecycle-stages.js';
import { computeStageTransitions, type StageTransitions } from '../lifecycle/compute-stage-transitions.js';
import { validateLifecycleStages, type LifecycleValidation } from '../lifecycle/validate-lifecycle-stages.js';
import { mixesOrderValues, orderValueLines } from '../features/mixed-order-values.js';

export interface LifecycleOptions {
  readonly asOf: string;
  readonly grain: PurchaseGrain;
  /** `customer_scores` when the value models ran (P(alive)), else null */
  readonly scoresTable: string | null;
  /** start of the holdout window the stages are validated on (YYYY-MM-DD), or null */
  readonly validationFrom: string | null;
  /** false for data without order values: stage spend and cohort revenue are null, not 0 */
  readonly orderValues?: boolean;
}

export interface LifecycleResult {
  readonly stages: LifecycleStages;
  /** each stage's repurchase rate and spend in the holdout window, stages as of its start */
  readonly stageValidation: LifecycleValidation | null;
  readonly transitions: StageTransitions;
  readonly cohorts: Cohorts;
  /** KPIs (docs/kpis.md) overall and per segment, value tier, cluster, stage and acquisition cohort (first-purchase month) */
  readonly kpis: {
    readonly overall: KpiRow;
    readonly bySegment: readonly KpiRow[];
    readonly byValueTier: readonly KpiRow[];
    readonly byCluster: readonly KpiRow[];
    readonly byStage: readonly KpiRow[];
    readonly byCohort: readonly KpiRow[];
    /** per acquisition channel, when customer profiles with a channel were loaded into `customers` (else empty) */
    readonly byAcquisitionChannel: readonly KpiRow[];
  };
}

/**
 * Lifecycle stages (validated on the holdout window when one is given),
 * monthly stage transitions, acquisition cohorts, and the KPIs per segment,
 * tier, cluster, stage and cohort (so it runs after `runSegments`).
 */
export async function runLifecycle(warehouse: Warehouse, options: LifecycleOptions): Promise<LifecycleResult> {
  const { asOf, grain, scoresTable } = options;
  const orderValues = options.orderValues !== false;
  const stages = await assignLifecycleStages(warehouse, { asOf, grain, scoresTable, orderValues });
  const stageValidation = options.validationFrom ? await validateLifecycleStages(warehouse, { asOf: addDays(options.validationFrom, -1), holdoutEnd: asOf, grain }) : null;
  const transitions = await computeStageTransitions(warehouse, { to: asOf, grain });
  const cohorts = await computeCohorts(warehouse, { asOf, orderValues });
  const d = warehouse.dialect;
  // the customers of the as-of date, as every derived table of the run (computeCohorts reads the same window)
  await warehouse.execute(
    `CREATE OR REPLACE TABLE customer_cohorts AS SELECT customer_id, substr(CAST(${d.monthOf('min(ts)')} AS VARCHAR), 1, 7) AS cohort FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(asOf, 1)}T00:00:00`)} GROUP BY customer_id`,
  );
  // seven groupings of one warehouse: whether its lines mix order values is asked once
  const mixedOrderValues = mixesOrderValues(await orderValueLines(warehouse));
  const byChannel = Number((await warehouse.query('SELECT count(acquisition_channel) AS n FROM customers'))[0]!.n) > 0;
  // the per-customer sums once for all groupings (computeKpisByGroups), not one scan of `transactions` per grouping
  const [overall, bySegment, byValueTier, byCluster, byStage, byCohort, byAcquisitionChannel] = await computeKpisByGroups(warehouse, { asOf, mixedOrderValues }, [
    null,
    { table: 'customer_rfm', column: 'segment' },
    { table: 'customer_value_tiers', column: 'value_tier' },
    { table: 'customer_clusters', column: 'cluster' },
    { table: 'customer_stages', column: 'stage' },
    { table: 'customer_cohorts', column: 'cohort' },
    ...(byChannel ? [{ table: 'customers', column: 'acquisition_channel' }] : []),
  ]);
  const kpis = {
    overall: overall![0]!,
    bySegment: bySegment!,
    byValueTier: byValueTier!,
    byCluster: byCluster!,
    byStage: byStage!,
    byCohort: byCohort!.sort((a, b) => a.group.localeCompare(b.group)),
    byAcquisitionChannel: byAcquisitionChannel ?? [],
  };
  return { stages, stageValidation, transitions, cohorts, kpis };
}
