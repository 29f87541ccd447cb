/**
 * The warnings of an ingest among the warnings of the command that ingested the files to work on them (`analyze`'s
 * run, `summarize`, `validate`, a read command given a file): each file's warning after the file's name. A QA pass:
 * December 2010 written dd/mm was read month-first by analyze with no word — "dates … are ambiguous; read as
 * month/day" was printed by `clvkit ingest` only, and sat in run.json's ingest.files[].warnings.
 */
import { basename } from 'node:path';
import type { ReadingOptions } from './held-file-reading.js';
import type { IngestFileReport, IngestReport } from './ingest-report.js';
import { readingFlags } from './reading-flags.js';
import { shellPath } from '../core/shell-word.js';

/**
 * Every warning of `files`, each after its file's name (`orders.csv: dates such as … are ambiguous; …`): the form the
 * report's data-quality section matches to say a warning once (data-quality-section.ts).
 */
export function ingestFileWarnings(files: readonly IngestFileReport[]): string[] {
  return files.flatMap((file) => file.warnings.map((warning) => `${basename(file.source)}: ${warning}`));
}

/** `ingestFileWarnings` of the report's files, then the warnings of the ingest as a whole (a `--map` flag no file read, a file without data rows). */
export function ingestRunWarnings(report: Pick<IngestReport, 'files' | 'warnings'>): string[] {
  return [...ingestFileWarnings(report.files), ...(report.warnings ?? [])];
}

/**
 * For a command that reads a file in memory and prints results over it (segments, lifecycle, cohorts, rules,
 * sequences, recommend, customer, validate): each file with quarantined rows, how many and why
 * (`orders.csv: 120 rows read, 40 accepted, 80 quarantined (bad_date 40, nonpositive_price 40): …`). Nothing of the
 * file is stored, so no `clvkit ingests list` shows it afterwards; summarize and analyze print their own count. A QA
 * pass: `clvkit segments` over a file two thirds of whose lines were quarantined said nothing of them. The `clvkit
 * ingest` it suggests names the file as given, a placeholder `--db PATH` and the reading flags the file was read with
 * (`reading`: --map, --no-header, --delimiter, --date-format…), so that it reads the file the same way. `keptBy: 'the
 * cluster'`: `validate FILE --engine clickhouse`, which ingested the file into the cluster, where its quarantine table
 * keeps them (it said nothing of them before session 41).
 */
export function quarantinedRowsWarnings(files: readonly IngestFileReport[], reading: ReadingOptions = {}, keptBy: 'no one' | 'the cluster' = 'no one'): string[] {
  const flags = readingFlags(reading).map((flag) => ` ${flag}`).join('');
  const n = (value: number) => value.toLocaleString('en-US');
  return files
    .filter((file) => file.quarantined > 0)
    .map((file) => {
      const reasons = Object.entries(file.rules)
        .filter(([, count]) => count > 0)
        .map(([reason, count]) => `${reason} ${n(count)}`)
        .join(', ');
      const kept = keptBy === 'the cluster' ? 'the cluster keeps them, with the reason of each, in its quarantine table' : `clvkit ingest ${shellPath(file.source)} --db PATH${flags} keeps them, with the reason of each, in the quarantine table`;
      return `${basename(file.source)}: ${n(file.rowsRead)} rows read, ${n(file.accepted)} accepted, ${n(file.quarantined)} quarantined (${reasons}): the quarantined rows are left out of these results (${kept})`;
    });
}
