/**
 * `clvkit ingest` stopped by SIGTERM (what cron timeouts, systemd and Kubernetes send) stops as on Ctrl-C: the one
 * line saying what it did, with --json the report of the files before it with `stopped.interrupted`, the warehouse
 * closed (its spill folder `<db>.tmp` removed) — and exit 143 (128 + 15), as a shell reports a process ended by
 * SIGTERM. A user trial: `kill -TERM` mid-way ended it with 143, not a word, and an empty `<db>.tmp/` left behind.
 * The signal is emitted in this process as the second file starts being read.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { scratchDir } from '../helpers/warehouse.js';
import { interruptedCli, orders } from '../helpers/interrupted-cli.js';

// --json writes no "reading" line to emit the signal at: SIGTERM is emitted as the file `trigger.at` starts being read
const trigger = vi.hoisted(() => ({ at: null as string | null }));
vi.mock('../../src/ingest/ingest-files.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/ingest/ingest-files.js')>();
  const ingestFiles: typeof real.ingestFiles = (warehouse, files, options = {}) =>
    real.ingestFiles(warehouse, files, {
      ...options,
      onStep: (step, file) => {
        if (step === 'stage' && file === trigger.at) process.emit('SIGTERM');
        options.onStep?.(step, file);
      },
    });
  return { ...real, ingestFiles };
});

describe('ingest stopped by SIGTERM', () => {
  it('says the Ctrl-C line, keeps the file before it, removes its handlers and the spill folder; exit 143', async () => {
    const dir = scratchDir();
    const [a, b, c] = [orders(dir, 'a.csv', 'A'), orders(dir, 'b.csv', 'B'), orders(dir, 'c.csv', 'C')];
    const db = join(dir, 'shop.duckdb');
    const run = await interruptedCli(['ingest', a, b, c, '--db', db], `clvkit: reading ${b}`, 'SIGTERM');
    expect(run.stderr.split('\n').at(-2)).toBe('clvkit: ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv; not read: c.csv');
    expect(run.code).toBe(143);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([0, 0]);
    expect(existsSync(`${db}.tmp`)).toBe(false);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      expect(await warehouse.query('SELECT source, count(*) AS n FROM transactions GROUP BY source')).toEqual([{ source: 'a.csv', n: 2 }]);
    } finally {
      await warehouse.close();
    }
  });

  it('listens from before the warehouse opens: a signal as it opens stops it at its first file, the new warehouse, key and spill folder removed; exit 143', async () => {
    const dir = scratchDir();
    const [a, b] = [orders(dir, 'a.csv', 'A'), orders(dir, 'b.csv', 'B')];
    const db = join(dir, 'new.duckdb');
    // the key file's note is said once the warehouse is open, before its first file is read
    const run = await interruptedCli(['ingest', a, b, '--db', db], 'clvkit: created key file', 'SIGTERM');
    expect(run.stderr.split('\n').slice(-3)).toEqual([`clvkit: nothing was ingested: removed the new warehouse ${db} and its key file again`, 'clvkit: ingest interrupted: nothing from a.csv was added; not read: b.csv', '']);
    expect(run.code).toBe(143);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
  });

  it('with --json (no line on stderr: the signal comes as b.csv starts being read): the report of a.csv, stopped at b.csv, interrupted; exit 143', async () => {
    const dir = scratchDir();
    const [a, b] = [orders(dir, 'a.csv', 'A'), orders(dir, 'b.csv', 'B')];
    const db = join(dir, 'shop.duckdb');
    const out: string[] = [];
    const err: string[] = [];
    trigger.at = b;
    let code: number;
    try {
      code = await runCli(['ingest', a, b, '--db', db, '--json'], { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { write: (s: string) => (err.push(s), true), isTTY: false } });
    } finally {
      trigger.at = null;
    }
    expect(code, err.join('')).toBe(143);
    expect(err.join('').split('\n').at(-2)).toBe('clvkit: ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv');
    const report = JSON.parse(out.join(''));
    expect(report.files.map((f: { source: string; accepted: number }) => [f.source, f.accepted])).toEqual([[a, 2]]);
    expect(report.stopped).toEqual({ file: b, error: 'ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv', hint: null, notRead: [], interrupted: true });
    expect(existsSync(`${db}.tmp`)).toBe(false);
  });
});
