/**
 * Do the stages mean something? Stages as of `asOf` (from purchases up to
 * then only), compared with what each stage's customers did in the holdout
 * window (asOf, holdoutEnd]: the share who bought again (repurchase rate),
 * mean holdout spend per customer (value bought, returns not netted,
 * customers without a purchase count as 0) and mean holdout occasions.
 * Useful stages show a repurchase rate that falls from active to at_risk to
 * dormant to churned. P(alive) is not used here (the scores are as of the
 * analysis date, not of `asOf`).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { dayNumber, parseDay } from '../core/calendar-days.js';
import { ExactSum } from '../core/exact-sum.js';
import { type PurchaseGrain } from '../features/customer-summary.js';
import { classifyLifecycleStages } from './classify-lifecycle-stages.js';
import { LIFECYCLE_STAGES, resolveLifecycleThresholds, type LifecycleStage, type LifecycleThresholds } from './lifecycle-stage-rules.js';
import { loadPurchaseHistories, occasionsUpTo } from './purchase-histories.js';

export interface LifecycleValidationOptions {
  readonly asOf: string;
  /** last day of the holdout, inclusive */
  readonly holdoutEnd: string;
  readonly grain?: PurchaseGrain;
  readonly thresholds?: Partial<LifecycleThresholds>;
  readonly includeProspects?: boolean;
  readonly transactionsTable?: string;
}

export interface StageValidation {
  readonly stage: LifecycleStage;
  readonly customers: number;
  /** customers with at least one purchase in the holdout */
  readonly repurchasers: number;
  /** repurchasers / customers (NaN for an empty stage) */
  readonly repurchaseRate: number;
  readonly meanHoldoutSpend: number;
  readonly meanHoldoutOccasions: number;
}

export interface LifecycleValidation {
  readonly asOf: string;
  readonly holdoutEnd: string;
  readonly holdoutDays: number;
  readonly thresholds: LifecycleThresholds;
  readonly populationGapDays: number;
  readonly stages: readonly StageValidation[];
  /** the stages whose repurchase rates should fall, in order */
  readonly declineOrder: readonly LifecycleStage[];
  /** true when the repurchase rate strictly falls along declineOrder (empty stages skipped) */
  readonly monotone: boolean;
}

export const DECLINE_ORDER: readonly LifecycleStage[] = ['active', 'at_risk', 'dormant', 'churned'];

export async function validateLifecycleStages(warehouse: Warehouse, options: LifecycleValidationOptions): Promise<LifecycleValidation> {
  const asOf = parseDay(options.asOf, '--as-of');
  const holdoutEnd = parseDay(options.holdoutEnd, '--holdout-end');
  if (holdoutEnd <= asOf) throw new UserError(`the holdout end ${holdoutEnd} is not after ${asOf}`, 'the holdout window starts the day after the as-of date');
  const thresholds = resolveLifecycleThresholds(options.thresholds);
  const histories = await loadPurchaseHistories(warehouse, {
    end: holdoutEnd,
    ...(options.grain ? { grain: options.grain } : {}),
    ...(options.includeProspects !== undefined ? { includeProspects: options.includeProspects } : {}),
    ...(options.transactionsTable ? { transactionsTable: options.transactionsTable } : {}),
  });
  const t = dayNumber(asOf);
  const snapshot = classifyLifecycleStages(histories, t, thresholds);
  const k = LIFECYCLE_STAGES.length;
  const customers = new Float64Array(k);
  const repurchasers = new Float64Array(k);
  // an exact sum: customers come in the order of their tokens (the key's), and a running sum's last digits follow it
  const spend = LIFECYCLE_STAGES.map(() => new ExactSum());
  const occasions = new Float64Array(k);
  for (let i = 0; i < histories.customerIds.length; i++) {
    const code = snapshot.stage[i]!;
    if (code < 0) continue;
    customers[code]!++;
    const before = occasionsUpTo(histories, i, t);
    const s = histories.start[i]!;
    const e = histories.start[i + 1]!;
    if (e - s > before) repurchasers[code]!++;
    occasions[code]! += e - s - before;
    for (let j = s + before; j < e; j++) spend[code]!.add(histories.spend[j]!);
  }
  const stages: StageValidation[] = LIFECYCLE_STAGES.map((stage, code) => ({
    stage,
    customers: customers[code]!,
    repurchasers: repurchasers[code]!,
    repurchaseRate: customers[code]! > 0 ? repurchasers[code]! / customers[code]! : NaN,
    meanHoldoutSpend: customers[code]! > 0 ? spend[code]!.value() / customers[code]! : NaN,
    meanHoldoutOccasions: customers[code]! > 0 ? occasions[code]! / customers[code]! : NaN,
  }));
  const rates = DECLINE_ORDER.map((s) => stages.find((x) => x.stage === s)!).filter((x) => x.customers > 0).map((x) => x.repurchaseRate);
  const monotone = rates.every((r, j) => j === 0 || r < rates[j - 1]!);
  return {
    asOf,
    holdoutEnd,
    holdoutDays: dayNumber(holdoutEnd) - t,
    thresholds,
    populationGapDays: snapshot.populationGapDays,
    stages,
    declineOrder: DECLINE_ORDER,
    monotone,
  };
}
