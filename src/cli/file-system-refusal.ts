import { basename, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asFileSystemError, fileSystemUserError, type FileSystemCode, type FileSystemError } from '../core/errors/file-system-error.js';
import { UserError } from '../core/errors/user-error.js';

/** clvkit's own files (the package, or the repository it is run from): a file-system error on one is a bug or a broken install. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE_FOLDERS = ['dist', 'src', 'web', 'data', 'node_modules'].map((folder) => resolve(PACKAGE_ROOT, folder));

/** Failures of the machine around the command, never of its code: a permission, a read-only or full disk. */
const ENVIRONMENT_CODES: ReadonlySet<FileSystemCode> = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC']);
/** Failures that can also be a path the code got wrong: the user's only when the path is. */
const PATH_CODES: ReadonlySet<FileSystemCode> = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

const within = (path: string, folder: string) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);

/**
 * The engine's refusal to write a file where a folder is (DuckDB's `COPY … TO`: `IO Error: Cannot open file "PATH": Is
 * a directory`) as Node's EISDIR on that path, or null: not Node's error, it was an internal error with the SQL.
 */
function engineFolderForFile(error: unknown): FileSystemError | null {
  const match = error instanceof Error ? /Cannot open file "([^"]+)": Is a directory/.exec(error.message) : null;
  return match ? folderOpened(match[1]!) : null;
}

/** A move into place (rename) that met a folder as Node's EISDIR on that folder (Node names the file moved), or null. */
function movedOntoFolder(failure: FileSystemError): FileSystemError | null {
  const dest = (failure as NodeJS.ErrnoException & { dest?: unknown }).dest;
  if (failure.code !== 'EISDIR' || failure.syscall !== 'rename' || typeof dest !== 'string') return null;
  return folderOpened(dest);
}

/** Node's EISDIR of opening `path` as a file, as the refusals read it. */
function folderOpened(path: string): FileSystemError {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR' as const, syscall: 'open', path });
}

/** The paths the user named: every operand and option value of the command line, CLVKIT_KEY_FILE, and the current folder (where the default --db and --out are). */
function userPaths(argv: readonly string[]): string[] {
  const named = argv.flatMap((token) => (token.startsWith('--') && token.includes('=') ? [token.slice(token.indexOf('=') + 1)] : token.startsWith('-') ? [] : [token]));
  return [...named, ...(process.env.CLVKIT_KEY_FILE ? [process.env.CLVKIT_KEY_FILE] : [])].filter((p) => p !== '').map((p) => resolve(p));
}

/** `path` is `named`, inside it, a folder on its way, or a file made beside it from its name (`shop.duckdb.wal`, `a.csv.tmp-123`). */
function concerns(path: string, named: string): boolean {
  return within(path, named) || within(named, path) || (dirname(path) === dirname(named) && basename(path).startsWith(basename(named)));
}

/**
 * A file-system error that reached the top of the CLI as the user's one-line
 * refusal (`fileSystemUserError`: the path and a hint, exit 2) when it is
 * theirs to fix; null when it stays an internal error with its stack trace:
 * any error on clvkit's own files, and a missing file, a file where a folder
 * belongs or a folder where a file belongs (ENOENT, ENOTDIR, EISDIR) on a path
 * the user did not name (a path the code built wrongly is a bug). A
 * permission, a read-only or a full disk is never the code's fault.
 *
 * Example: `userFileSystemError(eaccesOpening('/tmp/x/noperm.csv'), ['ingest', '/tmp/x/noperm.csv'])?.message` → `'cannot open /tmp/x/noperm.csv: permission denied'`
 */
export function userFileSystemError(error: unknown, argv: readonly string[]): UserError | null {
  const found = asFileSystemError(error) ?? engineFolderForFile(error);
  if (!found) return null;
  const failure = movedOntoFolder(found) ?? found;
  if (failure.path === undefined) return failure.code === 'ENOSPC' || failure.code === 'EROFS' ? fileSystemUserError(failure) : null;
  const path = resolve(failure.path);
  if (PACKAGE_FOLDERS.some((folder) => within(path, folder))) return null;
  if (ENVIRONMENT_CODES.has(failure.code)) return fileSystemUserError(failure);
  const named = userPaths(argv);
  if (!PATH_CODES.has(failure.code) || !(within(path, process.cwd()) || named.some((p) => concerns(path, p)))) return null;
  // a folder where a file of the command's own belongs, inside a named folder (out/customers.csv): not a path the user gave as a file
  if (failure.code === 'EISDIR' && !named.includes(path)) return new UserError(`${failure.path} is a folder, not a file`, 'a file of that name belongs there: remove or rename that folder, or pass other paths');
  return fileSystemUserError(failure);
}
