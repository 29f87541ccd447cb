/**
 * The segments step of `analyze`: RFM segments, value tiers, behaviour
 * clusters, lifecycle stages (validated on the holdout window), stage
 * transitions and cohorts. Each writes a per-customer table; this returns the
 * summaries for run.json and the report.
 */
import { addDays } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { computeCohorts, type Cohorts } from '../features/cohorts.js';
import { computeKpis, type KpiRow } from '../features/kpis.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { assignLifecycleStages, type LifecycleStages } from '../lifecycle/assign-lifecycle-stages.js';
import { computeStageTransitions, type StageTransitions } from '../lifecycle/compute-stage-transitions.js';
import { validateLifecycleStages, type LifecycleValidation } from '../lifecycle/validate-lifecycle-stages.js';
import { assignRfmSegments, type RfmSegmentation } from '../segments/assign-rfm-segments.js';
import { assignValueTiers, type ValueTiers } from '../segments/assign-value-tiers.js';
import { clusterCustomers, type CustomerClustering } from '../segments/cluster-customers.js';

export interface SegmentsOptions {
  readonly asOf: string;
  readonly grain: PurchaseGrain;
  /** `customer_scores` when the value models ran (P(alive), predicted CLV), else null */
  readonly scoresTable: string | null;
  /** start of the holdout window the stages are validated on (YYYY-MM-DD), or null */
  readonly validationFrom: string | null;
  /** number of clusters, or 'auto' (silhouette over 2..10) */
  readonly clusters?: number | 'auto';
  readonly seed?: number;
}

export interface SegmentsSummary {
  readonly rfm: RfmSegmentation;
  readonly valueTiers: ValueTiers;
  readonly clusters: CustomerClustering;
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

/** Per-customer columns these tables add to customers.csv, and the joins that bring them. */
export const SEGMENT_COLUMNS_SQL =
  ', r.rfm_score, r.segment, v.value_tier, v.value_quadrant, k.cluster, g.stage';
export const SEGMENT_JOINS_SQL =
  ' LEFT JOIN customer_rfm r ON r.customer_id = s.customer_id LEFT JOIN customer_value_tiers v ON v.customer_id = s.customer_id' +
  ' LEFT JOIN customer_clusters k ON k.customer_id = s.customer_id LEFT JOIN customer_stages g ON g.customer_id = s.customer_id';

export async function runSegmentsStep(warehouse: Warehouse, options: SegmentsOptions): Promise<SegmentsSummary> {
  const { asOf, grain, scoresTable } = options;
  const rfm = await assignRfmSegments(warehouse, { asOf, grain, scoresTable });
  const valueTiers = await assignValueTiers(warehouse, { asOf, grain, scoresTable, basis: scoresTable ? 'predicted' : 'historic' });
  const clusters = await clusterCustomers(warehouse, { asOf, grain, scoresTable, seed: options.seed ?? 7, k: options.clusters ?? 'auto' });
  const stages = await assignLifecycleStages(warehouse, { asOf, grain, scoresTable });
  const stageValidation = options.validationFrom ? await validateLifecycleStages(warehouse, { asOf: addDays(options.validationFrom, -1), holdoutEnd: asOf, grain }) : null;
  const transitions = await computeStageTransitions(warehouse, { to: asOf, grain });
  const cohorts = await computeCohorts(warehouse, { asOf });
  const d = warehouse.dialect;
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_cohorts AS SELECT customer_id, substr(CAST(${d.monthOf('min(ts)')} AS VARCHAR), 1, 7) AS cohort FROM transactions WHERE NOT is_return GROUP BY customer_id`);
  const by = (table: string, column: string) => computeKpis(warehouse, { asOf, groupBy: { table, column } });
  const kpis = {
    overall: (await computeKpis(warehouse, { asOf }))[0]!,
    bySegment: await by('customer_rfm', 'segment'),
    byValueTier: await by('customer_value_tiers', 'value_tier'),
    byCluster: await by('customer_clusters', 'cluster'),
    byStage: await by('customer_stages', 'stage'),
    byCohort: (await by('customer_cohorts', 'cohort')).sort((a, b) => a.group.localeCompare(b.group)),
    byAcquisitionChannel: Number((await warehouse.query('SELECT count(acquisition_channel) AS n FROM customers'))[0]!.n) > 0 ? await by('customers', 'acquisition_channel') : [],
  };
  return { rfm, valueTiers, clusters, stages, stageValidation, transitions, cohorts, kpis };
}
