/**
 * The warnings of an ingest among the warnings of the command that ingested the files to work on them (`analyze`'s
 * run, `summarize`, `validate`, a read command given a file): each file's warning after the file's name. A QA pass:
 * December 2010 written dd/mm was read month-first by analyze with no word — "dates … are ambiguous; read as
 * month/day" was printed by `clvkit ingest` only, and sat in run.json's ingest.files[].warnings.
 */
import { basename } from 'node:path';
import type { IngestFileReport, IngestReport } from './ingest-report.js';

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
