import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces (or makes) `path` with `data` so that a crash leaves the old file or the new one, never half of one, and
 * the new one on disk once this returns: written to a sibling scratch file (0600, made exclusively), fsynced, renamed
 * over `path`, then the folder fsynced (the rename itself on disk). The scratch file is removed when a step fails.
 *
 * Example: `replaceFileDurably('/srv/shop.duckdb.key', text)`
 */
export function replaceFileDurably(path: string, data: string | Buffer): void {
  const scratch = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(scratch, 'wx', 0o600);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(scratch, path);
  } catch (error) {
    try {
      unlinkSync(scratch);
    } catch {
      // already renamed or never made
    }
    throw error;
  }
  syncFolder(dirname(path));
}

/**
 * Writes `path` readable by its owner only (0600) from the moment a file is at that path, for a writer that sets no
 * mode of its own (DuckDB's `COPY … TO` replaces a file made 0600 beforehand with one of the default mode): `write`
 * makes the file at the path it is given, inside a fresh scratch folder beside `path` (`.<name>.writing-XXXXXX`,
 * 0700, on the same file system), where nobody else can reach it whatever its mode; the file is then made 0600,
 * fsynced and renamed over `path`, and the folder fsynced. The scratch folder is removed when this ends, also when
 * `write` fails: a failed write leaves `path` as it was. (A crash mid-write leaves the scratch folder, still 0700.)
 *
 * Example: `await writeOwnerOnlyFile('out/customers.csv', (scratch) => warehouse.exportCsv(sql, scratch))`
 */
export async function writeOwnerOnlyFile<T>(path: string, write: (scratchPath: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(dirname(path), `.${basename(path)}.writing-`)); // made 0700
  try {
    const scratch = join(folder, basename(path));
    const result = await write(scratch);
    chmodSync(scratch, 0o600);
    const fd = openSync(scratch, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(scratch, path);
    syncFolder(dirname(path));
    return result;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Fsyncs a folder: a rename, creation or removal of an entry in it is on disk once this returns. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
