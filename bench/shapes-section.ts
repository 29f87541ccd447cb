// Bench section "shapes" (`npm run bench -- --only shapes`): `analyze` on each synthetic shop shape
// (clvkit synth --shape) at comparable line counts, each as a ratio to the BG/NBD shop with as many
// lines, measured in the same run, plus whether every score is finite and in range. Every case has a
// time limit (a case still running is killed and printed as "> limit s"), so the section always ends.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCase, type BenchResult } from './bench-harness.js';
import { generateShop } from '../src/synth/generate-shop.js';
import { SHOP_SHAPES, type ShopShape } from '../src/synth/shop-shapes.js';
import type { ShopTruth } from '../src/synth/shop-truth.js';

export interface ShapesSectionOptions {
  readonly dataDir: string;
  /** transaction lines per shop (about) */
  readonly lines: number;
  readonly timeLimitSeconds: number;
  /** the shapes to run (default: every shape but bgnbd, the baseline) */
  readonly shapes?: readonly string[];
}

/** enough customers for the value models (≥ 50 customers) whatever the shape */
const MIN_CUSTOMERS = 60;
const PILOT_CUSTOMERS = 100;

async function shop(dataDir: string, shape: ShopShape, customers: number): Promise<{ csv: string; truth: ShopTruth }> {
  const dir = join(dataDir, `shape-${shape}-${customers}`);
  if (!existsSync(join(dir, 'truth.json'))) {
    process.stderr.write(`bench: generating the ${shape} shop, ${customers.toLocaleString('en-US')} customers → ${dir}\n`);
    await generateShop({ outDir: dir, customers, seed: 42, shape, events: false });
  }
  return { csv: join(dir, 'transactions.csv'), truth: JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as ShopTruth };
}

async function linesPerCustomer(dataDir: string, shape: ShopShape): Promise<number> {
  const pilot = await shop(dataDir, shape, PILOT_CUSTOMERS);
  return pilot.truth.rows.transactions! / PILOT_CUSTOMERS;
}

export async function runShapesSection(options: ShapesSectionOptions): Promise<BenchResult[]> {
  const { dataDir, lines, timeLimitSeconds } = options;
  const results: BenchResult[] = [];
  const bgnbdLines = await linesPerCustomer(dataDir, 'bgnbd');
  const baselines = new Map<number, Awaited<ReturnType<typeof runCase>>>();
  const unknown = (options.shapes ?? []).filter((s) => !(SHOP_SHAPES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`--shapes: unknown shape ${unknown.join(', ')} (shapes: ${SHOP_SHAPES.join(', ')})`);
  for (const shape of SHOP_SHAPES.filter((s) => s !== 'bgnbd' && (!options.shapes || options.shapes.includes(s)))) {
    const customers = Math.max(MIN_CUSTOMERS, Math.round(lines / (await linesPerCustomer(dataDir, shape))));
    const target = await shop(dataDir, shape, customers);
    const shopLines = target.truth.rows.transactions!;
    // the BG/NBD shop with as many lines (within 5%: the customer count is corrected twice at most)
    let baselineCustomers = Math.max(MIN_CUSTOMERS, Math.round(shopLines / bgnbdLines));
    let base = await shop(dataDir, 'bgnbd', baselineCustomers);
    for (let attempt = 0; attempt < 2 && Math.abs(base.truth.rows.transactions! / shopLines - 1) > 0.05; attempt++) {
      baselineCustomers = Math.max(MIN_CUSTOMERS, Math.round((baselineCustomers * shopLines) / base.truth.rows.transactions!));
      base = await shop(dataDir, 'bgnbd', baselineCustomers);
    }
    let baseline = baselines.get(baselineCustomers);
    if (!baseline) {
      process.stderr.write(`bench: analyze the BG/NBD shop, ${base.truth.rows.transactions!.toLocaleString('en-US')} lines\n`);
      baseline = await runCase('./cases/analyze-shape.ts', [base.csv], { timeoutSeconds: timeLimitSeconds });
      baselines.set(baselineCustomers, baseline);
    }
    process.stderr.write(`bench: analyze the ${shape} shop, ${shopLines.toLocaleString('en-US')} lines (limit ${timeLimitSeconds} s)\n`);
    const ours = await runCase('./cases/analyze-shape.ts', [target.csv], { timeoutSeconds: timeLimitSeconds });
    const scores = ours.timedOut ? 'not checked (killed)' : `${ours.extra?.scored}/${ours.extra?.customers} scored by ${ours.extra?.model}, out of range or not finite: ${ours.extra?.badScores}`;
    results.push({
      stage: `analyze, shape ${shape}`,
      size: `${shopLines.toLocaleString('en-US')} lines, ${customers.toLocaleString('en-US')} customers`,
      seconds: ours.seconds,
      baseline: `BG/NBD shop, ${base.truth.rows.transactions!.toLocaleString('en-US')} lines`,
      baselineSeconds: baseline.timedOut ? Number.NaN : baseline.seconds,
      ratio: ours.seconds / baseline.seconds,
      peakRssMiB: ours.peakRssMiB,
      notes: baseline.timedOut ? `${scores}; baseline killed at ${timeLimitSeconds} s` : scores,
      ...(ours.timedOut ? { timedOutAfterSeconds: timeLimitSeconds } : {}),
    });
  }
  return results;
}
