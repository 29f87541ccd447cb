import { chmodSync, lstatSync, mkdirSync, rmdirSync } from 'node:fs';

/**
 * Makes `dir`, the folder DuckDB spills to (`<db>.tmp`, or the system temp
 * folder's `clvkit-duckdb-<pid>.tmp` of an in-memory warehouse), its owner's
 * only before DuckDB uses it: what an ingest spills are scratch tables with
 * the customer ids and contact data in clear, and DuckDB makes the folder
 * 0755 and its files 0644. A missing folder is made 0700 (the answer is
 * true: the caller removes it, `removeSpillFolder`, when its warehouse
 * closes, as DuckDB removes a folder it made); a folder of this user left by
 * a crashed run is made 0700; a symlink, a file or another user's folder is
 * left as it is (DuckDB then says what it finds).
 */
export function ownerOnlySpillFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700); // the umask could have taken bits away, never added: this only makes sure
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false; // a folder that takes no new entry: DuckDB's own error follows
  }
  try {
    const stat = lstatSync(dir);
    const ours = typeof process.getuid !== 'function' || stat.uid === process.getuid();
    if (stat.isDirectory() && !stat.isSymbolicLink() && ours && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {
    // gone meanwhile, or a file system without modes: DuckDB makes what it needs
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
