/**
 * The one way the server loads an acknowledged group's file, whichever path
 * applies it (the in-process queue on a DuckDB warehouse, the warehouse
 * thread, the cluster): through an ingest function (`ingestFiles` bound to a
 * warehouse, or `ingestFilesToClickHouse` bound to the cluster) with the
 * group's kind, actor and role, the warehouse key, ISO dates (the API's
 * `ts` is ISO 8601) and a decimal point (JSON numbers: a text such as
 * `"12,5"` is quarantined as bad_number, `"1,234.50"` read as 1234.5). Answers the ingest id the group's rows took — null when
 * the file was held already (a replay of a group applied before the server
 * stopped) — and the file's report. Rows of customers erased before
 * (`erased_customers`) do not refuse the group as they refuse a file: they
 * are left out, each quarantined as `erased_customer` with nothing of it
 * kept (`leaveOutErased`), and the rest is loaded. A group none of whose rows
 * could be accepted is refused only when its dates or numbers could not be
 * read (`refuseNothingAccepted`): its other bad records are quarantined.
 *
 * Example: `await applyIngestedFile((paths, o) => ingestFiles(warehouse, paths, o), 'api-events-1-3.ndjson', { kind: 'events', actor: 'ana', role: 'analyst' }, keyring)`
 * → `{ ingestId: 4, report: { source: 'api-events-1-3.ndjson', accepted: 120, … } }`
 */
import type { IngestOptions } from '../../ingest/ingest-files.js';
import type { IngestFileReport, IngestReport } from '../../ingest/ingest-report.js';
import type { Keyring } from '../../privacy/keys/keyring.js';

/** Who sent the group and what it holds (the `ApplyFile` options of the ingest queue). */
export interface ApplyIngestedFileOptions {
  readonly kind: 'events' | 'transactions';
  readonly actor: string;
  readonly role: string;
}

export type IngestFilesInto = (paths: readonly string[], options: IngestOptions) => Promise<IngestReport>;

export async function applyIngestedFile(ingest: IngestFilesInto, file: string, options: ApplyIngestedFileOptions, keyring: Keyring): Promise<{ ingestId: number | null; report: IngestFileReport | null }> {
  // rows of customers erased before are left out (quarantined as erased_customer, nothing kept), not the group refused
  // only the file's report is kept: no warehouse-wide warning (a scan of transactions per batch)
  const ingested = await ingest([file], { kind: options.kind, actor: options.actor, role: options.role, keyring, dateFormats: ['iso'], leaveOutErased: true, decimalSeparator: '.', mixedOrderValuesWarning: false, refuseNothingAccepted: 'unreadable' });
  const report = ingested.files[0] ?? null;
  return { ingestId: report && !report.alreadyIngested ? report.ingestId : null, report };
}
