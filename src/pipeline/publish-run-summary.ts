/**
 * Small-group suppression of an analysis run's published aggregates: what
 * run.json, report.html and the returned summary of `analyze` show. Every
 * per-group number — segment, tier, quadrant, cluster, stage, cohort, bin,
 * transition, KPI group — describes at least k customers (`--min-group-size`,
 * default 5) or is null, with a `suppression` field (or parallel array)
 * saying why; rules resting on fewer than k customers are left out. Totals
 * and headline numbers stay. One decision per group per run: a group its
 * table withholds shows no count in any other table of the run.
 * docs/privacy.md lists what is covered.
 */
import type { PatternSummary } from '../cross-sell/patterns-step.js';
import type { SegmentsSummary } from './segments-summary.js';
import type { ValueModelCard } from './value-step.js';
import type { LearnedCard } from './learned-step.js';
import { publishLearnedCard, type PublishedLearnedCard } from './publish-learned-card.js';
import type { RunPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import { SuppressionTally, type SuppressionSummary } from '../privacy/disclosure/suppress-rows.js';
import { publishModelCard, type PublishedValueModelCard } from './publish-model-card.js';
import { publishPatternSummary } from '../cross-sell/publish-pattern-summary.js';
import type { EventsSummary } from '../events/run-events.js';
import { publishEventsSummary, type PublishedEventsSummary } from '../events/publish-events-summary.js';
import { publishSegmentsSummary, runGroups, type PublishedSegmentsSummary } from './publish-segments-summary.js';
import type { LinearProgramSolver } from '../privacy/disclosure/hiding-set.js';

/** The parts of a run summary that suppression changes. */
export interface SuppressibleRun {
  readonly valueModel: ValueModelCard | null;
  readonly segments: SegmentsSummary | null;
  readonly patterns: PatternSummary | null;
  /** events and prospects (absent or null without events) */
  readonly events?: EventsSummary | null;
  /** churn early warning and the honest tournament (absent or null: not run) */
  readonly learned?: LearnedCard | null;
  readonly privacy: RunPrivacy;
}

/** A run summary as published: its aggregates suppressed, and `privacy.suppressed` saying what was withheld. */
export type PublishedRun<S extends SuppressibleRun> = Omit<S, keyof SuppressibleRun> & {
  readonly valueModel: PublishedValueModelCard | null;
  readonly segments: PublishedSegmentsSummary | null;
  readonly patterns: PatternSummary | null;
  readonly events: PublishedEventsSummary | null;
  readonly learned?: PublishedLearnedCard | null;
  readonly privacy: RunPrivacy & { readonly suppressed: SuppressionSummary };
};

/**
 * The published copy of a finished run: every per-group aggregate of the
 * value model card, the segments step and the cross-sell step suppressed at
 * k = `minGroupSize`, and `privacy.suppressed` counting what was withheld,
 * per table. Everything else (ingest, headline, warnings, outputs, model
 * parameters, timings) is passed through. The input is not changed.
 *
 * One decision per group per run: the events' funnels by stage, RFM segment,
 * cohort and acquisition channel (and the browse × purchase cross-table's
 * stage columns) withhold every group that its own table in `segments`
 * withholds (`runGroups`), and the prospects — a total — are shown in both.
 *
 * Example: `const published = publishRunSummary(summary, 5, await loadLinearProgramSolver())` — then
 * `published.segments.rfm.segments[i].customers` is null for a segment of
 * 3 customers, with `suppression: 'small-group'`.
 */
export function publishRunSummary<S extends SuppressibleRun>(summary: S, minGroupSize: number, solve: LinearProgramSolver): PublishedRun<S> {
  const tally = new SuppressionTally(minGroupSize);
  const valueModel = summary.valueModel ? publishModelCard(summary.valueModel, minGroupSize, tally) : null;
  const segments = summary.segments ? publishSegmentsSummary(summary.segments, minGroupSize, solve, tally) : null;
  const patterns = summary.patterns ? publishPatternSummary(summary.patterns, minGroupSize, tally) : null;
  const events = summary.events ? publishEventsSummary(summary.events, minGroupSize, tally, segments ? runGroups(segments) : {}, solve) : null;
  const learned = summary.learned ? publishLearnedCard(summary.learned, minGroupSize, tally) : summary.learned;
  return { ...summary, valueModel, segments, patterns, events, ...(learned !== undefined ? { learned } : {}), privacy: { ...summary.privacy, suppressed: tally.summary() } };
}
