// `npm run bench`: every stage against a baseline measured in the same run; never part of `npm test`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBenchTable, runCase, type BenchResult } from './bench-harness.js';
import { runShapesSection } from './shapes-section.js';
import { runStartUpSection } from './start-up-section.js';

const args = process.argv.slice(2);
const compareIndex = args.indexOf('--compare');
const previous: BenchResult[] | undefined = compareIndex >= 0 ? (JSON.parse(readFileSync(args[compareIndex + 1]!, 'utf8')).results as BenchResult[]) : undefined;
const quick = args.includes('--quick');
// --only ingest|fits|fit-file|steady|analyze|kmeans|patterns|shapes|start-up|learned|learned-features|next-order|paretonbd-limits|events|server runs one group of cases
// (learned-features: only the learned features' lines of the learned group)
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const wanted = (group: string) => onlyGroup === undefined || onlyGroup === group;
const dataDir = join(tmpdir(), 'clvkit-bench');
mkdirSync(dataDir, { recursive: true });

const results: BenchResult[] = [];
// --engine clickhouse [--clickhouse-url URL] [--cluster NAME]: only the ClickHouse cases (needs a running cluster)
const engineIndex = args.indexOf('--engine');
const engine = engineIndex >= 0 ? args[engineIndex + 1] : 'duckdb';
if (engine === 'clickhouse') {
  const { clickhouseBenchResults } = await import('./cases/clickhouse-bench-results.js');
  const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const url = flag('--clickhouse-url') ?? process.env.CLVKIT_CLICKHOUSE_URL;
  if (!url) throw new Error('--engine clickhouse needs --clickhouse-url URL or CLVKIT_CLICKHOUSE_URL (scripts/clickhouse-cluster.sh start DIR prints it)');
  // --clickhouse-lines 100000000 picks the sizes; --clickhouse-database NAME --reuse takes lines generated beforehand
  // (bench/cases/clickhouse-generate.ts); --chain-only times only the bare GROUP BY and analyze's chain on each engine
  // (the 100M run); --shard-cpu adds CPU seconds per shard from system.query_log; DuckDB runs the same chain on the same
  // lines (generated natively, file-backed, --duckdb-memory-limit 6GB by default; with --reuse, --duckdb-file FILE takes
  // the lines `clickhouse-generate.ts --duckdb FILE …` wrote) unless --no-duckdb
  const sizes = flag('--clickhouse-lines')?.split(',').map(Number) ?? (quick ? [1_000_000] : [1_000_000, 10_000_000]);
  // --only events: the events stage on the cluster instead (bench/cases/events-clickhouse.ts; sizes in events);
  // --only catalog-reads: catalog reads beside a create/drop loop against the same reads alone (clickhouse-catalog-reads.ts)
  if (only === 'events') results.push(...(await (await import('./cases/events-clickhouse-results.js')).eventsClickHouseResults(url, sizes, flag('--cluster'))));
  else if (only === 'catalog-reads') results.push(...(await (await import('./cases/catalog-reads-clickhouse-results.js')).catalogReadsClickHouseResults(url, quick, flag('--cluster'))));
  else results.push(...(await clickhouseBenchResults(url, sizes, flag('--cluster'), { database: flag('--clickhouse-database'), reuse: args.includes('--reuse'), chainOnly: args.includes('--chain-only'), shardCpu: args.includes('--shard-cpu'), noDuckDb: args.includes('--no-duckdb'), duckDbMemoryLimit: flag('--duckdb-memory-limit'), duckDbFile: flag('--duckdb-file') })));
}
// with --engine clickhouse no DuckDB group runs
const onlyGroup = engine === 'clickhouse' ? 'none' : only;
// --ingest-rows 1000000,10000000 picks the ingest sizes (default 1M and 10M; --quick: 1M)
const ingestRowsIndex = args.indexOf('--ingest-rows');
const rowSizes = ingestRowsIndex >= 0 ? args[ingestRowsIndex + 1]!.split(',').map(Number) : quick ? [1_000_000] : [1_000_000, 10_000_000];
if (wanted('ingest')) {
  const { ingestBenchResults } = await import('./cases/ingest-bench-results.js');
  results.push(...(await ingestBenchResults(dataDir, rowSizes)));
}

