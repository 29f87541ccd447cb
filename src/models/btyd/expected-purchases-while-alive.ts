/**
 * Expected purchases of a customer who is alive now under a beta-geometric
 * dropout after each purchase: the kernel of the BG/NBD and MBG/NBD
 * predictions (Fader, Hardie & Lee 2005, eq. 9/10; Batislam et al. 2007, eq. 5/6).
 */
import { logHyp2f1 } from '../../math/hyp2f1.js';

const A_NEAR_ONE = 1e-4;
const C_NEAR_ZERO = 1e-6;

/**
 * Expected purchases in the next t time units of a customer who is alive now,
 * with λ ~ Gamma(s, κ) and dropout p ~ Beta(a, β) after each purchase:
 *   E = (a+β−1)/(a−1) · [1 − (κ/(κ+t))^s · 2F1(s, β; a+β−1; t/(κ+t))]
 * (FHL 2005 eq. 9/10 with s = r+x, κ = α+T, β = b+x for BG/NBD; β = b+x+1 for
 * MBG/NBD). Evaluated with log 2F1; the removable singularities are handled by
 * linear interpolation in a (|a−1| < 1e-4, where 0/0 cancellation would lose
 * digits; relative error ≲ 1e-8) and in β (|a+β−1| < 1e-6, where c = 0 is a
 * pole of 2F1 but not of E). t = ∞ gives (a+β−1)/(a−1) for a > 1 and ∞
 * otherwise (E[1/p] diverges). a = 0 is the no-dropout limit (a/b → 0), where
 * E = s·t/κ, the NBD's. Returns NaN for invalid input.
 */
export function computeExpectedPurchasesWhileAlive(s: number, kappa: number, a: number, beta: number, t: number): number {
  // a = 0: no dropout (the NBD limit of a/b → 0): E = s·t/κ
  if (a === 0 && s > 0 && kappa > 0 && t >= 0 && Number.isFinite(s + kappa)) return t === Infinity ? Infinity : (s * t) / kappa;
  if (!(s > 0) || !(kappa > 0) || !(a > 0) || !(beta > 0) || !(t >= 0) || !Number.isFinite(s + kappa + a + beta)) return NaN;
  if (t === 0) return 0;
  if (t === Infinity) return a > 1 ? (a + beta - 1) / (a - 1) : Infinity;
  if (Math.abs(a - 1) < A_NEAR_ONE) {
    const lo = 1 - A_NEAR_ONE, hi = 1 + A_NEAR_ONE;
    const fLo = expectedWhileAliveAwayFromCZero(s, kappa, lo, beta, t);
    const fHi = expectedWhileAliveAwayFromCZero(s, kappa, hi, beta, t);
    return fLo + ((a - lo) / (hi - lo)) * (fHi - fLo);
  }
  return expectedWhileAliveAwayFromCZero(s, kappa, a, beta, t);
}

/** Interpolates in β across c = a+β−1 = 0 (a is at least 1e-4 away from 1, so β stays > 0). */
function expectedWhileAliveAwayFromCZero(s: number, kappa: number, a: number, beta: number, t: number): number {
  const c = a + beta - 1;
  if (Math.abs(c) >= C_NEAR_ZERO) return expectedWhileAliveDirect(s, kappa, a, beta, t);
  const lo = 1 - a - 2 * C_NEAR_ZERO, hi = 1 - a + 2 * C_NEAR_ZERO; // c = −2e-6 and +2e-6
  const fLo = expectedWhileAliveDirect(s, kappa, a, lo, t);
  const fHi = expectedWhileAliveDirect(s, kappa, a, hi, t);
  return fLo + ((beta - lo) / (hi - lo)) * (fHi - fLo);
}

function expectedWhileAliveDirect(s: number, kappa: number, a: number, beta: number, t: number): number {
  const c = a + beta - 1;
  const z = t / (kappa + t);
  const h = logHyp2f1(s, beta, c, z);
  // G = (κ/(κ+t))^s · 2F1;  E = c/(a−1) · (1 − G)
  const logG = s * Math.log(kappa / (kappa + t)) + h.logAbs;
  let oneMinusG: number;
  if (h.sign > 0) oneMinusG = -Math.expm1(logG);
  else if (h.sign < 0) oneMinusG = 1 + Math.exp(logG);
  else oneMinusG = 1;
  const value = (c / (a - 1)) * oneMinusG;
  return value < 0 ? 0 : value;
}
