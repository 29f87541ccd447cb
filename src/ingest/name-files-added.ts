import { basename } from 'node:path';
import { isUserError, UserError } from '../core/errors/user-error.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';
import { errorMarks } from '../core/errors/error-marks.js';
import type { IngestFileReport } from './ingest-report.js';

/** Where an ingest of several files stopped: the file, the reports of the files before it (they stay), those not read. */
export interface IngestStop {
  readonly file: string;
  readonly before: readonly IngestFileReport[];
  readonly notRead: readonly string[];
}

// the errors an ingest stopped with at a file, and where (`ingestStopOf`)
const stops = errorMarks<IngestStop>();

/**
 * Where the ingest that threw `error` stopped, when it stopped at one of its files (`nameFilesAdded`,
 * `interruptedIngestError`): `ingest --json` prints the report of the files before it with the error. Null for any other
 * error (one thrown before a file was read, or by an ingest that keeps no files).
 */
export function ingestStopOf(error: unknown): IngestStop | null {
  return stops.of(error);
}

/**
 * A user error of a later file of one ingest run, saying which files before
 * it were added (each file commits on its own: they stay): 'nothing of this
 * file was added' alone read as if the run had added nothing. Files held
 * before (nothing added) are not named. Other errors, and a failure of the
 * first file added, are returned as they are. An error that does not name
 * the file that failed (`current`) is prefixed with its name.
 *
 * Example: `nameFilesAdded(new UserError('b.csv holds rows of 1 customer erased …; nothing of this file was added', hint), [dReport], '/x/b.csv')`
 * → `UserError('b.csv holds … nothing of this file was added; added before it: d.csv', hint)`
 */
export function nameFilesAdded(error: unknown, before: readonly IngestFileReport[], current: string, notRead: readonly string[] = []): unknown {
  const stop = { file: current, before, notRead };
  const added = before.filter((file) => !file.alreadyIngested).map((file) => basename(file.source));
  if (!isUserError(error) || added.length === 0 || error.constructor !== UserError) return stops.mark(error, stop);
  // "added before it" needs an "it": an error that does not name its file (a required role missing) is prefixed with it
  const name = basename(current);
  const message = error.message.includes(name) ? error.message : `${name}: ${error.message}`;
  return stops.mark(new UserError(`${message}; added before it: ${added.join(', ')}`, error.hint), stop);
}

/**
 * What an ingest stopped by its signal (Ctrl-C) did, for `InterruptedError`:
 * nothing of the file it was reading (each file commits on its own, all or
 * nothing), the files committed before it, which stay, and those it did not
 * reach. Files held before (nothing added) are not named as added.
 *
 * Example: `interruptedIngestError('b.csv', [aReport], ['c.csv']).message`
 * → `ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv; not read: c.csv`
 */
export function interruptedIngestError(current: string, before: readonly IngestFileReport[], after: readonly string[]): InterruptedError {
  const added = before.filter((file) => !file.alreadyIngested).map((file) => basename(file.source));
  return stops.mark(new InterruptedError(
    `ingest interrupted: nothing from ${basename(current)} was added${added.length > 0 ? `; added before it, and kept: ${added.join(', ')}` : ''}${after.length > 0 ? `; not read: ${after.map((path) => basename(path)).join(', ')}` : ''}`,
  ), { file: current, before, notRead: after });
}
