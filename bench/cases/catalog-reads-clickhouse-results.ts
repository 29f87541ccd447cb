// The catalog-reads line of `npm run bench -- --engine clickhouse --only catalog-reads [--quick]`: the catalog reads of
// test/engine/clickhouse/catalog-read-beside-drops.test.ts beside a create/drop loop, against the same reads alone in
// the same run (bench/cases/clickhouse-catalog-reads.ts). The test asserts that none fails; how fast they go is this line.
import { runCase, type BenchResult } from '../bench-harness.js';

export async function catalogReadsClickHouseResults(url: string, quick: boolean, cluster?: string): Promise<BenchResult[]> {
  const rounds = quick ? 200 : 600;
  process.stderr.write(`bench: clickhouse catalog reads beside drops, ${rounds} rounds\n`);
  const run = await runCase('./cases/clickhouse-catalog-reads.ts', [url, String(rounds), ...(cluster ? ['--cluster', cluster] : [])]);
  const extra = run.extra ?? {};
  const reads = Number(extra.reads);
  const baselineSeconds = Number(extra.baselineSeconds);
  return [
    {
      stage: 'clickhouse catalog reads beside drops (isShardedTable, information_schema, per-shard system.tables)',
      size: `${reads.toLocaleString('en-US')} reads`,
      seconds: run.seconds,
      baseline: 'the same reads without drops (same run, alternating blocks)',
      baselineSeconds,
      ratio: run.seconds / baselineSeconds,
      throughput: `${(reads / run.seconds).toFixed(0)} reads/s beside ${extra.drops} drops (${(reads / baselineSeconds).toFixed(0)} alone)`,
      peakRssMiB: run.peakRssMiB,
      notes: `${extra.failures} reads failed (0 expected)`,
    },
  ];
}
