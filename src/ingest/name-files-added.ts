import { basename } from 'node:path';
import { isUserError, UserError } from '../core/errors/user-error.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';
import type { IngestFileReport } from './ingest-report.js';

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
export function nameFilesAdded(error: unknown, before: readonly IngestFileReport[], current: string): unknown {
  const added = before.filter((file) => !file.alreadyIngested).map((file) => basename(file.source));
  if (!isUserError(error) || added.length === 0 || error.constructor !== UserError) return error;
  // "added before it" needs an "it": an error that does not name its file (a required role missing) is prefixed with it
  const name = basename(current);
  const message = error.message.includes(name) ? error.message : `${name}: ${error.message}`;
  return new UserError(`${message}; added before it: ${added.join(', ')}`, error.hint);
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
  return new InterruptedError(
    `ingest interrupted: nothing from ${basename(current)} was added${added.length > 0 ? `; added before it, and kept: ${added.join(', ')}` : ''}${after.length > 0 ? `; not read: ${after.map((path) => basename(path)).join(', ')}` : ''}`,
  );
}
