/**
 * Options of the synthetic shop (`generateShop`), their defaults and their
 * validation. Every default is stated here once; `truth.json` records the
 * resolved values, so a shop can always be regenerated from its truth file.
 */
import { UserError } from '../core/errors/user-error.js';
import type { BgNbdParams } from '../models/bgnbd/bgnbd.js';
import type { ParetoNbdParams } from '../models/paretonbd/paretonbd.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import { isBtydShape, SHOP_SHAPE_DEFINITIONS, SHOP_SHAPES, type ShopShape } from './shop-shapes.js';

export type ShopFormat = 'csv' | 'parquet';
export type ShopPurchaseModel = 'bgnbd' | 'paretonbd';

/** A planted association rule: a basket holding the product of popularity rank `ifRank` also holds `thenRank` with probability `confidence`. Ranks are 1-based (1 = most popular). */
export interface PlantedRuleOptions {
  readonly ifRank: number;
  readonly thenRank: number;
  readonly confidence: number;
}

/** A planted sequence: a customer whose order holds `firstRank` for the first time buys `thenRank` in their next order (when there is one) with probability `probability`. */
export interface PlantedSequenceOptions {
  readonly firstRank: number;
  readonly thenRank: number;
  readonly probability: number;
}

/** Dirt rates, each a probability per order (see `DirtRates` fields). */
export interface DirtRates {
  /** per product line: the line is written twice (exact copy right after it) → clvkit `duplicate` */
  readonly duplicate: number;
  /** per order: a guest order (1–3 lines, no customer id) is written next to it → clvkit `missing_customer_id` */
  readonly missingCustomerId: number;
  /** per order: a postage line (product_id POST) is added to it → clvkit `non_product` */
  readonly postage: number;
  /** per order: one of its lines is returned later ('C' + order id, negative quantity) when the return falls in the window */
  readonly returns: number;
}

export interface ShopProgress {
  /** 'generate' while customers are written (about every 1%), 'convert' once before the Parquet conversion */
  readonly phase: 'generate' | 'convert';
  readonly customersDone: number;
  readonly customers: number;
  readonly transactionRows: number;
  readonly eventRows: number;
  readonly elapsedMs: number;
}

