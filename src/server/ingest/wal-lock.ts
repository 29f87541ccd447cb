/**
 * Who holds the ingest write-ahead log: `<log>/lock`, made exclusively, holding the pid of the server that has the
 * log open (or of an erasure rewriting it). An erasure must not rewrite a segment a running server appends to (its
 * open handle would go on writing to the replaced file, and acknowledged batches would be lost): on a warehouse file
 * the server holds the file too, so `clvkit erase` is refused before it gets here, but a server on a cluster keeps
 * only its state file and this lock. A lock whose process is gone (a server killed) is taken over; so is one of this
 * process's own (a log opened again without being closed: a crash as the tests make one), except by an erasure while
 * this process has the log open.
 */
import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { statOrUndefined } from '../../core/errors/file-system-error.js';
import { UserError } from '../../core/errors/user-error.js';
import { isOtherLiveProcess } from '../../core/live-process.js';

/** The logs this process has open (absolute folders), with how many times (opened again without being closed). */
const OPEN_HERE = new Map<string, number>();

const lockFile = (dir: string) => join(dir, 'lock');

/** The holder of a lock without a pid in it (`tryLockWriteAheadLog`'s answer): not taken over, said as unknown. */
export const UNKNOWN_HOLDER = 0;

/** The pid a lock (or a takeover claim) file holds: UNKNOWN_HOLDER when none; null when the file is gone. */
function pidIn(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text, 10);
  // the lock is made whole (linked from a written file): one without a pid was not made by clvkit, or is damaged
  return Number.isInteger(pid) && pid > 0 ? pid : UNKNOWN_HOLDER;
}

/** Makes `target` holding this process's pid, whole (written beside it, then linked); false when it exists. */
function linkWhole(dir: string, target: string): boolean {
  // the lock never exists without its pid (another process reading it between an exclusive create and its write read
  // no pid, took it for a dead holder's and removed a live lock)
  const written = `${lockFile(dir)}.${process.pid}`;
  writeFileSync(written, `${process.pid}\n`, { mode: 0o600 });
  try {
    linkSync(written, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    rmSync(written, { force: true });
  }
}

const inodeOf = (file: string): number | null => statOrUndefined(file)?.ino ?? null;
const CLAIM = /^lock\.takeover-(\d+)$/;

/**
 * Takes the log's lock for this process; the pid of the live process holding it instead (nothing taken), or
 * UNKNOWN_HOLDER when the lock (or a takeover of it that a process died in) names none alive to ask. `forErasure`:
 * refused too while this process has the log open.
 *
 * A lock whose holder is gone (or is this process) is taken over, by one process only: two that both found the same
 * dead holder used to both take over, the second removing the lock the first had just made. The stale lock's
 * instance is claimed first (`lock.takeover-<inode>`, made exclusively); holding the claim, the lock is checked to be
 * still that instance of that dead holder before it is removed (no other process removes that instance: it would need
 * the claim). A claim held by a live process: that process is taking over, named as the holder. One whose process
 * died mid-takeover is not taken over in turn (that would race the same way): UNKNOWN_HOLDER, the lock removed by
 * hand. `afterJudgedStale`: a test's seam, called once the lock was judged stale, before it is taken over.
 */
export function tryLockWriteAheadLog(dir: string, options: { forErasure?: boolean; afterJudgedStale?: () => void } = {}): number | null {
  const full = resolve(dir);
  if (options.forErasure && OPEN_HERE.has(full)) return process.pid;
  const lock = lockFile(full);
  for (;;) {
    if (linkWhole(full, lock)) {
      removeOldClaims(full);
      return null;
    }
    const inode = inodeOf(lock);
    const pid = pidIn(lock);
    if (inode === null || pid === null) continue; // let go of meanwhile: try again
    if (pid === UNKNOWN_HOLDER || isOtherLiveProcess(pid)) return pid;
    options.afterJudgedStale?.();
    const claim = join(full, `lock.takeover-${inode}`);
    if (!linkWhole(full, claim)) {
      const claimer = pidIn(claim);
      if (claimer === null) continue; // that takeover ended: try again
      return claimer !== process.pid && isOtherLiveProcess(claimer) ? claimer : UNKNOWN_HOLDER;
    }
    try {
      // still the instance judged stale, of the same holder (an inode number is reused: the pid tells a new lock)
      if (inodeOf(lock) === inode && pidIn(lock) === pid) rmSync(lock, { force: true });
    } finally {
      rmSync(claim, { force: true });
    }
  }
}

/**
 * The claims of takeovers that ended or died, once this process holds the lock: a process that claims one again finds
 * the lock not the instance of the dead holder it judged stale (this process's pid is in it), and leaves it.
 */
function removeOldClaims(dir: string): void {
  for (const name of readdirSync(dir)) if (CLAIM.test(name)) rmSync(join(dir, name), { force: true });
}

/** The server's lock on its log, held while the log is open; `UserError` when another live process holds it. */
export function lockWriteAheadLogForServer(dir: string): void {
  const holder = tryLockWriteAheadLog(dir);
  if (holder !== null) {
    if (holder === UNKNOWN_HOLDER) throw new UserError(`the ingest write-ahead log ${dir} has a lock file naming no live process to ask (${lockFile(dir)}: no process id in it, or a takeover of it was interrupted)`, `if no clvkit serve or erase runs on this warehouse, remove ${lockFile(dir)}`);
    throw new UserError(`the ingest write-ahead log ${dir} is held by process ${holder}`, `another clvkit serve (or erase) uses this warehouse: stop it first; if process ${holder} is not clvkit, remove ${lockFile(dir)}`);
  }
  OPEN_HERE.set(resolve(dir), (OPEN_HERE.get(resolve(dir)) ?? 0) + 1);
}

/** Lets go of the log's lock (when this process holds it and has the log open no more). */
export function unlockWriteAheadLog(dir: string): void {
  const full = resolve(dir);
  const open = (OPEN_HERE.get(full) ?? 1) - 1;
  if (open > 0) {
    OPEN_HERE.set(full, open);
    return;
  }
  OPEN_HERE.delete(full);
  try {
    if (Number.parseInt(readFileSync(lockFile(full), 'utf8'), 10) === process.pid) rmSync(lockFile(full), { force: true });
  } catch {
    // no lock: nothing to let go
  }
}
