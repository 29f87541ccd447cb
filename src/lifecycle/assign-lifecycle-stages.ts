/**
 * Lifecycle stages as of a date (rules in `lifecycle-stage-rules.ts`):
 * purchase occasions from SQL, the stage logic in TypeScript on typed
 * arrays, one row per customer in a table (default `customer_stages`) and
 * the stage summary.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { dayNumber, parseDay } from '../core/calendar-days.js';
import { ExactSum } from '../core/exact-sum.js';
import { type PurchaseGrain } from '../features/customer-summary.js';
import { checkTableName } from '../features/table-name.js';
import { resolveScoresTable } from '../segments/resolve-scores-table.js';
import { classifyLifecycleStages } from './classify-lifecycle-stages.js';
import { describeLifecycleStages, LIFECYCLE_STAGES, resolveLifecycleThresholds, type LifecycleStage, type LifecycleThresholds } from './lifecycle-stage-rules.js';
import { loadPurchaseHistories, occasionsUpTo } from './purchase-histories.js';

export interface LifecycleStagesOptions {
  readonly asOf: string;
  readonly grain?: PurchaseGrain;
  readonly thresholds?: Partial<LifecycleThresholds>;
  /**
   * table with `p_alive` (and `predicted_clv_12m`) per customer **as of the same date**; default
   * `customer_scores` when it exists; null: stages from purchase history only
   */
  readonly scoresTable?: string | null;
  /** false for data without order values: each stage's spend and predicted value are null (absent), not 0 */
  readonly orderValues?: boolean;
  /** add prospects from the `customers` table (default true) */
  readonly includeProspects?: boolean;
  /** table written (default `customer_stages`) */
  readonly table?: string;
  readonly transactionsTable?: string;
}

export interface LifecycleStageSummary {
  readonly stage: LifecycleStage;
  readonly description: string;
  readonly customers: number;
  readonly share: number;
  /** value bought up to the as-of date (returns not netted); null without order values */
  readonly spend: number | null;
  /** predicted 12-month value, null without scores or without order values */
  readonly predictedValue: number | null;
  /** median days since the last purchase (NaN for prospects / empty stages) */
  readonly medianDaysSinceLast: number;
}

export interface LifecycleStages {
  readonly asOf: string;
  readonly table: string;
  readonly thresholds: LifecycleThresholds;
  /** g₀ used for one-time buyers and the shrinkage */
  readonly populationGapDays: number;
  readonly usedProbabilityAlive: boolean;
  readonly customers: number;
  /** every stage in lifecycle order, empty ones included */
  readonly stages: readonly LifecycleStageSummary[];
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Example: `await assignLifecycleStages(warehouse, { asOf: '2011-12-09' })` writes
 * `customer_stages(customer_id, stage, days_since_last, expected_gap_days, cadence_ratio, p_alive)`.
 */
export async function assignLifecycleStages(warehouse: Warehouse, options: LifecycleStagesOptions): Promise<LifecycleStages> {
  const asOf = parseDay(options.asOf, '--as-of');
  const thresholds = resolveLifecycleThresholds(options.thresholds);
  const table = checkTableName(options.table ?? 'customer_stages', 'stage table');
  const scores = await resolveScoresTable(warehouse, options.scoresTable);
  const histories = await loadPurchaseHistories(warehouse, {
    end: asOf,
    ...(options.grain ? { grain: options.grain } : {}),
    ...(options.includeProspects !== undefined ? { includeProspects: options.includeProspects } : {}),
    ...(options.transactionsTable ? { transactionsTable: options.transactionsTable } : {}),
  });
  const n = histories.customerIds.length;
  const pAlive = new Float64Array(n).fill(NaN);
  const predicted = new Float64Array(n).fill(NaN);
  if (scores) {
    const index = new Map(histories.customerIds.map((id, i) => [id, i]));
    const rows = await warehouse.queryColumns(`SELECT customer_id, p_alive, predicted_clv_12m FROM ${scores}`);
    const ids = rows.columns.customer_id as readonly string[];
    const p = rows.columns.p_alive as Float64Array;
    const v = rows.columns.predicted_clv_12m as Float64Array;
    for (let r = 0; r < rows.rowCount; r++) {
      const i = index.get(ids[r]!);
      if (i !== undefined) {
        pAlive[i] = p[r]!;
        predicted[i] = v[r]!;
      }
    }
  }
  const t = dayNumber(asOf);
  const snapshot = classifyLifecycleStages(histories, t, thresholds, scores ? pAlive : undefined);

  const money = options.orderValues !== false;
  const k = LIFECYCLE_STAGES.length;
  const counts = new Float64Array(k);
  // exact sums: customers come in the order of their tokens (the key's), and a running sum's last digits follow it
  const spend = LIFECYCLE_STAGES.map(() => new ExactSum());
  const value = LIFECYCLE_STAGES.map(() => new ExactSum());
  const since: number[][] = LIFECYCLE_STAGES.map(() => []);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const code = snapshot.stage[i]!;
    if (code < 0) continue;
    keep.push(i);
    counts[code]!++;
    const s = histories.start[i]!;
    const m = occasionsUpTo(histories, i, t);
    for (let j = s; j < s + m; j++) spend[code]!.add(histories.spend[j]!);
    if (Number.isFinite(predicted[i]!)) value[code]!.add(predicted[i]!);
    if (m > 0) since[code]!.push(snapshot.daysSinceLast[i]!);
  }
  await warehouse.execute(`CREATE OR REPLACE TABLE ${table} (customer_id VARCHAR, stage VARCHAR, days_since_last DOUBLE, expected_gap_days DOUBLE, cadence_ratio DOUBLE, p_alive DOUBLE)`);
  await warehouse.append(table, {
    customer_id: keep.map((i) => histories.customerIds[i]!),
    stage: keep.map((i) => LIFECYCLE_STAGES[snapshot.stage[i]!]!),
    days_since_last: Float64Array.from(keep, (i) => snapshot.daysSinceLast[i]!),
    expected_gap_days: Float64Array.from(keep, (i) => snapshot.expectedGapDays[i]!),
    cadence_ratio: Float64Array.from(keep, (i) => snapshot.daysSinceLast[i]! / snapshot.expectedGapDays[i]!),
    p_alive: Float64Array.from(keep, (i) => pAlive[i]!),
  });
  const descriptions = describeLifecycleStages(thresholds, snapshot.populationGapDays);
  const total = keep.length;
  return {
    asOf,
    table,
    thresholds,
    populationGapDays: snapshot.populationGapDays,
    usedProbabilityAlive: scores !== null,
    customers: total,
    stages: LIFECYCLE_STAGES.map((stage, code) => ({
      stage,
      description: descriptions[stage],
      customers: counts[code]!,
      share: total === 0 ? 0 : counts[code]! / total,
      spend: money ? spend[code]!.value() : null,
      predictedValue: scores && money ? value[code]!.value() : null,
      medianDaysSinceLast: median(since[code]!),
    })),
  };
}
