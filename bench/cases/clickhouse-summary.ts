// Bench case: the customer summary and its compressed tuples on a ClickHouse cluster, against a bare distributed
// GROUP BY customer_id over the same table in the same run; analyze's SQL chain with every statement timed; the same
// chain on DuckDB over the same lines against DuckDB's own bare GROUP BY; plus the engines' generation rates and
// clvkit's append rate.
// Args: URL LINES CUSTOMERS [CLUSTER] [--no-duckdb] [--database NAME] [--reuse] [--chain-only] [--shard-cpu]
//       [--duckdb-memory-limit 6GB] [--duckdb-file FILE].
// Synthetic lines come from one portable formula (clickhouse-synthetic-lines.ts), generated natively in each engine:
// on every ClickHouse shard at once into its local table, and in DuckDB by INSERT … SELECT FROM range() into a
// file-backed warehouse (memory_limit --duckdb-memory-limit, spilling to a temp_directory beside it; deleted after).
// Both engines must hold the same lines and write the same customer_summary (line count, Σ amount in cents, distinct
// customers, Σ ts in epoch seconds, summary rows, Σ frequency, Σ recency, Σ T): the case fails when they differ.
// --reuse takes the ClickHouse lines already in --database (generated beforehand with clickhouse-generate.ts, the same
// formula) and leaves them there, and with --duckdb-file FILE the DuckDB lines in that file (clickhouse-generate.ts
// --duckdb FILE …; the two generations can then run at the same time, the chains still one after the other); --chain-only times only the bare GROUP BY, analyze's chain and the bare GROUP BY
// again on each engine (no stand-alone summary and tuples queries, no append probe): the 100M run.
// Each statement of the chain is reported with its ratio to the bare GROUP BY of the same run (stderr and the result).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { StatementLogEntry } from '../../src/engine/clickhouse/statement-log.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { reportCase } from '../bench-harness.js';
import { buildCustomerScoresSql } from '../../src/pipeline/customer-scores-sql.js';
import { CLV_TUPLE_SCORES_TABLE } from '../../src/pipeline/value-clv-columns.js';
import { generateDuckDbLines, generateLines } from './clickhouse-generate.js';
import { checksumDifferences, sameLinesChecksum } from './clickhouse-same-lines-checksum.js';
import { shardCpuSeconds } from './clickhouse-shard-cpu.js';

const argv = process.argv.slice(2);
const databaseAt = argv.indexOf('--database');
const database = databaseAt >= 0 ? argv[databaseAt + 1]! : 'clvkit_bench';
const memoryLimitAt = argv.indexOf('--duckdb-memory-limit');
const duckDbMemoryLimit = memoryLimitAt >= 0 ? argv[memoryLimitAt + 1]! : '6GB';
const duckDbFileAt = argv.indexOf('--duckdb-file');
const duckDbFile = duckDbFileAt >= 0 ? argv[duckDbFileAt + 1]! : undefined;
const valueAt = new Set([databaseAt, memoryLimitAt, duckDbFileAt].filter((at) => at >= 0).map((at) => at + 1));
const args = argv.filter((a, i) => !a.startsWith('--') && !valueAt.has(i));
const reuse = argv.includes('--reuse');
const chainOnly = argv.includes('--chain-only');
const withDuckDb = !argv.includes('--no-duckdb');
if (duckDbFile && !reuse) throw new Error('--duckdb-file takes the lines generated beforehand: give --reuse too');
const [url, linesText, customersText, cluster] = args;
const lines = Number(linesText);
const customers = Number(customersText);
if (!reuse) {
  const wh = await openClickHouseWarehouse(url!, { database, ...(cluster ? { cluster } : {}) });
  await wh.dropDatabase();
  await wh.close();
}
// every statement of the chain is timed (statement-log.ts): the breakdown goes to stderr and into the result
let log: StatementLogEntry[] | null = null;
const bench = await openClickHouseWarehouse(url!, { database, ...(cluster ? { cluster } : {}), onStatement: (entry) => log?.push(entry) });
const progress = (text: string) => process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${text}\n`);

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};
const insertSeconds = reuse ? Number.NaN : await generateLines(bench, lines, customers);
const [held] = await bench.query('SELECT count(*) AS n FROM transactions');
if (Number(held!.n) !== lines) throw new Error(`${database}.transactions holds ${String(held!.n)} lines, expected ${lines}`);
progress(`${lines} lines held${reuse ? ' (reused)' : ` (generated in ${insertSeconds.toFixed(1)} s)`}`);
const options = { asOf: '2023-12-31', timeUnit: 'week' as const };
// every query ends in one small row so that only the engine's work is timed, not the transfer
const bareSql = 'SELECT count(*) AS n, sum(k) AS k FROM (SELECT customer_id, count(*) AS k FROM transactions GROUP BY customer_id) g';
// a second baseline: the same GROUP BY reading every column the summary reads (ts, amount, cost, order_id, is_return)
// with trivial aggregates — the floor of any per-customer summary of these columns, which the bare count(*) does not read
const columnsSql = 'SELECT count(*) AS n, sum(k) AS k FROM (SELECT customer_id, count(*) AS k, max(ts) AS a, max(amount) AS b, max(cost) AS c, max(length(order_id)) AS d, max(is_return) AS e FROM transactions GROUP BY customer_id) g';
const summary = buildCustomerSummarySql(bench.dialect, options);
const bare = () => bench.query(bareSql);
const ours = () => bench.query(`SELECT count(*) AS n, sum(frequency) AS f FROM (${summary}) s`);
const tuples = () => bench.query(`SELECT count(*) AS n, sum(weight) AS w FROM (${buildCompressedSummarySql(summary)}) t`);
await bare(); // warm the caches once for both
const bareSeconds = await seconds(bare);
progress(`bare GROUP BY ${bareSeconds.toFixed(2)} s`);
const columnsSeconds = await seconds(() => bench.query(columnsSql));
progress(`GROUP BY reading the summary's columns ${columnsSeconds.toFixed(2)} s`);
const summarySeconds = chainOnly ? Number.NaN : await seconds(ours);
const tuplesSeconds = chainOnly ? Number.NaN : await seconds(tuples);

