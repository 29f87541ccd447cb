// Not a bench case: where one ingest's time goes. Times every SQL call of `ingestFiles` in CPU seconds (the whole
// process's, so engine threads count; robust to a loaded machine where wall time is not) and lists the largest.
//   tsx bench/cases/ingest-profile.ts <csv> [--keyed] [--db]            one ingest (--db: into a fresh warehouse file)
//   tsx bench/cases/ingest-profile.ts <csv> --append <held.csv> [--keyed] [--text]   <held.csv> first (not timed); --text: duplicates keep their text
//   … --summary   the customer summary after the ingest, as the bench's ingest + summary case runs it
//   … --rss       also the process's peak RSS during each call (sampled every 100 ms), the largest first: where memory goes
//   … --baseline  the engine baseline (typed table + MD5 per row, GROUP BY customer; its own in-memory DuckDB) in this
//                 process before and after the ingest, in CPU and wall seconds: the ratio of each phase to it in the same run
//   … --phases    CPU and wall seconds per phase of the ingest (read/type/judge, duplicates, …), the shares of the whole
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';

const argv = process.argv.slice(2);
const [path] = argv;
if (!path) throw new Error('usage: ingest-profile.ts <csv> [--keyed] [--db] [--append <held.csv> [--text]] [--summary] [--rss]');
const held = argv.includes('--append') ? argv[argv.indexOf('--append') + 1] : undefined;
const db = argv.includes('--db') ? join(tmpdir(), `clvkit-profile-${process.pid}.duckdb`) : ':memory:';
const warehouse = await openDuckDbWarehouse(db);
const options: IngestOptions = {
  now: new Date('2030-01-01T00:00:00Z'),
  ...(argv.includes('--keyed') ? { keyring: keyringFromKey(generateKey()) } : {}),
  ...(argv.includes('--text') ? { duplicateText: 'text' as const } : {}),
};
if (held) await ingestFiles(warehouse, [held], options);
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const calls: [number, string, number][] = [];
const rssPeaks: [number, string][] = [];
const MIB = 1024 * 1024;
let callPeak = 0;
const sampler = argv.includes('--rss') ? setInterval(() => (callPeak = Math.max(callPeak, process.memoryUsage.rss())), 100) : null;
const timed = warehouse as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
for (const method of ['execute', 'query', 'queryColumns', 'append'] satisfies (keyof Warehouse)[]) {
  const original = timed[method]!.bind(warehouse);
  timed[method] = async (...args: unknown[]) => {
    const started = process.cpuUsage();
    const startedWall = performance.now();
    callPeak = process.memoryUsage.rss();
    try {
      return await original(...args);
    } finally {
      const label = `${method} ${String(args[0]).replace(/\s+/g, ' ').slice(0, 110)}`;
      calls.push([cpuSeconds(started), label, (performance.now() - startedWall) / 1000]);
      if (sampler) rssPeaks.push([Math.max(callPeak, process.memoryUsage.rss()) / MIB, label]);
    }
  };
}
/** The engine baseline of `ingest-summary.ts --engine-baseline`, in its own in-memory DuckDB: CPU and wall seconds. */
async function engineBaseline(): Promise<{ cpu: number; wall: number }> {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  const cpu = process.cpuUsage();
  const begun = performance.now();
  await connection.run(`CREATE TABLE t AS SELECT *, md5(concat_ws('|', *COLUMNS(*))) AS h FROM read_csv('${path}')`);
  await connection.run('CREATE TABLE g AS SELECT "CustomerID", count(*) AS n, sum("Quantity" * "UnitPrice") AS spend, min("InvoiceDate") AS first, max("InvoiceDate") AS last FROM t GROUP BY 1');
  const result = { cpu: cpuSeconds(cpu), wall: (performance.now() - begun) / 1000 };
  connection.closeSync();
  instance.closeSync();
  return result;
}
const baselines = argv.includes('--baseline') ? [await engineBaseline()] : [];
const started = process.cpuUsage();
const wall = performance.now();
const report = await ingestFiles(warehouse, [path], options);
if (argv.includes('--summary')) await warehouse.execute(`CREATE TABLE s AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2022-12-31', timeUnit: 'week' })}`);
const total = cpuSeconds(started);
const totalWall = (performance.now() - wall) / 1000;
if (sampler) clearInterval(sampler);
const inSql = calls.reduce((sum, [seconds]) => sum + seconds, 0);
console.log(`ingest: wall ${totalWall.toFixed(2)} s, CPU ${total.toFixed(2)} s (${inSql.toFixed(2)} s in SQL calls), accepted ${report.accepted}, quarantined ${report.quarantined}`);
if (argv.includes('--phases')) {
  // Each SQL call's phase, from its text; what no pattern names is 'other' (bookkeeping, sniffing, samples).
  const phases: [string, RegExp][] = [
    ['read, type, judge, hash (one pass)', /CREATE OR REPLACE TEMP TABLE clv_judged AS/],
    ['duplicates (rule + text of rejected rows)', /clv_duplicate_rows|UPDATE clv_judged/],
    ['sniff, sample, date detection', /sniff_csv|clv_stage_sample|clv_date_sample|DESCRIBE/],
    ['tokenise', /clv_distinct_ids|clv_tokens/],
    ['outlier median/MAD', /median\(/],
    ['persist transactions', /INSERT INTO transactions/],
    ['customer_reid', /clv_new_customers|customer_reid/],
    ['quarantine (+ encryption)', /quarantine/],
    ['summary', /CREATE TABLE s AS/],
  ];
  const byPhase = new Map<string, [number, number]>();
  for (const [cpu, label, seconds] of calls) {
    const phase = phases.find(([, pattern]) => pattern.test(label))?.[0] ?? 'other SQL (counts, settings, bookkeeping)';
    const sum = byPhase.get(phase) ?? [0, 0];
    byPhase.set(phase, [sum[0] + cpu, sum[1] + seconds]);
  }
  const inCalls = calls.reduce((sum, [, , seconds]) => sum + seconds, 0);
  byPhase.set('TypeScript between calls', [total - inSql, totalWall - inCalls]);
  const base = baselines.length ? baselines : [];
  const after = argv.includes('--baseline') ? await engineBaseline() : null;
  if (after) base.push(after);
  const baseCpu = base.reduce((s, b) => s + b.cpu, 0) / Math.max(1, base.length);
  const baseWall = base.reduce((s, b) => s + b.wall, 0) / Math.max(1, base.length);
  console.log('phase | CPU s | share | wall s | share' + (base.length ? ' | CPU vs baseline | wall vs baseline' : ''));
  for (const [phase, [cpu, seconds]] of [...byPhase].sort((a, b) => b[1][0] - a[1][0])) {
    const vs = base.length ? ` | ${(cpu / baseCpu).toFixed(2)}× | ${(seconds / baseWall).toFixed(2)}×` : '';
    console.log(`${phase} | ${cpu.toFixed(2)} | ${((100 * cpu) / total).toFixed(0)}% | ${seconds.toFixed(2)} | ${((100 * seconds) / totalWall).toFixed(0)}%${vs}`);
  }
  if (base.length) {
    console.log(`engine baseline (before, after): CPU ${base.map((b) => b.cpu.toFixed(2)).join(', ')} s; wall ${base.map((b) => b.wall.toFixed(2)).join(', ')} s`);
    console.log(`whole: CPU ${total.toFixed(2)} s = ${(total / baseCpu).toFixed(2)}× the baseline's; wall ${totalWall.toFixed(2)} s = ${(totalWall / baseWall).toFixed(2)}×`);
  }
}
const bySql = new Map<string, number>();
for (const [seconds, sql] of calls) bySql.set(sql, (bySql.get(sql) ?? 0) + seconds);
for (const [sql, seconds] of [...bySql].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOPN ?? 15))) console.log(`${seconds.toFixed(2).padStart(7)}  ${sql}`);
if (sampler) {
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; the calls during which it was highest (MiB):`);
  for (const [mib, sql] of rssPeaks.sort((a, b) => b[0] - a[0]).slice(0, 12)) console.log(`${mib.toFixed(0).padStart(7)}  ${sql}`);
}
await warehouse.close();
if (db !== ':memory:') rmSync(db, { force: true });
