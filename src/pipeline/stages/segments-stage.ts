import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { runSegments } from '../run-segments.js';
import { sameForAllWarning } from '../../segments/rfm-same-for-all.js';
import type { Stage } from '../stage.js';
import { segmentsStageDetail } from './stage-details.js';

/** RFM segments, value tiers and behaviour clusters. */
export const segmentsStage: Stage<AnalysisContext> = {
  name: 'segments',
  reads: ['customer_summary', 'transactions'],
  writes: ['customer_rfm', 'customer_value_tiers', 'customer_clusters'],
  skip: (context) => context.options.skipSegments === true,
  async run(context) {
    const result = await runSegments(context.warehouse, {
      asOf: requireResult(context, 'asOf'),
      grain: context.grain,
      scoresTable: context.results.valueModel ? 'customer_scores' : null,
      orderValues: requireResult(context, 'orderValues'),
      ...(context.options.clusters !== undefined ? { clusters: context.options.clusters } : {}),
    });
    context.results.segments = result;
    const flat = sameForAllWarning(result.rfm);
    if (flat) context.warnings.push(flat);
    return segmentsStageDetail(result.rfm.segments.filter((x) => x.customers > 0).length, result.clusters.clusters.length);
  },
};
