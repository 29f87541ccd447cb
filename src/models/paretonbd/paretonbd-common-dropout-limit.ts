/**
 * The "one dropout rate for everyone" limit of the Pareto/NBD: s, β → ∞
 * with s/β = μ fixed, where the Gamma(s, β) dropout rates collapse to the
 * point μ (exponential lifetimes with one rate; purchase rates stay
 * Gamma(r, α)).
 *
 * Method: the Pareto/NBD likelihood itself at s = S, β = S/μ with
 * S = PARETO_COMMON_DROPOUT_SHAPE = 3·10⁴ (the dropout rates' coefficient
 * of variation 1/√S ≈ 0.6%, past the 1% at which fit-boundary.ts calls a
 * model its limit), maximised over (r, α, μ): the likelihood's evaluation
 * costs the same at any s, β (the fixed-cost Gauss–Laguerre integral,
 * math/pareto-nbd-integral.ts), and its gradient in log μ is −∂/∂log β at
 * fixed s (chain rule), so no new likelihood is written. The distance to the
 * exact limit is O(1/S): on 8,000 customers the maximised log-likelihood
 * moves by 2e-4 from S = 3·10⁴ to 10⁶; S is not larger because past
 * β ≈ 10⁷ the likelihood's gradient loses precision (L-BFGS stalls at a
 * gradient of 1e-4 per customer at S = 10⁶). Written in Pareto/NBD
 * parameters as s = S, β = S/μ.
 */
import type { LimitFit } from '../fit-boundary.js';
import { fitMaximumLikelihood, type MaximumLikelihoodProblem } from '../fit-maximum-likelihood.js';

export const PARETO_COMMON_DROPOUT_SHAPE = 3e4;

export const PARETO_COMMON_DROPOUT_MEANING = 'no heterogeneity in dropout: every customer has the same dropout rate s/beta';

/** The limit's problem on (log r, log α, log μ), from the full Pareto/NBD problem's likelihood. */
export function createParetoNbdCommonDropoutProblem(full: MaximumLikelihoodProblem, start: { r: number; alpha: number; mu: number }, shape = PARETO_COMMON_DROPOUT_SHAPE): MaximumLikelihoodProblem {
  const logShape = Math.log(shape);
  const point = new Float64Array(4);
  const work = new Float64Array(4);
  return {
    model: 'paretonbd-common-dropout',
    paramNames: ['r', 'alpha', 'mu'],
    n: full.n,
    starts: [Float64Array.of(Math.log(start.r), Math.log(start.alpha), Math.log(start.mu))],
    logLikelihood(z, gradient) {
      point[0] = z[0]!;
      point[1] = z[1]!;
      point[2] = logShape;
      point[3] = logShape - z[2]!;
      const ll = full.logLikelihood(point, work);
      gradient[0] = work[0]!;
      gradient[1] = work[1]!;
      gradient[2] = -work[3]!;
      return ll;
    },
  };
}

/** Fits the limit from where the full fit stopped (r, alpha, s, beta) and writes it in Pareto/NBD parameters; null when it fails. */
export function fitParetoNbdCommonDropoutLimit(full: MaximumLikelihoodProblem, stoppedAt: Record<string, number>): LimitFit | null {
  const start = { r: stoppedAt.r!, alpha: stoppedAt.alpha!, mu: stoppedAt.s! / stoppedAt.beta! };
  if (!(start.r > 0 && start.alpha > 0 && start.mu > 0 && Number.isFinite(start.r + start.alpha + start.mu))) return null;
  const fitted = fitMaximumLikelihood<{ r: number; alpha: number; mu: number }>(createParetoNbdCommonDropoutProblem(full, start));
  if (!fitted.fit.converged || !Number.isFinite(fitted.logLikelihood)) return null;
  const { r, alpha, mu } = fitted.params;
  return {
    params: { r, alpha, s: PARETO_COMMON_DROPOUT_SHAPE, beta: PARETO_COMMON_DROPOUT_SHAPE / mu },
    logLikelihood: fitted.logLikelihood,
    boundary: {
      parameters: ['s', 'beta'],
      limit: 's, beta → ∞ with s/beta fixed',
      meaning: `${PARETO_COMMON_DROPOUT_MEANING} (mu = ${Number(mu.toPrecision(4))} per time unit)`,
      limitModel: 'Pareto/NBD with one dropout rate',
      limitConverged: true,
    },
  };
}
