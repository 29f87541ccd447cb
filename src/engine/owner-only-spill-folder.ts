import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { shellPath } from '../core/shell-word.js';

/**
 * Makes `dir`, the folder DuckDB spills to beside a warehouse file
 * (`<db>.tmp`), its owner's only before DuckDB uses it: what an ingest spills
 * are scratch tables with the customer ids and contact data in clear, and
 * DuckDB makes the folder 0755 and its files 0644. A missing folder is made
 * 0700 (the answer is true: the caller removes it, `removeSpillFolder`, when
 * its warehouse closes, as DuckDB removes a folder it made); a folder of this
 * user left by a crashed run is made 0700. A symlink, a file or another
 * user's folder there is refused (UserError): DuckDB would write customer data
 * into it, where another user may read it.
 */
export function ownerOnlySpillFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700); // the umask could have taken bits away, never added: this only makes sure
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false; // a folder that takes no new entry: DuckDB's own error follows
  }
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return false; // gone meanwhile: DuckDB makes what it needs
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const refuse = (what: string, hint: string): never => {
    throw new UserError(`the spill folder ${dir} beside the warehouse ${what}`, hint);
  };
  const hint = `remove it if you know what it is (rm -r ${shellPath(dir)}), or use another --db`;
  if (stat.isSymbolicLink()) refuse('is a symlink: DuckDB would write customer data where it points', hint);
  if (!stat.isDirectory()) refuse('is not a folder: DuckDB spills its scratch tables there', hint);
  if (uid !== null && stat.uid !== uid) refuse(`is another user’s folder (uid ${stat.uid}): DuckDB would write customer data into it`, hint);
  try {
    if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {
    // a file system without modes: nothing to set
  }
  return false;
}

/** Removes a spill folder `ownerOnlySpillFolder` made, once DuckDB has deleted its files (a folder still holding any is kept). */
export function removeSpillFolder(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another process's files) or gone already
  }
}

/** The folders `freshSpillFolder` made and has not removed yet: removed when the process exits (a warehouse never closed). */
const made = new Set<string>();
let removedAtExit = false;

/**
 * A new spill folder under the system temp for an in-memory warehouse:
 * `clvkit-duckdb-XXXXXX` (mkdtemp: a name nobody can guess or take first, made
 * 0700 by this user). It is removed with what it holds when its warehouse
 * closes (`removeFreshSpillFolder`), or else when the process exits.
 */
export function freshSpillFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-duckdb-'));
  chmodSync(dir, 0o700); // mkdtemp makes it 0700 already: this only makes sure
  made.add(dir);
  if (!removedAtExit) {
    removedAtExit = true;
    process.once('exit', () => {
      for (const folder of made) rmSync(folder, { recursive: true, force: true });
    });
  }
  return dir;
}

/** Removes a folder `freshSpillFolder` made, with what it holds; any other path is left alone. */
export function removeFreshSpillFolder(dir: string): void {
  if (!made.delete(dir)) return;
  rmSync(dir, { recursive: true, force: true });
}
