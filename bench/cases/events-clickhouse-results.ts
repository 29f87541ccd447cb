// The events lines of `npm run bench -- --engine clickhouse --only events [--clickhouse-lines 1000000,10000000]`: per size,
// stitching + sessions + funnels on the cluster, with session ids and without them (the gap split), against a bare
// distributed GROUP BY session_id over the same events in the same run (bench/cases/events-clickhouse.ts).
import { runCase, type BenchResult } from '../bench-harness.js';

export async function eventsClickHouseResults(url: string, sizes: readonly number[], cluster?: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const events of sizes) {
    for (const gap of [false, true]) {
      process.stderr.write(`bench: clickhouse events ${events}${gap ? ' (gap split)' : ''}\n`);
      const run = await runCase('./cases/events-clickhouse.ts', [url, String(events), ...(gap ? ['--gap'] : []), ...(cluster ? ['--cluster', cluster] : [])]);
      const extra = run.extra ?? {};
      results.push({
        stage: `clickhouse events: ${gap ? 'gap split + ' : ''}stitching + sessions + funnels`,
        size: `${Number(extra.events).toLocaleString('en-US')} synthetic events`,
        seconds: run.seconds,
        baseline: 'bare distributed GROUP BY session_id (same run)',
        baselineSeconds: Number(extra.bareSeconds),
        ratio: run.seconds / Number(extra.bareSeconds),
        target: 2,
        throughput: `${Number(extra.sessions).toLocaleString('en-US')} sessions`,
        peakRssMiB: run.peakRssMiB,
        notes: `largest statements: ${String(extra.largest ?? '')}${gap ? '; session ids withheld' : ''}`,
      });
    }
  }
  return results;
}
