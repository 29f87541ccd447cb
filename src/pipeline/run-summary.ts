import type { PatternSummary } from '../cross-sell/patterns-step.js';
import type { RunPrivacy } from '../privacy/analysis-privacy.js';
import type { PublishedValueModelCard } from '../privacy/suppress-model-card.js';
import type { PublishedSegmentsSummary } from '../privacy/suppress-run-summary.js';
import type { ReportRun } from '../report/report-data.js';

/**
 * What an analysis run produced; run.json holds exactly this, and the report
 * is built from it. Its aggregates are published: groups of fewer than
 * `privacy.minGroupSize` customers are suppressed (`suppressRunSummary`).
 */
export interface RunSummary extends ReportRun {
  /** the value models: tournament, diagnostics (small bins suppressed), final fits (absent with skipModels) */
  readonly valueModel: PublishedValueModelCard | null;
  /** RFM segments, value tiers, clusters, lifecycle stages with their holdout validation, transitions, cohorts, KPIs (small groups suppressed) */
  readonly segments: PublishedSegmentsSummary | null;
  /** association rules, next-purchase rules (those of fewer than k customers left out), recommender evaluation (absent without product data) */
  readonly patterns: PatternSummary | null;
  /** things a person must know about this run (skipped steps, fits that did not converge) */
  readonly warnings: readonly string[];
  readonly outputs: { readonly customersCsv: string; readonly runJson: string; readonly recommendationsCsv: string | null; readonly reportHtml: string | null };
  /** key, role, how ids and PII appear in the outputs (src/privacy/analysis-privacy.ts), k and what was suppressed */
  readonly privacy: RunPrivacy;
}
