/**
 * Predictions of MBG/CNBD-k (Reutterer, Platzer & Schröder 2021; model and
 * notation in mbgcnbd.ts) for a customer with history (x, t_x, T).
 *
 * Given alive at T, the Erlang-k process is j ∈ {0, …, k−1} exponential stages
 * into the current gap; phase j has posterior weight w_j ∝ Γ(r+kx+j)/(Γ(r+kx)·j!)
 * ·((T−t_x)/(α+T))^j (the terms of S₂), and given phase j, λ ~ Gamma(r+kx+j,
 * rate α+T), while p ~ Beta(a, b+x+1) independently. The n-th future purchase
 * needs nk − j more stages and survival of the n − 1 dropout chances before
 * it, so
 *   E[X(T, T+t) | history] = P(alive) · Σ_j w_j Σ_{n≥1} B(a, b+x+n)/B(a, b+x+1)
 *                             · P(NB(r+kx+j, (α+T)/(α+T+t)) ≥ nk − j),
 * with P(NB(s, q) ≥ m) = I_{1−q}(m, s). This is exact (no approximation, unlike
 * BTYDplus's rescaled BG/NBD expression); for k = 1 it equals MBG/NBD's
 * conditional expectation. The sum over n stops when its terms fall below
 * 1e-12 of the running total.
 *
 * The phase weights are unimodal (an NB(r+kx, (T−t_x)/(α+T)) pmf cut at k−1)
 * and, for large k, concentrated in a window of width O(√(r+kx)) around their
 * mode; the sums over j visit the phases from the heaviest outwards and stop
 * once the weight not yet visited times a bound on every phase's term is at
 * most PHASE_TOLERANCE (1e-12) of the sum so far (sumOverPhases): the phases
 * left out change the result by at most that relative amount, and the number
 * of terms grows like the window, not like k; each term after the first of a sum is stepped from its neighbour's
 * (phase-tails.ts) rather than a continued fraction of its own; the weights themselves are still k cheap products
 * per customer.
 */
import { sigmoid } from '../../math/sigmoid.js';
import { S2_LOG_SCALE, S2_SCALE, type MbgCnbdParams } from './mbgcnbd.js';
import { PhaseTails } from './phase-tails.js';

/** S2_SCALE and S2_LOG_SCALE read in the loop below as this module's own constants (an imported binding is a getter call per read where the module is transformed, as under vitest) */
const SCALE = S2_SCALE;
const LOG_SCALE = S2_LOG_SCALE;

/** Posterior weights of the phases given alive, the weight below and above each phase (summed from each end, accurate in the tails), its heaviest phase. */
export interface Phases {
  readonly weights: Float64Array;
  readonly below: Float64Array;
  readonly above: Float64Array;
  readonly mode: number;
}

/** The relative error allowed the sums over the phases (see the file header). */
export const PHASE_TOLERANCE = 1e-12;

/**
 * Σ_j weights[j]·term(j) over the phases, visited from the mode outwards (always to the heavier neighbour),
 * stopping once (weight not yet visited) × bound ≤ PHASE_TOLERANCE × the sum so far. `bound` must be ≥ term(j)
 * for every j (terms ≥ 0): the result is then within PHASE_TOLERANCE (relative) of the full sum. `visited` counts
 * the phases whose term was computed.
 *
 * Example: k = 564, a customer of the regular-buyer shop two weeks into a gap → the phases near j ≈ 260 only.
 */
export function sumOverPhases(phases: Phases, bound: number, term: (j: number) => number): { sum: number; visited: number } {
  const { weights, below, above, mode } = phases;
  const k = weights.length;
  let lo = mode, hi = mode, visited = 1;
  let sum = weights[mode]! * term(mode);
  while (lo > 0 || hi < k - 1) {
    if ((below[lo]! + above[hi]!) * bound <= PHASE_TOLERANCE * sum) break;
    const j = hi === k - 1 || (lo > 0 && weights[lo - 1]! > weights[hi + 1]!) ? --lo : ++hi;
    if (weights[j]! > 0) (sum += weights[j]! * term(j)), visited++;
  }
  return { sum, visited };
}

/** Posterior weights of the phases j = 0..k−1 given alive, and log(S₁/S₂) (the log-odds of being dead). */
export function computeMbgCnbdPhases(k: number, params: MbgCnbdParams, x: number, recency: number, T: number): Phases & { logOddsDead: number } {
  const { r, alpha, a, b } = params;
  const rk = r + k * x;
  const ratio = (T - recency) / (alpha + T);
  const weights = new Float64Array(k);
  let term = 1, s2 = 1, logScale = 0;
  weights[0] = 1;
  for (let j = 1; j < k; j++) {
    term *= ((rk + j - 1) * ratio) / j;
    weights[j] = term;
    s2 += term;
    if (term > SCALE) {
      // rescaled exactly, as the likelihood's S₂ (mbgcnbd.ts): the weights so far may underflow to 0, which they are beside this one
      for (let i = 0; i <= j; i++) weights[i] /= SCALE;
      term /= SCALE, s2 /= SCALE;
      logScale += LOG_SCALE;
    }
  }
  let mode = 0;
  for (let j = 0; j < k; j++) {
    weights[j] /= s2;
    if (weights[j]! > weights[mode]!) mode = j;
  }
  const below = new Float64Array(k), above = new Float64Array(k);
  for (let j = 1; j < k; j++) below[j] = below[j - 1]! + weights[j - 1]!;
  for (let j = k - 2; j >= 0; j--) above[j] = above[j + 1]! + weights[j + 1]!;
  const logOddsDead = Math.log(a) - Math.log(b + x) + rk * (Math.log(alpha + T) - Math.log(alpha + recency)) - (Math.log(s2) + logScale);
  return { weights, below, above, mode, logOddsDead };
}

