// Synthetic lines for the ClickHouse bench, generated natively in each engine from one portable formula
// (clickhouse-synthetic-lines.ts), so both engines hold the identical lines:
// - ClickHouse: INSERT … SELECT FROM numbers() on every shard at once, each shard keeping the lines of its own customers
//   (cityHash64(customer_id) modulo the shard count, as the Distributed table routes them) straight into its local
//   table: no Distributed insert queue, the shards work in parallel;
// - DuckDB: INSERT … SELECT FROM range() into the warehouse's transactions table.
// The warehouse's real schema on both (every migration: amount and cost Nullable as the ingest writes them).
// Standalone: npx tsx bench/cases/clickhouse-generate.ts URL DATABASE LINES CUSTOMERS [CLUSTER] — prints seconds and lines/s;
// npx tsx bench/cases/clickhouse-generate.ts --duckdb FILE LINES CUSTOMERS [MEMORY_LIMIT] — a fresh DuckDB warehouse file
// (memory_limit default 6GB, temp_directory FILE.tmp), prints seconds, CPU seconds and lines/s: the summary case takes it
// with --duckdb-file FILE --reuse.
import { rmSync } from 'node:fs';
import { createClient } from '@clickhouse/client';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../../src/engine/clickhouse/ensure-cluster-schema.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { syntheticLinesSelect } from './clickhouse-synthetic-lines.js';

const COLUMNS = 'order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash';

/** A fresh ClickHouse database of `lines` synthetic transactions; returns the seconds the shards took. */
export async function generateLines(warehouse: ClickHouseWarehouse, lines: number, customers: number): Promise<number> {
  await ensureClusterSchema(warehouse);
  const started = performance.now();
  const count = warehouse.shardUrls.length;
  // a client per shard without the warehouse's request timeout (100M lines run for an hour on a loaded machine; the
  // warehouse's shard clients gave up after 10 minutes), the HTTP connection kept alive by progress headers
  await Promise.all(
    warehouse.shardUrls.map(async (url, index) => {
      const shard = createClient({ url, request_timeout: 4 * 3600_000, clickhouse_settings: { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' } });
      try {
        const own = `WHERE cityHash64(customer_id) % ${count} = ${index}`;
        await shard.command({ query: `INSERT INTO ${warehouse.database}.transactions_local (${COLUMNS}) ${syntheticLinesSelect('clickhouse', lines, customers, own)}` });
      } finally {
        await shard.close();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/**
 * The same `lines` synthetic transactions in a DuckDB warehouse (migrated, transactions empty); returns the seconds.
 *
 * Example: `await generateDuckDbLines(await openDuckDbWarehouse(':memory:'), 30_000, 1500)` → the 30,000 lines
 * `generateLines` writes on a cluster for the same arguments.
 */
export async function generateDuckDbLines(warehouse: Warehouse, lines: number, customers: number): Promise<number> {
  const started = performance.now();
  await warehouse.execute(`INSERT INTO transactions (${COLUMNS}) ${syntheticLinesSelect('duckdb', lines, customers)}`);
  return (performance.now() - started) / 1000;
}

if (process.argv[1]?.endsWith('clickhouse-generate.ts') && process.argv[2] === '--duckdb') {
  const [file, linesText, customersText, memoryLimit] = process.argv.slice(3);
  const lines = Number(linesText);
  for (const old of [file!, `${file!}.wal`, `${file!}.tmp`]) rmSync(old, { recursive: true, force: true });
  const duckdb = await openDuckDbWarehouse(file!, { memoryLimit: memoryLimit ?? '6GB' });
  await duckdb.execute(`SET temp_directory = '${file!}.tmp'`);
  const cpuBefore = process.cpuUsage();
  const seconds = await generateDuckDbLines(duckdb, lines, Number(customersText));
  const cpu = process.cpuUsage(cpuBefore);
  await duckdb.close();
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ lines, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, linesPerSecond: lines / seconds, maxRssMiB })}\n`);
} else if (process.argv[1]?.endsWith('clickhouse-generate.ts')) {
  const [url, database, linesText, customersText, cluster] = process.argv.slice(2);
  const lines = Number(linesText);
  const wh = await openClickHouseWarehouse(url!, { database: database!, ...(cluster ? { cluster } : {}) });
  await wh.dropDatabase();
  await wh.close();
  const fresh = await openClickHouseWarehouse(url!, { database: database!, ...(cluster ? { cluster } : {}) });
  const seconds = await generateLines(fresh, lines, Number(customersText));
  const perShard = await fresh.rowsPerShard('transactions');
  process.stdout.write(`${JSON.stringify({ lines, seconds, linesPerSecond: lines / seconds, perShard })}\n`);
  await fresh.close();
}
