/**
 * Regularised generalised linear models — the baseline next to the trees:
 * Gaussian (identity link), logistic (logit link) and Poisson (log link, for
 * counts) with an L2 (ridge) penalty on the standardised coefficients
 * (Hastie, Tibshirani & Friedman 2009, "The Elements of Statistical
 * Learning", §3.4.1 and §4.4.4).
 *
 * Features are standardised, z = (x − mean)/sd (population sd; sd 0 → 1), and
 * a missing value (NaN) is imputed at the mean (z = 0). The objective is the
 * weighted mean negative log-likelihood plus ½·l2·Σβ² (the intercept is not
 * penalised), minimised by L-BFGS (math/lbfgs.ts) with its analytic gradient.
 * Coefficients are reported on both scales; `linearModelCovariance` gives
 * the standardised parameters' approximate covariance (logistic, Poisson).
 *
 * Example: `fitLinearModel({ columns: [x], label: y }, { family: 'poisson' })`
 * → `{ intercept: 0.21, coefficients: [0.69], … }` for y ~ Poisson(e^{0.2 + 0.7x}).
 */
import { UserError } from '../../core/errors/user-error.js';
import { minimizeLbfgs } from '../../math/lbfgs.js';
import { invertPositiveDefinite } from '../../math/normal.js';
import { sigmoid } from '../../math/sigmoid.js';
import { log1pExp } from '../../math/special-functions.js';
import { validateLearnedData, type LearnedData } from './learned-data.js';

export type LinearFamily = 'gaussian' | 'logistic' | 'poisson';

export interface LinearModelOptions {
  family: LinearFamily;
  /** L2 penalty on the standardised coefficients (default 1e-4) */
  l2?: number;
  /** L-BFGS iteration cap (default 500) */
  maxIterations?: number;
  featureNames?: readonly string[];
}

export interface LinearModel {
  readonly kind: 'linear-model';
  readonly family: LinearFamily;
  readonly l2: number;
  readonly featureNames: readonly string[];
  /** standardisation used: z = (x − mean)/scale */
  readonly means: readonly number[];
  readonly scales: readonly number[];
  /** intercept and coefficients on the standardised features */
  readonly standardisedIntercept: number;
  readonly standardisedCoefficients: readonly number[];
  /** the same model on the raw features (for rows without missing values) */
  readonly intercept: number;
  readonly coefficients: readonly number[];
  readonly fit: { readonly converged: boolean; readonly iterations: number; readonly objective: number; readonly message: string };
}

/** Negative log-likelihood of one row at linear predictor η (constants dropped) and its derivative in η. */
function rowLoss(family: LinearFamily, y: number, eta: number): number {
  if (family === 'gaussian') return 0.5 * (y - eta) ** 2;
  if (family === 'logistic') return log1pExp(eta) - y * eta;
  return Math.exp(eta) - y * eta;
}

/** The inverse link: the mean of y at linear predictor η. */
function inverseLink(family: LinearFamily, eta: number): number {
  return family === 'gaussian' ? eta : family === 'logistic' ? sigmoid(eta) : Math.exp(eta);
}

function standardise(columns: readonly Float64Array[], weight: Float64Array | undefined): { means: number[]; scales: number[] } {
  const means: number[] = [], scales: number[] = [];
  for (const column of columns) {
    let total = 0, sum = 0, squares = 0;
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (Number.isNaN(v)) continue;
      const w = weight === undefined ? 1 : weight[i];
      total += w;
      sum += w * v;
      squares += w * v * v;
    }
    const mean = total > 0 ? sum / total : 0;
    const variance = total > 0 ? squares / total - mean * mean : 0;
    means.push(mean);
    scales.push(variance > 1e-24 * Math.max(1, mean * mean) ? Math.sqrt(variance) : 1);
  }
  return { means, scales };
}

