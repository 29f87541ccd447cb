// Bench case: the customer summary and its compressed tuples on a ClickHouse cluster, against a bare distributed
// GROUP BY customer_id over the same table in the same run; plus the engine's own insert rate and clvkit's append rate.
// Args: URL LINES CUSTOMERS [CLUSTER]. Synthetic lines are generated in the engine (INSERT … SELECT FROM numbers()).
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { SCHEMA_MIGRATIONS } from '../../src/engine/schema-migrations.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { reportCase } from '../bench-harness.js';
import { buildCustomerScoresSql } from '../../src/pipeline/customer-scores-sql.js';

const [url, linesText, customersText, cluster] = process.argv.slice(2);
const lines = Number(linesText);
const customers = Number(customersText);
const wh = await openClickHouseWarehouse(url!, { database: 'clvkit_bench', ...(cluster ? { cluster } : {}) });
await wh.dropDatabase();
await wh.close();
const bench = await openClickHouseWarehouse(url!, { database: 'clvkit_bench', ...(cluster ? { cluster } : {}) });
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
const summary = buildCustomerSummarySql(bench.dialect, options);
// every query ends in one small row so that only the engine's work is timed, not the transfer
const bare = () => bench.query('SELECT count(*) AS n, sum(k) AS k FROM (SELECT customer_id, count(*) AS k FROM transactions GROUP BY customer_id) g');
const ours = () => bench.query(`SELECT count(*) AS n, sum(frequency) AS f FROM (${summary}) s`);
const tuples = () => bench.query(`SELECT count(*) AS n, sum(weight) AS w FROM (${buildCompressedSummarySql(summary)}) t`);
await bare(); // warm the caches once for both
const bareSeconds = await seconds(bare);
const summarySeconds = await seconds(ours);
const tuplesSeconds = await seconds(tuples);
const [counted] = await bench.query(`SELECT count(*) AS n FROM (${buildCompressedSummarySql(summary)}) t`);
// analyze's SQL chain on the cluster, as the pipeline runs it: customer_summary written to the entry node, its tuples
// read into TypeScript, one score per tuple written back as a lookup table, and the scoring join in the engine
const analyzeSql = async () => {
  await bench.execute(`CREATE OR REPLACE TABLE customer_summary AS ${summary}`);
  const tupleColumns = await bench.queryColumns(buildCompressedSummarySql('SELECT * FROM customer_summary'));
  const n = tupleColumns.rowCount;
  const score = Float64Array.from({ length: n }, (_, i) => 1 / (i + 2));
  await bench.execute('CREATE OR REPLACE TEMP TABLE clv_tuple_scores (frequency DOUBLE, recency DOUBLE, T DOUBLE, p_alive DOUBLE, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, discounted_purchases DOUBLE, next_p50_days DOUBLE, next_p90_days DOUBLE)');
  const { frequency, recency, T } = tupleColumns.columns as Record<string, Float64Array>;
  await bench.append('clv_tuple_scores', { frequency: frequency!, recency: recency!, T: T!, p_alive: score, e30: score, e90: score, e365: score, discounted_purchases: score, next_p50_days: score, next_p90_days: score });
  await bench.execute(`CREATE OR REPLACE TABLE customer_scores AS ${buildCustomerScoresSql(bench.dialect, { asOf: options.asOf, spend: false, margin: 1 })}`);
  const [scored] = await bench.query('SELECT count(*) AS n FROM customer_scores');
  const [all] = await bench.query('SELECT count(*) AS n FROM customer_summary');
  if (Number(scored!.n) !== Number(all!.n)) throw new Error(`the scoring join lost customers: ${String(scored!.n)} of ${String(all!.n)}`);
};
const analyzeSeconds = await seconds(analyzeSql);
const bareAfterSeconds = await seconds(bare); // the baseline again, after: the load of a shared machine moves
// clvkit's own bulk path (JSONEachRow batches through the Distributed table), on 1M lines at most
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
  tuplesSeconds,
  insertSeconds,
  appendSeconds,
  appendRows,
  tuples: Number(counted!.n),
  shards: bench.shardUrls.length,
});
