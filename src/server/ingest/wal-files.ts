/**
 * The files of an ingest write-ahead log folder: its segments (`segment-<n>.wal`), and the scratch files a crash in the
 * middle of a file replacement leaves beside the file it was replacing — `<file>.tmp-<hex>` (`replaceFileDurably`: an
 * erase's rewrite, a batch set aside in failed/), and from older clvkits `<file>.erasing-<pid>` (an erase) and
 * `failed/<batch>.wal.tmp` (a set-aside batch). A scratch file holds batches' customer lines (encrypted, or in clear for
 * an older set-aside `.ndjson`), so it must not be left where neither replay nor erase looks.
 *
 * `settleLeftovers` (run by the log's holder: at open, and by an erase before it searches) deals with each: the rename
 * over the target is a replacement's commit point, so while the target still holds every batch of the scratch file
 * (for a segment's copy, the target or another segment; for a clear `.ndjson`, every line) the scratch is a superseded
 * copy and is deleted. One holding a batch its target does not (its target gone: a set-aside batch recorded while a
 * power loss undid the rename an older clvkit never synced; a segment a server released after an erase crashed) is
 * put where the log is read: a segment's copy as a new segment (replayed if its batches are not applied, then
 * released), failed/'s as the file it was to replace (kept even when a segment holds the batch too: without the
 * warehouse the log cannot tell whether it was recorded set aside, so it errs on keeping it; the server's ingest queue,
 * which asks the warehouse, removes it once its batch is applied: set-aside-copies.ts). One with nothing whole
 * in it (torn before its first record ended) holds nothing to keep and is deleted.
 */
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { statOrUndefined } from '../../core/errors/file-system-error.js';
import { syncFolder } from '../../core/replace-file.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { readWalRecords } from './wal-records.js';
import { setAsideFolder } from './set-aside-copies.js';

const SEGMENT = /^segment-(\d{8})\.wal$/;
export const segmentName = (n: number) => `segment-${String(n).padStart(8, '0')}.wal`;

/** A replacement's scratch file: the file it replaces, then `.tmp-<hex>`, `.tmp` or `.erasing-<pid>`. */
const SCRATCH = /^(.+\.(?:wal|ndjson))\.(?:tmp|tmp-[0-9a-f]+|erasing-\d+)$/;

/** The numbers of a log folder's segments, oldest first. */
export function segmentNumbers(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** The segment files of a log folder, oldest first. */
export function segmentFiles(dir: string): string[] {
  return segmentNumbers(dir).map(segmentName);
}

/** What `settleLeftovers` did: scratch files deleted as superseded (or empty), and put back where the log is read. */
export interface SettledLeftovers {
  readonly deleted: number;
  readonly restored: number;
}

/** Deletes the log folder's superseded scratch files and puts the others where the log is read (see the file header). */
export function settleLeftovers(dir: string, keyring: Keyring): SettledLeftovers {
  let deleted = 0, restored = 0;
  let segmentIds: Set<string> | null = null;
  /** every batch id the segments hold (read once, when a scratch file needs it) */
  const inSegments = () => (segmentIds ??= new Set(segmentFiles(dir).flatMap((name) => idsOf(join(dir, name), keyring))));
  const failed = setAsideFolder(dir);
  for (const folder of [dir, failed]) {
    if (statOrUndefined(folder)?.isDirectory() !== true) continue;
    for (const name of readdirSync(folder).sort()) {
      const match = SCRATCH.exec(name);
      if (!match) continue;
      const target = match[1]!;
      if (folder === dir && !SEGMENT.test(target)) continue; // not a file of the log
      const scratch = join(folder, name);
      const targetPath = join(folder, target);
      const targetThere = statOrUndefined(targetPath)?.isFile() === true;
      let superseded: boolean, empty: boolean;
      if (target.endsWith('.ndjson')) {
        const lines = linesOf(scratch);
        const held = targetThere ? new Set(linesOf(targetPath)) : new Set<string>();
        empty = lines.length === 0;
        superseded = lines.every((line) => held.has(line));
      } else {
        const ids = idsOf(scratch, keyring);
        // a segment's copy is superseded by the segments too; a set-aside batch's only by its own file: one still in a
        // segment may also have been recorded set aside (an older clvkit's rename, never synced, undone by a power
        // loss after the record), its segment then released at this start — the copy may be its only one
        const held = new Set([...(targetThere ? idsOf(targetPath, keyring) : []), ...(folder === dir ? inSegments() : [])]);
        empty = ids.length === 0;
        superseded = ids.every((id) => held.has(id));
      }
      if (superseded || empty) {
        rmSync(scratch, { force: true });
        deleted++;
        continue;
      }
      // the only copy of some batch: where the log is read (a segment after the others; failed/ under its own name)
      const into = folder === dir ? segmentName((segmentNumbers(dir).at(-1) ?? 0) + 1) : targetThere ? freeName(folder, target) : target;
      renameSync(scratch, join(folder, into));
      syncFolder(folder);
      if (folder === dir) segmentIds = null;
      restored++;
    }
  }
  return { deleted, restored };
}

/** The ids of the whole batches of a file of records (up to a torn tail). */
function idsOf(file: string, keyring: Keyring): string[] {
  return readWalRecords(readFileSync(file), keyring, file).batches.map((b) => b.id);
}

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
}

/** `<batch>.recovered-<n>.wal` (or `.ndjson`), the first not taken. */
function freeName(folder: string, target: string): string {
  const dot = target.lastIndexOf('.');
  for (let n = 1; ; n++) {
    const name = `${target.slice(0, dot)}.recovered-${n}${target.slice(dot)}`;
    if (statOrUndefined(join(folder, name)) === undefined) return name;
  }
}