const fitTargets: Record<string, number> = { 'bgnbd 1M': 1, 'paretonbd 1M': 3 };
const fitSizes = quick ? [100_000, 1_000_000] : [100_000, 1_000_000, 10_000_000];
for (const model of wanted('fits') ? ['bgnbd', 'paretonbd', 'gammagamma'] : []) {
  for (const customers of fitSizes) {
    const label = `${customers >= 1_000_000 ? `${customers / 1_000_000}M` : `${customers / 1000}k`} customers`;
    process.stderr.write(`bench: ${model} fit, ${label}\n`);
    const compressed = await runCase('./cases/model-fits.ts', [model, String(customers), 'compressed']);
    // Per-customer fits of 10M customers take minutes (Pareto/NBD); --quick measures them up to 1M only.
    const perCustomer = customers <= 1_000_000 || !quick ? await runCase('./cases/model-fits.ts', [model, String(customers), 'per-customer']) : null;
    const targetKey = `${model} ${customers / 1_000_000}M`;
    results.push({
      stage: `fit ${model} (compressed)`,
      size: label,
      seconds: compressed.seconds,
      baseline: perCustomer ? 'same fit per customer' : 'not run (--quick)',
      baselineSeconds: perCustomer?.seconds ?? Number.NaN,
      ratio: perCustomer ? compressed.seconds / perCustomer.seconds : Number.NaN,
      ...(fitTargets[targetKey] !== undefined ? { targetSeconds: fitTargets[targetKey] } : {}),
      throughput: `${Number(compressed.extra?.rows).toLocaleString('en-US')} unique rows`,
      peakRssMiB: compressed.peakRssMiB,
      notes: `converged ${compressed.extra?.converged ?? 'n/a'}`,
    });
  }
}

// `clvkit fit` on a 1M-customer summary file vs lifetimes' BetaGeoFitter (measured when installed, else the recorded figure).
if (wanted('fit-file')) {
  const { registerFitSummaryFile } = await import('./cases/fit-summary-file-results.js');
  results.push(...(await registerFitSummaryFile(dataDir)));
}

// The value step on steady buyers who never drop out vs a churning shop of the same size (issue 12: ran > 600 s).
if (wanted('steady')) {
  process.stderr.write('bench: value step, steady vs churning shop\n');
  const churning = await runCase('./cases/value-step-steady.ts', ['churning']);
  const steady = await runCase('./cases/value-step-steady.ts', ['steady']);
  results.push({
    stage: 'value step, steady buyers',
    size: `20,000 customers, ${Number(steady.extra?.lines).toLocaleString('en-US')} lines`,
    seconds: steady.seconds,
    baseline: 'same step, churning shop of the same size',
    baselineSeconds: churning.seconds,
    ratio: steady.seconds / churning.seconds,
    target: 2,
    peakRssMiB: steady.peakRssMiB,
    notes: `chosen ${steady.extra?.chosen} on the boundary ${steady.extra?.boundary}; churning shop: ${Number(churning.extra?.lines).toLocaleString('en-US')} lines, chosen ${churning.extra?.chosen}`,
  });
}

// End to end: `analyze` on synthetic shops (clvkit synth: BTYD purchases, Gamma-Gamma spend, planted patterns) of ~1M and ~10M order lines.
const shopSizes = quick ? [130_000] : [130_000, 1_300_000];
for (const customers of wanted('analyze') ? shopSizes : []) {
  const dir = join(dataDir, `shop-${customers}`);
  const { existsSync } = await import('node:fs');
  if (!existsSync(join(dir, 'truth.json'))) {
    process.stderr.write(`bench: generating a synthetic shop of ${customers.toLocaleString('en-US')} customers → ${dir}\n`);
    const { generateShop } = await import('../src/synth/generate-shop.js');
    await generateShop({ outDir: dir, customers, seed: 42, events: false });
  }
  const csv = join(dir, 'transactions.csv');
  process.stderr.write(`bench: analyze end to end, ${customers.toLocaleString('en-US')} customers\n`);
  const base = await runCase('./cases/ingest-summary.ts', [csv, '--baseline', 'customer_id', 'quantity', 'unit_price', 'order_date']);
  const ours = await runCase('./cases/analyze-end-to-end.ts', [csv]);
  const timings = Object.entries(ours.extra ?? {}).filter(([k]) => k.startsWith('ms ')).map(([k, v]) => `${k.slice(3)} ${(Number(v) / 1000).toFixed(1)} s`);
  results.push({
    stage: 'analyze end to end',
    size: `${customers.toLocaleString('en-US')} customers`,
    seconds: ours.seconds,
    baseline: 'duckdb read_csv + GROUP BY',
    baselineSeconds: base.seconds,
    ratio: ours.seconds / base.seconds,
    throughput: `${Number(ours.extra?.customers).toLocaleString('en-US')} customers`,
    peakRssMiB: ours.peakRssMiB,
    notes: timings.join(', '),
  });
}

