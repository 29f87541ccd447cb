import { addDays } from '../../core/calendar-days.js';
import { DEFAULT_LIFECYCLE_THRESHOLDS } from '../../lifecycle/lifecycle-stage-rules.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { runLifecycle } from '../run-lifecycle.js';
import type { Stage } from '../stage.js';

/** P(alive) at or above this is "alive by the value model" for churnedButAliveWarning. */
export const ALIVE_BY_MODEL = 0.9;

/**
 * A warning when many customers staged churned are alive by the value model (P(alive) ≥ ALIVE_BY_MODEL): slow buyers
 * whose usual gap exceeds the stage rules' `churnedAfterDays`, whom a win-back offer to "churned" would wrongly target. Null when
 * fewer than a tenth of the churned (or fewer than the minimum group size) are.
 *
 * Example: 742 of 1,704 churned on a ten-year shop → "742 of the 1,704 customers staged churned …"
 */
export function churnedButAliveWarning(churned: number, alive: number, minGroupSize: number): string | null {
  if (!(alive >= minGroupSize) || !(alive >= 0.1 * churned)) return null;
  return `${alive.toLocaleString('en-US')} of the ${churned.toLocaleString('en-US')} customers staged churned (no purchase for more than ${DEFAULT_LIFECYCLE_THRESHOLDS.churnedAfterDays} days, or far past their usual gap) are alive by the value model (P(alive) ≥ ${ALIVE_BY_MODEL}): slow buyers whom the stage rules call churned; choose them by p_alive, not by stage, before a win-back or last offer`;
}

/** Lifecycle stages, transitions, cohorts and KPIs. */
export const lifecycleStage: Stage<AnalysisContext> = {
  name: 'lifecycle',
  reads: ['transactions', 'customer_rfm', 'customer_value_tiers', 'customer_clusters'],
  writes: ['customer_stages', 'customer_cohorts'],
  skip: (context) => context.options.skipSegments === true,
  async run(context) {
    const valueModel = context.results.valueModel;
    const result = await runLifecycle(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      grain: context.grain,
      scoresTable: valueModel ? 'customer_scores' : null,
      validationFrom: valueModel ? addDays(valueModel.calibrationEnd, 1) : null,
      orderValues: requireResult(context, 'orderValues'),
    });
    context.results.lifecycle = result;
    if (valueModel) {
      // the stage rules call a customer churned after churnedAfterDays without a purchase whatever their usual gap; the value model may disagree
      const [row] = await context.warehouse.query(`SELECT sum(CASE WHEN stage = 'churned' THEN 1 ELSE 0 END) AS churned, sum(CASE WHEN stage = 'churned' AND p_alive >= ${ALIVE_BY_MODEL} THEN 1 ELSE 0 END) AS alive FROM customer_stages`);
      const warning = churnedButAliveWarning(Number(row?.churned ?? 0), Number(row?.alive ?? 0), context.privacy.minGroupSize);
      if (warning) context.warnings.push(warning);
    }
    return `${result.stages.stages.filter((x) => x.customers > 0).length} lifecycle stages, ${result.cohorts.cohorts.length} cohorts`;
  },
};
