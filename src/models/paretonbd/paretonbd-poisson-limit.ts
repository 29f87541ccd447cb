/**
 * The Pareto/NBD's no-heterogeneity limit: r, α → ∞ with λ = r/α fixed —
 * every customer buys at the same Poisson rate λ while alive, lifetimes stay
 * exponential with rate μ ~ Gamma(s, β). Its likelihood is the Pareto/NBD's
 * (Fader & Hardie 2005, eq. 13–17) with (α/(α+τ))^{r+x} → e^{−λτ}:
 *   L = λ^x β^s [ e^{−λT}(β+T)^{−s} + s·(I(t_x) − I(T)) ],
 *   I(t) = ∫_t^∞ e^{−λτ}(β+τ)^{−(s+1)} dτ,
 * I by the fixed-cost Gauss–Laguerre rule of `computeLogPowerTailIntegral`
 * (rate λ), once per distinct t_x or T per evaluation. Fitted when a
 * Pareto/NBD fit runs off towards r → ∞; the result is written back in the
 * Pareto/NBD's parameters with r = POISSON_SHAPE, α = r/λ.
 */
import { logAddExp, log1mExp } from '../../math/special-functions.js';
import { computeLogPowerTailIntegral } from '../../math/power-tail-integral.js';
import { jointGrowthDirection, noDropoutLogThresholdPerTime, type LimitFit } from '../fit-boundary.js';
import { PARETO_COMMON_DROPOUT_MEANING, PARETO_COMMON_DROPOUT_SHAPE } from './paretonbd-common-dropout-limit.js';
import { ONE_RATE_ONE_TIME_BUYERS_MEANING, ONE_TIME_BUYERS_MARGIN, oneTimeBuyersDirection, PARETO_ONE_TIME_BUYERS_LIMIT, paretoNbdOneRateOneTimeBuyersFitLimit } from './paretonbd-one-time-buyers-limit.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';
import type { RfmData } from '../model-types.js';
import { fitPoisson, NO_HETEROGENEITY_MEANING, POISSON_SHAPE } from '../nbd/nbd.js';
import { indexValues, weightedTotals } from '../btyd/rfm-data.js';
import { NO_DROPOUT_MODEL } from '../nbd/no-dropout-predictions.js';

/** The no-heterogeneity Pareto/NBD problem in (log λ, log s, log β); expects validated data with T > 0. */
export function createParetoNbdPoissonLimitProblem(data: RfmData, start?: { lambda: number; s: number; beta: number }): MaximumLikelihoodProblem {
  const rows = data.frequency.length;
  const times = indexValues(Float64Array.from([...data.recency, ...data.T]));
  const distinct = times.values.length;
  const logI = new Float64Array(distinct);
  const gradI = new Float64Array(distinct * 3); // ∂ log I(t)/∂(λ, s, β)
  const scratch = new Float64Array(5);
  const { weight: n, purchases, exposure } = weightedTotals(data);
  const rate = Math.max(purchases / exposure, 1e-9);
  let meanT = exposure / n;
  const starts = [
    ...(start ? [Float64Array.of(Math.log(start.lambda), Math.log(start.s), Math.log(start.beta))] : []),
    Float64Array.of(Math.log(rate), 0, Math.log(meanT)),
    Float64Array.of(Math.log(1.5 * rate), Math.log(0.5), Math.log((meanT *= 0.5))),
  ];
  return {
    model: 'paretonbd-poisson-limit',
    paramNames: ['lambda', 's', 'beta'],
    n,
    starts,
    boundaries: [
      {
        parameters: ['s', 'beta'],
        limit: 's/beta → 0',
        meaning: 'no dropout',
        escape: (z) => z[2]! - z[1]!,
        threshold: noDropoutLogThresholdPerTime(rate),
      },
      // one dropout rate for everyone too: the limit is two rates, fitted in closed form per customer (createOneRateOneDropoutProblem)
      jointGrowthDirection(1, 2, ['s', 'beta'], PARETO_COMMON_DROPOUT_MEANING, () => fitOneRateOneDropout(data)),
      // a share of one-time buyers beside buyers who never stop: the zero-inflated Poisson (or the Poisson) in its place
      oneTimeBuyersDirection(2, ONE_RATE_ONE_TIME_BUYERS_MEANING, paretoNbdOneRateOneTimeBuyersFitLimit(data)),
    ],
    logLikelihood(z, gradient) {
      const lambda = Math.exp(z[0]!), s = Math.exp(z[1]!), beta = Math.exp(z[2]!);
      const logBeta = z[2]!, logS = z[1]!;
      for (let k = 0; k < distinct; k++) {
        const t = times.values[k]!;
        // log I(t) = −λt − (s+1) log(β+t) + log K, K from the quadrature with rate λ
        const value = computeLogPowerTailIntegral(s + 1, 0, beta + t, beta + t, scratch, 0, lambda);
        logI[k] = value - lambda * t;
        gradI[3 * k] = scratch[4]! - t;
        gradI[3 * k + 1] = scratch[0]!;
        gradI[3 * k + 2] = scratch[2]!;
      }
      let ll = 0, gl = 0, gs = 0, gb = 0;
      for (let i = 0; i < rows; i++) {
        const w = data.weight[i]!;
        if (w === 0) continue;
        const x = data.frequency[i]!, T = data.T[i]!, kx = times.rowIndex[i]!, kT = times.rowIndex[rows + i]!;
        const logBetaT = Math.log(beta + T);
        const logA = -lambda * T - s * logBetaT;
        let logSJ = -Infinity, jl = 0, js = 0, jb = 0;
        if (data.T[i]! > data.recency[i]!) {
          const ratio = Math.exp(logI[kT]! - logI[kx]!); // I(T)/I(t_x) < 1
          if (ratio < 1) {
            logSJ = logS + logI[kx]! + log1mExp(logI[kT]! - logI[kx]!);
            const inv = 1 / (1 - ratio);
            jl = (gradI[3 * kx]! - ratio * gradI[3 * kT]!) * inv;
            js = (gradI[3 * kx + 1]! - ratio * gradI[3 * kT + 1]!) * inv;
            jb = (gradI[3 * kx + 2]! - ratio * gradI[3 * kT + 2]!) * inv;
          }
        }
        const logE = logAddExp(logA, logSJ);
        const wA = Math.exp(logA - logE), wD = logSJ === -Infinity ? 0 : Math.exp(logSJ - logE);
        ll += w * ((x > 0 ? x * z[0]! : 0) + s * logBeta + logE);
        gl += w * (x / lambda - wA * T + wD * jl);
        gs += w * (logBeta - wA * logBetaT + wD * (1 / s + js));
        gb += w * (s / beta - (wA * s) / (beta + T) + wD * jb);
      }
      gradient[0] = gl * lambda;
      gradient[1] = gs * s;
      gradient[2] = gb * beta;
      return ll;
    },
  };
}

