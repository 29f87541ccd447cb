/**
 * The BG/NBD log-likelihood on RfmData with its analytic gradient and exact
 * Hessian w.r.t. z = (log r, log α, log a, log b), for `fitMaximumLikelihood`
 * (see bgnbd.ts for the model; FHL 2005 eq. 6).
 *
 * Speed: every term that depends on x alone (log-gamma, digamma, trigamma,
 * log(b+x−1)) is computed once per distinct x and weighted by that x's total
 * weight; log(α+T), log(α+t_x) come from tables over the distinct T and t_x
 * values; the row loop does one exp and one log. The rows are summed in
 * chunks of CHUNK_ROWS by a small function: the JIT then compiles it as a
 * whole function with complete type feedback, where one loop over 219k rows
 * was compiled on-stack mid-loop and deoptimised on reaching the code after
 * the loop (node --trace-deopt).
 *
 * Hessian: per row the likelihood is log(A + B) with A = (α+T)^{−(r+x)} and
 * B = a/(b+x−1)·(α+t_x)^{−(r+x)} (B = 0 for x = 0), so with u = ∇log A,
 * v = ∇log B and the weights w₃ = A/(A+B), w₄ = B/(A+B) (natural parameters θ)
 *   ∇² log(A+B) = w₃ ∇²log A + w₄ ∇²log B + w₃w₄ (u − v)(u − v)ᵀ,
 *   u − v = (log(α+t_x) − log(α+T), (r+x)(1/(α+t_x) − 1/(α+T)), −1/a, 1/(b+x−1)),
 * plus the per-x terms (trigamma differences); on the log scale
 *   H_z = θθᵀ ∘ H_θ + diag(θ ∘ ∇_θ).
 * One pass gives the value, the gradient and the Hessian.
 */
import { betaln, digamma, gammaln, trigamma } from '../../math/special-functions.js';
import type { RfmData } from '../model-types.js';
import { indexRfmRows, pickRfmRows, ShiftedLogTable, type FrequencyIndex, type RfmRowIndex } from '../btyd/rfm-data.js';

/** Rows summed per call of the row function. */
export const CHUNK_ROWS = 4096;
/** Rows of the warm-up evaluation (see `BgNbdLikelihood.warmUp`). */
const WARM_UP_ROWS = 64;

// slots of the row sums
const LL = 0, GR = 1, GALPHA = 2, W4 = 3, W4C = 4, WI1 = 5, RXI2 = 6, W4C2 = 7;
const Q = 8, QDU = 9, QDALPHA = 10, QC = 11, QDU2 = 12, QDUDALPHA = 13, QDUC = 14, QDALPHA2 = 15, QDALPHAC = 16, QC2 = 17;
const SUMS = 18;

export class BgNbdLikelihood {
  /** total weight */
  readonly n: number;
  private readonly index: FrequencyIndex;
  private readonly data: RfmData;
  private readonly tTable: ShiftedLogTable;
  private readonly txTable: ShiftedLogTable;
  private readonly logRatio: Float64Array; // log a − log(b+x−1) per distinct x
  private readonly inverseBx1: Float64Array; // 1/(b+x−1) per distinct x
  private readonly sums = new Float64Array(SUMS);
  private readonly hTheta = new Float64Array(16);
  private readonly theta = new Float64Array(4);

  /** `rows`: the indexes of `data` when already built (`indexRfmRows`) */
  constructor(data: RfmData, rows: RfmRowIndex = indexRfmRows(data)) {
    this.data = data;
    this.index = rows.frequency;
    this.tTable = new ShiftedLogTable(rows.T);
    this.txTable = new ShiftedLogTable(rows.recency);
    this.logRatio = new Float64Array(this.index.values.length);
    this.inverseBx1 = new Float64Array(this.index.values.length);
    this.n = rows.totals.weight;
  }

