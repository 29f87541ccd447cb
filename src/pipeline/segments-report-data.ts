import { LEGACY_SERIES_STATES, SERIES_STAGES } from '../lifecycle/lifecycle-series.js';
import type { LegacyPublishedLifecycleSeries, PublishedLifecycleSeries } from '../lifecycle/publish-stage-transitions.js';
import type { ReportData } from '../report/report-data.js';
import type { PublishedSegmentsSummary } from './publish-segments-summary.js';

/** The report's view of the segments step, from its published (suppressed) summary: suppressed counts and measures stay null, suppressed flows are left out. */
export function segmentsReportData(summary: PublishedSegmentsSummary): Pick<ReportData, 'segments' | 'clusters' | 'stages' | 'transitions' | 'lifecycleSeries' | 'cohorts'> {
  const lastStep = summary.transitions.steps.at(-1);
  const series = summary.transitions.series;
  return {
    segments: {
      method: summary.rfm.method,
      customers: summary.rfm.customers,
      value: summary.rfm.revenue,
      segments: summary.rfm.segments.map((s) => ({
        name: s.name,
        customers: s.customers,
        value: s.revenue,
        ...(summary.rfm.predictedValue !== null ? { predictedValue: s.predictedValue } : {}),
        description: s.description,
        action: s.action,
      })),
    },
    clusters: {
      method: summary.clusters.method,
      features: summary.clusters.features.map((f) => f.label ?? f.name),
      silhouette: summary.clusters.silhouette,
      customers: summary.clusters.customers,
      clusters: summary.clusters.clusters.map((c) => ({ name: c.name, customers: c.customers, means: c.means, zScores: c.zScores, value: c.value, description: c.description })),
    },
    stages: {
      asOf: summary.stages.asOf,
      customers: summary.stages.customers,
      stages: summary.stages.stages.map((s) => ({ name: s.stage, customers: s.customers, value: s.spend, description: s.description })),
    },
    transitions: lastStep
      ? {
          fromLabel: lastStep.fromLabel,
          toLabel: lastStep.toLabel,
          flows: lastStep.flows.flatMap((f) => (f.customers !== null && f.customers > 0 ? [{ from: f.from, to: f.to, customers: f.customers }] : [])),
          suppressedFlows: lastStep.flows.filter((f) => f.suppression !== null).map((f) => ({ from: f.from, to: f.to })),
        }
      : null,
    lifecycleSeries: reportLifecycleSeries(series),
    cohorts: {
      periodUnit: 'month',
      cohorts: summary.cohorts.cohorts.map((c) => ({ label: c.label, customers: c.customers, retention: c.retention })),
    },
  };
}

/**
 * The series for the chart: the stages at each period end; a run.json written before the series had a `measure`
 * holds the flow series (new, returning, reactivated, lapsed, dormant, churned), shown under those names (the chart's
 * caption, `lifecycleSeriesCaption`, says what they count).
 */
function reportLifecycleSeries(series: PublishedLifecycleSeries | LegacyPublishedLifecycleSeries): NonNullable<ReportData['lifecycleSeries']> {
  if ('measure' in series) return { periodLabels: series.periodLabels, stages: SERIES_STAGES.map((name) => ({ name, counts: series.counts[name] })) };
  return { periodLabels: series.periodLabels, stages: LEGACY_SERIES_STATES.map((name) => ({ name, counts: series[name] })) };
}
