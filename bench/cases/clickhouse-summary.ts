// Bench case: the customer summary and its compressed tuples on a ClickHouse cluster, against a bare distributed
// GROUP BY customer_id over the same table in the same run; analyze's SQL chain with every statement timed; the same
// chain on DuckDB over the same lines (exported from the cluster) against DuckDB's own bare GROUP BY; plus the engine's
// own insert rate and clvkit's append rate.
// Args: URL LINES CUSTOMERS [CLUSTER] [--no-duckdb]. Synthetic lines are generated in the engine (INSERT … SELECT FROM numbers()).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createClient } from '@clickhouse/client';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { StatementLogEntry } from '../../src/engine/clickhouse/statement-log.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { migrateWarehouse } from '../../src/engine/migrate-warehouse.js';
import { SCHEMA_MIGRATIONS } from '../../src/engine/schema-migrations.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { reportCase } from '../bench-harness.js';
import { buildCustomerScoresSql } from '../../src/pipeline/customer-scores-sql.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const withDuckDb = !process.argv.includes('--no-duckdb');
const [url, linesText, customersText, cluster] = args;
const lines = Number(linesText);
const customers = Number(customersText);
const wh = await openClickHouseWarehouse(url!, { database: 'clvkit_bench', ...(cluster ? { cluster } : {}) });
await wh.dropDatabase();
await wh.close();
// every statement of the chain is timed (statement-log.ts): the breakdown goes to stderr and into the result
let log: StatementLogEntry[] | null = null;
const bench = await openClickHouseWarehouse(url!, { database: 'clvkit_bench', ...(cluster ? { cluster } : {}), onStatement: (entry) => log?.push(entry) });
await bench.execute(SCHEMA_MIGRATIONS[0]!.statements[0]!);

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};
// two years of lines; 2% returns; amounts 0.01 … 100
const insertSeconds = await seconds(() =>
  bench.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
    SELECT toString(intDiv(number, 3)), concat('c_', toString(intHash32(intDiv(number, 3)) % ${customers})),
      toDateTime('2022-01-01 00:00:00') + intHash32(number * 7) % (730 * 86400),
      (intHash32(number * 13) % 10000 + 1) / 100, number % 50 = 0, 0, 1, 'bench', number, toString(number)
    FROM numbers(${lines})`),
);
const options = { asOf: '2023-12-31', timeUnit: 'week' as const };
// every query ends in one small row so that only the engine's work is timed, not the transfer
const bareSql = 'SELECT count(*) AS n, sum(k) AS k FROM (SELECT customer_id, count(*) AS k FROM transactions GROUP BY customer_id) g';
const summary = buildCustomerSummarySql(bench.dialect, options);
const bare = () => bench.query(bareSql);
const ours = () => bench.query(`SELECT count(*) AS n, sum(frequency) AS f FROM (${summary}) s`);
const tuples = () => bench.query(`SELECT count(*) AS n, sum(weight) AS w FROM (${buildCompressedSummarySql(summary)}) t`);
await bare(); // warm the caches once for both
const bareSeconds = await seconds(bare);
const summarySeconds = await seconds(ours);
const tuplesSeconds = await seconds(tuples);
const [counted] = await bench.query(`SELECT count(*) AS n FROM (${buildCompressedSummarySql(summary)}) t`);

/**
 * analyze's SQL chain as the pipeline runs it, on any warehouse: customer_summary written, its tuples read into
 * TypeScript, one score per tuple appended back as a lookup table, and the scoring join in the engine. Returns the
 * seconds of each step.
 */
async function analyzeChain(warehouse: Warehouse): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => (steps[name] = await seconds(work));
  await step('summary', () => warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, options)}`));
  let tupleColumns: Awaited<ReturnType<Warehouse['queryColumns']>> | undefined;
  await step('tuples', async () => (tupleColumns = await warehouse.queryColumns(buildCompressedSummarySql('SELECT * FROM customer_summary'))));
  const n = tupleColumns!.rowCount;
  const score = Float64Array.from({ length: n }, (_, i) => 1 / (i + 2));
  const { frequency, recency, T } = tupleColumns!.columns as Record<string, Float64Array>;
  await step('append', async () => {
    await warehouse.execute('CREATE OR REPLACE TEMP TABLE clv_tuple_scores (frequency DOUBLE, recency DOUBLE, T DOUBLE, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, discounted_purchases DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE)');
    await warehouse.append('clv_tuple_scores', { frequency: frequency!, recency: recency!, T: T!, p_alive: score, e30: score, e90: score, e365: score, discounted_purchases: score, next_p50_days: score, next_p90_days: score });
  });
  await step('join', () => warehouse.execute(`CREATE OR REPLACE TABLE customer_scores AS ${buildCustomerScoresSql(warehouse.dialect, { asOf: options.asOf, spend: false, margin: 1 })}`));
  const [scored] = await warehouse.query('SELECT count(*) AS n FROM customer_scores');
  const [all] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
  if (Number(scored!.n) !== Number(all!.n)) throw new Error(`the scoring join lost customers: ${String(scored!.n)} of ${String(all!.n)}`);
  steps.total = steps.summary! + steps.tuples! + steps.append! + steps.join!;
  return steps;
}
log = [];
const chain = await analyzeChain(bench);
const statements = log as StatementLogEntry[];
log = null;
const analyzeSeconds = chain.total!;
const bareAfterSeconds = await seconds(bare); // the baseline again, after: the load of a shared machine moves
for (const entry of statements.filter((e) => e.seconds >= 0.01)) process.stderr.write(`  ${entry.seconds.toFixed(2).padStart(7)} s  ${entry.node.padEnd(7)} ${entry.sql.replace(/\s+/g, ' ').slice(0, 110)}\n`);