for (const [rows, columns, k] of wanted('kmeans') ? [[100_000, 5, 8], [1_000_000, 8, 8]] : []) {
  process.stderr.write(`bench: k-means ${rows} × ${columns}, k = ${k}\n`);
  const base = await runCase('./cases/kmeans.ts', [String(rows), String(columns), String(k), '--baseline']);
  const ours = await runCase('./cases/kmeans.ts', [String(rows), String(columns), String(k)]);
  results.push({
    stage: 'k-means++',
    size: `${rows.toLocaleString('en-US')} × ${columns}, k = ${k}`,
    seconds: ours.seconds,
    baseline: 'seeding + one assignment pass',
    baselineSeconds: base.seconds,
    ratio: ours.seconds / base.seconds,
    throughput: `${ours.extra?.algorithm}, ${ours.extra?.iterations} iterations`,
    peakRssMiB: ours.peakRssMiB,
  });
}

// Events (issue 16): stitching + sessions + funnels against a bare GROUP BY session; buyer types against the planted truth.
// Events (issue 16 item 7): synthetic shop events with their session ids, and the same events without them (the gap split),
// against a bare GROUP BY session_id over the same events. Notes give the CPU-time ratio (fairer on a loaded machine).
for (const events of wanted('events') ? (quick ? [1_000_000] : [1_000_000, 10_000_000]) : []) {
  process.stderr.write(`bench: events ${events}\n`);
  // ours and the bare GROUP BY alternate in one process, each reported by its best round (bench/cases/events.ts)
  for (const mode of ['', '--gap']) {
    const ours = await runCase('./cases/events.ts', ['sessions', String(events), ...(mode ? [mode] : [])]);
    const baselineSeconds = Number(ours.extra?.baselineSeconds);
    const cpuRatio = Number(ours.extra?.cpuSeconds) / Number(ours.extra?.baselineCpuSeconds);
    results.push({
      stage: mode ? 'events: gap split + stitching + funnels' : 'events: stitching + sessions + funnels',
      size: `${Number(ours.extra?.events).toLocaleString('en-US')} synthetic events`,
      seconds: ours.seconds,
      baseline: 'GROUP BY session_id (same process, best of the same rounds)',
      baselineSeconds,
      ratio: ours.seconds / baselineSeconds,
      target: 2,
      throughput: `${Number(ours.extra?.sessions).toLocaleString('en-US')} sessions`,
      peakRssMiB: ours.peakRssMiB,
      notes: `CPU ${Number(ours.extra?.cpuSeconds).toFixed(2)} s vs ${Number(ours.extra?.baselineCpuSeconds).toFixed(2)} s (${cpuRatio.toFixed(1)}×), best of ${ours.extra?.rounds} rounds${mode ? '; session ids withheld' : ''}`,
    });
  }
}
if (wanted('events')) {
  const buyers = quick ? 3_000 : 20_000;
  process.stderr.write(`bench: buyer types, ${buyers} buyers\n`);
  const typed = await runCase('./cases/events.ts', ['buyer-types', String(buyers)]);
  results.push({
    stage: 'events: buyer types',
    size: `${buyers.toLocaleString('en-US')} synthetic buyers`,
    seconds: typed.seconds,
    baseline: 'none (accuracy line)',
    baselineSeconds: Number.NaN,
    ratio: Number.NaN,
    throughput: `balanced accuracy ${typed.extra?.balancedAccuracy} vs planted types (target ≥ 0.85)`,
    peakRssMiB: typed.peakRssMiB,
  });
}

