/**
 * `clvkit analyze --engine clickhouse` killed with kill -9 in the middle of its run, as a user's process dies: the
 * tables it was working in — the derived tables it stages (`clv_staged_*`) and its TEMP tables (`clv_intervals`,
 * `clv_tuple_scores`, …: ordinary tables on ClickHouse), customer tokens in them — stayed on the cluster: the staged
 * ones until the next analysis, the TEMP ones for good; no other command dropped them. Now the next command that
 * opens the cluster as a writer drops them once the killed run's lease has lapsed (60 s without a beat), and a run
 * still going keeps its tables while another process sweeps.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { ageLeases, runTablesOnShards } from '../helpers/killed-writer.js';
import { scratchDir } from '../helpers/warehouse.js';
import { assertBuilt, CLI, runClvkit } from '../server/serve-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!CLICKHOUSE_URL)(`analyze --engine clickhouse killed with kill -9 mid-run (node dist/cli/main.js)${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  it('leaves its staged and TEMP tables; the next ingest a minute later drops them, while a running analysis keeps its own beside a sweep', async () => {
    assertBuilt();
    const dir = scratchDir();
    const watch = await clickhouseWarehouse('killed_analyze'); // the database the runs write, seen from the test
    const database = watch.database;
    const ask = async (sql: string) => String(Object.values((await watch.query(sql))[0] ?? {})[0] ?? '');
    const key = join(dir, 'cluster.key');
    expect(runClvkit(['keys', 'init', '--key-file', key]).status).toBe(0);
    expect(runClvkit(['synth', '--customers', '200', '--out', join(dir, 'shop'), '--no-events']).status).toBe(0);
    const orders = join(dir, 'shop', 'transactions.csv');
    const flags = [...clickhouseFlags(database), '--key-file', key];
    const runTables = async () => (await runTablesOnShards(watch)).flat();
    const analyze = (out: string) => {
      const child = spawn(process.execPath, [CLI, 'analyze', orders, ...flags, '--out', join(dir, out), '--skip-report', '--skip-patterns', '--no-churn'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (text: Buffer) => (stderr += text.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      return { child, exited, stderr: () => stderr };
    };
    /** Waits until the run has made `table` (its value step under way), or fails after 5 minutes. */
    const until = async (table: string) => {
      for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(200)) {
        if ((await ask(`SELECT count() AS n FROM system.tables WHERE database = '${database}' AND name = '${table}'`)) === '1') return;
      }
      throw new Error(`no ${table} after 5 minutes`);
    };
    try {
      // a run still going: another process's ingest (which sweeps first) leaves its tables, and the run ends well
      const first = analyze('first');
      await until('clv_intervals');
      const during = await runTables();
      const swept = runClvkit(['ingest', orders, ...flags]);
      expect(swept.status, swept.stderr).toBe(0);
      const ended = await first.exited;
      expect(ended, first.stderr()).toEqual({ code: 0, signal: null });
      expect(during).toEqual(expect.arrayContaining(['clv_intervals', 'clv_staged_customer_summary']));
      const summary = await ask('SELECT count(*) AS n FROM customer_summary');
      expect(Number(summary)).toBeGreaterThan(100);
      expect(await runTables()).toEqual([]); // the run dropped its own at its end

      // a run killed in its value step
      const second = analyze('second');
      await until('clv_intervals');
      second.child.kill('SIGKILL');
      expect((await second.exited).signal).toBe('SIGKILL');
      const left = await runTables();
      expect(left).toEqual(expect.arrayContaining(['clv_intervals', 'clv_staged_customer_summary']));
      expect(await ask('SELECT count(*) AS n FROM clv_staged_customer_summary')).toBe(summary); // every customer's token
      // its claims, under the lease of the killed connection
      const lease = await ask("SELECT lease FROM scratch_leases WHERE scratch = 'clv_staged_customer_summary' ORDER BY beat DESC LIMIT 1");
      expect(lease).toMatch(/^conn_/);
      // a minute after its last beat it is dead (the clock is the cluster's): every lease's beats moved 61 s back
      // rather than waited for (the first run's claims on the same names lapse with it, as they would have)
      await ageLeases(watch, 61);
      expect(await ask(`SELECT toUInt8(max(beat) <= now() - 61) AS dead FROM scratch_leases WHERE lease = '${lease}'`)).toBe('1');
      const next = runClvkit(['ingest', orders, ...flags]);
      expect(next.status, next.stderr).toBe(0);
      expect(await runTables()).toEqual([]); // on every shard
      expect(await ask('SELECT count(*) AS n FROM customer_summary')).toBe(summary); // the first run's analysis, untouched
    } finally {
      await dropScratchDatabase(watch);
    }
  }, 600_000);
});
