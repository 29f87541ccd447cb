// Bench case: learned models on synthetic customer features (40 columns, 5% missing in some).
// Run by the harness as `learned.ts <train|score|scan|features> <rows>`; `measureLearnedModels` is the runner's entry.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../../src/math/random.js';
import { fitGradientBoosting, type GradientBoostingOptions } from '../../src/models/learned/gradient-boosting.js';
import { predictGradientBoosting } from '../../src/models/learned/predict-gradient-boosting.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { buildLearnedFeaturesSql } from '../../src/features/learned-features.js';
import { reportCase, runCase, type BenchResult } from '../bench-harness.js';

const FEATURES = 40;
/** Fixed work per round (no early stopping) so that sizes compare. */
export const TRAINING: GradientBoostingOptions = { loss: 'poisson', rounds: 100, learningRate: 0.1, maxDepth: 6, maxLeaves: 31, seed: 1 };

/** Seeded features like a customer table (counts, recencies, spends, shares) and a Poisson label with signal in 8 of them. */
export function generateLearnedData(rows: number, seed: number): { columns: Float64Array[]; label: Float64Array } {
  const random = createRandom(seed);
  const columns = Array.from({ length: FEATURES }, () => new Float64Array(rows));
  const label = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let eta = -0.5;
    for (let f = 0; f < FEATURES; f++) {
      const kind = f % 4;
      const v = kind === 0 ? random.poisson(3) : kind === 1 ? random.uniform() * 365 : kind === 2 ? Math.exp(random.normal() * 0.8 + 3) : random.uniform();
      columns[f][i] = f % 10 === 9 && random.uniform() < 0.05 ? NaN : v;
      if (f < 8 && !Number.isNaN(columns[f][i])) eta += [0.15, -0.003, 0.004, 0.8][kind] * (kind === 2 ? Math.min(v, 100) / 10 : v) * (f < 4 ? 1 : 0.5);
    }
    label[i] = random.poisson(Math.exp(Math.min(eta, 4)));
  }
  return { columns, label };
}

/** CPU seconds (user + system) of this process since `start`: on a shared machine wall time overstates the work. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Times of a statement: wall and CPU seconds (DuckDB's threads run in this process). */
interface StatementTimes {
  seconds: number;
  cpuSeconds: number;
}

/**
 * Features in SQL for `customers` customers (about 6 purchase days each over two years, a country and a
 * channel, in DuckDB): the customer summary with a holdout window (the baseline) and the learned features with
 * the same label window, on the same in-memory table in the same process, each materialised as a table. The two
 * statements alternate (summary, features, summary, features) and each keeps its faster run, so that neither
 * gains from going second or loses to a burst of other work; reports the learned ÷ summary ratio of those.
 */