if (wanted('learned')) results.push(...(await (await import('./cases/learned.js')).measureLearnedModels(quick)));
if (wanted('next-order')) results.push(...(await (await import('./cases/mbgcnbd-next-order.js')).measureNextOrder(quick)));
if (wanted('next-order')) results.push(...(await (await import('./cases/mbgcnbd-phase-steps.js')).measurePhaseSteps(quick)));
// Pareto/NBD at its one-rate limits (P(X(t) = n) by quadrature, the fit settling on the limit) against the same work at
// ordinary parameters: the figures the unit tests of those limits do not time
for (const what of wanted('paretonbd-limits') ? ['count-probability', 'fit'] : []) {
  process.stderr.write(`bench: Pareto/NBD one-rate limits, ${what}\n`);
  const run = await runCase('./cases/paretonbd-limits.ts', [what]);
  const baselineSeconds = Number(run.extra?.baselineSeconds);
  results.push({
    stage: what === 'fit' ? 'Pareto/NBD fit, customers alike in both rates (one-rate one-dropout limit)' : 'Pareto/NBD P(X(t) = n) at the one-rate limits (quadrature)',
    size: what === 'fit' ? '1,500 customers' : `${Number(run.extra?.calls).toLocaleString('en-US')} calls`,
    seconds: run.seconds,
    baseline: what === 'fit' ? 'fit on 1,500 customers of CDNOW-like parameters' : 'the same calls at CDNOW-like parameters (series), best of 5',
    baselineSeconds,
    ratio: run.seconds / baselineSeconds,
    peakRssMiB: run.peakRssMiB,
    ...(what === 'fit' ? { notes: `settled on: ${run.extra?.limitModel}` } : {}),
  });
}
if (onlyGroup === 'learned-features') results.push(...(await (await import('./cases/learned.js')).measureLearnedFeatures(quick)));

const patternCases: [string, number, string][] = [
  ['fpgrowth-demo', 0, 'demo baskets (≈18k orders, ≈3.6k items), support 0.5%'],
  ['fpgrowth-synthetic', 1_000_000, '1M synthetic baskets, 4k items, support 0.5%'],
  ['prefixspan', 100_000, '100k customers’ order sequences, support 0.5%, ≤ 3 items'],
];
for (const [what, size, label] of wanted('patterns') ? patternCases : []) {
  process.stderr.write(`bench: ${what}\n`);
  const base = await runCase('./cases/pattern-mining.ts', [what, String(size), '--baseline']);
  const ours = await runCase('./cases/pattern-mining.ts', [what, String(size)]);
  results.push({
    stage: what === 'prefixspan' ? 'PrefixSpan' : 'FP-growth',
    size: label,
    seconds: ours.seconds,
    baseline: 'one item-counting pass',
    baselineSeconds: base.seconds,
    ratio: ours.seconds / base.seconds,
    throughput: `${Number(ours.extra?.result).toLocaleString('en-US')} patterns`,
    peakRssMiB: ours.peakRssMiB,
  });
}

// Shop shapes that strain the value engine, each against the BG/NBD shop with as many lines; --shape-lines N, --time-limit S,
// --shapes daily,steady runs those shapes only.
const numberFlag = (flag: string, fallback: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
const shapesFlag = args.includes('--shapes') ? args[args.indexOf('--shapes') + 1]!.split(',') : undefined;
if (wanted('shapes')) results.push(...(await runShapesSection({ dataDir, lines: numberFlag('--shape-lines', quick ? 30_000 : 300_000), timeLimitSeconds: numberFlag('--time-limit', 300), ...(shapesFlag ? { shapes: shapesFlag } : {}) })));

if (wanted('start-up')) results.push(...runStartUpSection());
// the HTTP server (issue 19): event ingestion and the overview API on loopback, autocannon, bounded in time
if (wanted('server')) results.push(...(await (await import('./cases/server-bench-results.js')).serverBenchResults(quick)));

console.log(formatBenchTable(results, previous));
for (const r of results) if (r.notes) console.log(`  ${r.stage} ${r.size}: ${r.notes}`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = join('bench', 'results', `bench-${stamp}.json`);
mkdirSync(join('bench', 'results'), { recursive: true });
writeFileSync(file, JSON.stringify({ when: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
console.log(`saved ${file} (compare later with: npm run bench -- --compare ${file})`);