export interface ShopOptions {
  /** output folder (created when missing; files in it of the same names are overwritten) */
  readonly outDir: string;
  /** number of customers (≥ 1) */
  readonly customers: number;
  /** seed of every random draw; the same seed and options give byte-identical files */
  readonly seed: number;
  /** 'csv' (default) or 'parquet' (CSV converted through DuckDB, then removed) */
  readonly format?: ShopFormat;
  /** purchase pattern (default 'bgnbd', the BTYD shop of `model`); see `shop-shapes.ts`. The shape sets the defaults of start, days and acquisitionDays */
  readonly shape?: ShopShape;
  /** purchase process of the shapes 'bgnbd' and 'decade': 'bgnbd' (default) or 'paretonbd' */
  readonly model?: ShopPurchaseModel;
  /** time unit of the model parameters (default 'week', the unit of the CDNOW estimates) */
  readonly timeUnit?: TimeUnit;
  /** BG/NBD parameters in `timeUnit` (default: CDNOW, FHL 2005 Table 1, weeks) */
  readonly bgnbd?: BgNbdParams;
  /** Pareto/NBD parameters in `timeUnit` (default: CDNOW, FHL 2005 Table 1, weeks) */
  readonly paretonbd?: ParetoNbdParams;
  /** Gamma-Gamma spend per order (default: CDNOW, FHL 2005 JMR, dollars) */
  readonly spend?: GammaGammaParams;
  /** first day of the observation window, YYYY-MM-DD (default 2022-01-01; shape decade: 2015-01-01) */
  readonly start?: string;
  /** length of the observation window in days (default 730; by shape: steady, daily, one-time 365, one-day 1, decade 3653) */
  readonly days?: number;
  /** customers are acquired (first purchase) uniformly over the first `acquisitionDays` of the window (default: half the window; by shape, see `shop-shapes.ts`) */
  readonly acquisitionDays?: number;
  /** number of products (default 500) */
  readonly products?: number;
  /** Zipf exponent of product popularity: P(rank k) ∝ k^−s (default 1) */
  readonly zipfExponent?: number;
  /** mean number of distinct products drawn per order of a deliberate buyer (default 3.5; impulsive buyers: 1 + half the excess); small orders keep fewer (see `drawBasket`) */
  readonly meanBasketLines?: number;
  /** share of impulsive buyers (default 0.35) */
  readonly impulsiveShare?: number;
  /** prospects — sign-ups who never buy — per buyer (default 0.5: a third of sign-ups never buy) */
  readonly prospectShare?: number;
  /** share of buyers who sign up at their first checkout, minutes before the first order (default 0.35); the others sign up `signupLeadDays` earlier */
  readonly signupAtCheckoutShare?: number;
  /**
   * median days from an early sign-up to the first purchase (default 30): log-normal with σ = 1 (5%–95%: 6–155
   * days), cut at the window start; a never-buyer browses for as long after signing up, then stops
   */
  readonly signupLeadDays?: number;
  /** mean number (Poisson) of anonymous visits in the 30 days before a sign-up that is not at a checkout (default 1) */
  readonly visitsBeforeSignup?: number;
  /** share of a signed-up person's sessions that start without a login (default 0.3); an order's last session then logs in at checkout */
  readonly loggedOutShare?: number;
  /** share of buyers and prospects who also browse on a second device (another visitor id), for about half their sessions after the first (default 0.3) */
  readonly multiDeviceShare?: number;
  /** visitors who browse but never sign up, log in or buy, per buyer (default 0.5) */
  readonly anonymousVisitors?: number;
  /** sessions per 30 days of a never-buyer in the time they browse after signing up (default 1; each person's rate ~ Gamma(shape 2) around it) */
  readonly browseRate?: number;
  /** how many times as often an early sign-up who will buy browses before the first purchase as a never-buyer does (default 3): the propensity signal */
  readonly browseRatio?: number;
  /** planted association rules (default `DEFAULT_ASSOCIATION_RULES`, those that fit the number of products) */
  readonly associationRules?: readonly PlantedRuleOptions[];
  /** planted sequences (default `DEFAULT_SEQUENCES`, those that fit the number of products) */
  readonly sequences?: readonly PlantedSequenceOptions[];
  /** one rate for every kind of dirt (default 0.01); `dirt` overrides single kinds */
  readonly dirtRate?: number;
  readonly dirt?: Partial<DirtRates>;
  /** write events.csv (default true) */
  readonly events?: boolean;
  /** called about every 1% of customers */
  readonly onProgress?: (progress: ShopProgress) => void;
}

/** Options with every default filled in; what truth.json records. */
export interface ResolvedShopOptions {
  readonly customers: number;
  readonly seed: number;
  readonly format: ShopFormat;
  readonly shape: ShopShape;
  readonly model: ShopPurchaseModel;
  readonly timeUnit: TimeUnit;
  /** the true generating parameters of the shape: the BTYD model's (BgNbdParams or ParetoNbdParams) for bgnbd and decade, the shape's own otherwise */
  readonly purchaseParams: Readonly<Record<string, number>>;
  readonly spend: GammaGammaParams;
  readonly start: string;
  readonly days: number;
  readonly acquisitionDays: number;
  readonly products: number;
  readonly zipfExponent: number;
  readonly meanBasketLines: number;
  readonly impulsiveShare: number;
  readonly prospectShare: number;
  readonly signupAtCheckoutShare: number;
  readonly signupLeadDays: number;
  readonly visitsBeforeSignup: number;
  readonly loggedOutShare: number;
  readonly multiDeviceShare: number;
  readonly anonymousVisitors: number;
  readonly browseRate: number;
  readonly browseRatio: number;
  readonly associationRules: readonly PlantedRuleOptions[];
  readonly sequences: readonly PlantedSequenceOptions[];
  readonly dirt: DirtRates;
  readonly events: boolean;
}

