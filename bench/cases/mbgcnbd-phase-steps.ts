// Bench case: MBG/CNBD-k's expected purchases at large k (k = 564, as the regular-buyer shop's), each phase's tail
// stepped from its neighbour's (phase-tails.ts, what predictMbgCnbdConditionalPurchases does) against a continued
// fraction per phase (regularizedIncompleteBeta, the code before session 20: the baseline, in the same process, on
// the same customers, through the same sumOverPhases). Run by the harness as `mbgcnbd-phase-steps.ts <customers>`;
// reports both timings (each the faster of two alternating runs), their CPU seconds and the largest relative difference.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../../src/math/random.js';
import { regularizedIncompleteBeta } from '../../src/math/special-functions.js';
import { computeMbgCnbdPhases, predictMbgCnbdConditionalPurchases, sumOverPhases } from '../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { reportCase, runCase, type BenchResult } from '../bench-harness.js';

const K = 564;
const PARAMS = { r: 110, alpha: (4.3 * 110) / K, a: 1e-6, b: 5 };
/** the horizons of customer_scores (30, 90 and 365 days), in weeks */
const HORIZONS = [30 / 7, 90 / 7, 365 / 7];

/** Regular buyers: a purchase every ~4.3 weeks for up to two years, the last one 0–6 weeks before T. */
function customers(n: number): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const random = createRandom(29);
  const x = new Float64Array(n), tx = new Float64Array(n), T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 20 + Math.floor(random.uniform() * 84 * 7) / 7;
    x[i] = Math.max(1, Math.floor(T[i]! / 4.3) - 1);
    tx[i] = Math.max(0, T[i]! - Math.floor(random.uniform() * 6 * 7) / 7);
  }
  return { x, tx, T };
}

/** E[X(t)] as before session 20: a continued fraction for every phase and purchase. */
function perPhaseFractions(t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = PARAMS;
  const phases = computeMbgCnbdPhases(K, PARAMS, x, tx, T);
  const pAlive = 1 / (1 + Math.exp(phases.logOddsDead));
  const oneMinusQ = t / (alpha + T + t), q = (alpha + T) / (alpha + T + t);
  const bound = 1 + ((r + K * x + K - 1) * t) / (K * (alpha + T));
  return pAlive * sumOverPhases(phases, bound, (j) => {
    let survival = 1, sum = 0;
    for (let n = 1; n <= 1_000_000; n++) {
      const term = survival * regularizedIncompleteBeta(oneMinusQ, n * K - j, r + K * x + j, q);
      sum += term;
      if (term <= 1e-12 * sum || !(term > 0)) break;
      survival *= (b + x + n) / (a + b + x + n);
    }
    return sum;
  }).sum;
}

function predict(data: ReturnType<typeof customers>, f: (t: number, x: number, tx: number, T: number) => number): { values: Float64Array; seconds: number; cpuSeconds: number } {
  const n = data.x.length;
  const values = new Float64Array(n * HORIZONS.length);
  const started = performance.now();
  const cpu = process.cpuUsage();
  HORIZONS.forEach((t, h) => {
    for (let i = 0; i < n; i++) values[h * n + i] = f(t, data.x[i]!, data.tx[i]!, data.T[i]!);
  });
  const used = process.cpuUsage(cpu);
  return { values, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

function main(n: number): void {
  const data = customers(n);
  const load = loadavg()[0]!;
  const stepped = (t: number, x: number, tx: number, T: number) => predictMbgCnbdConditionalPurchases(K, PARAMS, t, x, tx, T);
  const runs = [predict(data, stepped), predict(data, perPhaseFractions), predict(data, stepped), predict(data, perPhaseFractions)];
  const ours = runs[0]!.seconds <= runs[2]!.seconds ? runs[0]! : runs[2]!;
  const before = runs[1]!.seconds <= runs[3]!.seconds ? runs[1]! : runs[3]!;
  let maxRelative = 0;
  for (let i = 0; i < ours.values.length; i++) maxRelative = Math.max(maxRelative, Math.abs(ours.values[i]! - before.values[i]!) / before.values[i]!);
  reportCase(ours.seconds, { beforeSeconds: before.seconds, cpuSeconds: ours.cpuSeconds, beforeCpuSeconds: before.cpuSeconds, maxRelative, load, loadAfter: loadavg()[0]! });
}

/** The bench line (bench/run.ts `--only next-order`): 3,000 regular buyers at k = 564 (600 with --quick), 30/90/365 days. */
export async function measurePhaseSteps(quick: boolean): Promise<BenchResult[]> {
  const n = quick ? 600 : 3000;
  process.stderr.write(`bench: MBG/CNBD-${K} expected purchases, ${n} regular buyers\n`);
  const run = await runCase('./cases/mbgcnbd-phase-steps.ts', [String(n)]);
  const e = run.extra ?? {};
  return [{
    stage: `MBG/CNBD-${K} expected purchases over 30/90/365 days (phase tails stepped)`,
    size: `${n.toLocaleString('en-US')} regular buyers`,
    seconds: run.seconds,
    baseline: 'a continued fraction per phase (before session 20)',
    baselineSeconds: Number(e.beforeSeconds),
    ratio: run.seconds / Number(e.beforeSeconds),
    throughput: `${Math.round((n * HORIZONS.length) / run.seconds).toLocaleString('en-US')} predictions/s`,
    peakRssMiB: run.peakRssMiB,
    notes: `CPU ${Number(e.cpuSeconds).toFixed(2)} s vs ${Number(e.beforeCpuSeconds).toFixed(2)} s (×${(Number(e.beforeCpuSeconds) / Number(e.cpuSeconds)).toFixed(2)} faster); largest relative difference ${Number(e.maxRelative).toExponential(2)}; 1-minute load ${Number(e.load).toFixed(1)} → ${Number(e.loadAfter).toFixed(1)}`,
  }];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main(Number(process.argv[2]));
