/**
 * Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005),
 * "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", Journal
 * of Marketing Research 42(4), 415–430; Fader & Hardie (2013), "The
 * Gamma-Gamma Model of Monetary Value", note 025.
 *
 * Story: a customer's transaction values are Gamma(p, ν) (shape p, rate ν)
 * around their mean p/ν; across customers ν ~ Gamma(q, γ). Independent of the
 * purchase process, so it pairs with BG/NBD, MBG/NBD or Pareto/NBD for CLV.
 * Data per customer: x repeat transactions and their mean value m̄ — only
 * repeat buyers (x > 0) carry information, as in the paper; rows with x = 0
 * are ignored by the fit.
 *
 * Likelihood of m̄ given x (note 025, eq. 3): x·m̄ ~ Gamma(px, ν), so
 *   f(m̄ | x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · m̄^{px−1} · x^{px} / (γ + x m̄)^{px+q}.
 */
import { UserError } from '../../core/errors/user-error.js';
import { digamma, gammaln } from '../../math/special-functions.js';
import { fitMaximumLikelihood, type FitOptions, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { FittedModel } from '../model-types.js';
import { oneSpendDirection } from './one-spend-limit.js';

/** Gamma-Gamma parameters: spend shape p; ν ~ Gamma(shape q, rate gamma). */
export type GammaGammaParams = { p: number; q: number; gamma: number };

export const GAMMA_GAMMA_PARAM_NAMES = ['p', 'q', 'gamma'] as const;

/** Per customer (or per unique (x, m̄) with a count): repeat-transaction count and mean repeat spend. */
export interface SpendData {
  /** number of repeat transactions x (rows with x = 0 are ignored by the fit) */
  readonly frequency: Float64Array;
  /** mean value of the x repeat transactions, m̄ > 0 (anything when x = 0) */
  readonly monetary: Float64Array;
  /** customers sharing the row (1 when per customer) */
  readonly weight: Float64Array;
}

export interface GammaGammaFitOptions extends FitOptions {
  /** extra starting points (natural scale) */
  starts?: readonly GammaGammaParams[];
  /**
   * Keep q > 1, so the population mean spend pγ/(q−1) is finite (lifetimes'
   * `q_constraint`): q is estimated as 1 + e^{z}. Where the data want q ≤ 1
   * the estimate then sits at the boundary q → 1 and says so. The L2 penalty,
   * if any, applies to q − 1.
   */
  qConstraint?: boolean;
}

function isValidParams(params: GammaGammaParams): boolean {
  const { p, q, gamma } = params;
  return p > 0 && q > 0 && gamma > 0 && Number.isFinite(p + q + gamma);
}

/** Log-likelihood of one repeat buyer's mean spend m̄ over x transactions; NaN for x ≤ 0 or m̄ ≤ 0. */
export function computeGammaGammaCustomerLogLikelihood(params: GammaGammaParams, x: number, monetary: number): number {
  if (!(x > 0) || !(monetary > 0)) return NaN;
  const { p, q, gamma } = params;
  const px = p * x;
  return (
    gammaln(px + q) - gammaln(px) - gammaln(q) + q * Math.log(gamma) + (px - 1) * Math.log(monetary) + px * Math.log(x) -
    (px + q) * Math.log(gamma + x * monetary)
  );
}

/** Per-row log-likelihoods; NaN on rows with x = 0 (they carry no spend information). */
export function computeGammaGammaLogLikelihoods(params: GammaGammaParams, data: SpendData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = computeGammaGammaCustomerLogLikelihood(params, data.frequency[i], data.monetary[i]);
  return out;
}

/** Weighted total log-likelihood over repeat buyers (x > 0 rows only). */
export function computeGammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  let total = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.frequency[i] > 0 && data.weight[i] !== 0) {
      total += data.weight[i] * computeGammaGammaCustomerLogLikelihood(params, data.frequency[i], data.monetary[i]);
    }
  }
  return total;
}

/** Throws `UserError` for mismatched lengths, bad counts, non-positive spend of a repeat buyer, bad weights or no repeat buyers. */
export function validateSpendData(data: SpendData): void {
  const n = data.frequency.length;
  if (data.monetary.length !== n || data.weight.length !== n) {
    throw new UserError(
      `Gamma-Gamma: SpendData arrays differ in length (frequency ${n}, monetary ${data.monetary.length}, weight ${data.weight.length})`,
      'one entry per customer in every array',
    );
  }
  let repeatWeight = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i], m = data.monetary[i], w = data.weight[i];
    const row = `row ${i} (frequency ${x}, monetary ${m}, weight ${w})`;
    if (!(x >= 0) || !Number.isInteger(x)) throw new UserError(`Gamma-Gamma: ${row}: frequency must be a whole number ≥ 0`, 'frequency counts repeat transactions');
    if (!(w >= 0) || !Number.isFinite(w)) throw new UserError(`Gamma-Gamma: ${row}: weight must be a finite number ≥ 0`);
    if (x > 0) {
      if (!(m > 0) || !Number.isFinite(m)) {
        throw new UserError(
          `Gamma-Gamma: ${row}: mean repeat spend must be a finite number > 0`,
          'drop returns/zero-value transactions before computing the mean spend',
        );
      }
      repeatWeight += w;
    }
  }
  if (!(repeatWeight > 0)) throw new UserError('Gamma-Gamma: no repeat buyers (frequency > 0) to fit spend on', 'the spend model needs customers with at least two purchases');
}

