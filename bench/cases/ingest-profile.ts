// Not a bench case: where one ingest's time goes. Times every SQL call of `ingestFiles` in CPU seconds (the whole
// process's, so engine threads count; robust to a loaded machine where wall time is not) and lists the largest.
//   tsx bench/cases/ingest-profile.ts <csv> [--keyed] [--db]            one ingest (--db: into a fresh warehouse file)
//   tsx bench/cases/ingest-profile.ts <csv> --append <held.csv> [--keyed] [--text]   <held.csv> first (not timed); --text: duplicates keep their text
//   … --summary   the customer summary after the ingest, as the bench's ingest + summary case runs it
//   … --rss       also the process's peak RSS during each call (sampled every 100 ms), the largest first: where memory goes
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
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
const calls: [number, string][] = [];
const rssPeaks: [number, string][] = [];
const MIB = 1024 * 1024;
let callPeak = 0;
const sampler = argv.includes('--rss') ? setInterval(() => (callPeak = Math.max(callPeak, process.memoryUsage.rss())), 100) : null;
const timed = warehouse as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
for (const method of ['execute', 'query', 'queryColumns', 'append'] satisfies (keyof Warehouse)[]) {
  const original = timed[method]!.bind(warehouse);
  timed[method] = async (...args: unknown[]) => {
    const started = process.cpuUsage();
    callPeak = process.memoryUsage.rss();
    try {
      return await original(...args);
    } finally {
      const label = `${method} ${String(args[0]).replace(/\s+/g, ' ').slice(0, 110)}`;
      calls.push([cpuSeconds(started), label]);
      if (sampler) rssPeaks.push([Math.max(callPeak, process.memoryUsage.rss()) / MIB, label]);
    }
  };
}
const started = process.cpuUsage();
const wall = performance.now();
const report = await ingestFiles(warehouse, [path], options);
if (argv.includes('--summary')) await warehouse.execute(`CREATE TABLE s AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2022-12-31', timeUnit: 'week' })}`);
const total = cpuSeconds(started);
if (sampler) clearInterval(sampler);
const inSql = calls.reduce((sum, [seconds]) => sum + seconds, 0);
console.log(`ingest: wall ${((performance.now() - wall) / 1000).toFixed(2)} s, CPU ${total.toFixed(2)} s (${inSql.toFixed(2)} s in SQL calls), accepted ${report.accepted}, quarantined ${report.quarantined}`);
const bySql = new Map<string, number>();
for (const [seconds, sql] of calls) bySql.set(sql, (bySql.get(sql) ?? 0) + seconds);
for (const [sql, seconds] of [...bySql].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${seconds.toFixed(2).padStart(7)}  ${sql}`);
if (sampler) {
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; the calls during which it was highest (MiB):`);
  for (const [mib, sql] of rssPeaks.sort((a, b) => b[0] - a[0]).slice(0, 12)) console.log(`${mib.toFixed(0).padStart(7)}  ${sql}`);
}
await warehouse.close();
if (db !== ':memory:') rmSync(db, { force: true });
