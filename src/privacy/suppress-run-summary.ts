/**
 * Small-group suppression of an analysis run's published aggregates: what
 * run.json, report.html and the returned summary of `analyze` show. Every
 * per-group number — segment, tier, quadrant, cluster, stage, cohort, bin,
 * transition, KPI group — describes at least k customers (`--min-group-size`,
 * default 5) or is null, with a `suppression` field (or parallel array)
 * saying why; rules resting on fewer than k customers are left out. Totals
 * and headline numbers stay. docs/privacy.md lists what is covered.
 */
import type { PatternSummary } from '../pipeline/patterns-step.js';
import type { SegmentsSummary } from '../pipeline/segments-step.js';
import type { ValueModelCard } from '../pipeline/value-step.js';
import type { RunPrivacy } from './analysis-privacy.js';
import type { Suppression } from './suppress.js';
import { suppressClusters, type PublishedClustering } from './suppress-clusters.js';
import { suppressCohorts, type PublishedCohorts } from './suppress-cohorts.js';
import { suppressKpiRows, type PublishedKpiRow } from './suppress-kpis.js';
import { suppressLifecycleStages, suppressStageValidation, type PublishedLifecycleStages, type PublishedLifecycleValidation } from './suppress-lifecycle.js';
import { suppressModelCard, type PublishedValueModelCard } from './suppress-model-card.js';
import { suppressRfmSegmentation, type PublishedRfmSegmentation } from './suppress-rfm.js';
import { SuppressionTally, type SuppressionSummary } from './suppress-rows.js';
import { suppressPatternSummary } from './suppress-rules.js';
import { suppressStageTransitions, type PublishedStageTransitions } from './suppress-transitions.js';
import { suppressValueTiers, type PublishedValueTiers } from './suppress-value-tiers.js';

/** The segments step's summary as published. */
export interface PublishedSegmentsSummary {
  readonly rfm: PublishedRfmSegmentation;
  readonly valueTiers: PublishedValueTiers;
  readonly clusters: PublishedClustering;
  readonly stages: PublishedLifecycleStages;
  readonly stageValidation: PublishedLifecycleValidation | null;
  readonly transitions: PublishedStageTransitions;
  readonly cohorts: PublishedCohorts;
  readonly kpis: {
    /** everyone: not suppressed (a headline) */
    readonly overall: SegmentsSummary['kpis']['overall'];
    readonly bySegment: readonly PublishedKpiRow[];
    readonly byValueTier: readonly PublishedKpiRow[];
    readonly byCluster: readonly PublishedKpiRow[];
    readonly byStage: readonly PublishedKpiRow[];
    readonly byCohort: readonly PublishedKpiRow[];
    readonly byAcquisitionChannel: readonly PublishedKpiRow[];
  };
}

const decisions = <R extends { readonly suppression: Suppression }>(rows: readonly R[], key: (row: R) => string) => new Map(rows.map((r) => [key(r), r.suppression]));

/**
 * Suppress the segments step's summary (see the functions per table). The
 * KPI groups that are the same groups as a table above (segments, tiers,
 * clusters, stages, cohorts) are withheld wherever that table withholds them;
 * so are a month's new customers in the transitions (its cohort).
 */
export function suppressSegmentsSummary(summary: SegmentsSummary, minGroupSize: number, tally?: SuppressionTally): PublishedSegmentsSummary {
  const k = minGroupSize;
  const rfm = suppressRfmSegmentation(summary.rfm, k, tally);
  const valueTiers = suppressValueTiers(summary.valueTiers, k, tally);
  const clusters = suppressClusters(summary.clusters, k, tally);
  const stages = suppressLifecycleStages(summary.stages, k, tally);
  const cohorts = suppressCohorts(summary.cohorts, k, tally);
  const kpis = (rows: SegmentsSummary['kpis']['bySegment'], table: string, mirror?: ReadonlyMap<string, Suppression>) =>
    suppressKpiRows(rows, k, { table: `segments.kpis.${table}`, ...(mirror ? { mirror } : {}), ...(tally ? { tally } : {}) });
  return {
    rfm,
    valueTiers,
    clusters,
    stages,
    stageValidation: summary.stageValidation ? suppressStageValidation(summary.stageValidation, k, tally) : null,
    transitions: suppressStageTransitions(summary.transitions, k, tally, { cohorts: decisions(cohorts.cohorts, (c) => c.label) }),
    cohorts,
    kpis: {
      overall: summary.kpis.overall,
      bySegment: kpis(summary.kpis.bySegment, 'bySegment', decisions(rfm.segments, (s) => s.name)),
      byValueTier: kpis(summary.kpis.byValueTier, 'byValueTier', decisions(valueTiers.tiers, (t) => t.name)),
      byCluster: kpis(summary.kpis.byCluster, 'byCluster', decisions(clusters.clusters, (c) => String(c.cluster))),
      byStage: kpis(summary.kpis.byStage, 'byStage', decisions(stages.stages, (s) => s.stage)),
      byCohort: kpis(summary.kpis.byCohort, 'byCohort', decisions(cohorts.cohorts, (c) => c.label)),
      byAcquisitionChannel: kpis(summary.kpis.byAcquisitionChannel, 'byAcquisitionChannel'),
    },
  };
}

/** The parts of a run summary that suppression changes. */
export interface SuppressibleRun {
  readonly valueModel: ValueModelCard | null;
  readonly segments: SegmentsSummary | null;
  readonly patterns: PatternSummary | null;
  readonly privacy: RunPrivacy;
}

/** A run summary as published: its aggregates suppressed, and `privacy.suppressed` saying what was withheld. */
export type PublishedRun<S extends SuppressibleRun> = Omit<S, keyof SuppressibleRun> & {
  readonly valueModel: PublishedValueModelCard | null;
  readonly segments: PublishedSegmentsSummary | null;
  readonly patterns: PatternSummary | null;
  readonly privacy: RunPrivacy & { readonly suppressed: SuppressionSummary };
};

/**
 * The published copy of a finished run: every per-group aggregate of the
 * value model card, the segments step and the cross-sell step suppressed at
 * k = `minGroupSize`, and `privacy.suppressed` counting what was withheld,
 * per table. Everything else (ingest, headline, warnings, outputs, model
 * parameters, timings) is passed through. The input is not changed.
 *
 * Example: `const published = suppressRunSummary(summary, 5)` — then
 * `published.segments.rfm.segments[i].customers` is null for a segment of
 * 3 customers, with `suppression: 'small-group'`.
 */
export function suppressRunSummary<S extends SuppressibleRun>(summary: S, minGroupSize: number): PublishedRun<S> {
  const tally = new SuppressionTally(minGroupSize);
  const valueModel = summary.valueModel ? suppressModelCard(summary.valueModel, minGroupSize, tally) : null;
  const segments = summary.segments ? suppressSegmentsSummary(summary.segments, minGroupSize, tally) : null;
  const patterns = summary.patterns ? suppressPatternSummary(summary.patterns, minGroupSize, tally) : null;
  return { ...summary, valueModel, segments, patterns, privacy: { ...summary.privacy, suppressed: tally.summary() } };
}
