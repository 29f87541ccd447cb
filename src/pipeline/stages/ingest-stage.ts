import { ingestFiles } from '../../ingest/ingest-files.js';
import type { AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';

const count = (n: number) => n.toLocaleString('en-US');

/** Ingest the run's input files into `transactions` (and `quarantine`, `customers`); skipped when the run analyses what a warehouse holds. */
export const ingestStage: Stage<AnalysisContext> = {
  name: 'ingest',
  reads: [],
  writes: ['transactions', 'quarantine', 'customers', 'customer_reid'],
  skip: (context) => context.files.length === 0,
  async run(context) {
    const report = await ingestFiles(context.warehouse, context.files, { ...context.options, ...context.privacy.ingestOptions });
    context.results.ingest = report;
    return `${count(report.rowsRead)} rows read, ${count(report.accepted)} accepted, ${count(report.quarantined)} quarantined`;
  },
};
