import { join } from 'node:path';
import { addDays, daysBetween } from '../../core/calendar-days.js';
import { runWords } from '../../core/run-words.js';
import { defaultValueHoldoutDays } from '../value-holdout.js';
import { exportIdentity, requireResult, type AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';
import { auditedRunFile } from '../audited-run-file.js';
import { runPatternsStep } from '../../cross-sell/patterns-step.js';
import { EXPORT_IDENTITY_TABLE } from '../../privacy/access/customer-export.js';
import { crossSellRuleCounts } from './stage-details.js';

/** The recommender's test period when no value model set one: the value models' default holdout (the last third of the data, 28–365 days). */
export function defaultEvaluationCutoff(asOf: string, firstPurchase: string | null): string {
  const spanDays = firstPurchase ? daysBetween(firstPurchase, asOf) : 90;
  return addDays(asOf, -defaultValueHoldoutDays(spanDays) + 1);
}

/** The original ids by token the run's export revealed (`exportIdentity`'s table). */
async function revealedIds(context: AnalysisContext): Promise<Map<string, string>> {
  const rows = await context.warehouse.query(`SELECT customer_id, original_id FROM ${EXPORT_IDENTITY_TABLE} WHERE original_id IS NOT NULL`);
  return new Map(rows.map((r) => [String(r.customer_id), String(r.original_id)]));
}

/**
 * Cross-sell: association and next-purchase rules, the recommender evaluated
 * on a time split (the value models' holdout when they ran), and
 * recommendations.csv. Skipped with a warning when the data has no products.
 */
export const crossSellStage: Stage<AnalysisContext> = {
  name: 'cross-sell',
  reads: ['transactions'],
  writes: [],
  skip: (context) => context.options.skipPatterns === true,
  async run(context) {
    const { warehouse, privacy } = context;
    // what customer-level files may show is settled (and every envelope they need decrypted) before the first is written
    const identity = await exportIdentity(context);
    const [products] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE product_id IS NOT NULL`);
    if (Number(products!.n) === 0) {
      context.warnings.push(`cross-sell skipped: the data has no product column (${runWords(context.options.api).supplyColumn('product_id', 'one')})`);
      return 'skipped';
    }
    // revealed ids (admin --reveal-ids): recommendations.csv shows them too and lists its customers by them
    const originalIds = identity.columns.includes('original_id') ? await revealedIds(context) : undefined;
    const valueModel = context.results.valueModel;
    const asOf = requireResult(context, 'asOf');
    const p = await runPatternsStep(warehouse, {
      ...context.options.patterns,
      until: addDays(asOf, 1), // as of a date: the orders after it are not read, as in the summary
      evaluationCutoff: valueModel ? addDays(valueModel.calibrationEnd, 1) : defaultEvaluationCutoff(asOf, requireResult(context, 'headline').firstPurchase),
      recommendationsCsv: join(context.outDir, 'recommendations.csv'),
      ...(originalIds ? { originalIds } : {}),
    });
    context.results.patterns = p;
    if (p.recommendations.csv) await privacy.recordRecommendations(warehouse, { csv: auditedRunFile(context, p.recommendations.csv), customers: p.recommendations.customers, lines: p.recommendations.lines, originalIds: originalIds ? p.recommendations.customers : 0 });
    return `${crossSellRuleCounts(p.rules.length, p.lowLiftRules, p.minLift, p.sequenceRules.length)}${p.recommender ? `, recommendations from ${p.recommender.choice.label}: MAP@${p.recommender.k} ${p.recommender.model.mapAtK.toFixed(3)} vs best-sellers ${p.recommender.baseline.mapAtK.toFixed(3)}` : p.evaluationNote ? `; ${p.evaluationNote}` : ''}`;
  },
};
