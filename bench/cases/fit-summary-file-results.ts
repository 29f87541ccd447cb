// The bench lines of `clvkit fit` on a summary file (see fit-summary-file.ts), against lifetimes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCase, type BenchResult } from '../bench-harness.js';

interface LifetimesReference {
  readonly seconds: number;
  readonly targets: { readonly wholeProcessSpeedup: number; readonly fitAloneSpeedup: number };
}

export async function registerFitSummaryFile(dataDir: string, customers = 1_000_000): Promise<BenchResult[]> {
  const reference = JSON.parse(readFileSync(new URL('../reference/lifetimes-bgnbd-fit.json', import.meta.url), 'utf8')) as LifetimesReference;
  const csv = join(dataDir, `summary-${customers}.csv`);
  const script = './cases/fit-summary-file.ts';
  if (!existsSync(csv)) {
    process.stderr.write(`bench: generating a ${customers.toLocaleString('en-US')}-customer summary file → ${csv}\n`);
    await runCase(script, [csv, 'generate', String(customers)]);
  }
  process.stderr.write('bench: clvkit fit on the summary file\n');
  const whole = await runCase(script, [csv, 'process']);
  const fit = await runCase(script, [csv, 'fit']);
  const lifetimes = await runCase(script, [csv, 'lifetimes']);
  const engine = await runCase(script, [csv, 'engine']);
  const measured = Number.isFinite(lifetimes.seconds);
  const baselineSeconds = measured ? Number(lifetimes.extra?.fitSeconds) : reference.seconds;
  const baseline = measured ? 'lifetimes BetaGeoFitter.fit, same run' : 'lifetimes BetaGeoFitter.fit, recorded 17.9 s (bench/reference)';
  const size = `${customers.toLocaleString('en-US')} customers`;
  const fitSpeedup = baselineSeconds / fit.seconds;
  const load = Number(fit.extra?.load);
  // the issue's figure, in one line: the fit alone against lifetimes' fit (a quiet machine is wanted: the load is printed with it)
  process.stderr.write(
    `bench: clvkit fit, fit alone ${fit.seconds.toFixed(3)} s = ${fitSpeedup.toFixed(0)}× faster than lifetimes' ${baselineSeconds.toFixed(1)} s ` +
      `(target ≥ ${reference.targets.fitAloneSpeedup}×, i.e. ≤ ${(baselineSeconds / reference.targets.fitAloneSpeedup).toFixed(3)} s) ${fitSpeedup >= reference.targets.fitAloneSpeedup ? '✓' : '✗'}; ` +
      `CPU ${Number(fit.extra?.cpuSeconds).toFixed(3)} s; whole process ${whole.seconds.toFixed(2)} s = ${(baselineSeconds / whole.seconds).toFixed(1)}×; load ${load.toFixed(1)}${load >= 2 ? ' (busy machine: figures inflated)' : ''}\n`,
  );
  return [
    {
      stage: 'clvkit fit bgnbd, whole process',
      size,
      seconds: whole.seconds,
      baseline,
      baselineSeconds,
      ratio: whole.seconds / baselineSeconds,
      target: 1 / reference.targets.wholeProcessSpeedup,
      throughput: `${Number(whole.extra?.tuples).toLocaleString('en-US')} unique tuples`,
      peakRssMiB: whole.peakRssMiB,
      notes: `${(baselineSeconds / whole.seconds).toFixed(1)}× faster than lifetimes' fit; CLI from ${whole.extra?.cli}, of which ${Number(whole.extra?.startupSeconds).toFixed(2)} s is starting the CLI (clvkit --version); converged ${whole.extra?.converged}`,
    },
    {
      stage: 'clvkit fit bgnbd, fit alone',
      size,
      seconds: fit.seconds,
      baseline,
      baselineSeconds,
      ratio: fit.seconds / baselineSeconds,
      target: 1 / reference.targets.fitAloneSpeedup,
      throughput: `${Number(fit.extra?.tuples).toLocaleString('en-US')} unique tuples`,
      peakRssMiB: fit.peakRssMiB,
      notes: `${fitSpeedup.toFixed(0)}× faster than lifetimes' fit (target ≥ ${reference.targets.fitAloneSpeedup}×); CPU ${Number(fit.extra?.cpuSeconds).toFixed(3)} s; 1-minute load ${load.toFixed(1)} at the start; ${fit.extra?.message}`,
    },
    {
      stage: 'clvkit fit bgnbd, whole process vs the engine alone',
      size,
      seconds: whole.seconds,
      baseline: 'node + DuckDB read_csv + GROUP BY to tuples, same run',
      baselineSeconds: engine.seconds,
      ratio: whole.seconds / engine.seconds,
      throughput: `${Number(engine.extra?.tuples).toLocaleString('en-US')} unique tuples`,
      peakRssMiB: whole.peakRssMiB,
      notes: 'the floor of any process that reads the file with DuckDB; the ratio holds on a loaded machine, the lifetimes lines need a quiet one',
    },
  ];
}
