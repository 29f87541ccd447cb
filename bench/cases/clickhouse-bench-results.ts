// The ClickHouse section of `npm run bench -- --engine clickhouse`: per size, the customer summary and its compressed
// tuples against a bare distributed GROUP BY customer_id in the same run, analyze's chain on ClickHouse and on DuckDB
// over the same lines (each engine generates them natively from one formula), and the generation and insert rates.
import { runCase, type BenchResult } from '../bench-harness.js';

export interface ClickHouseBenchOptions {
  /** the bench database (default clvkit_bench) */
  readonly database?: string;
  /** take the lines already in the database (generated beforehand by clickhouse-generate.ts) */
  readonly reuse?: boolean;
  /** only the bare GROUP BY and analyze's chain on each engine (no stand-alone summary and tuples, no append probe) */
  readonly chainOnly?: boolean;
  /** no DuckDB side (only the cluster) */
  readonly noDuckDb?: boolean;
  /** with reuse: the DuckDB warehouse file holding the same lines (clickhouse-generate.ts --duckdb FILE …) */
  readonly duckDbFile?: string;
  /** DuckDB's memory_limit for its file-backed warehouse (default 6GB) */
  readonly duckDbMemoryLimit?: string;
  /** CPU seconds per shard of the summary's aggregation, the bare GROUP BY and one reading the same columns (system.query_log) */
  readonly shardCpu?: boolean;
}

export async function clickhouseBenchResults(url: string, sizes: readonly number[], cluster?: string, options: ClickHouseBenchOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const lines of sizes) {
    const customers = Math.max(1000, Math.round(lines / 20));
    const label = `${lines >= 1_000_000 ? `${lines / 1_000_000}M` : `${lines / 1000}k`} lines, ${customers.toLocaleString('en-US')} customers`;
    process.stderr.write(`bench: clickhouse summary, ${label}\n`);
    const flags = [...(options.database ? ['--database', options.database] : []), ...(options.reuse ? ['--reuse'] : []), ...(options.chainOnly ? ['--chain-only'] : []), ...(options.shardCpu ? ['--shard-cpu'] : []), ...(options.noDuckDb ? ['--no-duckdb'] : []), ...(options.duckDbMemoryLimit ? ['--duckdb-memory-limit', options.duckDbMemoryLimit] : []), ...(options.duckDbFile ? ['--duckdb-file', options.duckDbFile] : [])];
    const run = await runCase('./cases/clickhouse-summary.ts', [url, String(lines), String(customers), ...(cluster ? [cluster] : []), ...flags]);
    const extra = run.extra ?? {};
    const bare = Number(extra.bareSeconds);
    const shards = `${extra.shards} shards`;
    const step = (name: string) => `${Number(extra[name]).toFixed(2)} s (×${(Number(extra[name]) / bare).toFixed(2)})`;
    const chain: BenchResult = {
      stage: "clickhouse analyze's SQL (summary table, tuples, per-tuple scores written back, scoring join)",
      size: label,
      seconds: Number(extra.analyzeSeconds),
      baseline: `bare distributed GROUP BY customer_id (${shards}; ${Number(extra.bareAfterSeconds).toFixed(2)} s when re-run after)`,
      baselineSeconds: bare,
      ratio: Number(extra.analyzeSeconds) / bare,
      target: 1.5,
      peakRssMiB: run.peakRssMiB,
      notes: `×${(Number(extra.analyzeSeconds) / Number(extra.columnsSeconds)).toFixed(2)} a GROUP BY reading the summary's columns (${Number(extra.columnsSeconds).toFixed(2)} s; the summary written ×${(Number(extra.chainSummarySeconds) / Number(extra.columnsSeconds)).toFixed(2)} it); each step against the bare GROUP BY: summary written ${step('chainSummarySeconds')}, tuples read ${step('chainTuplesSeconds')}, scores appended ${step('chainAppendSeconds')}, scoring join ${step('chainJoinSeconds')}${extra.cpuSummary === undefined ? '' : `; CPU-s per shard (system.query_log): summary aggregation ${String(extra.cpuSummary)}, bare ${String(extra.cpuBare)}, same columns ${String(extra.cpuColumns)}`}; statements: ${String(extra.statementRatios ?? '')}`,
    };
    const sameLines: BenchResult[] = extra.duck_bareSeconds === undefined ? [] : duckDbResults(extra, label, chain, run.peakRssMiB, extra.insertSeconds == null ? Number.NaN : Number(extra.insertSeconds));
    if (options.chainOnly) {
      results.push(chain, ...sameLines);
      continue;
    }
    results.push(
      {
        stage: 'clickhouse customer summary',
        size: label,
        seconds: run.seconds,
        baseline: `bare distributed GROUP BY customer_id (${shards})`,
        baselineSeconds: bare,
        ratio: run.seconds / bare,
        target: 1.5,
        peakRssMiB: run.peakRssMiB,
      },
      chain,
      ...sameLines,
      {
        stage: 'clickhouse compressed tuples',
        size: label,
        seconds: Number(extra.tuplesSeconds),
        baseline: `bare distributed GROUP BY customer_id (${shards})`,
        baselineSeconds: bare,
        ratio: Number(extra.tuplesSeconds) / bare,
        throughput: `${Number(extra.tuples).toLocaleString('en-US')} unique tuples`,
        peakRssMiB: run.peakRssMiB,
      },
      {
        stage: 'clickhouse append (clvkit bulk path)',
        size: `${Number(extra.appendRows).toLocaleString('en-US')} lines`,
        seconds: Number(extra.appendSeconds),
        baseline: 'INSERT … SELECT in the engine, per line',
        baselineSeconds: (Number(extra.insertSeconds) * Number(extra.appendRows)) / lines,
        ratio: Number(extra.appendSeconds) / ((Number(extra.insertSeconds) * Number(extra.appendRows)) / lines),
        throughput: `${Math.round(Number(extra.appendRows) / Number(extra.appendSeconds)).toLocaleString('en-US')} lines/s (engine alone ${Math.round(lines / Number(extra.insertSeconds)).toLocaleString('en-US')} lines/s)`,
        notes: `ingest throughput: the engine's own INSERT … SELECT of ${label}, every shard its own customers' lines into its local table at once, took ${Number(extra.insertSeconds).toFixed(1)} s`,
        peakRssMiB: run.peakRssMiB,
      },
    );
  }
  return results;
}

