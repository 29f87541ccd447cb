/**
 * Shop shapes: the purchase patterns `clvkit synth --shape` can generate,
 * each with its default window and its true generating parameters (recorded
 * in truth.json). `bgnbd` is the BTYD shop (BG/NBD or Pareto/NBD, `--model`);
 * the others are the shapes that strain a value engine:
 *
 * | shape | who buys when | default window |
 * | --- | --- | --- |
 * | `bgnbd` | BTYD purchases and dropout (CDNOW parameters) | 2 years, acquired over the first |
 * | `steady` | NBD without dropout: Poisson purchases at a Gamma-distributed rate until the end | 1 year, acquired over the first 4 weeks |
 * | `regular` | one order every ~cadence days (cadence uniform per customer), small jitter, no dropout | 2 years, acquired over the first month |
 * | `daily` | buys on each day with a per-customer probability π ~ Beta(a, b) (most days) | 1 year, everyone from day 1 |
 * | `one-time` | exactly one order each | 1 year, acquired over all of it |
 * | `one-day` | everything on one day; a share of customers orders twice that day | 1 day |
 * | `decade` | BTYD purchases over ten years of daily history | 2015–2024, acquired over the first nine years |
 */
import type { BgNbdParams } from '../models/bgnbd/bgnbd.js';
import type { ParetoNbdParams } from '../models/paretonbd/paretonbd.js';

export const SHOP_SHAPES = ['bgnbd', 'steady', 'regular', 'daily', 'one-time', 'one-day', 'decade'] as const;
export type ShopShape = (typeof SHOP_SHAPES)[number];

/** Shapes whose purchases come from the BTYD process named by the `model` option. */
export function isBtydShape(shape: ShopShape): shape is 'bgnbd' | 'decade' {
  return shape === 'bgnbd' || shape === 'decade';
}

export interface ShopShapeDefinition {
  readonly label: string;
  /** the generating process in words (truth.json) */
  readonly story: string;
  /** default first day, YYYY-MM-DD */
  readonly start: string;
  /** default window length in days */
  readonly days: number;
  /** default acquisition period (days over which first purchases are spread) for a window of `days` */
  acquisitionDays(days: number): number;
  /** true generating parameters (non-BTYD shapes; BTYD shapes take the model's parameters) */
  readonly params?: Readonly<Record<string, number>>;
}

/** Steady buyers: λ ~ Gamma(r, rate α) per week, mean r/α = 0.1 a week (≈ 5 repeat orders a year). */
export const STEADY_PARAMS = { r: 4, alpha: 40 } as const;
/** Regular buyers: cadence ~ Uniform(cadenceMinDays, cadenceMaxDays) per customer; each gap = cadence + Uniform(−jitterDays, jitterDays). */
export const REGULAR_PARAMS = { cadenceMinDays: 25, cadenceMaxDays: 35, jitterDays: 2 } as const;
/** Daily buyers: π ~ Beta(a, b) per customer, the probability of an order on each day (mean a/(a+b) = 0.8). */
export const DAILY_PARAMS = { a: 8, b: 2 } as const;
/** One-day shop: the share of customers who place a second order later that day. */
export const ONE_DAY_PARAMS = { secondOrderShare: 0.2 } as const;

export const SHOP_SHAPE_DEFINITIONS: Readonly<Record<ShopShape, ShopShapeDefinition>> = {
  bgnbd: {
    label: 'BTYD',
    story: 'BTYD purchases of the model in purchaseModel, first purchases uniform over the acquisition period',
    start: '2022-01-01',
    days: 730,
    acquisitionDays: (days) => Math.max(1, Math.floor(days / 2)),
  },
  steady: {
    label: 'steady',
    story: 'NBD without dropout: λ ~ Gamma(r, rate alpha) per week; first purchase uniform over the acquisition period, then Poisson(λ) repeat purchases until the window end; nobody drops out',
    start: '2022-01-01',
    days: 365,
    acquisitionDays: (days) => Math.min(days, 28),
    params: STEADY_PARAMS,
  },
  regular: {
    label: 'regular',
    story: 'regular buyers: cadence ~ Uniform(cadenceMinDays, cadenceMaxDays) days per customer; first purchase uniform over the acquisition period, then one order every cadence ± Uniform(jitterDays) days until the window end; nobody drops out',
    start: '2022-01-01',
    days: 730,
    acquisitionDays: (days) => Math.min(days, 30),
    params: REGULAR_PARAMS,
  },
  daily: {
    label: 'daily',
    story: 'daily buyers: π ~ Beta(a, b) per customer; from a start day uniform over the acquisition period, an order on each day with probability π (at a uniform time of day); the first of them is the first purchase',
    start: '2022-01-01',
    days: 365,
    acquisitionDays: () => 1,
    params: DAILY_PARAMS,
  },
  'one-time': {
    label: 'one-time',
    story: 'one-time buyers: one order each, uniform over the acquisition period; nobody buys again',
    start: '2022-01-01',
    days: 365,
    acquisitionDays: (days) => days,
    params: {},
  },
  'one-day': {
    label: 'one-day',
    story: 'everything on one day: one order each at a uniform time of the day; a share secondOrderShare of customers orders a second time later that day',
    start: '2022-01-01',
    days: 1,
    acquisitionDays: () => 1,
    params: ONE_DAY_PARAMS,
  },
  decade: {
    label: 'decade',
    story: 'ten years of daily history: BTYD purchases of the model in purchaseModel, first purchases uniform over the first nine years',
    start: '2015-01-01',
    days: 3653,
    acquisitionDays: (days) => Math.max(1, days - 365),
  },
};

export type ShapeParams = Readonly<Record<string, number>> | BgNbdParams | ParetoNbdParams;
