import { addDays } from '../../core/calendar-days.js';
import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { runLifecycle } from '../run-lifecycle.js';
import type { Stage } from '../stage.js';

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
    return `${result.stages.stages.filter((x) => x.customers > 0).length} lifecycle stages, ${result.cohorts.cohorts.length} cohorts`;
  },
};
