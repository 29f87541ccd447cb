import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

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

/** Fsyncs a folder: a rename, creation or removal of an entry in it is on disk once this returns. */
export function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