const ONE_RATE_ONE_DROPOUT_MODEL = 'Pareto/NBD with one purchase rate and one dropout rate (Poisson purchases, exponential lifetimes)';

/**
 * The limit of the one-rate problem as s, β → ∞ with μ = s/β: every customer buys at rate λ and drops out at rate μ.
 * Per customer (Fader & Hardie 2005, the individual-level Pareto/NBD likelihood):
 *   L = λ^x [μ e^{−(λ+μ) t_x} + λ e^{−(λ+μ) T}] / (λ + μ),
 * with its analytic gradient in (log λ, log μ).
 */
export function createOneRateOneDropoutProblem(data: RfmData): MaximumLikelihoodProblem {
  const rows = data.frequency.length;
  const { weight: n, purchases, exposure } = weightedTotals(data);
  const rate = Math.max(purchases / exposure, 1e-9);
  return {
    model: 'paretonbd-one-rate-one-dropout',
    paramNames: ['lambda', 'mu'],
    n,
    starts: [Float64Array.of(Math.log(rate), Math.log(0.1 * rate)), Float64Array.of(Math.log(1.5 * rate), Math.log(rate))],
    logLikelihood(z, gradient) {
      const lambda = Math.exp(z[0]!), mu = Math.exp(z[1]!), sum = lambda + mu;
      let ll = 0, gl = 0, gm = 0;
      for (let i = 0; i < rows; i++) {
        const w = data.weight[i]!;
        if (w === 0) continue;
        const x = data.frequency[i]!, tx = data.recency[i]!, T = data.T[i]!;
        const logA = z[1]! - sum * tx, logB = z[0]! - sum * T;
        const logE = logAddExp(logA, logB);
        const wA = Math.exp(logA - logE), wB = 1 - wA;
        ll += w * (x * z[0]! + logE - Math.log(sum));
        gl += w * (x / lambda - wA * tx + wB * (1 / lambda - T) - 1 / sum);
        gm += w * (wA * (1 / mu - tx) - wB * T - 1 / sum);
      }
      gradient[0] = gl * lambda;
      gradient[1] = gm * mu;
      return ll;
    },
  };
}

/** The two-rate limit fitted, written in the one-rate problem's (λ, s, β) with s = PARETO_COMMON_DROPOUT_SHAPE, β = s/μ. */
function fitOneRateOneDropout(data: RfmData): LimitFit | null {
  const fitted = fitMaximumLikelihood<{ lambda: number; mu: number }>(createOneRateOneDropoutProblem(data));
  const { lambda, mu } = fitted.params;
  if (!Number.isFinite(fitted.logLikelihood) || !(lambda > 0 && mu > 0)) return null;
  return {
    params: { lambda, s: PARETO_COMMON_DROPOUT_SHAPE, beta: PARETO_COMMON_DROPOUT_SHAPE / mu },
    logLikelihood: fitted.logLikelihood,
    boundary: {
      parameters: ['s', 'beta'],
      limit: 's, beta → ∞ with s/beta fixed',
      meaning: `${PARETO_COMMON_DROPOUT_MEANING} (mu = ${Number(mu.toPrecision(4))} per time unit)`,
      limitModel: ONE_RATE_ONE_DROPOUT_MODEL,
      limitConverged: fitted.fit.converged,
    },
  };
}