/**
 * analyze's SQL chain as the pipeline runs it, on any warehouse: customer_summary written, its tuples read into
 * TypeScript, one score per tuple appended back as a lookup table, and the scoring join in the engine. Returns the
 * seconds of each step.
 */
async function analyzeChain(warehouse: Warehouse): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    steps[name] = await seconds(work);
    progress(`${warehouse.dialect.name} chain: ${name} ${steps[name]!.toFixed(2)} s`);
  };
  await step('summary', () => warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, options)}`));
  let tupleColumns: Awaited<ReturnType<Warehouse['queryColumns']>> | undefined;
  await step('tuples', async () => (tupleColumns = await warehouse.queryColumns(buildCompressedSummarySql('SELECT * FROM customer_summary'))));
  const n = tupleColumns!.rowCount;
  const score = Float64Array.from({ length: n }, (_, i) => 1 / (i + 2));
  const { frequency, recency, T } = tupleColumns!.columns as Record<string, Float64Array>;
  await step('append', async () => {
    await warehouse.execute(CLV_TUPLE_SCORES_TABLE);
    await warehouse.append('clv_tuple_scores', { frequency: frequency!, recency: recency!, T: T!, p_alive: score, e30: score, e90: score, e365: score, discounted_purchases: score, discounted_purchases_h: Array.from(score, () => null), next_p50_days: score, next_p90_days: score });
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
const [counted] = await bench.query('SELECT count(*) AS n FROM (SELECT DISTINCT frequency, recency, T FROM customer_summary) t');
// --shard-cpu: CPU seconds per shard from system.query_log (clickhouse-shard-cpu.ts), up to 20M lines: its 3 runs × 3
// queries × every shard, one after another, took 163 s at 10M lines (load 16–19) and would take ~half an hour at 100M
const shardCpuLines = 20_000_000;
if (argv.includes('--shard-cpu') && lines > shardCpuLines) progress(`--shard-cpu skipped: more than ${shardCpuLines} lines`);
const cpu = argv.includes('--shard-cpu') && lines <= shardCpuLines ? await shardCpuSeconds(bench, options.asOf) : undefined;
if (cpu) progress(`CPU-s per shard: bare ${cpu.bare.join(' / ')}, columns ${cpu.columns.join(' / ')}, summary aggregation ${cpu.summary.join(' / ')}`);
const bareAfterSeconds = await seconds(bare); // the baseline again, after: the load of a shared machine moves
progress(`bare GROUP BY again ${bareAfterSeconds.toFixed(2)} s`);
// each statement of the chain against the bare GROUP BY of this run (the mean of before and after)
const bareMean = (bareSeconds + bareAfterSeconds) / 2;
const slow = statements.filter((e) => e.seconds >= 0.01);
for (const entry of slow) process.stderr.write(`  ${entry.seconds.toFixed(2).padStart(7)} s ×${(entry.seconds / bareMean).toFixed(2).padStart(6)}  ${entry.node.padEnd(7)} ${entry.sql.replace(/\s+/g, ' ').slice(0, 100)}\n`);
const statementRatios = slow.map((e) => `×${(e.seconds / bareMean).toFixed(2)} ${e.seconds.toFixed(2)} s ${e.sql.replace(/\s+/g, ' ').slice(0, 60)}`).join(' | ');

// the ClickHouse lines and summary, to compare with DuckDB's (before the append probe and the clean-up)
const clickhouseChecksum = withDuckDb ? await sameLinesChecksum(bench) : undefined;

// DuckDB on the same lines: generated natively from the same formula into a file-backed warehouse (100M lines held
// ~18 GB in memory), the same chain; its CPU seconds and the case's peak RSS (DuckDB runs in this process)
const duck: Record<string, number> = {};
if (withDuckDb) {
  const dir = duckDbFile ? undefined : mkdtempSync(join(tmpdir(), 'clvkit-bench-ch-duck-'));
  const file = duckDbFile ?? join(dir!, 'bench.duckdb');
  try {
    const duckdb = await openDuckDbWarehouse(file, { memoryLimit: duckDbMemoryLimit });
    await duckdb.execute(`SET temp_directory = '${file}.tmp'`);
    const cpuSeconds = (since: NodeJS.CpuUsage) => ((usage) => (usage.user + usage.system) / 1e6)(process.cpuUsage(since));
    const cpuBefore = process.cpuUsage();
    duck.generateSeconds = duckDbFile ? Number.NaN : await generateDuckDbLines(duckdb, lines, customers);
    duck.generateCpuSeconds = duckDbFile ? Number.NaN : cpuSeconds(cpuBefore);
    const [duckHeld] = await duckdb.query('SELECT count(*) AS n FROM transactions');
    if (Number(duckHeld!.n) !== lines) throw new Error(`${file} holds ${String(duckHeld!.n)} lines, expected ${lines}`);
    progress(`duckdb: ${lines} lines held${duckDbFile ? ` (reused from ${file})` : ` (generated in ${duck.generateSeconds.toFixed(1)} s)`}`);
    await duckdb.query(bareSql);
    duck.bareSeconds = await seconds(() => duckdb.query(bareSql));
    progress(`duckdb bare GROUP BY ${duck.bareSeconds.toFixed(2)} s`);
    duck.columnsSeconds = await seconds(() => duckdb.query(columnsSql));
    const chainCpuBefore = process.cpuUsage();
    const duckChain = await analyzeChain(duckdb);
    duck.chainCpuSeconds = cpuSeconds(chainCpuBefore);
    for (const [name, value] of Object.entries(duckChain)) duck[`${name}Seconds`] = value;
    duck.bareAfterSeconds = await seconds(() => duckdb.query(bareSql));
    duck.cpuSeconds = cpuSeconds(cpuBefore);
    duck.peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const differences = checksumDifferences(clickhouseChecksum!, await sameLinesChecksum(duckdb));
    if (duckDbFile) for (const table of ['customer_summary', 'clv_tuple_scores', 'customer_scores']) await duckdb.execute(`DROP TABLE IF EXISTS ${table}`);
    await duckdb.close();
    if (differences.length > 0) throw new Error(`ClickHouse and DuckDB do not hold the same lines or summary: ${differences.join('; ')}`);
    progress(`same lines and summary on both engines: ${JSON.stringify(clickhouseChecksum)}`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

// clvkit's own bulk path (TabSeparated batches through the Distributed table), on 1M lines at most
const appendRows = chainOnly ? 0 : Math.min(lines, 1_000_000);
let appendSeconds = Number.NaN;
if (!chainOnly) {
  await bench.execute('CREATE TABLE append_probe (customer_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE NOT NULL)');
  appendSeconds = await seconds(() =>
    bench.append('append_probe', {
      customer_id: Array.from({ length: appendRows }, (_, i) => `c_${i % customers}`),
      ts: Array.from({ length: appendRows }, (_, i) => new Date(Date.UTC(2022, 0, 1) + (i % 730) * 86_400_000)),
      amount: Array.from({ length: appendRows }, (_, i) => (i % 10_000) / 100),
    }),
  );
}
if (reuse) for (const table of ['customer_summary', 'clv_tuple_scores', 'customer_scores']) await bench.execute(`DROP TABLE IF EXISTS ${table}`);
else await bench.dropDatabase();
await bench.close();
const figures = {
  bareSeconds,
  bareAfterSeconds,
  columnsSeconds,
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
  lines,
  statementRatios,
  ...(cpu ? { cpuBare: cpu.bare.join(' / '), cpuColumns: cpu.columns.join(' / '), cpuSummary: cpu.summary.join(' / ') } : {}),
  ...Object.fromEntries(Object.entries(duck).map(([k, v]) => [`duck_${k}`, v])),
  ...(withDuckDb ? { duckMemoryLimit: duckDbMemoryLimit, sameLinesChecksum: JSON.stringify(clickhouseChecksum) } : {}),
};
// every figure on stderr as well: a run of several sizes cut short keeps the sizes it finished
progress(`figures: ${JSON.stringify(figures)}`);
reportCase(summarySeconds, figures);