async function measureFeatures(customers: number): Promise<void> {
  const warehouse = await openDuckDbWarehouse(':memory:');
  try {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, product_id, amount, channel, country, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      SELECT 'o' || i, 'c' || (h % ${customers}), TIMESTAMP '2022-01-01' + to_seconds(CAST((h // 7) % 63072000 AS BIGINT)), 'p' || (h // 13) % 3000,
        round(1 + ((h // 17) % 5000) / 100.0, 2), CASE WHEN h % 3 = 0 THEN 'app' ELSE 'web' END, 'C' || ((h // 1009) % 30), h % 40 = 0, false, 1, 'bench', i, 'h' || i
      FROM (SELECT i, hash(i) // 2 AS h FROM range(${customers * 6}) t(i))`);
    const options = { asOf: '2023-09-30', timeUnit: 'week', grain: 'day' } as const;
    const statements = {
      summary: buildCustomerSummarySql(warehouse.dialect, { ...options, holdoutEnd: '2023-12-31' }),
      features: buildLearnedFeaturesSql(warehouse.dialect, { ...options, labelEnd: '2023-12-31' }),
    };
    // on a busy machine the CPU ratio is the steadier one
    const time = async (sql: string, table: string): Promise<StatementTimes> => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${table} AS ${sql}`);
      return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu) };
    };
    const faster = (a: StatementTimes | undefined, b: StatementTimes): StatementTimes => (a === undefined ? b : { seconds: Math.min(a.seconds, b.seconds), cpuSeconds: Math.min(a.cpuSeconds, b.cpuSeconds) });
    const load = loadavg()[0]!;
    let summary: StatementTimes | undefined;
    let features: StatementTimes | undefined;
    for (let run = 0; run < 2; run++) {
      summary = faster(summary, await time(statements.summary, 'bench_summary'));
      features = faster(features, await time(statements.features, 'bench_features'));
    }
    reportCase(features!.seconds, {
      summarySeconds: summary!.seconds,
      ratio: features!.seconds / summary!.seconds,
      cpuSeconds: features!.cpuSeconds,
      summaryCpuSeconds: summary!.cpuSeconds,
      load,
      loadAfter: loadavg()[0]!,
    });
  } finally {
    await warehouse.close();
  }
}

async function main(mode: string, rows: number): Promise<void> {
  if (mode === 'features') {
    await measureFeatures(rows);
  } else if (mode === 'train') {
    const data = generateLearnedData(rows, 7);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const model = fitGradientBoosting(data, TRAINING);
    const leaves = model.trees.reduce((s, r) => s + r[0].feature.filter((f) => f < 0).length, 0);
    reportCase((performance.now() - started) / 1000, { rounds: model.roundsTrained, leaves, cpuSeconds: cpuSecondsSince(cpu) });
  } else {
    // score: a model trained on 20k rows (untimed; 100 trees of 31 leaves as at any size), then `rows` rows scored;
    // scan: one pass summing the same columns
    const data = generateLearnedData(rows, 8);
    const model = mode === 'score' ? fitGradientBoosting(generateLearnedData(20_000, 7), TRAINING) : null;
    const started = performance.now();
    const cpu = process.cpuUsage();
    let check = 0;
    if (model !== null) check = predictGradientBoosting(model, data.columns)[rows - 1];
    else for (const column of data.columns) for (let i = 0; i < rows; i++) check += column[i] === column[i] ? column[i] : 0;
    reportCase((performance.now() - started) / 1000, { check, cpuSeconds: cpuSecondsSince(cpu) });
  }
}

/** The features line's notes: CPU seconds of both statements and their ratio against the target, and the load they ran at. */
function featuresNotes(extra: Record<string, number | string>): string {
  const cpu = Number(extra.cpuSeconds);
  const summaryCpu = Number(extra.summaryCpuSeconds);
  const load = Math.max(Number(extra.load), Number(extra.loadAfter));
  return `same data, same process, DuckDB; each statement's faster of two alternating runs; CPU ${cpu.toFixed(2)} s vs the summary's ${summaryCpu.toFixed(2)} s = ${(cpu / summaryCpu).toFixed(2)}× (target ≤ 2×); 1-minute load ${Number(extra.load).toFixed(1)} → ${Number(extra.loadAfter).toFixed(1)}${load >= 2 ? ' (busy machine: wall times inflated)' : ''}`;
}

const label = (rows: number) => (rows >= 1_000_000 ? `${rows / 1_000_000}M` : `${rows / 1000}k`);

/** The learned features in SQL against the customer summary at 100k and 1M customers (100k only with --quick); `--only learned-features` runs these lines alone. */
export async function measureLearnedFeatures(quick: boolean): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const featureCustomers of quick ? [100_000] : [100_000, 1_000_000]) {
    process.stderr.write(`bench: learned features in SQL, ${label(featureCustomers)} customers\n`);
    const features = await runCase('./cases/learned.ts', ['features', String(featureCustomers)]);
    results.push({
      stage: 'learned features in SQL (with a label window)',
      size: `${label(featureCustomers)} customers`,
      seconds: features.seconds,
      baseline: 'customer summary (same data, cut-off and window)',
      baselineSeconds: Number(features.extra?.summarySeconds),
      ratio: Number(features.extra?.ratio),
      target: 2,
      peakRssMiB: features.peakRssMiB,
      notes: featuresNotes(features.extra ?? {}),
    });
  }
  return results;
}

/** The learned-model cases for bench/run.ts: training 100k and 1M rows × 40 (ratio to 100k), scoring vs a bare column scan, on one thread and on two. */
export async function measureLearnedModels(quick: boolean): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sizes = quick ? [100_000] : [100_000, 1_000_000];
  const small = await runCase('./cases/learned.ts', ['train', String(sizes[0])]);
  const smallCpu = Number(small.extra?.cpuSeconds);
  for (const rows of sizes) {
    process.stderr.write(`bench: gradient boosting, train ${label(rows)} × ${FEATURES}\n`);
    const run = rows === sizes[0] ? small : await runCase('./cases/learned.ts', ['train', String(rows)]);
    const cpu = Number(run.extra?.cpuSeconds);
    results.push({
      stage: 'train boosted trees (poisson, 100 rounds, 31 leaves)',
      size: `${label(rows)} × ${FEATURES}`,
      seconds: run.seconds,
      baseline: `same at ${label(sizes[0])} rows`,
      baselineSeconds: small.seconds,
      ratio: run.seconds / small.seconds,
      ...(rows === 1_000_000 ? { target: 10, targetSeconds: 60 } : {}),
      throughput: `${Math.round(rows / run.seconds).toLocaleString('en-US')} rows/s`,
      peakRssMiB: run.peakRssMiB,
      // on a shared machine the wall time counts other processes' turns: the CPU seconds and their ratio are the work
      notes: `CPU ${cpu.toFixed(2)} s${rows === sizes[0] ? '' : ` (${(cpu / smallCpu).toFixed(2)}× the ${label(sizes[0])} CPU s; rows ${rows / sizes[0]}×)`}${rows === 1_000_000 ? `, target 60 s: ${cpu <= 60 ? 'met' : 'NOT met'} in CPU s` : ''}, ${run.extra?.leaves} leaves`,
    });
  }
  results.push(...(await measureLearnedFeatures(quick)));
  const scored = quick ? 100_000 : 1_000_000;
  process.stderr.write(`bench: gradient boosting, score ${label(scored)}\n`);
  const scan = await runCase('./cases/learned.ts', ['scan', String(scored)]);
  const score = await runCase('./cases/learned.ts', ['score', String(scored)]);
  results.push({
    stage: 'score boosted trees (100 trees)',
    size: `${label(scored)} × ${FEATURES}`,
    seconds: score.seconds,
    baseline: 'one pass over the columns',
    baselineSeconds: scan.seconds,
    ratio: score.seconds / scan.seconds,
    targetSeconds: scored / 1_000_000,
    throughput: `${Math.round(scored / score.seconds).toLocaleString('en-US')} rows/s`,
    peakRssMiB: score.peakRssMiB,
    notes: `CPU ${Number(score.extra?.cpuSeconds).toFixed(2)} s (${Math.round(scored / Number(score.extra?.cpuSeconds)).toLocaleString('en-US')} rows per CPU second), one thread`,
  });
  process.stderr.write(`bench: gradient boosting, score ${label(scored)} on two worker threads\n`);
  const parallel = await runCase('./cases/learned-score-parallel.ts', [String(scored)]);
  const perSecond = scored / parallel.seconds;
  const parallelCpu = Number(parallel.extra?.cpuSeconds);
  results.push({
    stage: 'score boosted trees (100 trees), two worker threads',
    size: `${label(scored)} × ${FEATURES}`,
    seconds: parallel.seconds,
    baseline: 'the same on one thread',
    baselineSeconds: score.seconds,
    ratio: parallel.seconds / score.seconds,
    targetSeconds: scored / 1_000_000,
    throughput: `${Math.round(perSecond).toLocaleString('en-US')} customers/s wall-clock (target ≥ 1,000,000/s: ${perSecond >= 1_000_000 ? 'met' : 'NOT met'})`,
    peakRssMiB: parallel.peakRssMiB,
    notes: `CPU ${parallelCpu.toFixed(2)} s over both threads (${Math.round(scored / parallelCpu).toLocaleString('en-US')} rows per CPU second); ${parallel.extra?.identical === 1 ? 'scores identical to one thread' : 'SCORES DIFFER from one thread'}`,
  });
  return results;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, rowsText] = process.argv.slice(2);
  await main(mode, Number(rowsText));
}
