import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Copies of the warehouse `path` that killed compactions of earlier clvkit versions left under names the current one
 * no longer writes (it writes through `.<name>.writing-XXXXXX`, `staleScratchFolders`): `<name>.compact-<12 hex>`
 * files beside it and their `.wal` (until session 40; DuckDB made them with the umask, 0644 under 022: a full copy,
 * erased customers too, other users could read), and `.<name>.compact-XXXXXX` folders (session 40). Only this user's,
 * not symlinks; absolute and sorted.
 *
 * Example: `olderCompactionCopies('/data/shop.duckdb')` → `['/data/shop.duckdb.compact-0a1b2c3d4e5f']`
 */
export function olderCompactionCopies(path: string): string[] {
  const folder = dirname(path);
  const name = basename(path);
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const copies: string[] = [];
  for (const entry of names) {
    const file = entry.startsWith(`${name}.compact-`) && /^[0-9a-f]{12}(\.wal)?$/.test(entry.slice(name.length + 9));
    const scratch = entry.startsWith(`.${name}.compact-`) && /^[A-Za-z0-9]{6}$/.test(entry.slice(name.length + 10));
    if (!file && !scratch) continue;
    const at = resolve(folder, entry);
    try {
      const stat = lstatSync(at);
      if (uid === undefined || stat.uid !== uid || (file ? !stat.isFile() : !stat.isDirectory())) continue;
      copies.push(at);
    } catch {
      // gone meanwhile
    }
  }
  return copies.sort();
}

/** Removes `olderCompactionCopies(path)` (a compaction holding the file's write lock does, before its own copy). */
export function removeOlderCompactionCopies(path: string): void {
  for (const copy of olderCompactionCopies(path)) {
    try {
      rmSync(copy, { recursive: true, force: true });
    } catch {
      // not ours to remove after all: left, and privacy report names it
    }
  }
}
