import { ingestFiles } from '../../ingest/ingest-files.js';
import { combineKindReports, type IngestReport } from '../../ingest/ingest-report.js';
import { ingestRunWarnings } from '../../ingest/ingest-run-warnings.js';
import { splitColumnMap } from '../../ingest/split-column-map.js';
import type { AnalysisContext } from '../analysis-context.js';
import type { Stage } from '../stage.js';

const count = (n: number) => n.toLocaleString('en-US');

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
    const [ordersMap, profilesMap, eventsMap] = await splitColumnMap([context.files, customerFiles, eventFiles], options.map ?? {}, context.warehouse);
    // each list read as its kind: a file whose columns show another kind is refused (an event file given as profiles,
    // a profile file given as transactions), with the hint of the command that started the run (`kindHints`)
    const reports: IngestReport[] = [];
    // a profile or event file without data rows beside files of the run that have rows (the order files: refused when
    // they have none) is a warning, and the run goes on as without it, as such a file beside others of its kind is
    const besideFilesWithRows = () => reports.some((report) => report.files.length > 0);
    if (context.files.length) reports.push(await ingestFiles(context.warehouse, context.files, { ...options, map: ordersMap!, kind: 'transactions' }));
    // profiles before events: a prospect's profile is in place when its events arrive
    if (customerFiles.length) reports.push(await ingestFiles(context.warehouse, customerFiles, { ...options, map: profilesMap!, kind: 'customers', besideFilesWithRows: besideFilesWithRows() }));
    if (eventFiles.length) reports.push(await ingestFiles(context.warehouse, eventFiles, { ...options, map: eventsMap!, kind: 'events', besideFilesWithRows: besideFilesWithRows() }));
    // each kind's ingest: a file of it without data rows (a --map flag no file read: the combined report's, said once)
    const report = combineKindReports(reports, options.map);
    context.results.ingest = report;
    // every warning of a file (dates read month-first, columns guessed, lines left out that may be purchases): among
    // the run's warnings (its summary, run.json), not only in the file's report
    context.warnings.push(...ingestRunWarnings(report));
    return `${count(report.rowsRead)} rows read, ${count(report.accepted)} accepted, ${count(report.quarantined)} quarantined`;
  },
};