/**
 * DuckDB's side of a size, on the same lines: its chain against its own bare GROUP BY (with ClickHouse's chain ÷ DuckDB's
 * in the notes), and the generation of the lines on both engines (ClickHouse's seconds against DuckDB's).
 */
function duckDbResults(extra: Record<string, number | string>, label: string, chain: BenchResult, peakRssMiB: number, clickhouseGenerateSeconds: number): BenchResult[] {
  // a figure the case could not take (lines reused) is NaN there and null after the trip through JSON
  const value = (name: string) => (extra[`duck_${name}`] == null ? Number.NaN : Number(extra[`duck_${name}`]));
  const generated = Number.isFinite(clickhouseGenerateSeconds) || Number.isFinite(value('generateSeconds'));
  const lines = Number(extra.lines);
  const rate = (s: number) => `${Math.round(lines / s).toLocaleString('en-US')} lines/s`;
  return [
    {
      stage: `duckdb analyze's SQL, same lines (file-backed warehouse, memory_limit ${String(extra.duckMemoryLimit)}, the same chain)`,
      size: label,
      seconds: value('totalSeconds'),
      baseline: `bare GROUP BY customer_id on DuckDB (${value('bareAfterSeconds').toFixed(2)} s when re-run after)`,
      baselineSeconds: value('bareSeconds'),
      ratio: value('totalSeconds') / value('bareSeconds'),
      peakRssMiB: value('peakRssMiB'),
      notes: `ClickHouse's chain ÷ DuckDB's: ${(chain.seconds / value('totalSeconds')).toFixed(2)}× (ClickHouse bare ÷ DuckDB bare ${(chain.baselineSeconds / value('bareSeconds')).toFixed(2)}×); summary written ${value('summarySeconds').toFixed(2)} s, tuples read ${value('tuplesSeconds').toFixed(2)} s, scores appended ${value('appendSeconds').toFixed(2)} s, scoring join ${value('joinSeconds').toFixed(2)} s; a GROUP BY reading the summary's columns ${value('columnsSeconds').toFixed(2)} s; DuckDB process CPU ${value('cpuSeconds').toFixed(1)} s in all (generation ${value('generateCpuSeconds').toFixed(1)} s, the chain ${value('chainCpuSeconds').toFixed(1)} s); peak RSS of the case process ${value('peakRssMiB').toFixed(0)} MiB (DuckDB runs in it); same lines and summary on both engines: ${String(extra.sameLinesChecksum)}`,
    },
    ...(generated ? [{
      stage: 'synthetic lines generated in the engine (ClickHouse: every shard its own customers at once; DuckDB: INSERT … SELECT FROM range)',
      size: label,
      seconds: clickhouseGenerateSeconds,
      baseline: 'the same lines generated in DuckDB (file-backed)',
      baselineSeconds: value('generateSeconds'),
      ratio: clickhouseGenerateSeconds / value('generateSeconds'),
      throughput: `ClickHouse ${Number.isFinite(clickhouseGenerateSeconds) ? rate(clickhouseGenerateSeconds) : '— (lines reused)'}, DuckDB ${Number.isFinite(value('generateSeconds')) ? `${rate(value('generateSeconds'))} (${value('generateCpuSeconds').toFixed(1)} CPU-s)` : '— (lines reused)'}`,
      peakRssMiB,
    }] : []),
  ];
}