/** BG/NBD on CDNOW (Fader, Hardie & Lee 2005, Marketing Science 24(2), weeks): r, α, a, b. */
export const CDNOW_BGNBD_WEEKS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
/** Pareto/NBD on CDNOW (Fader, Hardie & Lee 2005, weeks): r, α, s, β. */
export const CDNOW_PARETONBD_WEEKS: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
/** Gamma-Gamma on CDNOW (Fader, Hardie & Lee 2005, JMR 42(4)): mean spend per order pγ/(q−1) ≈ $35. */
export const CDNOW_GAMMA_GAMMA: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

export const DEFAULT_DIRT_RATE = 0.01;

/** Default planted rules: popular antecedents, mid-tail consequents, so the lift is large. */
export const DEFAULT_ASSOCIATION_RULES: readonly PlantedRuleOptions[] = [
  { ifRank: 5, thenRank: 30, confidence: 0.5 },
  { ifRank: 10, thenRank: 50, confidence: 0.6 },
  { ifRank: 20, thenRank: 80, confidence: 0.4 },
];

export const DEFAULT_SEQUENCES: readonly PlantedSequenceOptions[] = [
  { firstRank: 8, thenRank: 40, probability: 0.5 },
  { firstRank: 15, thenRank: 70, probability: 0.4 },
];

/** The defaults of the sign-up and browsing options (see `ShopOptions`). */
export const DEFAULT_VISITOR_OPTIONS = {
  prospectShare: 0.5,
  signupAtCheckoutShare: 0.35,
  signupLeadDays: 30,
  visitsBeforeSignup: 1,
  loggedOutShare: 0.3,
  multiDeviceShare: 0.3,
  anonymousVisitors: 0.5,
  browseRate: 1,
  browseRatio: 3,
} as const;

type VisitorOptionName = Exclude<keyof typeof DEFAULT_VISITOR_OPTIONS, 'prospectShare'>;

/** The sign-up and browsing options with their defaults, each checked (probabilities in [0, 1], the rest in stated ranges). */
function resolveVisitorOptions(options: ShopOptions): Pick<ResolvedShopOptions, VisitorOptionName> {
  const rules: Record<VisitorOptionName, [(v: number) => boolean, string]> = {
    signupAtCheckoutShare: [(v) => v >= 0 && v <= 1, 'a probability from 0 to 1'],
    signupLeadDays: [(v) => v >= 1 && v <= 3650, 'a number of days from 1 to 3650'],
    visitsBeforeSignup: [(v) => v >= 0 && v <= 20, 'a mean number of visits from 0 to 20'],
    loggedOutShare: [(v) => v >= 0 && v <= 1, 'a probability from 0 to 1'],
    multiDeviceShare: [(v) => v >= 0 && v <= 1, 'a probability from 0 to 1'],
    anonymousVisitors: [(v) => v >= 0 && v <= 10, 'a number of visitors per buyer from 0 to 10'],
    browseRate: [(v) => v > 0 && v <= 30, 'a number of sessions per 30 days in (0, 30]'],
    browseRatio: [(v) => v > 0 && v <= 30, 'a ratio in (0, 30]'],
  };
  const resolved = {} as Record<VisitorOptionName, number>;
  for (const name of Object.keys(rules) as VisitorOptionName[]) {
    const value = options[name] ?? DEFAULT_VISITOR_OPTIONS[name];
    checkNumber(name, value, rules[name][0], rules[name][1]);
    resolved[name] = value;
  }
  return resolved;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of a YYYY-MM-DD day at 00:00 UTC, or NaN when it is not a real date. */
export function parseDayMs(text: string): number {
  const match = DATE_PATTERN.exec(text);
  if (!match) return NaN;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : NaN;
}

const OPTIONS_HINT = 'ShopOptions in src/synth/shop-options.ts lists every option with its default';

function checkNumber(name: string, value: number, ok: (v: number) => boolean, rule: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new UserError(`${name} must be ${rule}, got ${value}`, OPTIONS_HINT);
}

function checkParams(name: string, params: Record<string, number>, keys: readonly string[]): void {
  for (const key of keys) {
    const value = params[key];
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
      throw new UserError(`${name} parameter ${key} must be a finite number > 0, got ${value}`, `give all of ${keys.join(', ')}`);
    }
  }
}

