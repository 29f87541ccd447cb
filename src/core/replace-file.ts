import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isOtherLiveProcess } from './live-process.js';

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

/** A file being written readable by its owner only (`startOwnerOnlyFile`). */
export interface OwnerOnlyFile {
  /** where the writer makes the file: inside the 0700 scratch folder, named as the target */
  readonly scratchPath: string;
  /** makes the written file 0600 (unless started `keepMode`), fsyncs it, renames it over the target, fsyncs the folder, removes the scratch folder (also when a step fails) */
  place(): void;
  /** removes the scratch folder and what is in it (the target is left as it was); nothing once placed */
  discard(): void;
  /** with `oldScratchFiles`: the `<path>.tmp-<pid>` files kept beside the target, their process alive (absolute) */
  readonly keptOldScratchFiles: readonly string[];
}

/** The scratch folders this process is writing in (absolute): never stale, whatever pid they name. */
const WRITING = new Set<string>();

/**
 * Starts a file at `path` readable by its owner only (0600) from the moment a file is at that path, for a writer
 * that sets no mode of its own (DuckDB's `COPY … TO` replaces a file made 0600 beforehand with one of the default
 * mode): the writer makes the file at `scratchPath`, inside a fresh scratch folder beside `path`
 * (`.<name>.writing-XXXXXX`, 0700, on the same file system), where nobody else can reach it whatever its mode;
 * `place()` then makes it 0600, fsyncs it and renames it over `path` — at once (`writeOwnerOnlyFile`) or once what
 * the file records was committed (an audience file) — and `discard()` removes the folder instead.
 *
 * The folder holds `<name>.writer`, this process's pid. A crash mid-write leaves the folder (still 0700); the next
 * start of the same target removes such leftovers: the entries of `path`'s folder named exactly
 * `.<name>.writing-` and six letters or digits that are folders (not symlinks) of this process's user whose writer
 * is gone — no pid in them (older versions wrote none), or the pid of no live process (or of this process, when it is
 * not one of its own writes in progress). A live writer's folder is kept (another process writing the same target),
 * as is everything else; a leftover that cannot be removed is left, the write goes on. (A pid is looked up on this
 * machine: a folder on a file system shared with other hosts, whose pid names a process here, is kept.)
 *
 * With `keepMode` the file keeps the mode its writer gave it (a file with nothing personal, of the default mode): the
 * scratch folder alone, so that a failed `place()` or a crash leaves nothing beside `path` for good.
 *
 * With `oldScratchFiles` (a target older versions wrote as `<path>.tmp-<pid>` then renamed: audience files) the files
 * such a write left are removed as well: the entries named exactly `<name>.tmp-` and a decimal pid (1 to 7 digits;
 * `replaceFileDurably`'s names have 12 hex digits) that are regular files (not symlinks) of this process's user
 * whose pid is no live process. Those of a live process (an older clvkit still writing, or the pid reused since) are
 * kept and listed in `keptOldScratchFiles`, for the caller to name; another user's, and all else, are left unsaid.
 *
 * Example: `const file = startOwnerOnlyFile('out/audience.csv'); await warehouse.exportCsv(sql, file.scratchPath); … file.place()`
 */
