import { requireResult, type AnalysisContext } from '../analysis-context.js';
import { writeReport } from '../report-step.js';
import type { Stage } from '../stage.js';

/** report.html from the published run summary (and compact per-customer columns of the warehouse). */
export const reportStage: Stage<AnalysisContext> = {
  name: 'report',
  reads: ['customer_summary'],
  writes: [],
  skip: (context) => context.options.skipReport === true,
  async run(context) {
    const summary = requireResult(context, 'summary');
    await writeReport(context.warehouse, summary, summary.outputs.reportHtml!, { keyring: context.privacy.keyring, role: context.privacy.access.role, ...(context.options.api ? { api: true } : {}) });
  },
};