/** Fill defaults and validate; throws `UserError` naming the bad option. */
export function resolveShopOptions(options: ShopOptions): ResolvedShopOptions {
  checkNumber('customers', options.customers, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
  checkNumber('seed', options.seed, (v) => Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER, 'a whole number');
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet') throw new UserError(`format must be csv or parquet, got ${String(format)}`, 'pass --format csv or --format parquet');
  const shape = options.shape ?? 'bgnbd';
  if (!SHOP_SHAPES.includes(shape)) throw new UserError(`shape must be one of ${SHOP_SHAPES.join(', ')}, got ${String(shape)}`, `pass --shape ${SHOP_SHAPES.join('|')}`);
  const shapeDefinition = SHOP_SHAPE_DEFINITIONS[shape];
  const model = options.model ?? 'bgnbd';
  if (model !== 'bgnbd' && model !== 'paretonbd') throw new UserError(`model must be bgnbd or paretonbd, got ${String(model)}`, 'pass --model bgnbd or --model paretonbd');
  if (model !== 'bgnbd' && !isBtydShape(shape)) throw new UserError(`model ${model} does not apply to the shape ${shape}`, 'the model chooses the purchase process of the shapes bgnbd and decade; drop --model');
  const timeUnit = options.timeUnit ?? 'week';
  if (timeUnit !== 'day' && timeUnit !== 'week' && timeUnit !== 'month') throw new UserError(`time unit must be day, week or month, got ${String(timeUnit)}`, 'the model parameters are rates per this unit');
  if (options.timeUnit !== undefined && options.timeUnit !== 'week' && isBtydShape(shape) && (model === 'bgnbd' ? !options.bgnbd : !options.paretonbd)) {
    throw new UserError(`time unit ${timeUnit} needs ${model} parameters in that unit`, `the defaults are CDNOW estimates in weeks; pass ${model} params or use timeUnit 'week'`);
  }
  const btydParams = model === 'bgnbd' ? { ...(options.bgnbd ?? CDNOW_BGNBD_WEEKS) } : { ...(options.paretonbd ?? CDNOW_PARETONBD_WEEKS) };
  checkParams(model === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD', btydParams, model === 'bgnbd' ? ['r', 'alpha', 'a', 'b'] : ['r', 'alpha', 's', 'beta']);
  const purchaseParams: Readonly<Record<string, number>> = isBtydShape(shape) ? btydParams : { ...shapeDefinition.params };
  const spend = { ...(options.spend ?? CDNOW_GAMMA_GAMMA) };
  checkParams('Gamma-Gamma', spend, ['p', 'q', 'gamma']);
  const start = options.start ?? shapeDefinition.start;
  if (Number.isNaN(parseDayMs(start))) throw new UserError(`start ${start} is not a date`, 'pass --start YYYY-MM-DD, e.g. --start 2022-01-01');
  const days = options.days ?? shapeDefinition.days;
  checkNumber('days', days, (v) => Number.isInteger(v) && v >= 1 && v <= 36_500, 'a whole number of days from 1 to 36500');
  if (shape === 'one-day' && days !== 1) throw new UserError(`the shape one-day has a window of one day, got ${days} days`, 'drop --days for --shape one-day');
  const acquisitionDays = options.acquisitionDays ?? shapeDefinition.acquisitionDays(days);
  checkNumber('acquisitionDays', acquisitionDays, (v) => v > 0 && v <= days, `a number of days in (0, ${days}]`);
  const products = options.products ?? 500;
  checkNumber('products', products, (v) => Number.isInteger(v) && v >= 10 && v <= 1_000_000, 'a whole number from 10 to 1000000');
  const zipfExponent = options.zipfExponent ?? 1;
  checkNumber('zipfExponent', zipfExponent, (v) => v >= 0 && v <= 5, 'a number from 0 to 5');
  const meanBasketLines = options.meanBasketLines ?? 3.5;
  checkNumber('meanBasketLines', meanBasketLines, (v) => v >= 1 && v <= 50, 'a number from 1 to 50');
  const impulsiveShare = options.impulsiveShare ?? 0.35;
  checkNumber('impulsiveShare', impulsiveShare, (v) => v >= 0 && v <= 1, 'a probability from 0 to 1');
  const prospectShare = options.prospectShare ?? DEFAULT_VISITOR_OPTIONS.prospectShare;
  checkNumber('prospectShare', prospectShare, (v) => v >= 0 && v <= 10, 'a number of prospects per buyer from 0 to 10');
  const visitor = resolveVisitorOptions(options);
  // the defaults keep only what fits the catalog; rules and sequences given explicitly are checked
  const associationRules = (options.associationRules ?? DEFAULT_ASSOCIATION_RULES.filter((rule) => Math.max(rule.ifRank, rule.thenRank) <= products)).map((rule) => ({ ...rule }));
  const sequences = (options.sequences ?? DEFAULT_SEQUENCES.filter((sequence) => Math.max(sequence.firstRank, sequence.thenRank) <= products)).map((sequence) => ({ ...sequence }));
  const checkRank = (name: string, rank: number) =>
    checkNumber(name, rank, (v) => Number.isInteger(v) && v >= 1 && v <= products, `a popularity rank from 1 to the number of products (${products})`);
  for (const rule of associationRules) {
    checkRank('association rule ifRank', rule.ifRank);
    checkRank('association rule thenRank', rule.thenRank);
    checkNumber('association rule confidence', rule.confidence, (v) => v >= 0 && v <= 1, 'a probability from 0 to 1');
    if (rule.ifRank === rule.thenRank) throw new UserError(`association rule ${rule.ifRank} → ${rule.thenRank} links a product to itself`, 'use two different ranks');
  }
  for (const sequence of sequences) {
    checkRank('sequence firstRank', sequence.firstRank);
    checkRank('sequence thenRank', sequence.thenRank);
    checkNumber('sequence probability', sequence.probability, (v) => v >= 0 && v <= 1, 'a probability from 0 to 1');
  }
  const base = options.dirtRate ?? DEFAULT_DIRT_RATE;
  checkNumber('dirt rate', base, (v) => v >= 0 && v <= 0.5, 'a rate from 0 to 0.5');
  const dirt: DirtRates = {
    duplicate: options.dirt?.duplicate ?? base,
    missingCustomerId: options.dirt?.missingCustomerId ?? base,
    postage: options.dirt?.postage ?? base,
    returns: options.dirt?.returns ?? base,
  };
  for (const [kind, rate] of Object.entries(dirt)) checkNumber(`dirt rate ${kind}`, rate, (v) => v >= 0 && v <= 0.5, 'a rate from 0 to 0.5');
  return {
    customers: options.customers,
    seed: options.seed,
    format,
    shape,
    model,
    timeUnit,
    purchaseParams,
    spend,
    start,
    days,
    acquisitionDays,
    products,
    zipfExponent,
    meanBasketLines,
    impulsiveShare,
    prospectShare,
    ...visitor,
    associationRules,
    sequences,
    dirt,
    events: options.events ?? true,
  };
}
