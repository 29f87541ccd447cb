/**
 * Copies in the write-ahead log's failed/ folder of batches that were never recorded set aside: the copy a crash left
 * mid-replacement, put back as `failed/<batch>.wal` when the log is opened (wal-files.ts: without the warehouse the log
 * cannot tell whether it was recorded set aside, so it keeps it), or the copy written before the recording of a
 * setting aside failed (ingest-queue.ts `#setAside`). The log still holds such a batch (it is not recorded), and the
 * queue applies it again: once it is applied, or recorded from its load, its copy is removed (it used to stay, a
 * "set aside" batch whose lines are in the warehouse). A copy of a batch recorded set aside is its only record: kept.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { statOrUndefined } from '../../core/errors/file-system-error.js';

/** A failed/ file named after its batch: `<batch>.wal`, one put back beside it (`<batch>.recovered-<n>.wal`), an older clvkit's clear `<batch>.ndjson`. */
const COPY = /^(b[0-9a-z]+)(?:\.recovered-\d+)?\.(?:wal|ndjson)$/;

/** The failed/ folder of a log folder. */
export const setAsideFolder = (walDir: string) => join(walDir, 'failed');

/** The failed/ files of the batches `ids` (batches the log holds that the warehouse has not recorded), by batch id. */
export function setAsideCopiesOf(walDir: string, ids: ReadonlySet<string>): Map<string, string[]> {
  const folder = setAsideFolder(walDir);
  const copies = new Map<string, string[]>();
  if (ids.size === 0 || statOrUndefined(folder)?.isDirectory() !== true) return copies;
  for (const name of readdirSync(folder).sort()) {
    const id = COPY.exec(name)?.[1];
    if (id !== undefined && ids.has(id)) copies.set(id, [...(copies.get(id) ?? []), join(folder, name)]);
  }
  return copies;
}

/** Removes the copies of `ids` (`copies` loses them); the paths removed. */
export function removeSetAsideCopies(copies: Map<string, string[]>, ids: readonly string[]): string[] {
  const removed: string[] = [];
  for (const id of ids) {
    for (const path of copies.get(id) ?? []) {
      rmSync(path, { force: true });
      removed.push(path);
    }
    copies.delete(id);
  }
  return removed;
}
