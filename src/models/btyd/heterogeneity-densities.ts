/**
 * The model card's picture of customer heterogeneity: the fitted purchase-rate
 * and dropout densities on a grid that covers their mass, as plain data
 * (run.json `valueModel.heterogeneity`, the report's two charts).
 */
import { purchaseRateDensity } from './purchase-rate-density.js';
import { dropoutRateDensity } from './dropout-rate-density.js';

export interface HeterogeneityDensity {
  /** what is distributed across customers, in words */
  readonly label: string;
  /** the symbol of the quantity: λ, p, μ or θ */
  readonly symbol: string;
  readonly distribution: 'gamma' | 'beta';
  /** gamma: { shape, rate }; beta: { a, b } */
  readonly parameters: Readonly<Record<string, number>>;
  /** mean of the distribution */
  readonly mean: number;
  /** grid points (midpoints of equal cells over the support shown) */
  readonly x: readonly number[];
  readonly density: readonly number[];
}

export interface HeterogeneityDensities {
  readonly purchaseRate: HeterogeneityDensity | null;
  readonly dropout: HeterogeneityDensity | null;
  /** why a density is absent (a no-dropout boundary fit, or parameters without that mixing) */
  readonly notes: readonly string[];
}

const GRID_POINTS = 120;

/**
 * Above this Gamma shape the spread is under 1% of the mean (CV = 1/√shape):
 * the mixing has collapsed to one rate for everyone (the Poisson limit), and
 * a density on a grid from 0 would be a spike no grid point meets.
 */
const NO_HETEROGENEITY_SHAPE = 1e4;

const formatRate = (v: number) => Number(v.toPrecision(3)).toString();

/**
 * Below this β·λ̄ (β in mean times between purchases 1/λ̄) the Gamma(s, β) dropout rates split into lifetimes that end
 * right after the first purchase and lifetimes far longer than any purchase gap — the Pareto/NBD near its
 * one-time-buyers limit s, β → 0 (paretonbd/paretonbd-one-time-buyers-limit.ts): from a tenth of a gap on, the share
 * alive (β/(β+t))^s is in its power-law tail, and a density of μ on a grid from 0 (mean s/β, far above any purchase
 * rate) shows none of it.
 */
const SPLIT_DROPOUT_BETA = 1e-3;

/**
 * The note in place of the dropout density of a Pareto/NBD near s, β → 0: the shares that drop out within a tenth of
 * the mean time between purchases (`gap` = α/r) and that are still alive after ten of them; null elsewhere.
 *
 * Example: s = 0.0246, β = 1.47e-9, gap 8.87 weeks → "… 41% of customers drop out within 0.887 weeks of their first
 * purchase … and 57% are still alive after 88.7 weeks …". `oneTimeShare`: the fit is the limit itself, the zero-inflated NBD
 * with that share π of one-time buyers (its `boundary.limitParams`): the shares are then π and 1 − π exactly, not the
 * written-back s, β's approximations of them.
 */
function splitDropoutNote(s: number, beta: number, gap: number, timeUnit: string, oneTimeShare?: number): string | null {
  if (!(beta < SPLIT_DROPOUT_BETA * gap)) return null;
  const alive = (t: number) => (oneTimeShare === undefined ? Math.exp(-s * Math.log1p(t / beta)) : 1 - oneTimeShare);
  const percent = (v: number) => `${Number((100 * v).toPrecision(2))}%`;
  return (
    `no dropout-rate density: the dropout rates split into very fast and very slow (Gamma(${formatRate(s)}, ${formatRate(beta)}), ${oneTimeShare === undefined ? 'near' : 'at'} the one-time-buyers limit s, beta → 0): ` +
    `${percent(1 - alive(gap / 10))} of customers drop out within ${formatRate(gap / 10)} ${timeUnit}s of their first purchase (a tenth of the mean time between purchases), ` +
    `${percent(alive(10 * gap))} are still alive after ${formatRate(10 * gap)} ${timeUnit}s (ten times it)`
  );
}

/**
 * Below this a + b the Beta(a, b) dropout probabilities split into near 1 and near 0: over three quarters of the mass
 * lies within 1/240 of the ends, outside the chart's grid — the MBG/NBD near its one-time-buyers limit a, b → 0
 * (mbgnbd/mbgnbd-one-time-buyers-limit.ts; at the limit itself a + b = 1e-20), or an interior optimum near it.
 */
const SPLIT_DROPOUT_AB = 0.1;

/**
 * The note in place of the dropout density when Beta(a, b) splits (a + b < SPLIT_DROPOUT_AB): the share that drops out
 * at the first chance, E[p] = a/(a+b), and the share still alive after ten more, E[(1−p)^{11}] = B(a, b+11)/B(a, b).
 * `atFirstPurchase`: the first chance is right after the first purchase (MBG/NBD), else after the first repeat
 * purchase (BG/NBD). Null elsewhere.
 *
 * Example: a = 2.33e-21, b = 7.67e-21, MBG/NBD → "… (Beta(2.33e-21, 7.67e-21), near the one-time-buyers limit a, b → 0):
 * 23% of customers drop out right after their first purchase, 77% are still alive after ten more purchases".
 */
