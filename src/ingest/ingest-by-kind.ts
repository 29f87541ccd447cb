import type { IngestReport } from './ingest-report.js';
import type { SourceKind } from './source-kind.js';

/** The kinds of a run's file lists, in the order they are ingested: profiles before events, so a prospect's profile is in place when its events arrive. */
export const RUN_FILE_KINDS = ['transactions', 'customers', 'events'] as const satisfies readonly SourceKind[];

/** One kind's ingest: its files, its kind, its place in `RUN_FILE_KINDS`, and whether files of the run with rows came before it. */
export type IngestKind = (files: readonly string[], kind: (typeof RUN_FILE_KINDS)[number], index: number, besideFilesWithRows: boolean) => Promise<IngestReport>;

/**
 * A run's order, profile and event files (`lists`, in `RUN_FILE_KINDS` order), each kind that has files by one call of
 * `ingest`, in order; their reports. A profile or event file without data rows beside files of the run that have rows
 * (the order files: refused when they have none) is a warning and the run goes on as without it, as such a file beside
 * others of its kind is: `besideFilesWithRows` tells `ingest` so. The analyses on DuckDB (ingest-stage.ts) and on a
 * cluster (analyze-on-clickhouse.ts) share it.
 *
 * Example: `await ingestByKind([['orders.csv'], [], ['events.csv']], (files, kind, i, beside) => ingestFiles(wh, files, { kind, map: maps[i], besideFilesWithRows: beside }))`
 */
export async function ingestByKind(lists: readonly (readonly string[])[], ingest: IngestKind): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const [index, kind] of RUN_FILE_KINDS.entries()) {
    const files = lists[index] ?? [];
    if (files.length > 0) reports.push(await ingest(files, kind, index, reports.some((report) => report.files.length > 0)));
  }
  return reports;
}
