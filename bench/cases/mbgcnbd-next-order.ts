// Bench case: MBG/CNBD-k's next-order quantiles (50% and 90%, as customer_scores' next_order_p50/p90) on `tuples` unique
// (x, t_x, T) in weeks, stopped at the scores' tolerance (NEXT_ORDER_TOLERANCE_DAYS) against the same bisection run to
// machine precision (the baseline, in the same process, on the same tuples). Run by the harness as
// `mbgcnbd-next-order.ts <tuples> <k>`; reports both timings (each the faster of two alternating runs), their CPU seconds,
// the largest difference in days and how many next-order dates (days rounded up) differ.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../../src/math/random.js';
import { predictMbgCnbdTimeToNextPurchase } from '../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { NEXT_ORDER_TOLERANCE_DAYS } from '../../src/pipeline/regularity-scores.js';
import { reportCase, runCase, type BenchResult } from '../bench-harness.js';

const PARAMS = { r: 3, alpha: 6, a: 0.5, b: 8 };
const WEEK = 7;

function tuples(n: number): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const random = createRandom(17);
  const x = new Float64Array(n), tx = new Float64Array(n), T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 1 + Math.floor(random.uniform() * 104 * 7) / 7;
    x[i] = random.uniform() < 0.3 ? 0 : 1 + Math.floor(random.uniform() * Math.min(40, T[i]!));
    tx[i] = x[i] === 0 ? 0 : Math.floor(random.uniform() * T[i]! * 7) / 7;
  }
  return { x, tx, T };
}

function quantiles(k: number, data: ReturnType<typeof tuples>, tolerance: number): { values: Float64Array[]; seconds: number; cpuSeconds: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const values = [0.5, 0.9].map((q) => Float64Array.from(data.x, (x, i) => predictMbgCnbdTimeToNextPurchase(k, PARAMS, q, x, data.tx[i]!, data.T[i]!, tolerance)));
  const used = process.cpuUsage(cpu);
  return { values, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function main(n: number, k: number): void {
  const data = tuples(n);
  const tolerance = NEXT_ORDER_TOLERANCE_DAYS / WEEK;
  const load = loadavg()[0]!;
  // alternating runs, the faster of two each: the same tuples, the same process
  const runs = [quantiles(k, data, tolerance), quantiles(k, data, 0), quantiles(k, data, tolerance), quantiles(k, data, 0)];
  const fast = runs[0]!.seconds <= runs[2]!.seconds ? runs[0]! : runs[2]!;
  const exact = runs[1]!.seconds <= runs[3]!.seconds ? runs[1]! : runs[3]!;
  let maxDays = 0, datesDiffer = 0, finite = 0;
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const a = fast.values[c]![i]!, b = exact.values[c]![i]!;
      if (a === Infinity && b === Infinity) continue;
      finite++;
      maxDays = Math.max(maxDays, Math.abs(a - b) * WEEK);
      if (Math.ceil(a * WEEK) !== Math.ceil(b * WEEK)) datesDiffer++;
    }
  }
  reportCase(fast.seconds, { exactSeconds: exact.seconds, cpuSeconds: fast.cpuSeconds, exactCpuSeconds: exact.cpuSeconds, maxDays, datesDiffer, finite, load, loadAfter: loadavg()[0]! });
}

/** The bench line (bench/run.ts `--only next-order`): 100k unique tuples at k = 12 (20k with --quick). */
export async function measureNextOrder(quick: boolean): Promise<BenchResult[]> {
  const n = quick ? 20_000 : 100_000, k = 12;
  process.stderr.write(`bench: MBG/CNBD-${k} next-order quantiles, ${n / 1000}k unique tuples\n`);
  const run = await runCase('./cases/mbgcnbd-next-order.ts', [String(n), String(k)]);
  const e = run.extra ?? {};
  return [{
    stage: `MBG/CNBD-${k} next-order p50 + p90 (bisection to ${NEXT_ORDER_TOLERANCE_DAYS} day)`,
    size: `${n / 1000}k unique (x, t_x, T)`,
    seconds: run.seconds,
    baseline: 'the same bisection to machine precision',
    baselineSeconds: Number(e.exactSeconds),
    ratio: run.seconds / Number(e.exactSeconds),
    throughput: `${Math.round(n / run.seconds).toLocaleString('en-US')} tuples/s`,
    peakRssMiB: run.peakRssMiB,
    notes: `CPU ${Number(e.cpuSeconds).toFixed(2)} s vs ${Number(e.exactCpuSeconds).toFixed(2)} s (×${(Number(e.exactCpuSeconds) / Number(e.cpuSeconds)).toFixed(2)} faster); largest difference ${Number(e.maxDays).toExponential(2)} days over ${Number(e.finite).toLocaleString('en-US')} finite quantiles, ${e.datesDiffer} next-order dates (days rounded up) differ; 1-minute load ${Number(e.load).toFixed(1)} → ${Number(e.loadAfter).toFixed(1)}`,
  }];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [n, k] = process.argv.slice(2).map(Number);
  main(n!, k!);
}
