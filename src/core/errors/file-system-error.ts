import { statSync, type Stats } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { UserError } from './user-error.js';

/** The file-system failures a user can fix (a permission, a file where a folder belongs, a full disk): what `fileSystemUserError` words. */
export const FILE_SYSTEM_CODES = ['EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOENT', 'EROFS', 'ENOSPC'] as const;
export type FileSystemCode = (typeof FILE_SYSTEM_CODES)[number];

/** Node's error of a file-system call (`open`, `mkdir`, …) with one of `FILE_SYSTEM_CODES`. */
export interface FileSystemError extends Error {
  readonly code: FileSystemCode;
  readonly syscall: string;
  /** the path the call was given (absent for a call on an open file, e.g. a write that found the disk full) */
  readonly path?: string;
}

/** `error` when it is Node's error of a file-system call with one of `FILE_SYSTEM_CODES`, else null (DuckDB's and every other error). */
export function asFileSystemError(error: unknown): FileSystemError | null {
  if (!(error instanceof Error)) return null;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof syscall !== 'string' || !(FILE_SYSTEM_CODES as readonly string[]).includes(code ?? '')) return null;
  if (path !== undefined && typeof path !== 'string') return null;
  return error as FileSystemError;
}

/** What a call was doing, in words: `open`, `create the folder`, … */
const ACTIONS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rmdir: 'remove the folder',
  unlink: 'remove',
  rm: 'remove',
  rename: 'move',
  copyfile: 'copy',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'reach',
  lstat: 'reach',
  access: 'reach',
  chmod: 'change the permissions of',
  mkdtemp: 'create a folder in',
};

/**
 * The first folder on the way to `path` that is a file (`/data/orders.csv` for
 * `/data/orders.csv/out`), or undefined when none is (the path changed since).
 *
 * Example: `fileOnTheWay('/tmp/a.csv/x/y')` → `'/tmp/a.csv'` when /tmp/a.csv is a file
 */
export function fileOnTheWay(path: string): string | undefined {
  const full = resolve(path);
  const folders: string[] = [];
  for (let folder = dirname(full); folder !== parse(folder).root; folder = dirname(folder)) folders.unshift(folder);
  for (const folder of folders) {
    const stat = statOrUndefined(folder);
    if (stat === undefined) return undefined;
    if (!stat.isDirectory()) return folder;
  }
  return undefined;
}

/** `statSync(path)`, or undefined when it fails for any reason (missing, not reachable). */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The one-line refusal (message and hint) of a file-system error the user can
 * fix, naming the path: `cannot open /data/orders.csv: permission denied`,
 * `/out/report.csv is a folder, not a file`, `no space left on the disk (writing
 * /out/customers.csv)`. `verb` words what was being done when the call's name
 * does not say enough (`read` for an input file opened to be read).
 *
 * Example: `fileSystemUserError(eaccesOpeningOrders, 'read').message` → `'cannot read /data/orders.csv: permission denied'`
 */
export function fileSystemUserError(error: FileSystemError, verb?: string): UserError {
  const path = error.path;
  const action = verb ?? ACTIONS[error.syscall] ?? 'use';
  if (path === undefined) {
    // a call on an open file (a write): only a full or read-only disk is worded without a path
    if (error.code === 'ENOSPC') return new UserError('no space left on the disk', 'free some space, or write to another disk (df -h shows the free space)');
    return new UserError(`cannot ${action} a file: ${error.message}`, 'check the free space and permissions of the folders the command writes to');
  }
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return new UserError(`cannot ${action} ${path}: permission denied`, `check who may ${action === 'read' ? 'read' : 'read and write'} it and its folders (ls -ld ${path}), or use a path you have access to`);
    case 'EROFS':
      return new UserError(`cannot ${action} ${path}: the file system is read-only`, 'write to a folder on a writable disk');
    case 'ENOSPC':
      return new UserError(`no space left on the disk (writing ${path})`, 'free some space, or write to another disk (df -h shows the free space)');
    case 'EISDIR':
      return new UserError(`${path} is a folder, not a file`, 'pass the path of a file (to write one, a file name inside that folder)');
    case 'ENOTDIR': {
      const file = fileOnTheWay(path);
      return file ? new UserError(`${path} goes through ${file}, which is a file, not a folder`, 'check the path: only its last part may be a file') : new UserError(`${path}: part of the path is not a folder`, 'check the path: only its last part may be a file');
    }
    case 'ENOENT': {
      const folder = dirname(resolve(path));
      if (statOrUndefined(folder) === undefined) return new UserError(`cannot ${action} ${path}: the folder ${folder} does not exist`, 'create it first, or choose another path');
      return new UserError(`no such file or folder: ${path}`, 'check the path (relative paths start from the current folder)');
    }
  }
}
