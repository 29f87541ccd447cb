import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asFileSystemError, fileOnTheWay } from './errors/file-system-error.js';
import { UserError } from './errors/user-error.js';

/**
 * Checks for the paths a command writes, where it takes them (`--out FILE`,
 * `--out FOLDER`, `--db PATH`): before any work, a path that cannot be written
 * is refused in one line naming the flag — a folder where a file belongs, a
 * missing folder, a file on the way, no permission, a read-only disk — instead
 * of failing half-way with the engine's or Node's error. Root passes the
 * permission checks (as it passes the writes).
 */

/** `statSync(full)`, undefined when nothing is there; a path through a file or a folder that cannot be entered is refused. */
function statOnTheWay(full: string, flag: string, path: string): Stats | undefined {
  try {
    return statSync(full);
  } catch (error) {
    const code = asFileSystemError(error)?.code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      const file = fileOnTheWay(full);
      throw new UserError(`${flag} ${path} goes through ${file ?? 'a file'}, which is a file, not a folder`, 'check the path: only its last part may be a file');
    }
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`cannot reach ${flag} ${path}: permission denied on one of its folders`, `check who may enter them (ls -ld ${dirname(full)}), or choose another path`);
    throw error;
  }
}

/** Refuses `full` (a file or folder that exists) unless this process may `mode` it: `message` says what could not be done. */
function assertWritable(full: string, mode: number, message: string, hint: string): void {
  try {
    accessSync(full, mode);
  } catch (error) {
    const code = asFileSystemError(error)?.code;
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`${message}: permission denied`, hint);
    if (code === 'EROFS') throw new UserError(`${message}: the file system is read-only`, 'write to a folder on a writable disk');
    throw error;
  }
}

/**
 * Checks a file the command will write or create (`--out customers.csv`,
 * `--db shop.duckdb`): not a folder, in a folder that exists, writable (an
 * existing file) or creatable (its folder writable). `example` is a file name
 * the hint suggests. With `createFolder` a missing folder is not refused: it
 * is checked as `checkOutputFolder` checks one (created by the writer).
 *
 * Example: `checkOutputFile('/tmp/out', '--out', 'summary.csv')` → UserError `--out /tmp/out is a folder, not a file (hint: pass a file name, e.g. --out summary.csv)` when /tmp/out is a folder
 */
export function checkOutputFile(path: string, flag: string, example: string, options: { readonly createFolder?: boolean } = {}): void {
  const full = resolve(path);
  const stat = statOnTheWay(full, flag, path);
  if (stat?.isDirectory()) throw new UserError(`${flag} ${path} is a folder, not a file`, `pass a file name, e.g. ${flag} ${example}`);
  if (stat) return assertWritable(full, constants.W_OK, `cannot write ${flag} ${path}`, `check who may write it (ls -l ${full}), or choose another path`);
  const folder = dirname(full);
  if (!statOnTheWay(folder, flag, path)) {
    if (options.createFolder) return checkOutputFolder(dirname(path), flag);
    throw new UserError(`the folder of ${flag} ${path} does not exist`, 'create it first, or choose another path');
  }
  assertWritable(folder, constants.W_OK | constants.X_OK, `cannot create ${flag} ${path} in ${folder}`, `choose a folder you may write to (ls -ld ${folder} shows who may), or change its permissions`);
}

/**
 * Checks a folder the command writes its files into, created when missing
 * (`--out out/shop`): not a file, and writable — the folder itself when it
 * exists, else the nearest folder above it that does (where it is created).
 *
 * Example: `checkOutputFolder('/srv/out', '--out')` → UserError `cannot create --out /srv/out in /srv: permission denied (hint: …)` when /srv is not writable
 */
export function checkOutputFolder(path: string, flag: string): void {
  const full = resolve(path);
  let existing = full;
  let stat = statOnTheWay(full, flag, path);
  while (!stat) {
    existing = dirname(existing);
    stat = statOnTheWay(existing, flag, path);
  }
  if (!stat.isDirectory()) throw new UserError(`${flag} ${path} is a file, not a folder`, 'pass a folder for the outputs (it is created when missing)');
  const message = existing === full ? `cannot write into ${flag} ${path}` : `cannot create ${flag} ${path} in ${existing}`;
  assertWritable(existing, constants.W_OK | constants.X_OK, message, `choose a folder you may write to (ls -ld ${existing} shows who may), or change its permissions`);
}
