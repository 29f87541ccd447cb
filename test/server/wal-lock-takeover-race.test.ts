/**
 * Regression (session 36's review): the write-ahead log's lock was taken over from a dead holder by removing it and
 * linking a new one. Two processes that both found the same dead holder could both take over: the first removed the
 * stale lock and linked its own, the second — still acting on what it had read — removed that fresh lock and linked
 * its own, and two servers (or a server and an erase) held one log. A takeover now claims the stale lock's instance
 * first (`lock.takeover-<inode>`, made exclusively) and, holding the claim, checks that the lock is still that instance
 * of that dead holder before removing it: the second process finds a live holder's lock and leaves it. The interleaving
 * is made with the seam `afterJudgedStale` (called once the lock was judged stale, before it is taken over).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockWriteAheadLogForServer, tryLockWriteAheadLog, unlockWriteAheadLog, UNKNOWN_HOLDER } from '../../src/server/ingest/wal-lock.js';
import { scratchDir } from '../helpers/warehouse.js';

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
/** A live process other than this one (the test runner's parent). */
const livePid = process.ppid;

function logWithStaleLock(): { dir: string; lock: string } {
  const dir = join(scratchDir(), 'wh.duckdb.ingest-wal');
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'lock');
  writeFileSync(lock, `${deadPid()}\n`);
  return { dir, lock };
}

describe('taking over a stale write-ahead log lock', () => {
  it('a takeover that lost the race to another leaves the winner’s fresh lock alone and names its holder', () => {
    const { dir, lock } = logWithStaleLock();
    // between this process judging the lock stale and taking it over, another process takes it over first
    const held = tryLockWriteAheadLog(dir, {
      afterJudgedStale: () => {
        rmSync(lock);
        writeFileSync(lock, `${livePid}\n`);
      },
    });
    expect(held).toBe(livePid);
    expect(readFileSync(lock, 'utf8')).toBe(`${livePid}\n`);
  });

  it('a takeover finding another process’s claim on the same stale lock leaves it to that process', () => {
    const { dir, lock } = logWithStaleLock();
    writeFileSync(join(dir, `lock.takeover-${statSync(lock).ino}`), `${livePid}\n`);
    expect(tryLockWriteAheadLog(dir)).toBe(livePid);
    expect(readFileSync(lock, 'utf8')).not.toBe(`${process.pid}\n`);
  });

  it('a claim whose process died mid-takeover is not taken over in turn: said in one line, the lock removed by hand as the hint says', () => {
    const { dir, lock } = logWithStaleLock();
    writeFileSync(join(dir, `lock.takeover-${statSync(lock).ino}`), `${deadPid()}\n`);
    expect(tryLockWriteAheadLog(dir)).toBe(UNKNOWN_HOLDER);
    expect(() => lockWriteAheadLogForServer(dir)).toThrow(`the ingest write-ahead log ${dir} has a lock file naming no live process to ask (${lock}: no process id in it, or a takeover of it was interrupted)`);
    rmSync(lock);
    lockWriteAheadLogForServer(dir);
    expect(readdirSync(dir)).toEqual(['lock']); // the dead takeover's claim cleared
    unlockWriteAheadLog(dir);
  });

  it('takes over a stale lock when nothing races it, and leaves no claim behind', () => {
    const { dir, lock } = logWithStaleLock();
    expect(tryLockWriteAheadLog(dir)).toBe(null);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    expect(readdirSync(dir).sort()).toEqual(['lock']);
    unlockWriteAheadLog(dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});
