/**
 * `clvkit erase` (and `clvkit retention apply`, which deletes and rewrites the file the same way) stopped by a signal (Ctrl-C, SIGTERM) says what it did and what it did not: a user trial's
 * `kill -INT` 2 s in ended it with exit 130 and no word, though the deletion was committed and audited and only the
 * file rewrite (which makes the deleted rows unrecoverable) had not run. The deletion, once begun, runs to its commit
 * (one transaction); the rewrite is skipped, or stopped where it is (its copy discarded), and the one line names the
 * rows deleted, committed and audited, the file not rewritten, and the command that completes it: the same erase
 * again. With --json the report of what was done, `file: null`, `runFiles: null` and `stopped.interrupted: true`.
 * The signal is emitted in this process as the rewrite (or the deletion) starts, through wrapped modules.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { orders } from '../helpers/interrupted-cli.js';

const trigger = vi.hoisted(() => ({ signal: null as 'SIGINT' | 'SIGTERM' | null, at: 'compaction' as 'compaction' | 'deletion' }));
vi.mock('../../src/privacy/warehouse/compact-warehouse-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/privacy/warehouse/compact-warehouse-file.js')>();
  const compactWarehouseFile: typeof real.compactWarehouseFile = (path, options) => {
    if (trigger.signal && trigger.at === 'compaction') process.emit(trigger.signal);
    return real.compactWarehouseFile(path, options);
  };
  return { ...real, compactWarehouseFile };
});
vi.mock('../../src/privacy/warehouse/erase-customers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/privacy/warehouse/erase-customers.js')>();
  const eraseCustomers: typeof real.eraseCustomers = (warehouse, ids, options) => {
    if (trigger.signal && trigger.at === 'deletion') process.emit(trigger.signal);
    return real.eraseCustomers(warehouse, ids, options);
  };
  return { ...real, eraseCustomers };
});

/** `clvkit <args>` in this process, `signal` emitted as `at` starts. */
async function interruptedErase(args: string[], signal: 'SIGINT' | 'SIGTERM', at: 'compaction' | 'deletion') {
  const out: string[] = [];
  const err: string[] = [];
  Object.assign(trigger, { signal, at });
  try {
    const code = await runCli(args, { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { write: (s: string) => (err.push(s), true), isTTY: false } });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    trigger.signal = null;
  }
}

async function shopWithTwoCustomers(): Promise<{ dir: string; db: string }> {
  const dir = scratchDir();
  const db = join(dir, 'shop.duckdb');
  const ingest = await cli(['ingest', orders(dir, 'a.csv', 'A'), '--db', db, '--quiet']);
  expect(ingest.code, ingest.stderr).toBe(0);
  return { dir, db };
}

async function rowsOf(db: string): Promise<{ transactions: number; audited: number }> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const [t] = await warehouse.query('SELECT count(*) AS n FROM transactions');
    const [a] = await warehouse.query(`SELECT count(*) AS n FROM audit_log WHERE action = 'erase'`);
    return { transactions: Number(t!.n), audited: Number(a!.n) };
  } finally {
    await warehouse.close();
  }
}

const line = (db: string) =>
  `clvkit: erase interrupted: 2 rows of 1 customer deleted from ${db}, committed and audited; not done: the warehouse file was not rewritten, so the deleted rows may still be recoverable from its free pages (hint: run the same clvkit erase command again: it deletes nothing more and rewrites the file)`;

describe('erase stopped by a signal', () => {
  it('Ctrl-C as the file rewrite starts: the one line of what was done and not, exit 130; the same erase again rewrites the file', async () => {
    const { dir, db } = await shopWithTwoCustomers();
    const run = await interruptedErase(['erase', 'A1', '--db', db, '--role', 'admin'], 'SIGINT', 'compaction');
    expect(run.stderr).toBe(`${line(db)}\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(130);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([0, 0]);
    expect(await rowsOf(db)).toEqual({ transactions: 1, audited: 1 }); // A1's row deleted, committed, audited
    expect(readdirSync(dir).filter((name) => name.includes('writing'))).toEqual([]); // no half-made copy left
    const again = await cli(['erase', 'A1', '--db', db, '--role', 'admin', '--json']);
    expect(again.code, again.stderr).toBe(0);
    const done = JSON.parse(again.stdout);
    expect([done.rows, done.customers[0].nothingHeld, typeof done.file.bytesAfter]).toEqual([0, true, 'number']);
  });

  it('SIGTERM with --json: the report of what was done, file and runFiles null, stopped.interrupted; exit 143', async () => {
    const { db } = await shopWithTwoCustomers();
    const run = await interruptedErase(['erase', 'A1', '--db', db, '--role', 'admin', '--json'], 'SIGTERM', 'compaction');
    expect(run.code).toBe(143);
    expect(run.stderr).toBe(`${line(db)}\n`);
    const report = JSON.parse(run.stdout);
    expect([report.engine, report.rows, report.rowCounts, report.customers.length, report.file, report.runFiles]).toEqual(['duckdb', 2, { customer_reid: 1, transactions: 1 }, 1, null, null]);
    expect(report.stopped).toEqual({ error: line(db).slice('clvkit: '.length), interrupted: true });
  });

  it('a signal during the deletion lets it commit (one transaction), then skips the rewrite: the same line, exit 143', async () => {
    const { db } = await shopWithTwoCustomers();
    const run = await interruptedErase(['erase', 'A1', '--db', db, '--role', 'admin'], 'SIGTERM', 'deletion');
    expect(run.stderr).toBe(`${line(db)}\n`);
    expect(run.code).toBe(143);
    expect(await rowsOf(db)).toEqual({ transactions: 1, audited: 1 });
    expect(existsSync(`${db}.tmp`)).toBe(false);
  });
});

describe('retention apply stopped by a signal', () => {
  it('as the file rewrite starts: the purge committed and audited, the one line and --json report of it, exit 143; the same command again rewrites the file', async () => {
    const { db } = await shopWithTwoCustomers();
    const args = ['retention', 'apply', '--transactions', '1y', '--allow-empty', '--db', db, '--role', 'admin', '--json'];
    const run = await interruptedErase(args, 'SIGTERM', 'compaction');
    const report = JSON.parse(run.stdout);
    expect([report.rows, report.deleted.transactions, report.file]).toEqual([report.rows, 2, null]);
    const message = `retention apply interrupted: ${report.rows} rows purged from ${db} (${Object.entries(report.deleted).map(([t, n]) => `${t} ${n}`).join(', ')}), committed and audited; not done: the warehouse file was not rewritten, so the purged rows may still be recoverable from its free pages (hint: run the same clvkit retention apply command again: it rewrites the file, purging only what has aged past its period since)`;
    expect(run.stderr).toBe(`clvkit: ${message}\n`);
    expect(report.stopped).toEqual({ error: message, interrupted: true });
    expect(run.code).toBe(143);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([0, 0]);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      expect(await warehouse.query(`SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM audit_log WHERE action = 'apply_retention') AS a`)).toEqual([{ t: 0, a: 1 }]);
    } finally {
      await warehouse.close();
    }
    const again = await cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(typeof JSON.parse(again.stdout).file.bytesAfter).toBe('number');
  });
});

