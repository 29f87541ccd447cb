import { crossSellStage } from './stages/cross-sell-stage.js';
import type { AnalysisContext } from './analysis-context.js';
import type { AnalyzeOptions } from './analyze-options.js';
import type { Stage } from './stage.js';
import { eventsStage } from './stages/events-stage.js';
import { ingestStage } from './stages/ingest-stage.js';
import { lifecycleStage } from './stages/lifecycle-stage.js';
import { publishStage } from './stages/publish-stage.js';
import { reportStage } from './stages/report-stage.js';
import { segmentsStage } from './stages/segments-stage.js';
import { summaryStage } from './stages/summary-stage.js';
import { valueStage } from './stages/value-stage.js';
import { learnedStage } from './stages/learned-stage.js';

/** The stages of `analyze`, in run order. */
export const ANALYSIS_STAGES: readonly Stage<AnalysisContext>[] = [ingestStage, summaryStage, valueStage, learnedStage, segmentsStage, lifecycleStage, eventsStage, crossSellStage, publishStage, reportStage];

/**
 * The names of the stages a run with these options will go through (for a
 * progress bar); the value stage may still be skipped when the data is too small.
 */
export function plannedStageNames(options: Pick<AnalyzeOptions, 'skipModels' | 'skipChurn' | 'learnedTournament' | 'skipSegments' | 'skipPatterns' | 'skipReport'> & { readonly hasInput: boolean }): string[] {
  const off = new Set([
    ...(options.hasInput ? [] : ['ingest']),
    ...(options.skipModels ? ['value', 'learned'] : []),
    // without the churn early warning the learned stage runs for the honest tournament alone: asked for, or by the regularity check (not known yet)
    ...(options.skipChurn && !options.learnedTournament ? ['learned'] : []),
    ...(options.skipSegments ? ['segments', 'lifecycle'] : []),
    ...(options.skipPatterns ? ['cross-sell'] : []),
    ...(options.skipReport ? ['report'] : []),
  ]);
  return ANALYSIS_STAGES.map((s) => s.name).filter((name) => !off.has(name));
}