// DuckDB on the same lines: exported from the cluster as CSV, loaded into an in-memory warehouse, the same chain
const duck: Record<string, number> = {};
if (withDuckDb) {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-bench-ch-duck-'));
  try {
    const csv = join(dir, 'lines.csv');
    const raw = createClient({ url: bench.location, database: bench.database, request_timeout: 600_000 });
    const exported = await raw.exec({ query: 'SELECT order_id, customer_id, ts, amount, is_return FROM transactions FORMAT CSVWithNames' });
    await pipeline(exported.stream, createWriteStream(csv));
    await raw.close();
    const duckdb = await openDuckDbWarehouse(':memory:');
    await migrateWarehouse(duckdb);
    duck.loadSeconds = await seconds(() =>
      duckdb.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
        SELECT order_id, customer_id, ts, amount, is_return::BOOLEAN, false, 1, 'bench', 0, '' FROM read_csv('${csv}', header = true, columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'ts': 'TIMESTAMP', 'amount': 'DOUBLE', 'is_return': 'INTEGER'})`),
    );
    await duckdb.query(bareSql);
    duck.bareSeconds = await seconds(() => duckdb.query(bareSql));
    const duckChain = await analyzeChain(duckdb);
    for (const [name, value] of Object.entries(duckChain)) duck[`${name}Seconds`] = value;
    await duckdb.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// clvkit's own bulk path (TabSeparated batches through the Distributed table), on 1M lines at most
const appendRows = Math.min(lines, 1_000_000);
await bench.execute('CREATE TABLE append_probe (customer_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE NOT NULL)');
const appendSeconds = await seconds(() =>
  bench.append('append_probe', {
    customer_id: Array.from({ length: appendRows }, (_, i) => `c_${i % customers}`),
    ts: Array.from({ length: appendRows }, (_, i) => new Date(Date.UTC(2022, 0, 1) + (i % 730) * 86_400_000)),
    amount: Array.from({ length: appendRows }, (_, i) => (i % 10_000) / 100),
  }),
);
await bench.dropDatabase();
await bench.close();
reportCase(summarySeconds, {
  bareSeconds,
  bareAfterSeconds,
  analyzeSeconds,
  chainSummarySeconds: chain.summary!,
  chainTuplesSeconds: chain.tuples!,
  chainAppendSeconds: chain.append!,
  chainJoinSeconds: chain.join!,
  tuplesSeconds,
  insertSeconds,
  appendSeconds,
  appendRows,
  tuples: Number(counted!.n),
  shards: bench.shardUrls.length,
  ...Object.fromEntries(Object.entries(duck).map(([k, v]) => [`duck_${k}`, v])),
});
