import type { LifecycleStages, LifecycleStageSummary } from './assign-lifecycle-stages.js';
import type { LifecycleValidation, StageValidation } from './validate-lifecycle-stages.js';
import { suppressLinkedCells, type Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import { isSmallPart, suppressRows, type PublishedRow, type SuppressionTally, type Withheld } from '../privacy/disclosure/suppress-rows.js';

export const STAGE_MEASURES = ['share', 'spend', 'predictedValue', 'medianDaysSinceLast'] as const;
export const STAGE_VALIDATION_MEASURES = ['repurchasers', 'repurchaseRate', 'meanHoldoutSpend', 'meanHoldoutOccasions'] as const;

export type PublishedStage = PublishedRow<LifecycleStageSummary, 'customers' | (typeof STAGE_MEASURES)[number]>;
export type PublishedLifecycleStages = Omit<LifecycleStages, 'stages'> & { readonly stages: readonly PublishedStage[] };

/** A stage's holdout line as published; `withheld` names the numbers of a shown stage withheld because they describe fewer than k customers. */
export type PublishedStageValidation = Withheld<StageValidation, 'customers' | (typeof STAGE_VALIDATION_MEASURES)[number]> & {
  readonly suppression: Suppression;
  readonly withheld: readonly string[];
};
export type PublishedLifecycleValidation = Omit<LifecycleValidation, 'stages'> & { readonly stages: readonly PublishedStageValidation[] };

export interface PublishStagesOptions {
  readonly tally?: SuppressionTally;
  /** the run.json path the tally counts under */
  readonly table?: string;
  /** stages withheld already, whatever their size (the last snapshot's decisions, the same counts; the run's other tables') */
  readonly preset?: ReadonlyMap<string, Suppression>;
  /**
   * the prospects' count is published as a total (a run: `events.prospects`, and all customers less those acquired):
   * the prospect stage is shown whatever its size and is never a partner — withholding it would hide nothing
   */
  readonly prospectsKnown?: boolean;
}

/**
 * Suppress the lifecycle stages as of a date: a stage of fewer than k
 * customers shows no size, share, spend, predicted value or median days.
 * Complementary over two published totals: all stages add up to `customers`
 * (prospects included), the buyers' stages to the customers acquired (the
 * RFM table's and the KPIs' customers), so a small buyers' stage whose only
 * partner is the prospects takes a buyers' stage too; with `prospectsKnown`
 * the prospects are no partner at all (they are those two totals' difference).
 */
export function publishLifecycleStages(stages: LifecycleStages, minGroupSize: number, options: PublishStagesOptions = {}): PublishedLifecycleStages {
  const rows = stages.stages;
  const known = prospectsKnownMask(rows, options.prospectsKnown);
  const marks = stageMarks(rows, minGroupSize, options.preset, known);
  const tally = options.tally ? { tally: { tally: options.tally, table: options.table ?? 'segments.stages.stages' } } : {};
  return { ...stages, stages: suppressRows(rows, { count: 'customers', measures: STAGE_MEASURES, minGroupSize, preset: marks, known, ...tally }) };
}

/**
 * The decisions `publishLifecycleStages` takes on the stages (by stage), without publishing the table: what another
 * table showing the same counts must withhold at least (the last stage snapshot's, publish-segments-summary.ts).
 */
export function lifecycleStageDecisions(stages: LifecycleStages, minGroupSize: number, options: Pick<PublishStagesOptions, 'preset' | 'prospectsKnown'> = {}): Map<string, Suppression> {
  const rows = stages.stages;
  const marks = stageMarks(rows, minGroupSize, options.preset, prospectsKnownMask(rows, options.prospectsKnown));
  return new Map(rows.map((row, i) => [row.stage, marks[i]!]));
}

const prospectsKnownMask = (rows: readonly { readonly stage: string }[], prospectsKnown: boolean | undefined) => rows.map((row) => prospectsKnown === true && row.stage === 'prospect');

/** A table of stages, complementary over its two published totals: all stages, and the buyers' stages (prospects left out). */
function stageMarks(rows: readonly { readonly stage: string; readonly customers: number }[], minGroupSize: number, preset?: ReadonlyMap<string, Suppression>, known?: readonly boolean[]): Suppression[] {
  const buyers = rows.flatMap((row, i) => (row.stage === 'prospect' ? [] : [i]));
  return suppressLinkedCells(
    rows.map((row) => row.customers),
    { minGroupSize, preset: rows.map((row) => preset?.get(row.stage) ?? null), partitions: [rows.map((_, i) => i), buyers], ...(known ? { known } : {}) },
  );
}

/**
 * Suppress the holdout validation of the stages: a stage of fewer than k
 * customers shows nothing, complementary over all stages and over the buyers'
 * stages (their total is the value model's `calibrationCustomers`, the
 * customers with a purchase by the validation's as-of date). In a shown stage,
 * the repurchasers are a group of their own: when fewer than k bought again,
 * their count, rate and the stage's mean holdout spend and occasions (all
 * theirs) are withheld; when fewer than k did not, count and rate are.
 * `monotone` is kept: it was computed from every stage.
 */
export function publishStageValidation(validation: LifecycleValidation, minGroupSize: number, tally?: SuppressionTally, table = 'segments.stageValidation.stages'): PublishedLifecycleValidation {
  const marks = stageMarks(validation.stages, minGroupSize);
  const rows = suppressRows(validation.stages, { count: 'customers', measures: STAGE_VALIDATION_MEASURES, minGroupSize, preset: marks, ...(tally ? { tally: { tally, table } } : {}) });
  let values = 0;
  const stages = rows.map((row): PublishedStageValidation => {
    if (row.suppression !== null || !isSmallPart(row.repurchasers, row.customers, minGroupSize)) return { ...row, withheld: [] };
    const fewBought = belowK(row.repurchasers!, minGroupSize);
    const withheld = fewBought ? [...STAGE_VALIDATION_MEASURES] : ['repurchasers', 'repurchaseRate'];
    values += withheld.length;
    return { ...row, ...Object.fromEntries(withheld.map((field) => [field, null])), withheld };
  });
  tally?.values(table, values);
  return { ...validation, stages };
}