  /**
   * Evaluates the likelihood with its Hessian once on WARM_UP_ROWS rows spread over the data (a throwaway instance: the
   * methods share their type feedback with every instance). Called before a large fit so that the JIT compiles
   * `evaluate` and `sumRows` with both paths while the cheap screen runs: compiled from the screen's gradient-only
   * evaluations alone, they were deoptimised by the first full-data Hessian evaluation and ran in the interpreter
   * until recompiled (node --trace-deopt: "Insufficient type feedback"). Costs ~64 rows.
   */
  static warmUp(data: RfmData, z: Float64Array): void {
    // every stride-th row: x = 0 and x > 0 rows alike
    const stride = Math.max(1, Math.floor(data.frequency.length / WARM_UP_ROWS));
    const rows = new Int32Array(Math.min(WARM_UP_ROWS, data.frequency.length)).map((_, k) => k * stride);
    const likelihood = new BgNbdLikelihood(pickRfmRows(data, rows, Float64Array.from(rows, (i) => data.weight[i]!)));
    likelihood.evaluate(z, new Float64Array(4), new Float64Array(16));
    likelihood.evaluate(z, new Float64Array(4), null);
  }

  /** log L at z; writes ∇_z log L, and ∇²_z log L (row-major 4×4) when `hessian` is given. */
  evaluate(z: Float64Array, gradient: Float64Array, hessian: Float64Array | null): number {
    const r = Math.exp(z[0]!), alpha = Math.exp(z[1]!), a = Math.exp(z[2]!), b = Math.exp(z[3]!);
    const withHessian = hessian !== null;
    const h = this.hTheta;
    h.fill(0);
    // terms depending on x only
    const xs = this.index.values, xWeight = this.index.weight, logRatio = this.logRatio, inverseBx1 = this.inverseBx1;
    const logAlpha = z[1]!, logA = z[2]!;
    const lgR = gammaln(r), psiR = digamma(r), lbAB = betaln(a, b), psiAB = digamma(a + b), psiB = digamma(b);
    const tgR = trigamma(r), tgAB = trigamma(a + b), tgB = trigamma(b);
    let ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!, w = xWeight[k]!;
      if (w !== 0) {
        ll += w * (gammaln(r + x) - lgR + r * logAlpha + betaln(a, b + x) - lbAB);
        const psiABx = digamma(a + b + x);
        gr += w * (digamma(r + x) - psiR + logAlpha);
        galpha += w * (r / alpha);
        ga += w * (psiAB - psiABx);
        gb += w * (digamma(b + x) - psiB + psiAB - psiABx);
        if (withHessian) {
          const tgABx = trigamma(a + b + x);
          h[0] += w * (trigamma(r + x) - tgR); // rr
          h[1] += w / alpha; // rα
          h[5] -= (w * r) / (alpha * alpha); // αα
          h[10] += w * (tgAB - tgABx); // aa
          h[11] += w * (tgAB - tgABx); // ab
          h[15] += w * (trigamma(b + x) - tgB + tgAB - tgABx); // bb
        }
      }
      // x = 0: no second term (B = 0): d = −∞ gives w₄ = 0 and log(1 + e^d) = 0 in the one row formula
      logRatio[k] = x > 0 ? logA - Math.log(x - 1 + b) : -Infinity;
      inverseBx1[k] = x > 0 ? 1 / (x - 1 + b) : 0;
    }
    // row terms: log[(α+T)^{−(r+x)} + 1{x>0} a/(b+x−1) (α+t_x)^{−(r+x)}]
    this.tTable.update(alpha);
    this.txTable.update(alpha);
    const sums = this.sums;
    sums.fill(0);
    const rows = this.data.frequency.length;
    for (let from = 0; from < rows; from += CHUNK_ROWS) this.sumRows(from, Math.min(rows, from + CHUNK_ROWS), r, withHessian);
    ll += sums[LL]!;
    gr += sums[GR]!;
    galpha += sums[GALPHA]!;
    ga += sums[W4]! / a;
    gb -= sums[W4C]!;
    gradient[0] = gr * r;
    gradient[1] = galpha * alpha;
    gradient[2] = ga * a;
    gradient[3] = gb * b;
    if (hessian !== null) {
      const inverseA = 1 / a;
      h[0] += sums[QDU2]!;
      h[1] += -sums[WI1]! + sums[QDUDALPHA]!;
      h[2] += -inverseA * sums[QDU]!;
      h[3] += sums[QDUC]!;
      h[5] += sums[RXI2]! + sums[QDALPHA2]!;
      h[6] += -inverseA * sums[QDALPHA]!;
      h[7] += sums[QDALPHAC]!;
      h[10] += inverseA * inverseA * (sums[Q]! - sums[W4]!);
      h[11] += -inverseA * sums[QC]!;
      h[15] += sums[W4C2]! + sums[QC2]!;
      const theta = this.theta;
      theta[0] = r;
      theta[1] = alpha;
      theta[2] = a;
      theta[3] = b;
      for (let i = 0; i < 4; i++) {
        for (let j = i; j < 4; j++) {
          const value = theta[i]! * theta[j]! * h[4 * i + j]!;
          hessian[4 * i + j] = value;
          hessian[4 * j + i] = value;
        }
        hessian[5 * i] += gradient[i]!;
      }
    }
    return ll;
  }

  /** Adds the row terms of rows [from, to) into `sums` (value, gradient and, with `withHessian`, the Hessian's row sums). */
  private sumRows(from: number, to: number, r: number, withHessian: boolean): void {
    const { frequency, weight } = this.data;
    const rowIndex = this.index.rowIndex, logRatio = this.logRatio, inverseBx1 = this.inverseBx1;
    const tIndex = this.tTable.rowIndex, logT = this.tTable.log, inverseT = this.tTable.inverse;
    const txIndex = this.txTable.rowIndex, logTx = this.txTable.log, inverseTx = this.txTable.inverse;
    let ll = 0, gr = 0, galpha = 0, sumW4 = 0, sumW4c = 0, sumWi1 = 0, sumRxI2 = 0, sumW4c2 = 0;
    let sumQ = 0, sumQdu = 0, sumQdalpha = 0, sumQc = 0, sumQdu2 = 0, sumQdudalpha = 0, sumQduc = 0, sumQdalpha2 = 0, sumQdalphac = 0, sumQc2 = 0;
    for (let i = from; i < to; i++) {
      const w = weight[i]!;
      if (w === 0) continue;
      const rx = r + frequency[i]!;
      const ti = tIndex[i]!;
      const logAlphaT = logT[ti]!, i1 = inverseT[ti]!;
      const k = rowIndex[i]!;
      const txi = txIndex[i]!;
      const logAlphaTx = logTx[txi]!, i2 = inverseTx[txi]!;
      // one path for x = 0 (d = −∞) and x > 0: a branch the screen never took deoptimised the compiled loop later
      const d = logRatio[k]! + rx * (logAlphaT - logAlphaTx);
      // log(1 + e^d) and the weight e^d/(1+e^d) of the second term, with e = e^{−|d|} ≤ 1
      const e = Math.exp(-Math.abs(d));
      const softplus = Math.max(d, 0) + Math.log(1 + e);
      const w4 = (d > 0 ? 1 : e) / (1 + e);
      const w3 = 1 - w4;
      const c = inverseBx1[k]!;
      ll += w * (softplus - rx * logAlphaT);
      gr -= w * (w3 * logAlphaT + w4 * logAlphaTx);
      galpha -= w * rx * (w3 * i1 + w4 * i2);
      sumW4 += w * w4;
      sumW4c += w * w4 * c;
      if (withHessian) {
        const q = w * w3 * w4;
        const du = logAlphaTx - logAlphaT;
        const dalpha = rx * (i2 - i1);
        sumWi1 += w * (w3 * i1 + w4 * i2);
        sumRxI2 += w * rx * (w3 * i1 * i1 + w4 * i2 * i2);
        sumW4c2 += w * w4 * c * c;
        sumQ += q;
        sumQdu += q * du;
        sumQdalpha += q * dalpha;
        sumQc += q * c;
        sumQdu2 += q * du * du;
        sumQdudalpha += q * du * dalpha;
        sumQduc += q * du * c;
        sumQdalpha2 += q * dalpha * dalpha;
        sumQdalphac += q * dalpha * c;
        sumQc2 += q * c * c;
      }
    }
    const sums = this.sums;
    sums[LL] += ll;
    sums[GR] += gr;
    sums[GALPHA] += galpha;
    sums[W4] += sumW4;
    sums[W4C] += sumW4c;
    sums[WI1] += sumWi1;
    sums[RXI2] += sumRxI2;
    sums[W4C2] += sumW4c2;
    sums[Q] += sumQ;
    sums[QDU] += sumQdu;
    sums[QDALPHA] += sumQdalpha;
    sums[QC] += sumQc;
    sums[QDU2] += sumQdu2;
    sums[QDUDALPHA] += sumQdudalpha;
    sums[QDUC] += sumQduc;
    sums[QDALPHA2] += sumQdalpha2;
    sums[QDALPHAC] += sumQdalphac;
    sums[QC2] += sumQc2;
  }
}
