/**
 * S₂ of MBG/CNBD-k's likelihood (mbgcnbd.ts) with the two sums its derivatives need, one customer at a time:
 *   S₂ = Σ_{j<k} Γ(rk+j)/(Γ(rk)·j!)·ratio^j,  Σ term_j·H_j (∂S₂/∂r, H_j = Σ_{i<j} 1/(rk+i)),  Σ term_j·j (∂S₂/∂α).
 * A loop of its own (a small function the compiler keeps optimised: inside the likelihood's closure the same loop ran
 * 1.3–2.9× slower at k = 185 … 600), stopped once the terms left cannot change the sums (TAIL_CUT: each term left is
 * below half a unit in the last place of S₂, so S₂ — and the likelihood — keep their bits; the derivative sums may
 * move by a rounding), and Σ term·j divided by α + T once instead of once per term.
 */
import { S2_LOG_SCALE, S2_SCALE } from './regularity-data.js';

/**
 * S2_SCALE and S2_LOG_SCALE as this module's own constants, read in the loop over S₂'s terms below: an imported binding is
 * a getter call per read where the module is transformed (vitest's module runner: 45–80 ms per evaluation at k = 600
 * on 3,000 customers instead of 7–9 ms), a constant of the module is not.
 */
const SCALE = S2_SCALE;
const LOG_SCALE = S2_LOG_SCALE;
/** The loop stops once the terms left, weighted as in any of its sums, are below this share of S₂ (2^−60). */
const TAIL_CUT = 2 ** -60;

/**
 * S₂ = Σ_{j<k} Γ(rk+j)/(Γ(rk)·j!)·ratio^j (scaled by e^−logScale) with Σ term·H_j (∂S₂/∂r) and Σ term·j into `out`
 * (s2, ds2dr, jTerms, logScale); H_j from `table` at h0 + j when it has one, else summed here.
 */
export function sumS2(rk: number, ratio: number, k: number, table: Float64Array, h0: number, out: Float64Array): void {
  let term = 1, s2 = 1, ds2dr = 0, jTerms = 0, harmonic = 0, logScale = 0;
  // what a term weighs at most in the three sums (1, its harmonic sum ≤ the last, j < k): for the cut below
  const reach = 1 + k + (table.length > 0 ? table[h0 + k - 1]! : k / rk);
  for (let j = 1; j < k; j++) {
    // the step from term j − 1 to j, off the chain of products (term·step: the same bits as before)
    const step = ((rk + j - 1) * ratio) / j;
    term *= step;
    harmonic = table.length > 0 ? table[h0 + j]! : harmonic + 1 / (rk + j - 1);
    s2 += term;
    ds2dr += term * harmonic;
    jTerms += term * j;
    if (term > SCALE) {
      term /= SCALE, s2 /= SCALE, ds2dr /= SCALE, jTerms /= SCALE;
      logScale += LOG_SCALE;
    }
    // the steps after j are at most max(step, ratio) (they fall towards ratio when rk ≥ 1, rise towards it when
    // rk < 1): once that is below 1 the terms left sum to at most term·q/(1 − q) — cut where that, times what a
    // term weighs in any of the sums, is below 2^−60 of S₂ (past the last term that changes a sum's rounding)
    const q = step > ratio ? step : ratio;
    if (q < 1 && term * q * reach < TAIL_CUT * (1 - q) * s2) break;
  }
  out[0] = s2, out[1] = ds2dr, out[2] = jTerms, out[3] = logScale;
}
