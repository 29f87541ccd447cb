// The ClickHouse section of `npm run bench -- --engine clickhouse`: per size, the customer summary and its compressed
// tuples against a bare distributed GROUP BY customer_id in the same run, and the insert rates.
import { runCase, type BenchResult } from '../bench-harness.js';

export interface ClickHouseBenchOptions {
  /** the bench database (default clvkit_bench) */
  readonly database?: string;
  /** take the lines already in the database (generated beforehand by clickhouse-generate.ts) */
  readonly reuse?: boolean;
  /** only the bare GROUP BY and analyze's chain (no stand-alone summary and tuples, no DuckDB, no append probe) */
  readonly chainOnly?: boolean;
  /** CPU seconds per shard of the summary's aggregation, the bare GROUP BY and one reading the same columns (system.query_log) */
  readonly shardCpu?: boolean;
}

export async function clickhouseBenchResults(url: string, sizes: readonly number[], cluster?: string, options: ClickHouseBenchOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const lines of sizes) {
    const customers = Math.max(1000, Math.round(lines / 20));
    const label = `${lines >= 1_000_000 ? `${lines / 1_000_000}M` : `${lines / 1000}k`} lines, ${customers.toLocaleString('en-US')} customers`;
    process.stderr.write(`bench: clickhouse summary, ${label}\n`);
    const flags = [...(options.database ? ['--database', options.database] : []), ...(options.reuse ? ['--reuse'] : []), ...(options.chainOnly ? ['--chain-only'] : []), ...(options.shardCpu ? ['--shard-cpu'] : [])];
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
    if (options.chainOnly) {
      results.push(chain);
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
      ...(extra.duck_bareSeconds === undefined
        ? []
        : [
            {
              stage: "duckdb analyze's SQL, same lines (in-memory warehouse, the same chain)",
              size: label,
              seconds: Number(extra.duck_totalSeconds),
              baseline: 'bare GROUP BY customer_id on DuckDB',
              baselineSeconds: Number(extra.duck_bareSeconds),
              ratio: Number(extra.duck_totalSeconds) / Number(extra.duck_bareSeconds),
              peakRssMiB: run.peakRssMiB,
              notes: `ClickHouse's chain / DuckDB's: ${(Number(extra.analyzeSeconds) / Number(extra.duck_totalSeconds)).toFixed(2)}×; summary ${Number(extra.duck_summarySeconds).toFixed(2)} s, tuples ${Number(extra.duck_tuplesSeconds).toFixed(2)} s, append ${Number(extra.duck_appendSeconds).toFixed(2)} s, join ${Number(extra.duck_joinSeconds).toFixed(2)} s; load from CSV ${Number(extra.duck_loadSeconds).toFixed(2)} s`,
            },
          ]),
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
