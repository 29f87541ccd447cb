// Synthetic lines for the ClickHouse bench, generated in the engine (INSERT … SELECT FROM numbers()) on every shard at
// once, each shard keeping the lines of its own customers (cityHash64(customer_id) modulo the shard count, as the
// Distributed table routes them) straight into its local table: no Distributed insert queue, the shards work in parallel.
// The warehouse's real schema (every migration: amount and cost Nullable as the ingest writes them).
// Standalone: npx tsx bench/cases/clickhouse-generate.ts URL DATABASE LINES CUSTOMERS [CLUSTER] — prints seconds and lines/s.
import { createClient } from '@clickhouse/client';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ensureClusterSchema } from '../../src/engine/clickhouse/ensure-cluster-schema.js';

/**
 * Two years of lines in time order (a log as a shop writes it: each block of lines falls in one or two monthly
 * partitions, not all 24 — a random time per line made every inserted block 24 parts and the insert ~3× slower),
 * three lines per order at the same second; 2% returns; amounts 0.01 … 100; customers c_0 … c_{customers-1} at random.
 */
export function syntheticLinesSelect(lines: number, customers: number, shard?: { index: number; count: number }): string {
  const keep = shard ? `WHERE cityHash64(customer_id) % ${shard.count} = ${shard.index}` : '';
  return `SELECT toString(intDiv(number, 3)) AS order_id, concat('c_', toString(intHash32(intDiv(number, 3)) % ${customers})) AS customer_id,
      toDateTime('2022-01-01 00:00:00') + intDiv(intDiv(number, 3) * 3 * ${730 * 86400}, ${lines}) AS ts,
      (intHash32(number * 13) % 10000 + 1) / 100 AS amount, number % 50 = 0 AS is_return, 0 AS is_outlier, 1 AS ingest_id,
      'bench' AS source, number AS source_line, toString(number) AS row_hash
    FROM numbers(${lines}) ${keep}`;
}

const COLUMNS = 'order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash';

/** A fresh database of `lines` synthetic transactions; returns the seconds the shards took. */
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
        await shard.command({ query: `INSERT INTO ${warehouse.database}.transactions_local (${COLUMNS}) ${syntheticLinesSelect(lines, customers, { index, count })}` });
      } finally {
        await shard.close();
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

if (process.argv[1]?.endsWith('clickhouse-generate.ts')) {
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
