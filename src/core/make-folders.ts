import { mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asFileSystemError, fileSystemUserError } from './errors/file-system-error.js';
import { UserError } from './errors/user-error.js';

/**
 * `mkdir -p` that always ends: makes `path` and the folders missing above it,
 * one at a time, and refuses in one line (UserError) when one cannot be made.
 * Node's own `mkdir(path, { recursive: true })` loops for ever where a folder
 * exists but takes no new folder (`/proc/x`: mkdir /proc/x → ENOENT, mkdir
 * /proc → EEXIST, again, at 100% CPU); clvkit calls this instead. `flag` names
 * the option the path came from (`--out`) in the refusal; `mode` is given to
 * every folder made. Returns the first (topmost) folder made, undefined when
 * `path` was there, as Node's recursive mkdir does.
 *
 * Example: `makeFolders('/proc/x', { flag: '--out' })` → UserError `cannot create --out /proc/x: /proc does not take new folders (hint: …)`
 */
export function makeFolders(path: string, options: { flag?: string; mode?: number } = {}): string | undefined {
  const full = resolve(path);
  const label = options.flag ? `${options.flag} ${path}` : `the folder ${path}`;
  const missing: string[] = [];
  for (let folder = full; ; folder = dirname(folder)) {
    const stat = statFolder(folder);
    if (stat === undefined && dirname(folder) !== folder) {
      missing.unshift(folder);
      continue;
    }
    if (stat && !stat.isDirectory()) {
      if (folder === full) throw new UserError(`${label} is a file, not a folder`, 'pass a folder (it is created when missing)');
      throw new UserError(`${label} goes through ${folder}, which is a file, not a folder`, 'check the path: only its last part may be a file');
    }
    break;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, options.mode === undefined ? {} : { mode: options.mode });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statFolder(folder)?.isDirectory()) continue; // made meanwhile by another process
      const parent = dirname(folder);
      if (code === 'ENOENT' && statFolder(parent)?.isDirectory()) {
        const hint = options.flag ? `choose an ${options.flag} folder on an ordinary disk, e.g. ${options.flag} out/` : 'choose a folder on an ordinary disk';
        throw new UserError(`cannot create ${label}: ${parent} does not take new folders`, hint);
      }
      const fileSystemError = asFileSystemError(error);
      if (fileSystemError) throw fileSystemUserError(fileSystemError);
      if (typeof code === 'string') throw new UserError(`cannot create ${label}: ${(error as Error).message}`, 'choose another folder');
      throw error;
    }
  }
  return missing[0];
}

/** `statSync(folder)`, undefined when nothing is there; any other failure (no permission to look) is refused in one line. */
function statFolder(folder: string): Stats | undefined {
  try {
    return statSync(folder);
  } catch (error) {
    const fileSystemError = asFileSystemError(error);
    if (fileSystemError?.code === 'ENOENT' || fileSystemError?.code === 'ENOTDIR') return undefined;
    if (fileSystemError) throw fileSystemUserError(fileSystemError);
    throw error;
  }
}