/** a = 0 is the no-dropout limit (a boundary fit: CNBD-k, mbgcnbd.ts): P(alive) = 1 */
function isValid(k: number, params: MbgCnbdParams, x: number, recency: number, T: number): boolean {
  const { r, alpha, a, b } = params;
  return Number.isInteger(k) && k >= 1 && r > 0 && alpha > 0 && a >= 0 && b > 0 && Number.isFinite(r + alpha + a + b) && x >= 0 && recency >= 0 && recency <= T && Number.isFinite(T);
}

/** P(alive at T | x, t_x, T) = S₂/(S₁ + S₂); NaN on invalid input. */
export function predictMbgCnbdProbabilityAlive(k: number, params: MbgCnbdParams, x: number, recency: number, T: number): number {
  if (!isValid(k, params, x, recency, T)) return NaN;
  return sigmoid(-computeMbgCnbdPhases(k, params, x, recency, T).logOddsDead);
}

/** Expected purchases in (T, T+t] given the history (see the file header); NaN on invalid input. */
export function predictMbgCnbdConditionalPurchases(k: number, params: MbgCnbdParams, t: number, x: number, recency: number, T: number): number {
  if (!isValid(k, params, x, recency, T) || !(t >= 0) || !Number.isFinite(t)) return NaN;
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const phases = computeMbgCnbdPhases(k, params, x, recency, T);
  const pAlive = sigmoid(-phases.logOddsDead);
  if (pAlive === 0) return 0;
  // NB success probability q = (α+T)/(α+T+t): the tail I_{1−q}(m, s) with 1 − q = t/(α+T+t)
  const oneMinusQ = t / (alpha + T + t);
  const q = (alpha + T) / (alpha + T + t);
  // the term of phase j counts the purchases of ⌊(N + j)/k⌋ with N ~ NB(r+kx+j, q) stages in t: at most (E[N] + k − 1)/k
  const bound = 1 + ((r + k * x + k - 1) * t) / (k * (alpha + T));
  // the tails of the n-th purchase, phase by phase (phase-tails.ts: each phase from its neighbour)
  const tailsOfPurchase: PhaseTails[] = [];
  const purchasesInPhase = (j: number) => {
    let survival = 1; // B(a, b+x+n)/B(a, b+x+1), n = 1
    let sum = 0;
    for (let n = 1; n <= 1_000_000; n++) {
      const tail = (tailsOfPurchase[n] ??= new PhaseTails(oneMinusQ, q, n * k, r + k * x)).at(j);
      const term = survival * tail;
      sum += term;
      if (term <= 1e-12 * sum || !(term > 0)) break;
      survival *= (b + x + n) / (a + b + x + n);
    }
    return sum;
  };
  return pAlive * sumOverPhases(phases, bound, purchasesInPhase).sum;
}

/**
 * Smallest t with P(next purchase within (T, T+t] | history) ≥ q. Given alive
 * in phase j, the next purchase needs k − j more Erlang stages and no dropout
 * comes before it, so with λ ~ Gamma(r+kx+j, rate α+T)
 *   P(next within t) = P(alive) · Σ_j w_j · I_{t/(α+T+t)}(k − j, r+kx+j)
 * (the n = 1 term of the conditional expectation). It rises from 0 towards
 * P(alive): Infinity when q ≥ P(alive), 0 at q = 0, NaN for q outside [0, 1)
 * or invalid input; otherwise solved by bisection on u = t/(α+T+t) ∈ (0, 1),
 * until the bracket [t(low), t(high)] is at most `tolerance` wide (in the
 * time unit; the midpoint is returned, within tolerance/2 of the exact
 * quantile) or, with tolerance 0 (the default), to machine precision. For
 * k = 1 it is MBG/NBD's closed form.
 */
export function predictMbgCnbdTimeToNextPurchase(k: number, params: MbgCnbdParams, q: number, x: number, recency: number, T: number, tolerance = 0): number {
  if (!isValid(k, params, x, recency, T) || !(q >= 0) || !(q < 1) || !(tolerance >= 0)) return NaN;
  if (q === 0) return 0;
  const phases = computeMbgCnbdPhases(k, params, x, recency, T);
  const pAlive = sigmoid(-phases.logOddsDead);
  if (q >= pAlive) return Infinity;
  const target = q / pAlive;
  const shape = params.r + k * x;
  const kappa = params.alpha + T;
  const reached = (u: number) => {
    const tails = new PhaseTails(u, 1 - u, k, shape);
    return sumOverPhases(phases, 1, (j) => tails.at(j)).sum;
  };
  const timeOf = (u: number) => (kappa * u) / (1 - u);
  let low = 0, high = 1;
  for (let i = 0; i < 64 && high - low > Number.EPSILON * high; i++) {
    if (tolerance > 0 && high < 1 && timeOf(high) - timeOf(low) <= tolerance) break;
    const mid = 0.5 * (low + high);
    if (reached(mid) >= target) high = mid;
    else low = mid;
  }
  if (tolerance > 0 && high < 1) return 0.5 * (timeOf(low) + timeOf(high));
  return timeOf(0.5 * (low + high));
}