/** Fit a penalised GLM (see the file header). */
export function fitLinearModel(data: LearnedData, options: LinearModelOptions): LinearModel {
  const family = options.family;
  validateLearnedData(data, family === 'logistic' ? 'binary' : family === 'poisson' ? 'non-negative' : 'real', `${family} linear model`);
  const l2 = options.l2 ?? 1e-4;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new UserError(`linear model: invalid l2 ${l2}`, 'use a finite penalty ≥ 0');
  const features = data.columns.length;
  const featureNames = options.featureNames ?? data.columns.map((_, f) => `f${f}`);
  const n = data.label.length;
  const { label, weight } = data;
  const { means, scales } = standardise(data.columns, weight);
  // standardised design, row-major, missing → 0
  const z = new Float64Array(n * features);
  for (let f = 0; f < features; f++) {
    const column = data.columns[f];
    for (let i = 0; i < n; i++) z[i * features + f] = Number.isNaN(column[i]) ? 0 : (column[i] - means[f]) / scales[f];
  }
  let totalWeight = 0, labelSum = 0;
  for (let i = 0; i < n; i++) {
    const w = weight === undefined ? 1 : weight[i];
    totalWeight += w;
    labelSum += w * label[i];
  }
  const meanLabel = labelSum / totalWeight;
  const clamp = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));
  const start = new Float64Array(features + 1);
  start[0] = family === 'gaussian' ? meanLabel : family === 'logistic' ? Math.log(clamp(meanLabel) / (1 - clamp(meanLabel))) : Math.log(Math.max(meanLabel, 1e-9));

  const objective = (beta: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const w = weight === undefined ? 1 : weight[i];
      if (w === 0) continue;
      let eta = beta[0];
      const base = i * features;
      for (let f = 0; f < features; f++) eta += beta[f + 1] * z[base + f];
      value += w * rowLoss(family, label[i], eta);
      const d = w * (inverseLink(family, eta) - label[i]);
      gradient[0] += d;
      for (let f = 0; f < features; f++) gradient[f + 1] += d * z[base + f];
    }
    value /= totalWeight;
    for (let k = 0; k <= features; k++) gradient[k] /= totalWeight;
    for (let f = 1; f <= features; f++) {
      value += 0.5 * l2 * beta[f] * beta[f];
      gradient[f] += l2 * beta[f];
    }
    return value;
  };
  const result = minimizeLbfgs(objective, start, { maxIterations: options.maxIterations ?? 500, gradientTolerance: 1e-9 });
  const beta = Array.from(result.x);
  const coefficients = beta.slice(1).map((b, f) => b / scales[f]);
  const intercept = beta[0] - beta.slice(1).reduce((sum, b, f) => sum + (b * means[f]) / scales[f], 0);
  return Object.freeze({
    kind: 'linear-model',
    family,
    l2,
    featureNames: [...featureNames],
    means,
    scales,
    standardisedIntercept: beta[0],
    standardisedCoefficients: beta.slice(1),
    intercept,
    coefficients,
    fit: { converged: result.converged, iterations: result.iterations, objective: result.value, message: result.message },
  });
}

/** The mean of y per row (probability for logistic, expected count for Poisson); missing features count at their training mean. */
export function predictLinearModel(model: LinearModel, columns: readonly Float64Array[]): Float64Array {
  if (columns.length !== model.featureNames.length) {
    throw new UserError(`linear model: ${columns.length} feature columns given, the model has ${model.featureNames.length}`, `pass ${model.featureNames.join(', ')} in that order`);
  }
  const rows = columns.length === 0 ? 0 : columns[0].length;
  const out = new Float64Array(rows).fill(model.standardisedIntercept);
  columns.forEach((column, f) => {
    const b = model.standardisedCoefficients[f], m = model.means[f], s = model.scales[f];
    for (let i = 0; i < rows; i++) if (!Number.isNaN(column[i])) out[i] += (b * (column[i] - m)) / s;
  });
  for (let i = 0; i < rows; i++) out[i] = inverseLink(model.family, out[i]);
  return out;
}

/**
 * Row `i` of `columns` on the model's standardised scale into `out` (feature f at f + `offset`): z = (x − mean)/scale,
 * a missing value (NaN) at its mean, z = 0 — as the model was fitted.
 */
export function standardisedRow(model: LinearModel, columns: readonly Float64Array[], i: number, out: Float64Array, offset = 0): void {
  for (let f = 0; f < columns.length; f++) {
    const x = columns[f]![i]!;
    out[f + offset] = Number.isNaN(x) ? 0 : (x - model.means[f]!) / model.scales[f]!;
  }
}

/**
 * The approximate covariance of a logistic or Poisson model's standardised parameters [intercept, β₁…βₖ] (the order
 * of `standardisedIntercept`, `standardisedCoefficients`): the inverse of the Hessian of the penalised negative
 * log-likelihood at the fit (the Laplace approximation of the posterior under the L2 penalty read as a normal
 * prior), H = Σᵢ wᵢ·V(μᵢ)·z̃ᵢz̃ᵢᵀ + W·l2·diag(0, 1, …, 1), with z̃ᵢ = (1, zᵢ), V(μ) = μ(1 − μ) (logistic) or μ
 * (Poisson) and W the total weight — the objective `fitLinearModel` minimises is that over W. `data` must be the
 * rows the model was fitted on. `effectiveRowsPerUnit` ≥ 1 divides the information (multiplies the covariance)
 * when rows are not independent, e.g. one person at several cutoffs (the penalty is left whole). Null when H is not positive definite.
 */
export function linearModelCovariance(model: LinearModel, data: LearnedData, effectiveRowsPerUnit = 1): number[][] | null {
  if (model.family === 'gaussian') throw new Error('linearModelCovariance: the Gaussian family needs a dispersion estimate (not implemented)');
  const k = model.featureNames.length + 1;
  const hessian: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const row = new Float64Array(k);
  const n = data.label.length;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = data.weight === undefined ? 1 : data.weight[i]!;
    totalWeight += w;
    if (w === 0) continue;
    row[0] = 1;
    standardisedRow(model, data.columns, i, row, 1);
    let eta = model.standardisedIntercept;
    for (let f = 1; f < k; f++) eta += model.standardisedCoefficients[f - 1]! * row[f]!;
    const mu = inverseLink(model.family, eta);
    const v = w * (model.family === 'logistic' ? mu * (1 - mu) : mu);
    for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) hessian[a]![b]! += v * row[a]! * row[b]!;
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) hessian[b]![a] = hessian[a]![b] = hessian[a]![b]! / effectiveRowsPerUnit;
    if (a > 0) hessian[a]![a]! += totalWeight * model.l2;
  }
  return invertPositiveDefinite(hessian);
}
