/**
 * The segments step's summary as published: each table through its own
 * publication rule (segments/, lifecycle/, features/), the KPI groups kept in
 * step with the tables that show the same groups.
 */
import type { Suppression } from '../privacy/disclosure/suppress-linked-cells.js';
import type { SuppressionTally } from '../privacy/disclosure/suppress-rows.js';
import { publishCohorts, type PublishedCohorts } from '../features/publish-cohorts.js';
import { publishKpis, type PublishedKpiRow } from '../features/publish-kpis.js';
import { lifecycleStageDecisions, publishLifecycleStages, publishStageValidation, type PublishedLifecycleStages, type PublishedLifecycleValidation } from '../lifecycle/publish-lifecycle-stages.js';
import { publishStageTransitions, type PublishedStageTransitions } from '../lifecycle/publish-stage-transitions.js';
import { publishClusters, type PublishedClustering } from '../segments/publish-clusters.js';
import { publishRfmSegments, type PublishedRfmSegmentation } from '../segments/publish-rfm-segments.js';
import { publishValueTiers, type PublishedValueTiers } from '../segments/publish-value-tiers.js';
import type { SegmentsSummary } from './segments-summary.js';
import type { RunGroups } from '../events/publish-events-summary.js';
import { groupKey } from '../privacy/disclosure/group-key.js';
import type { LinearProgramSolver } from '../privacy/disclosure/hiding-set.js';

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
 * so are a month's new customers in the transitions (its cohort). The stages
 * now and the last stage snapshot, the same counts, share their decisions.
 * The prospects are a published total (all customers less those acquired,
 * and the events' or profiles' prospects): shown in both, never a partner.
 */
export function publishSegmentsSummary(summary: SegmentsSummary, minGroupSize: number, solve: LinearProgramSolver, tally?: SuppressionTally): PublishedSegmentsSummary {
  const k = minGroupSize;
  const rfm = publishRfmSegments(summary.rfm, k, tally);
  const valueTiers = publishValueTiers(summary.valueTiers, k, tally);
  const clusters = publishClusters(summary.clusters, k, tally);
  const cohorts = publishCohorts(summary.cohorts, k, tally);
  // the stages now and the last snapshot of the transitions count the same customers when taken the same day: one decision
  const last = summary.transitions.snapshots.at(-1);
  const sameCounts = last !== undefined && last.day === summary.stages.asOf && summary.stages.stages.every((s) => last.counts[s.stage] === s.customers);
  const transitions = publishStageTransitions(summary.transitions, k, tally, {
    solve,
    cohorts: decisions(cohorts.cohorts, (c) => c.label),
    // the stages' decisions only: the table itself is published once, below, with the last snapshot's
    ...(sameCounts ? { lastSnapshot: lifecycleStageDecisions(summary.stages, k, { prospectsKnown: true }), prospectsKnown: true } : {}),
  });
  const lastMarks = sameCounts ? new Map(Object.entries(transitions.snapshots.at(-1)!.suppression)) : undefined;
  const stages = publishLifecycleStages(summary.stages, k, { prospectsKnown: true, ...(lastMarks ? { preset: lastMarks } : {}), ...(tally ? { tally } : {}) });
  const kpis = (rows: SegmentsSummary['kpis']['bySegment'], table: string, mirror?: ReadonlyMap<string, Suppression>) =>
    publishKpis(rows, k, { table: `segments.kpis.${table}`, ...(mirror ? { mirror } : {}), ...(tally ? { tally } : {}) });
  return {
    rfm,
    valueTiers,
    clusters,
    stages,
    stageValidation: summary.stageValidation ? publishStageValidation(summary.stageValidation, k, tally) : null,
    transitions,
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

/**
 * The run's decisions on the groups whose customers a table here counts whole, by the funnel breakdown that shows the
 * same groups: the stages now, the RFM segments, the cohorts, the KPIs' acquisition channels (their customers
 * acquired), keyed by `groupKey`. The events summary withholds what they withhold (`publishEventsSummary`).
 */
export function runGroups(published: PublishedSegmentsSummary): RunGroups {
  return {
    byStage: byKey(published.stages.stages.map((s) => [s.stage, s.customers])),
    bySegment: byKey(published.rfm.segments.map((s) => [s.name, s.customers])),
    byCohort: byKey(published.cohorts.cohorts.map((c) => [c.label, c.customers])),
    byChannel: byKey(published.kpis.byAcquisitionChannel.map((c) => [c.group, c.customers])),
  };
}

/**
 * Groups' published counts by `groupKey`. Two labels of one key (acquisition channels are grouped as written: `Email`
 * and `email` are two groups) are one entry, withheld (null): which of them a funnel row is cannot be told, and keeping
 * either count lost the other's decision — `Email` withheld in the KPIs was shown in the funnel as `email`'s 40 stood for
 * the key (the review of session 36).
 */
function byKey(entries: readonly (readonly [string, number | null])[]): Map<string, number | null> {
  const map = new Map<string, number | null>();
  for (const [label, customers] of entries) {
    const key = groupKey(label);
    map.set(key, map.has(key) ? null : customers);
  }
  return map;
}