/**
 * The Gamma-Gamma estimation problem over repeat buyers, with the analytic
 * gradient w.r.t. (log p, log q, log γ). Terms in x alone are computed once
 * per distinct x; sums of log m̄ are precomputed; the row loop is one log.
 */
export function createGammaGammaProblem(data: SpendData, extraStarts: readonly GammaGammaParams[] = []): MaximumLikelihoodProblem {
  // keep repeat buyers with positive weight
  const keep: number[] = [];
  for (let i = 0; i < data.frequency.length; i++) if (data.frequency[i] > 0 && data.weight[i] > 0) keep.push(i);
  const rows = keep.length;
  const xm = new Float64Array(rows);
  const rowX = new Float64Array(rows);
  const w = new Float64Array(rows);
  const distinct = new Map<number, number>();
  const xValues: number[] = [];
  const xWeights: number[] = [];
  let n = 0, sumWLogM = 0, sumWXLogM = 0, sumWM = 0;
  for (let j = 0; j < rows; j++) {
    const i = keep[j];
    const x = data.frequency[i], m = data.monetary[i], weight = data.weight[i];
    xm[j] = x * m;
    rowX[j] = x;
    w[j] = weight;
    n += weight;
    sumWLogM += weight * Math.log(m);
    sumWXLogM += weight * x * Math.log(m);
    sumWM += weight * m;
    let k = distinct.get(x);
    if (k === undefined) {
      k = xValues.length;
      distinct.set(x, k);
      xValues.push(x);
      xWeights.push(0);
    }
    xWeights[k] += weight;
  }
  let sumWXLogX = 0;
  for (let k = 0; k < xValues.length; k++) sumWXLogX += xWeights[k] * xValues[k] * Math.log(xValues[k]);

  // starts: p = 1, 2, 5 with the population mean pγ/(q−1) near the observed mean spend
  const meanSpend = n > 0 ? sumWM / n : 1;
  const starts: GammaGammaParams[] = [
    { p: 1, q: 3, gamma: (2 * meanSpend) / 1 },
    { p: 5, q: 4, gamma: (3 * meanSpend) / 5 },
    { p: 0.5, q: 1.5, gamma: (0.5 * meanSpend) / 0.5 },
    ...extraStarts,
  ];

  return {
    model: 'gamma-gamma',
    paramNames: GAMMA_GAMMA_PARAM_NAMES,
    n,
    starts: starts.map((s) => Float64Array.of(Math.log(s.p), Math.log(s.q), Math.log(s.gamma))),
    boundaries: [oneSpendDirection(data)],
    logLikelihood(z, gradient) {
      const p = Math.exp(z[0]), q = Math.exp(z[1]), gamma = Math.exp(z[2]);
      const logGamma = z[2];
      const lgQ = gammaln(q), psiQ = digamma(q);
      let ll = p * sumWXLogM - sumWLogM + p * sumWXLogX;
      let gp = sumWXLogM + sumWXLogX;
      let gq = 0, gg = 0;
      for (let k = 0; k < xValues.length; k++) {
        const x = xValues[k], weight = xWeights[k];
        const px = p * x;
        const psiPxQ = digamma(px + q);
        ll += weight * (gammaln(px + q) - gammaln(px) - lgQ + q * logGamma);
        gp += weight * x * (psiPxQ - digamma(px));
        gq += weight * (psiPxQ - psiQ + logGamma);
        gg += (weight * q) / gamma;
      }
      for (let j = 0; j < rows; j++) {
        const x = rowX[j];
        const denominator = gamma + xm[j];
        const logDenominator = Math.log(denominator);
        const shape = p * x + q;
        const weight = w[j];
        ll -= weight * shape * logDenominator;
        gp -= weight * x * logDenominator;
        gq -= weight * logDenominator;
        gg -= (weight * shape) / denominator;
      }
      gradient[0] = gp * p;
      gradient[1] = gq * q;
      gradient[2] = gg * gamma;
      return ll;
    },
  };
}

/**
 * Fit the Gamma-Gamma spend model by maximum likelihood on repeat buyers
 * (rows with frequency > 0; rows with frequency 0 are ignored, `n` counts
 * repeat buyers). Non-convergence is reported in `fit`, never hidden.
 */
