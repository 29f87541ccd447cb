import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFolder } from '../../core/output-paths.js';
import type { ShopFormat, ShopProgress, ShopPurchaseModel } from '../../synth/shop-options.js';
import { SHOP_SHAPES, type ShopShape } from '../../synth/shop-shapes.js';
import type { ShopTruth } from '../../synth/shop-truth.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const generateShop = lazyFunction(() => import('../../synth/generate-shop.js'), 'generateShop');

interface SynthFlags {
  customers?: string;
  seed: string;
  out?: string;
  format: string;
  shape: string;
  model?: string;
  start?: string;
  days?: string;
  dirtRate: string;
  products: string;
  events: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** shops with at least this many customers print progress lines */
const PROGRESS_FROM_CUSTOMERS = 50_000;

const count = (n: number) => n.toLocaleString('en-US');

function wholeNumber(flag: string, text: string | undefined, min: number, example: string): number {
  if (text === undefined) throw new UserError(`${flag} is required`, `e.g. ${flag} ${example}`);
  const value = Number(text);
  if (!/^-?[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UserError(`${flag} ${text} is not a whole number${min > 0 ? ` ≥ ${min}` : ''}`, `e.g. ${flag} ${example}`);
  }
  return value;
}

function rate(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 0.5) throw new UserError(`${flag} ${text} is not a rate from 0 to 0.5`, `e.g. ${flag} 0.01 (1% of orders get each kind of dirt)`);
  return value;
}

/** The human summary printed after a run. */
export function formatSynthSummary(truth: ShopTruth, outDir: string, elapsedMs: number): string {
  const q = truth.dirt.quarantine;
  return [
    `clvkit synth — ${count(truth.customers.total)} customers, seed ${truth.seed}, ${truth.shape.label} (${truth.shape.timeUnit}s), ${truth.window.start} … ${truth.window.end} (exclusive)`,
    `  rows       ${Object.entries(truth.rows).map(([file, rows]) => `${file} ${count(rows)}`).join(', ')}`,
    `  orders     ${count(truth.transactions.orders)} (${count(truth.customers.repeatPurchases)} repeat), mean order value ${truth.spend.meanRealisedOrderValue.toFixed(2)}`,
    `  dirt       duplicate ${count(q.duplicate)}, missing_customer_id ${count(q.missing_customer_id)}, non_product ${count(q.non_product)}; returns ${count(truth.dirt.returns.rows)}`,
    `  wrote      ${truth.files.map((f) => `${outDir}/${f}`).join(', ')}, ${outDir}/truth.json in ${(elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}

export function synthCommand(io: CliIo): Command {
  return new Command('synth')
    .description('generate a synthetic shop with known truth: customers, products, transactions (Online Retail layout), events, planted dirt, truth.json')
    .option('--customers <n>', 'number of customers (required)')
    .option('--seed <s>', 'seed: the same seed and flags give byte-identical files', '42')
    .option('--out <dir>', 'output folder (required; created when missing)')
    .option('--format <format>', 'csv or parquet (parquet: written as CSV, converted through DuckDB)', 'csv')
    .option('--shape <shape>', `purchase pattern: ${SHOP_SHAPES.join('|')} (bgnbd: BTYD purchases and dropout; steady: no dropout; regular: one order a month; daily: most days; one-time: one order each; one-day: everything on one day; decade: ten years of BTYD history)`, 'bgnbd')
    .option('--model <model>', 'purchase process of the shapes bgnbd and decade: bgnbd or paretonbd (CDNOW parameters, weeks; default bgnbd)')
    .option('--start <date>', 'first day of the observation window, YYYY-MM-DD (default 2022-01-01; decade 2015-01-01)')
    .option('--days <d>', 'length of the observation window in days (default by shape: 730 for bgnbd and regular, 365 for steady, daily and one-time, 1 for one-day, 3653 for decade)')
    .option('--dirt-rate <r>', 'rate of each kind of dirt: duplicated lines (per line); guest orders without customer id, postage lines, returns (per order)', '0.01')
    .option('--products <n>', 'number of products', '500')
    .option('--no-events', 'do not write events.csv')
    .option('--json', 'print truth.json instead of the summary')
    .option('--quiet', 'no progress lines')
    .action(async (flags: SynthFlags) => {
      const customers = wholeNumber('--customers', flags.customers, 1, '10000');
      if (flags.out === undefined || flags.out.trim() === '') throw new UserError('--out is required', 'e.g. --out out/shop');
      checkOutputFolder(flags.out, '--out');
      const seed = wholeNumber('--seed', flags.seed, -Number.MAX_SAFE_INTEGER, '42');
      if (flags.format !== 'csv' && flags.format !== 'parquet') throw new UserError(`--format ${flags.format} is not csv or parquet`, 'pass --format csv or --format parquet');
      if (!(SHOP_SHAPES as readonly string[]).includes(flags.shape)) throw new UserError(`--shape ${flags.shape} is not one of ${SHOP_SHAPES.join(', ')}`, `pass --shape ${SHOP_SHAPES.join('|')}`);
      if (flags.model !== undefined && flags.model !== 'bgnbd' && flags.model !== 'paretonbd') throw new UserError(`--model ${flags.model} is not bgnbd or paretonbd`, 'pass --model bgnbd or --model paretonbd');
      const days = flags.days === undefined ? undefined : wholeNumber('--days', flags.days, 1, '730');
      const products = wholeNumber('--products', flags.products, 10, '500');
      const dirtRate = rate('--dirt-rate', flags.dirtRate);
      const showProgress = !flags.quiet && customers >= PROGRESS_FROM_CUSTOMERS;
      let nextTenth = 1;
      const onProgress = (progress: ShopProgress) => {
        if (!showProgress) return;
        if (progress.phase === 'convert') {
          io.stderr.write(`clvkit: synth converting to parquet (${(progress.elapsedMs / 1000).toFixed(1)} s)\n`);
          return;
        }
        if (progress.customersDone * 10 < nextTenth * progress.customers) return;
        nextTenth = Math.floor((progress.customersDone * 10) / progress.customers) + 1;
        io.stderr.write(
          `clvkit: synth ${Math.round((100 * progress.customersDone) / progress.customers)}% — ${count(progress.customersDone)}/${count(progress.customers)} customers, ${count(progress.transactionRows)} transaction rows, ${count(progress.eventRows)} events, ${(progress.elapsedMs / 1000).toFixed(1)} s\n`,
        );
      };
      const started = Date.now();
      const truth = await generateShop({
        outDir: flags.out,
        customers,
        seed,
        format: flags.format as ShopFormat,
        shape: flags.shape as ShopShape,
        model: flags.model as ShopPurchaseModel | undefined,
        start: flags.start,
        days,
        products,
        dirtRate,
        events: flags.events,
        onProgress,
      });
      io.stdout.write(flags.json ? JSON.stringify(truth, null, 2) + '\n' : formatSynthSummary(truth, flags.out, Date.now() - started) + '\n');
      if (Date.parse(`${truth.window.end}T00:00:00Z`) > Date.now()) {
        io.stderr.write(`clvkit: warning: the window ends ${truth.window.end}, after today: clvkit ingest quarantines rows dated after the time of ingest as future_date\n`);
      }
    });
}
