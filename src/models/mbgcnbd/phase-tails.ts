/**
 * The tails T_j = I_x(m − j, s + j) of MBG/CNBD-k's phases j (predict-mbgcnbd.ts: given phase j, the m-th Erlang
 * stage ahead comes within the horizon with probability I_x(m − j, s + j), x = t/(α+T+t), s = r + kx), for the
 * phases a sum visits one after another (sumOverPhases: from the heaviest phase outwards, each new phase next to
 * one visited). Across phases a + b = m + s stays the same, so neighbours differ by one Beta-function term,
 *   T_{j+1} − T_j = E_j = Γ(m+s)/(Γ(m−j)·Γ(s+j+1)) · x^{m−j−1} · (1−x)^{s+j},
 *   E_j / E_{j−1} = (m−j)/(s+j) · (1−x)/x,
 * (the step of I_x(a, b) to I_x(a−1, b+1)), and every phase but the first costs a few multiplications instead of a
 * continued fraction of O(√max(a, b)) terms. The first phase (an anchor) is the continued fraction
 * (regularizedIncompleteBeta). Upwards the steps add positive terms; downwards they subtract, which leaves each
 * tail an absolute error of about one rounding of the anchor's tail per step over the O(√(r+kx)) phases a sum
 * visits; the sums differ from those of a continued fraction per phase by at most 2e-13 relative in
 * test/models/mbgcnbd/mbgcnbd-large-k and 1.1e-12 on the bench's regular buyers (bench/cases/mbgcnbd-phase-steps.ts),
 * about PHASE_TOLERANCE, and a fraction's own front factor is no more exact; a tail that comes out below 0 is 0. The
 * step terms are carried scaled by powers of 2^600 (`Scaled`): a term far below the smallest double keeps its
 * digits, so its ratios carry it on until it matters again (a term that had underflowed to 0 would stay 0).
 *
 * Example: k = 564, s = 14,000, x = 0.02 — the ~200 phases near the mode of a customer's weights cost one continued
 * fraction and ~200 steps instead of ~200 continued fractions of ~120 iterations each.
 */
import { betaln, regularizedIncompleteBeta } from '../../math/special-functions.js';

/** 2^600: a step term below TINY is carried as term·2^600 per unit of its scale (exact: powers of two). */
const SCALE = 2 ** 600;
const UNSCALE = 2 ** -600;
const LOG_SCALE = 600 * Math.LN2;
const TINY = 1e-150;

/** A positive number as mantissa · 2^(−600·scale), mantissa ≥ TINY once scaled. */
interface Scaled {
  mantissa: number;
  scale: number;
}

/** `value` as a Scaled, from its logarithm (exp(log) may underflow; the mantissa does not). */
function scaledFromLog(log: number): Scaled {
  const scale = log < Math.log(TINY) ? Math.ceil((Math.log(TINY) - log) / LOG_SCALE) : 0;
  return { mantissa: Math.exp(log + scale * LOG_SCALE), scale };
}

/** Its value (0 below the smallest double). */
function valueOf(s: Scaled): number {
  let v = s.mantissa;
  for (let i = 0; i < s.scale && v > 0; i++) v *= UNSCALE;
  return v;
}

/** s·factor, rescaled so the mantissa stays in range. */
function times(s: Scaled, factor: number): void {
  s.mantissa *= factor;
  if (s.mantissa < TINY && s.mantissa > 0) (s.mantissa *= SCALE), s.scale++;
  else if (s.scale > 0 && s.mantissa > TINY * SCALE) (s.mantissa *= UNSCALE), s.scale--;
}

export class PhaseTails {
  readonly #x: number;
  readonly #oneMinusX: number;
  readonly #m: number;
  readonly #s: number;
  /** (1 − x)/x */
  readonly #odds: number;
  #lo = -1;
  #hi = -1;
  #tailLo = 0;
  #tailHi = 0;
  /** E_{lo−1}: what the step from lo down to lo − 1 subtracts */
  #stepDown: Scaled = { mantissa: 0, scale: 0 };
  /** E_{hi}: what the step from hi up to hi + 1 adds */
  #stepUp: Scaled = { mantissa: 0, scale: 0 };

  /** The tails I_x(m − j, s + j), j = 0 … m − 1, with `oneMinusX` = 1 − x given exactly. */
  constructor(x: number, oneMinusX: number, m: number, s: number) {
    this.#x = x;
    this.#oneMinusX = oneMinusX;
    this.#m = m;
    this.#s = s;
    this.#odds = oneMinusX / x;
  }

  /** T_j: from a neighbour visited before when there is one, else anchored by the continued fraction. */
  at(j: number): number {
    const m = this.#m, s = this.#s;
    if (j === this.#hi + 1 && this.#hi >= 0) {
      this.#tailHi += valueOf(this.#stepUp);
      times(this.#stepUp, ((m - j) / (s + j)) * this.#odds);
      this.#hi = j;
      return this.#tailHi;
    }
    if (j === this.#lo - 1) {
      this.#tailLo = Math.max(0, this.#tailLo - valueOf(this.#stepDown));
      times(this.#stepDown, (s + j) / (m - j) / this.#odds);
      this.#lo = j;
      return this.#tailLo;
    }
    return this.#anchor(j);
  }

  #anchor(j: number): number {
    const m = this.#m, s = this.#s;
    const tail = regularizedIncompleteBeta(this.#x, m - j, s + j, this.#oneMinusX);
    // E_{j−1} = Γ(m+s)/(Γ(m−j+1)·Γ(s+j)) · x^{m−j} · (1−x)^{s+j−1} = x^a·(1−x)^{b−1}/(a·B(a, b)), a = m − j, b = s + j:
    // the continued fraction's own front factor (betaln, accurate for large a and b), and E_j from it
    const a = m - j, b = s + j;
    const logDown = a * Math.log(this.#x) + (b - 1) * Math.log(this.#oneMinusX) - betaln(a, b) - Math.log(a);
    if (this.#hi < 0 || j > this.#hi) (this.#hi = j), (this.#tailHi = tail), (this.#stepUp = scaledFromLog(logDown + Math.log((a / b) * this.#odds)));
    if (this.#lo < 0 || j < this.#lo) (this.#lo = j), (this.#tailLo = tail), (this.#stepDown = scaledFromLog(logDown));
    return tail;
  }
}