function splitDropoutProbabilityNote(a: number, b: number, atFirstPurchase: boolean): string | null {
  if (!(a + b < SPLIT_DROPOUT_AB)) return null;
  const percent = (v: number) => `${Number((100 * v).toPrecision(2))}%`;
  // E[(1−p)^{11}] = Π_{j<11} (b+j)/(a+b+j)
  let alive = 1;
  for (let j = 0; j < 11; j++) alive *= (b + j) / (a + b + j);
  return (
    `no dropout-probability density: the dropout probabilities split into near 1 and near 0 (Beta(${formatRate(a)}, ${formatRate(b)}), near the ${atFirstPurchase ? 'one-time-buyers ' : ''}limit a, b → 0): ` +
    `${percent(a / (a + b))} of customers drop out right after their first ${atFirstPurchase ? '' : 'repeat '}purchase, ${percent(alive)} are still alive after ten more purchases`
  );
}

/** Midpoints of `points` equal cells on (0, upper]: no point at 0, where a density with shape < 1 is infinite. */
function midpointGrid(upper: number, points = GRID_POINTS): number[] {
  return Array.from({ length: points }, (_, i) => ((i + 0.5) * upper) / points);
}

function gammaBlock(label: string, symbol: string, shape: number, rate: number, density: (grid: number[]) => Float64Array): HeterogeneityDensity {
  const mean = shape / rate;
  // mean + 5 standard deviations: ≥ 99.8% of the mass for any shape ≥ 0.05
  const x = midpointGrid(mean + (5 * Math.sqrt(shape)) / rate);
  return { label, symbol, distribution: 'gamma', parameters: { shape, rate }, mean, x, density: Array.from(density(x)) };
}

function betaBlock(label: string, symbol: string, a: number, b: number, density: (grid: number[]) => Float64Array): HeterogeneityDensity {
  const x = midpointGrid(1);
  return { label, symbol, distribution: 'beta', parameters: { a, b }, mean: a / (a + b), x, density: Array.from(density(x)) };
}

const positive = (...values: (number | undefined)[]) => values.every((v) => v !== undefined && v > 0 && Number.isFinite(v));

/**
 * The purchase-rate and dropout densities of fitted parameters, recognised by
 * their names: (r, α) Gamma purchase rate; (a, b) Beta dropout after a
 * purchase; (s, β) Gamma dropout rate; (α, β, γ, δ) the BG/BB's two Betas.
 * `timeUnit` names the rates' unit in the labels; `dropoutAtFirstPurchase` for models whose dropout chance comes right
 * after the first purchase too (MBG/NBD), for the note on a split Beta; `limitParams` the fit's `boundary.limitParams`, where
 * it is a limit fitted in the model's place (the one-time buyers' share π of a zero-inflated NBD).
 *
 * Example: `describeHeterogeneity({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, 'week')`
 * → purchaseRate Gamma(0.24, 4.4) of λ (mean 0.055 purchases a week), dropout Beta(0.79, 2.4) of p.
 */
export function describeHeterogeneity(
  params: Readonly<Record<string, number>>, timeUnit = 'time unit', options: { readonly dropoutAtFirstPurchase?: boolean; readonly limitParams?: Readonly<Record<string, number>> } = {},
): HeterogeneityDensities {
  const { r, alpha, a, b, s, beta, gamma, delta } = params;
  const notes: string[] = [];
  let purchaseRate: HeterogeneityDensity | null = null;
  let dropout: HeterogeneityDensity | null = null;
  const bgbb = gamma !== undefined && delta !== undefined;
  if (bgbb) {
    if (positive(alpha, beta, gamma, delta)) {
      const p = { alpha: alpha!, beta: beta!, gamma, delta };
      purchaseRate = betaBlock('probability of a transaction at each opportunity while alive', 'p', alpha!, beta!, (x) => purchaseRateDensity(p, x));
      dropout = betaBlock('probability of dropping out at each opportunity', 'θ', gamma!, delta!, (x) => dropoutRateDensity(p, x));
    } else notes.push('invalid BG/BB parameters: no densities');
    return { purchaseRate, dropout, notes };
  }
  if (positive(r, alpha) && r! > NO_HETEROGENEITY_SHAPE) {
    notes.push(`no purchase-rate density: the fit is on the no-heterogeneity boundary (r, α → ∞): every customer buys at about λ = ${formatRate(r! / alpha!)} per ${timeUnit} while alive`);
  } else if (positive(r, alpha)) {
    purchaseRate = gammaBlock(`purchases per ${timeUnit} while alive`, 'λ', r!, alpha!, (x) => purchaseRateDensity({ r: r!, alpha: alpha! }, x));
  } else notes.push('no purchase-rate density: r and alpha must be finite and > 0');
  if (a !== undefined && b !== undefined) {
    const split = positive(a, b) ? splitDropoutProbabilityNote(a, b, options.dropoutAtFirstPurchase === true) : null;
    if (split !== null) notes.push(split);
    else if (positive(a, b)) dropout = betaBlock('probability of dropping out after a purchase', 'p', a, b, (x) => dropoutRateDensity({ a, b }, x));
    else notes.push(a === 0 ? 'no dropout density: the fit is on the no-dropout boundary (a → 0)' : 'no dropout density: a and b must be finite and > 0');
  } else if (s !== undefined && beta !== undefined) {
    const split = positive(s, beta, r, alpha) ? splitDropoutNote(s, beta!, alpha! / r!, timeUnit, options.limitParams?.pi) : null;
    if (split !== null) notes.push(split);
    else if (positive(s, beta)) dropout = gammaBlock(`dropout rate per ${timeUnit} (mean lifetime 1/μ)`, 'μ', s, beta, (x) => dropoutRateDensity({ s, beta }, x));
    else notes.push(s === 0 ? 'no dropout density: the fit is on the no-dropout boundary (s → 0)' : 'no dropout density: s and beta must be finite and > 0');
  } else notes.push('no dropout in this model');
  return { purchaseRate, dropout, notes };
}
