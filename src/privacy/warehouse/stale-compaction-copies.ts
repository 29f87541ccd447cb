import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The scratch folders a compaction of the warehouse file `path` left beside it
 * (`.<name>.compact-XXXXXX`, `compactWarehouseFile`) because it did not finish
 * (killed, out of disk): each holds a full copy of the warehouse, erased
 * customers' rows included when the compaction followed an erasure, that no
 * later erasure reaches. Only real folders of this user are listed; a symlink
 * or another user's entry of that name is not ours to remove.
 */
export function staleCompactionCopies(path: string): string[] {
  const folder = dirname(path);
  const prefix = `.${basename(path)}.compact-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  return names
    .filter((name) => name.startsWith(prefix) && /^[A-Za-z0-9]{6}$/.test(name.slice(prefix.length)))
    .map((name) => join(folder, name))
    .filter((dir) => {
      try {
        const stat = lstatSync(dir);
        return stat.isDirectory() && (uid === null || stat.uid === uid);
      } catch {
        return false;
      }
    })
    .sort();
}

/**
 * Removes what `staleCompactionCopies` finds. Only to be called while this
 * process holds the warehouse's write lock: no other compaction of it is
 * then copying (its copy holds a read lock on the file).
 */
export function removeStaleCompactionCopies(path: string): void {
  for (const dir of staleCompactionCopies(path)) rmSync(dir, { recursive: true, force: true });
}
