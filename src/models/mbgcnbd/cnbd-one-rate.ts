/**
 * CNBD-k with one purchase rate: the limit of the no-dropout CNBD-k
 * (mbgcnbd.ts, createCnbdNoDropoutProblem) as r, α → ∞ with λ = r/α fixed.
 * Every customer buys with Erlang(k, λ) gaps and nobody drops out — shops
 * whose buyers are regular and alike (a replenishment subscription) fit
 * their CNBD-k there. Per customer, with u = T − t_x:
 *
 *   ℓ(λ) = (k−1)·litt − x·log Γ(k) + kx·log λ − λT + log Σ_{j<k} (λu)^j / j!
 *
 * — the CNBD-k likelihood's limit: Γ(r+kx)/Γ(r)·α^r/(α+T)^{r+kx} → λ^{kx}·e^{−λT}
 * and S₂'s terms → (λu)^j / j!. In θ = log λ,
 *
 *   dℓ/dθ = kx − λT + E[j],   d²ℓ/dθ² = −λT + Var[j],
 *
 * with j's weights ∝ (λu)^j / j! on 0..k−1 (a Poisson(λu) cut at k−1). The
 * summed derivative is positive as λ → 0 (when anybody repeated) and negative
 * as λ → ∞ (E[j] < k), so a maximum lies between; Newton steps in θ find it,
 * kept inside a bracket that bisection narrows whenever a step would leave it
 * (the search does not rely on ℓ being concave). The weights' sums are
 * rescaled as S₂'s are (S2_SCALE), so any k is finite; each evaluation is
 * O(k) per customer, as one of the CNBD-k likelihood's.
 */
import { gammaln } from '../../math/special-functions.js';
import { S2_LOG_SCALE, S2_SCALE, type RegularityData } from './regularity-data.js';

export interface CnbdOneRateFit {
  /** the purchase rate: Erlang stages per time unit (k/λ is the mean gap) */
  readonly lambda: number;
  readonly logLikelihood: number;
  /** |dℓ/dθ| per customer ≤ 1e-6 (the tolerance of the other fits) at the estimate */
  readonly converged: boolean;
  readonly iterations: number;
}

/** S2_SCALE and S2_LOG_SCALE read in the loop below as this module's own constants (an imported binding is a getter call per read where the module is transformed, as under vitest) */
const SCALE = S2_SCALE;
const LOG_SCALE = S2_LOG_SCALE;

/** ℓ(θ) summed over the customers, with its first two derivatives in θ = log λ. */
function evaluate(data: RegularityData, k: number, theta: number): { value: number; first: number; second: number } {
  const lambda = Math.exp(theta);
  const { frequency, recency, T, weight } = data;
  let value = 0, first = 0, second = 0;
  for (let i = 0; i < frequency.length; i++) {
    const w = weight[i]!;
    if (w === 0) continue;
    const mean = lambda * (T[i]! - recency[i]!);
    // Σ_{j<k} mean^j/j! and its first two moments in j, rescaled exactly as they grow
    let term = 1, s = 1, m1 = 0, m2 = 0, logScale = 0;
    for (let j = 1; j < k && term > 0; j++) {
      term *= mean / j;
      s += term, m1 += j * term, m2 += j * j * term;
      if (term > SCALE) (term /= SCALE), (s /= SCALE), (m1 /= SCALE), (m2 /= SCALE), (logScale += LOG_SCALE);
    }
    const e = m1 / s;
    const kx = k * frequency[i]!;
    value += w * (kx * theta - lambda * T[i]! + Math.log(s) + logScale);
    first += w * (kx - lambda * T[i]! + e);
    second += w * (-lambda * T[i]! + m2 / s - e * e);
  }
  return { value, first, second };
}

/** Most Newton/bisection steps; each halves the bracket at least once every second step, so 200 is far more than θ's ~100 bits need. */
const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-6;

/**
 * The maximum-likelihood λ of CNBD-k with one purchase rate (see the file header); NaN when nobody repeated (the
 * likelihood then rises as λ → 0) or the data have no weight.
 *
 * Example: 600 monthly buyers (Erlang-40 gaps of 4.3 weeks on average) → `{ lambda: ≈ 9.3 per week, converged: true }`.
 */
export function fitCnbdOneRate(data: RegularityData, k: number): CnbdOneRateFit {
  let customers = 0, purchases = 0, exposure = 0, constant = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const w = data.weight[i]!;
    customers += w, purchases += w * data.frequency[i]!, exposure += w * data.T[i]!;
    constant += w * ((k - 1) * data.litt[i]! - data.frequency[i]! * gammaln(k));
  }
  if (!(purchases > 0 && exposure > 0 && customers > 0)) return { lambda: NaN, logLikelihood: NaN, converged: false, iterations: 0 };
  // the bracket [lo, hi] in θ: dℓ/dθ > 0 at lo, < 0 at hi; from the rate of Erlang stages (k per purchase) over the exposure
  let theta = Math.log((k * purchases) / exposure);
  let lo = -Infinity, hi = Infinity;
  let at = evaluate(data, k, theta);
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS && Math.abs(at.first) > 1e-12 * customers; iterations++) {
    if (at.first > 0) lo = theta;
    else hi = theta;
    const newton = at.second < 0 ? theta - at.first / at.second : NaN;
    // Newton inside the bracket; else bisect it, or step out by a factor e^2 towards the side not yet bracketed
    const next = newton > lo && newton < hi ? newton : Number.isFinite(lo) && Number.isFinite(hi) ? 0.5 * (lo + hi) : at.first > 0 ? theta + 2 : theta - 2;
    if (next === theta || hi - lo <= 1e-15 * Math.max(1, Math.abs(theta))) break;
    theta = next;
    at = evaluate(data, k, theta);
  }
  return { lambda: Math.exp(theta), logLikelihood: constant + at.value, converged: Math.abs(at.first) <= TOLERANCE * customers && Number.isFinite(at.value), iterations };
}
