/**
 * Who holds the ingest write-ahead log: `<log>/lock`, made exclusively, holding the pid of the server that has the
 * log open (or of an erasure rewriting it). An erasure must not rewrite a segment a running server appends to (its
 * open handle would go on writing to the replaced file, and acknowledged batches would be lost): on a warehouse file
 * the server holds the file too, so `clvkit erase` is refused before it gets here, but a server on a cluster keeps
 * only its state file and this lock. A lock whose process is gone (a server killed) is taken over; so is one of this
 * process's own (a log opened again without being closed: a crash as the tests make one), except by an erasure while
 * this process has the log open.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors/user-error.js';

/** The logs this process has open (absolute folders), with how many times (opened again without being closed). */
const OPEN_HERE = new Map<string, number>();

const lockFile = (dir: string) => join(dir, 'lock');

/** The holder of a lock without a pid in it (`tryLockWriteAheadLog`'s answer): not taken over, said as unknown. */
export const UNKNOWN_HOLDER = 0;

/** The live process holding the log's lock other than this one, or null (none, gone, or this process). */
function otherHolder(dir: string): number | null {
  let text: string;
  try {
    text = readFileSync(lockFile(dir), 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text, 10);
  // the lock is made whole (linked from a written file): one without a pid was not made by clvkit, or is damaged
  if (!Number.isInteger(pid) || pid <= 0) return UNKNOWN_HOLDER;
  if (pid === process.pid) return null;
  try {
    process.kill(pid, 0); // no signal sent: whether the process exists
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null; // EPERM: it runs, as another user
  }
}

/**
 * Takes the log's lock for this process; the pid of the live process holding it instead (nothing taken). `forErasure`:
 * refused too while this process has the log open.
 */
export function tryLockWriteAheadLog(dir: string, options: { forErasure?: boolean } = {}): number | null {
  const full = resolve(dir);
  if (options.forErasure && OPEN_HERE.has(full)) return process.pid;
  for (;;) {
    // written whole beside it, then linked: the lock never exists without its pid (another process reading it between
    // an exclusive create and its write read no pid, took it for a dead holder's and removed a live lock)
    const written = `${lockFile(full)}.${process.pid}`;
    writeFileSync(written, `${process.pid}\n`, { mode: 0o600 });
    try {
      linkSync(written, lockFile(full));
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(written, { force: true });
    }
    const holder = otherHolder(full);
    if (holder !== null) return holder;
    rmSync(lockFile(full), { force: true }); // its process is gone, or it is this one's: taken over
  }
}

/** The server's lock on its log, held while the log is open; `UserError` when another live process holds it. */
export function lockWriteAheadLogForServer(dir: string): void {
  const holder = tryLockWriteAheadLog(dir);
  if (holder !== null) {
    if (holder === UNKNOWN_HOLDER) throw new UserError(`the ingest write-ahead log ${dir} has a lock file without a process id (${lockFile(dir)})`, `if no clvkit serve or erase runs on this warehouse, remove ${lockFile(dir)}`);
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