export function startOwnerOnlyFile(path: string, options: { readonly keepMode?: boolean; readonly oldScratchFiles?: boolean } = {}): OwnerOnlyFile {
  removeStaleScratchFolders(path);
  const keptOldScratchFiles = options.oldScratchFiles ? removeOldScratchFiles(path) : [];
  const folder = resolve(mkdtempSync(join(dirname(path), `.${basename(path)}.writing-`))); // made 0700
  WRITING.add(folder);
  const scratchPath = join(folder, basename(path));
  const discard = () => {
    rmSync(folder, { recursive: true, force: true });
    WRITING.delete(folder);
  };
  try {
    writeFileSync(`${scratchPath}.writer`, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    discard();
    throw error;
  }
  return {
    scratchPath,
    place: () => {
      try {
        if (options.keepMode !== true) chmodSync(scratchPath, 0o600);
        const fd = openSync(scratchPath, 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(scratchPath, path);
        syncFolder(dirname(path));
      } finally {
        discard();
      }
    },
    discard,
    keptOldScratchFiles,
  };
}

/**
 * Writes `path` readable by its owner only (0600) from the moment a file is at that path (`startOwnerOnlyFile`, whose
 * comment says how, and which scratch folders earlier crashed writes of `path` left it removes first): `write` makes
 * the file at the path it is given, inside a fresh 0700 scratch folder beside `path`; the file is then made 0600,
 * fsynced and renamed over `path`, and the folder fsynced. The scratch folder is removed when this ends, also when
 * `write` fails: a failed write leaves `path` as it was. (A crash mid-write leaves the scratch folder, still 0700,
 * until the next write of `path`.)
 *
 * Example: `await writeOwnerOnlyFile('out/customers.csv', (scratch) => warehouse.exportCsv(sql, scratch))`
 */
export async function writeOwnerOnlyFile<T>(path: string, write: (scratchPath: string) => Promise<T>): Promise<T> {
  const file = startOwnerOnlyFile(path);
  try {
    const result = await write(file.scratchPath);
    file.place();
    return result;
  } finally {
    file.discard();
  }
}

/**
 * The scratch folders of `path` that crashed writes left (see `startOwnerOnlyFile`: folders of this user, named for
 * `path`, whose writer is gone), absolute and sorted — what the next start of `path` removes.
 *
 * Example: `staleScratchFolders('shop.duckdb')` → `['/data/.shop.duckdb.writing-Ab12Cd']` (a compaction killed mid-copy)
 */
export function staleScratchFolders(path: string): string[] {
  const folder = dirname(path);
  const prefix = `.${basename(path)}.writing-`;
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return []; // no folder: nothing left in it (making the scratch folder says what is wrong)
  }
  const stale: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[A-Za-z0-9]{6}$/.test(name.slice(prefix.length))) continue;
    const scratch = resolve(folder, name);
    try {
      const stat = lstatSync(scratch);
      if (!stat.isDirectory() || uid === undefined || stat.uid !== uid || WRITING.has(scratch)) continue;
      if (!writerAlive(join(scratch, `${basename(path)}.writer`))) stale.push(scratch);
    } catch {
      // gone meanwhile, or not ours: left
    }
  }
  return stale.sort();
}

/** Removes the scratch folders of `path` that crashed writes left (`staleScratchFolders`). */
function removeStaleScratchFolders(path: string): void {
  for (const scratch of staleScratchFolders(path)) {
    try {
      rmSync(scratch, { recursive: true, force: true });
    } catch {
      // not ours to remove after all: left, the write goes on
    }
  }
}

/** Removes the `<path>.tmp-<pid>` files older versions' crashed writes left (see `startOwnerOnlyFile`); those of a live process, kept. */
function removeOldScratchFiles(path: string): string[] {
  const folder = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  const uid = process.getuid?.();
  const kept: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return kept;
  }
  for (const name of names) {
    const digits = name.slice(prefix.length);
    if (!name.startsWith(prefix) || !/^[1-9][0-9]{0,6}$/.test(digits)) continue;
    const file = resolve(folder, name);
    try {
      const stat = lstatSync(file);
      if (!stat.isFile() || uid === undefined || stat.uid !== uid) continue;
      if (isOtherLiveProcess(Number(digits))) kept.push(file);
      else rmSync(file, { force: true });
    } catch {
      // gone meanwhile, or not ours to remove: left, the write goes on
    }
  }
  return kept.sort();
}

/** Whether the pid in a scratch folder's writer file is a live process other than this one (none in it: gone). */
function writerAlive(file: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    return false;
  }
  return isOtherLiveProcess(pid);
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
