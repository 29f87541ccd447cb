import type { RunPrivacy } from '../privacy/warehouse/analysis-privacy.js';
import type { ReportedRun } from './report-step.js';

/**
 * What an analysis run produced; run.json holds exactly this, and the report
 * is built from it. Its aggregates are published: groups of fewer than
 * `privacy.minGroupSize` customers are suppressed (`publishRunSummary`).
 */
export interface RunSummary extends ReportedRun {
  /** things a person must know about this run (skipped steps, fits that did not converge) */
  readonly warnings: readonly string[];
  readonly outputs: { readonly customersCsv: string; readonly runJson: string; readonly recommendationsCsv: string | null; readonly reportHtml: string | null };
  /** key, role, how ids and PII appear in the outputs (src/privacy/warehouse/analysis-privacy.ts), k and what was suppressed */
  readonly privacy: RunPrivacy;
}
