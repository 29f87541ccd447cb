// Bench section "start-up" (`npm run bench -- --only start-up`): the built CLI's `--help` and one
// command's `--help` against `node -e 0`, run in turn (A B A B …) so drift hits both; medians of wall
// time, printed as a ratio and a difference. Builds dist/ first so the figure is the current code's.
import { execFileSync, spawnSync } from 'node:child_process';
import type { BenchResult } from './bench-harness.js';

function wallSeconds(args: readonly string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...args], { stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${run.status})`);
  return (performance.now() - started) / 1000;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export function runStartUpSection(runs = 15): BenchResult[] {
  process.stderr.write('bench: start-up — building dist/\n');
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const results: BenchResult[] = [];
  for (const [label, args] of [['clvkit --help', ['dist/cli/main.js', '--help']], ['clvkit analyze --help', ['dist/cli/main.js', 'analyze', '--help']]] as const) {
    wallSeconds(args);
    wallSeconds(['-e', '0']);
    const ours: number[] = [], bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(wallSeconds(args));
      bare.push(wallSeconds(['-e', '0']));
    }
    const seconds = median(ours), baselineSeconds = median(bare);
    results.push({
      stage: 'start-up',
      size: label,
      seconds,
      baseline: 'node -e 0',
      baselineSeconds,
      ratio: seconds / baselineSeconds,
      targetSeconds: Math.round((baselineSeconds + 0.3) * 100) / 100,
      peakRssMiB: Number.NaN,
      notes: `${((seconds - baselineSeconds) * 1000).toFixed(0)} ms over bare Node (median of ${runs}, wall)`,
    });
  }
  return results;
}