/**
 * Fit the no-heterogeneity limit and write it in Pareto/NBD parameters
 * (r = POISSON_SHAPE, α = r/λ); when its own dropout vanishes too, the
 * Poisson (s = 0); when its own estimates run off to s, β → 0, the
 * zero-inflated Poisson (or the Poisson) fitted there
 * (paretonbd-one-time-buyers-limit.ts). A fit of the limit that stopped short
 * (not converged, no limit of its own) less than ONE_TIME_BUYERS_MARGIN above
 * the Poisson — its edge s → 0 — does not show dropout: the Poisson in its
 * place (3,000 buyers at one rate 0.1 a week who never drop out: stopped at
 * s = 7.5e-7, β = 0.0037, 1.8e-5 above the Poisson). Null when no fit is finite.
 */
export function fitParetoNbdPoissonLimit(data: RfmData, stoppedAt: Record<string, number>): LimitFit | null {
  const fitted = fitMaximumLikelihood<{ lambda: number; s: number; beta: number }>(
    createParetoNbdPoissonLimitProblem(data, { lambda: stoppedAt.r! / stoppedAt.alpha!, s: stoppedAt.s!, beta: stoppedAt.beta! }),
  );
  const boundary = { parameters: ['r', 'alpha'], limit: 'r, alpha → ∞ with r/alpha fixed', meaning: NO_HETEROGENEITY_MEANING };
  const own = fitted.fit.boundary;
  const poissonLimit = (): LimitFit | null => {
    const poisson = fitPoisson(data);
    if (!(poisson.lambda > 0)) return null;
    return {
      params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / poisson.lambda, s: 0, beta: stoppedAt.beta! },
      logLikelihood: poisson.logLikelihood,
      boundary: { parameters: ['r', 'alpha', 's', 'beta'], limit: 'r, alpha → ∞ with r/alpha fixed, and s/beta → 0', meaning: 'no dropout and no heterogeneity in purchase rates: every customer keeps buying at one constant rate (Poisson)', limitModel: NO_DROPOUT_MODEL.poisson, limitConverged: true, limitParams: { lambda: poisson.lambda } },
    };
  };
  if (own?.limit === PARETO_ONE_TIME_BUYERS_LIMIT || own?.limitModel === NO_DROPOUT_MODEL.zeroInflatedPoisson) {
    const { lambda, s, beta } = fitted.params;
    if (!Number.isFinite(fitted.logLikelihood)) return null;
    // the zero-inflated Poisson (or the Poisson) fitted in its place, with the full model's boundary; else the estimates
    // where its optimiser stopped, named (not converged)
    if (own.limitParams !== undefined) return { params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, s, beta }, logLikelihood: fitted.logLikelihood, boundary: own };
    return {
      params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, s, beta },
      logLikelihood: fitted.logLikelihood,
      boundary: { parameters: ['r', 'alpha', 's', 'beta'], limit: `r, alpha → ∞ with r/alpha fixed, and ${PARETO_ONE_TIME_BUYERS_LIMIT}`, meaning: ONE_RATE_ONE_TIME_BUYERS_MEANING },
    };
  }
  if (own?.limitModel === 'Poisson') return poissonLimit();
  if (own?.limitModel === ONE_RATE_ONE_DROPOUT_MODEL) {
    const { lambda, s, beta } = fitted.params;
    return {
      params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, s, beta },
      logLikelihood: fitted.logLikelihood,
      boundary: {
        parameters: ['r', 'alpha', 's', 'beta'],
        limit: 'r, alpha → ∞ with r/alpha fixed, and s, beta → ∞ with s/beta fixed',
        meaning: `no heterogeneity in purchase rates or in dropout: every customer buys at one rate and drops out at one rate (${/mu = [^)]*/.exec(own.meaning)?.[0] ?? 'one rate'})`,
        limitModel: ONE_RATE_ONE_DROPOUT_MODEL,
        limitConverged: own.limitConverged === true,
      },
    };
  }
  if (own) return poissonLimit();
  const { lambda, s, beta } = fitted.params;
  if (!Number.isFinite(fitted.logLikelihood)) return null;
  if (!fitted.fit.converged) {
    const poisson = poissonLimit();
    if (poisson !== null && Number.isFinite(poisson.logLikelihood) && fitted.logLikelihood - poisson.logLikelihood < ONE_TIME_BUYERS_MARGIN) return poisson;
  }
  return {
    params: { r: POISSON_SHAPE, alpha: POISSON_SHAPE / lambda, s, beta },
    logLikelihood: fitted.logLikelihood,
    boundary: { ...boundary, limitModel: 'Pareto/NBD with one purchase rate (Poisson purchases, Gamma-exponential lifetimes)', limitConverged: fitted.fit.converged },
  };
}
