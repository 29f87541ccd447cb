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
 * `timeUnit` names the rates' unit in the labels.
 *
 * Example: `describeHeterogeneity({ r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, 'week')`
 * → purchaseRate Gamma(0.24, 4.4) of λ (mean 0.055 purchases a week), dropout Beta(0.79, 2.4) of p.
 */
export function describeHeterogeneity(params: Readonly<Record<string, number>>, timeUnit = 'time unit'): HeterogeneityDensities {
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
  if (positive(r, alpha)) {
    purchaseRate = gammaBlock(`purchases per ${timeUnit} while alive`, 'λ', r!, alpha!, (x) => purchaseRateDensity({ r: r!, alpha: alpha! }, x));
  } else notes.push('no purchase-rate density: r and alpha must be finite and > 0');
  if (a !== undefined && b !== undefined) {
    if (positive(a, b)) dropout = betaBlock('probability of dropping out after a purchase', 'p', a, b, (x) => dropoutRateDensity({ a, b }, x));
    else notes.push(a === 0 ? 'no dropout density: the fit is on the no-dropout boundary (a → 0)' : 'no dropout density: a and b must be finite and > 0');
  } else if (s !== undefined && beta !== undefined) {
    if (positive(s, beta)) dropout = gammaBlock(`dropout rate per ${timeUnit} (mean lifetime 1/μ)`, 'μ', s, beta, (x) => dropoutRateDensity({ s, beta }, x));
    else notes.push(s === 0 ? 'no dropout density: the fit is on the no-dropout boundary (s → 0)' : 'no dropout density: s and beta must be finite and > 0');
  } else notes.push('no dropout in this model');
  return { purchaseRate, dropout, notes };
}
