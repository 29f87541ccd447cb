import { ingestFiles } from '../../ingest/ingest-files.js';
import { ingestByKind } from '../../ingest/ingest-by-kind.js';
import { combineKindReports, type IngestReport } from '../../ingest/ingest-report.js';
import { ingestRunWarnings } from '../../ingest/ingest-run-warnings.js';
import { splitColumnMap } from '../../ingest/split-column-map.js';
import type { AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';
import { plural } from '../../core/plural.js';

const count = (n: number) => n.toLocaleString('en-US');

/** The ingest step's progress detail, `233,996 rows read, 233,224 accepted, 772 quarantined` (also on ClickHouse: analyze-on-clickhouse.ts). */
export function ingestStageDetail(report: Pick<IngestReport, 'rowsRead' | 'accepted' | 'quarantined'>): string {
  return `${plural(report.rowsRead, 'row')} read, ${count(report.accepted)} accepted, ${count(report.quarantined)} quarantined`;
}

/** Ingest the run's input files into `transactions` (and `quarantine`, `customers`); skipped when the run analyses what a warehouse holds. */
export const ingestStage: Stage<AnalysisContext> = {
  name: 'ingest',
  reads: [],
  writes: ['transactions', 'events', 'quarantine', 'customers', 'customer_reid'],
  skip: (context) => context.files.length + (context.options.eventFiles?.length ?? 0) + (context.options.customerFiles?.length ?? 0) === 0,
  async run(context) {
    // a one-shot run in memory keeps nothing: a later file's error does not name files "added before it"
    // the warehouse's mix of files with and without order values: said by the summary stage, for the run's purchases
    const options = { ...context.options, ...context.privacy.ingestOptions, keepsFiles: context.options.db !== ':memory:', mixedOrderValuesWarning: false };
    const customerFiles = context.options.customerFiles ?? [];
    const eventFiles = context.options.eventFiles ?? [];
    // one --map for files of several kinds: each column goes to the kinds whose files have it
    const lists = [context.files, customerFiles, eventFiles];
    const maps = await splitColumnMap(lists, options.map ?? {}, context.warehouse);
    // each list read as its kind: a file whose columns show another kind is refused (an event file given as profiles,
    // a profile file given as transactions), with the hint of the command that started the run (`kindHints`)
    const reports = await ingestByKind(lists, (files, kind, i, besideFilesWithRows) => ingestFiles(context.warehouse, files, { ...options, map: maps[i]!, kind, besideFilesWithRows }));
    // each kind's ingest: a file of it without data rows (a --map flag no file read: the combined report's, said once)
    const report = combineKindReports(reports, options.map);
    context.results.ingest = report;
    // every warning of a file (dates read month-first, columns guessed, lines left out that may be purchases): among
    // the run's warnings (its summary, run.json), not only in the file's report
    context.warnings.push(...ingestRunWarnings(report));
    return ingestStageDetail(report);
  },
};