export function fitGammaGamma(data: SpendData, options: GammaGammaFitOptions = {}): FittedModel<GammaGammaParams> {
  validateSpendData(data);
  for (const s of options.starts ?? []) {
    if (!isValidParams(s)) throw new UserError(`Gamma-Gamma: invalid starting point ${JSON.stringify(s)}`, 'all parameters must be finite and > 0');
  }
  const problem = createGammaGammaProblem(data, options.starts);
  if (!options.qConstraint) return fitMaximumLikelihood<GammaGammaParams>(problem, options);
  return withQFromExcess(fitMaximumLikelihood<GammaGammaParams>(constrainQAboveOne(problem), options));
}

/** The problem in (log p, log(q−1), log γ): q = 1 + e^{z₁}, ∂/∂z₁ = ∂/∂log q · (q−1)/q. */
function constrainQAboveOne(problem: MaximumLikelihoodProblem): MaximumLikelihoodProblem {
  const inner = new Float64Array(3);
  return {
    ...problem,
    starts: problem.starts.map((z) => Float64Array.of(z[0]!, Math.log(Math.max(Math.exp(z[1]!) - 1, 0.5)), z[2]!)),
    // a limit's q written as q − 1 (the problem's second parameter); one with q ≤ 1 is outside the constraint: not offered
    boundaries: (problem.boundaries ?? []).map((direction) => {
      const fitLimit = direction.fitLimit;
      if (!fitLimit) return direction;
      return {
        ...direction,
        fitLimit: (at: Record<string, number>) => {
          const limit = fitLimit({ ...at, q: 1 + at.q! });
          return limit !== null && limit.params.q! > 1 ? { ...limit, params: { ...limit.params, q: limit.params.q! - 1 } } : null;
        },
      };
    }),
    logLikelihood(z, gradient) {
      inner[0] = z[0]!;
      inner[1] = Math.log1p(Math.exp(z[1]!));
      inner[2] = z[2]!;
      const ll = problem.logLikelihood(inner, gradient);
      gradient[1] = gradient[1]! * (1 - Math.exp(-inner[1]!)); // (q−1)/q
      return ll;
    },
  };
}

/** A fit in (p, q−1, γ) written back in (p, q, γ): q, its interval and the log-covariance (delta method) converted. */
function withQFromExcess(fitted: FittedModel<GammaGammaParams>): FittedModel<GammaGammaParams> {
  const excess = fitted.params.q;
  const q = 1 + excess;
  const c = excess / q; // ∂ log q / ∂ log(q−1)
  const [lo, hi] = fitted.intervals95.q;
  return {
    ...fitted,
    params: { ...fitted.params, q },
    intervals95: { ...fitted.intervals95, q: [1 + lo, 1 + hi] },
    covarianceLog: fitted.covarianceLog.map((row, i) => row.map((v, j) => v * (i === 1 ? c : 1) * (j === 1 ? c : 1))),
  };
}

/**
 * Population mean spend per transaction E[Z] = p·γ/(q−1). NaN when q ≤ 1:
 * the mean of the ν-mixture is then infinite (heavy right tail), and no
 * finite number is a meaningful point prediction.
 */
export function predictGammaGammaPopulationMean(params: GammaGammaParams): number {
  if (!isValidParams(params)) return NaN;
  const { p, q, gamma } = params;
  return q > 1 ? (p * gamma) / (q - 1) : NaN;
}

/**
 * Expected spend per transaction given x repeat transactions with mean m̄
 * (FHL 2005 JMR eq. 5; note 025 eq. 5):
 *   E[M | x, m̄] = p(γ + x m̄)/(px + q − 1)
 *              = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄,
 * a weighted average of the population mean and the customer's own mean.
 * Only defined for x > 0; for x = 0 (no repeat spend observed) it returns
 * the population mean pγ/(q−1). NaN when the posterior mean is infinite
 * (px + q ≤ 1, or q ≤ 1 for x = 0), for invalid params, or for m̄ ≤ 0 with
 * x > 0. The value is never negative.
 */
export function predictGammaGammaConditionalSpend(params: GammaGammaParams, x: number, monetary: number): number {
  if (!isValidParams(params) || !(x >= 0)) return NaN;
  if (x === 0) return predictGammaGammaPopulationMean(params);
  if (!(monetary > 0) || !Number.isFinite(monetary)) return NaN;
  const { p, q, gamma } = params;
  const denominator = p * x + q - 1;
  return denominator > 0 ? (p * (gamma + x * monetary)) / denominator : NaN;
}

/** Conditional expected spend per transaction for every row of `data`. */
export function predictGammaGammaConditionalSpendAll(params: GammaGammaParams, data: SpendData): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = predictGammaGammaConditionalSpend(params, data.frequency[i], data.monetary[i]);
  return out;
}
