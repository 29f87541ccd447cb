import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFolder } from '../../core/output-paths.js';
import { DEFAULT_VISITOR_OPTIONS, type ShopFormat, type ShopProgress, type ShopPurchaseModel } from '../../synth/shop-options.js';
import { SHOP_SHAPES, type ShopShape } from '../../synth/shop-shapes.js';
import type { ShopTruth } from '../../synth/shop-truth.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { numberText } from '../../core/number-text.js';
import { QUIET_HELP } from '../quiet-option.js';

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
  prospectShare: string;
  signupAtCheckout: string;
  signupLeadDays: string;
  visitsBeforeSignup: string;
  loggedOutShare: string;
  multiDeviceShare: string;
  anonymousVisitors: string;
  browseRate: string;
  browseRatio: string;
  json?: boolean;
  quiet?: boolean;
}

/** shops with at least this many customers print progress lines */
const PROGRESS_FROM_CUSTOMERS = 50_000;

const count = (n: number) => n.toLocaleString('en-US');

function wholeNumber(flag: string, text: string | undefined, min: number, example: string): number {
  if (text === undefined) throw new UserError(`${flag} is required`, `e.g. ${flag} ${example}`);
  const value = numberText(text);
  if (!/^-?[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UserError(`${flag} ${text} is not a whole number${min > 0 ? ` ≥ ${min}` : ''}`, `e.g. ${flag} ${example}`);
  }
  return value;
}

function rate(flag: string, text: string): number {
  const value = numberText(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 0.5) throw new UserError(`${flag} ${text} is not a rate from 0 to 0.5`, `e.g. ${flag} 0.01 (1% of orders get each kind of dirt)`);
  return value;
}

/** A number flag in [min, max] (`open`: above min), or a UserError naming the flag with an example. */
function numberIn(flag: string, text: string, min: number, max: number, what: string, example: string, open = false): number {
  const value = numberText(text);
  if (text.trim() === '' || !Number.isFinite(value) || value > max || (open ? value <= min : value < min)) {
    throw new UserError(`${flag} ${text} is not ${what}`, `e.g. ${flag} ${example}`);
  }
  return value;
}

const share = (flag: string, text: string, example: string) => numberIn(flag, text, 0, 1, 'a share from 0 to 1', example);

/** The human summary printed after a run. */
export function formatSynthSummary(truth: ShopTruth, outDir: string, elapsedMs: number): string {
  const q = truth.dirt.quarantine;
  return [
    `clvkit synth — ${count(truth.customers.total)} customers, seed ${truth.seed}, ${truth.shape.label} (${truth.shape.timeUnit}s), ${truth.window.start} … ${truth.window.end} (exclusive)`,
    `  rows       ${Object.entries(truth.rows).map(([file, rows]) => `${file} ${count(rows)}`).join(', ')}`,
    `  orders     ${count(truth.transactions.orders)} (${count(truth.customers.repeatPurchases)} repeat), mean order value ${truth.spend.meanRealisedOrderValue.toFixed(2)}`,
    `  sign-ups   ${count(truth.signups.total)}: ${count(truth.signups.atCheckout)} at the first checkout, ${count(truth.signups.early)} earlier, ${count(truth.signups.neverBuy)} never buy`,
    ...(truth.visitors
      ? [`  visitors   ${count(truth.visitors.visitorIds)} ids, ${count(truth.visitors.linked)} log in; ${count(truth.visitors.sessionsWithAnonymousEvents)} sessions with anonymous events, ${count(truth.visitors.sessionsStitchable)} of them on an id that logs in`]
      : []),
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
    .option('--prospect-share <r>', 'sign-ups who never buy, per buyer (0.5: a third of sign-ups never buy)', String(DEFAULT_VISITOR_OPTIONS.prospectShare))
    .option('--signup-at-checkout <share>', 'share of buyers who sign up at their first checkout, minutes before it; the others sign up earlier', String(DEFAULT_VISITOR_OPTIONS.signupAtCheckoutShare))
    .option('--signup-lead-days <d>', 'median days from an earlier sign-up to the first purchase (log-normal, σ 1: 5–95% at 0.19–5.2 × it, cut at the window start); a never-buyer browses as long after signing up', String(DEFAULT_VISITOR_OPTIONS.signupLeadDays))
    .option('--visits-before-signup <n>', 'mean number of anonymous visits in the 30 days before an earlier sign-up', String(DEFAULT_VISITOR_OPTIONS.visitsBeforeSignup))
    .option('--logged-out-share <share>', 'share of a signed-up person\'s sessions that start without a login (an order\'s last session then logs in at checkout)', String(DEFAULT_VISITOR_OPTIONS.loggedOutShare))
    .option('--multi-device-share <share>', 'share of buyers and prospects who also browse on a second device (a second visitor id)', String(DEFAULT_VISITOR_OPTIONS.multiDeviceShare))
    .option('--anonymous-visitors <r>', 'visitors who browse but never sign up, log in or buy, per buyer', String(DEFAULT_VISITOR_OPTIONS.anonymousVisitors))
    .option('--browse-rate <n>', 'sessions per 30 days of a never-buyer after signing up (per person Gamma(shape 2) around it)', String(DEFAULT_VISITOR_OPTIONS.browseRate))
    .option('--browse-ratio <x>', 'how many times as often an earlier sign-up who will buy browses before the first purchase: the propensity signal', String(DEFAULT_VISITOR_OPTIONS.browseRatio))
    .option('--json', 'print truth.json instead of the summary')
    .option('--quiet', QUIET_HELP)
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
      const visitorOptions = {
        prospectShare: numberIn('--prospect-share', flags.prospectShare, 0, 10, 'a number of never-buying sign-ups per buyer from 0 to 10', '0.5'),
        signupAtCheckoutShare: share('--signup-at-checkout', flags.signupAtCheckout, '0.35'),
        signupLeadDays: numberIn('--signup-lead-days', flags.signupLeadDays, 1, 3650, 'a number of days from 1 to 3650', '30'),
        visitsBeforeSignup: numberIn('--visits-before-signup', flags.visitsBeforeSignup, 0, 20, 'a mean number of visits from 0 to 20', '1'),
        loggedOutShare: share('--logged-out-share', flags.loggedOutShare, '0.3'),
        multiDeviceShare: share('--multi-device-share', flags.multiDeviceShare, '0.3'),
        anonymousVisitors: numberIn('--anonymous-visitors', flags.anonymousVisitors, 0, 10, 'a number of visitors per buyer from 0 to 10', '0.5'),
        browseRate: numberIn('--browse-rate', flags.browseRate, 0, 30, 'a number of sessions per 30 days in (0, 30]', '1', true),
        browseRatio: numberIn('--browse-ratio', flags.browseRatio, 0, 30, 'a ratio in (0, 30]', '3', true),
      };
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
        ...visitorOptions,
        events: flags.events,
        onProgress,
      });
      io.stdout.write(flags.json ? JSON.stringify(truth, null, 2) + '\n' : formatSynthSummary(truth, flags.out, Date.now() - started) + '\n');
      if (Date.parse(`${truth.window.end}T00:00:00Z`) > Date.now()) {
        io.stderr.write(`clvkit: warning: the window ends ${truth.window.end}, after today: clvkit ingest quarantines rows dated after the time of ingest as future_date\n`);
      }
    });
}
