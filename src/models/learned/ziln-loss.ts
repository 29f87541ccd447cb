/**
 * Zero-inflated lognormal loss (Wang, Liu & Miao 2019, "A Deep Probabilistic
 * Model for Customer Lifetime Value Prediction", arXiv:1912.07753, §3.2):
 * three raw outputs per row — the logit q of P(y > 0), the mean μ and the log
 * scale s = log σ of log y for the positives. Negative log-likelihood:
 *   y = 0: ℓ = log(1 + e^q)
 *   y > 0: ℓ = log(1 + e^q) − q + log y + s + ½·log 2π + z²/2,  z = (log y − μ)/σ
 * Gradients: ∂ℓ/∂q = p − 1{y>0} with p = σ(q); for y > 0 ∂ℓ/∂μ = −z/σ and
 * ∂ℓ/∂s = 1 − z² (zero for y = 0, so zeros shape only the first output).
 * Hessians: p(1−p) and 1/σ² (exact); for s the expected (Fisher) information
 * 2 is used instead of the observed 2z², which vanishes for z ≈ 0 and would
 * let a leaf of well-fitted rows take a huge step.
 * Expected value: E[y] = p·exp(μ + σ²/2) (the paper's eq. 4).
 */
import { sigmoid } from '../../math/sigmoid.js';
import { log1pExp } from '../../math/special-functions.js';
import { weightedMean, type BoostingLoss } from './boosting-loss.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** Smallest σ used for the starting point (all positives equal). */
const MIN_SIGMA = 1e-3;

/** Per-row ZILN negative log-likelihood at (q, μ, s). */
export function computeZilnRowLoss(y: number, q: number, mu: number, s: number): number {
  if (!(y > 0)) return log1pExp(q);
  const z = (Math.log(y) - mu) * Math.exp(-s);
  return log1pExp(q) - q + Math.log(y) + s + HALF_LOG_2PI + 0.5 * z * z;
}

/** E[y] = P(y > 0)·exp(μ + σ²/2). */
export function computeZilnMean(q: number, mu: number, s: number): number {
  const sigma = Math.exp(s);
  return sigmoid(q) * Math.exp(mu + 0.5 * sigma * sigma);
}

export function createZilnLoss(): BoostingLoss {
  return {
    name: 'ziln',
    outputs: 3,
    initialScores(label, weight) {
      // share of positives, then mean and standard deviation of log y over the positives (weighted)
      let total = 0, positive = 0, sum = 0, sumSquares = 0;
      for (let i = 0; i < label.length; i++) {
        const w = weight === undefined ? 1 : weight[i];
        total += w;
        if (!(label[i] > 0)) continue;
        const logY = Math.log(label[i]);
        positive += w;
        sum += w * logY;
        sumSquares += w * logY * logY;
      }
      const p = Math.min(1 - 1e-12, Math.max(1e-12, positive / total));
      const mu = positive > 0 ? sum / positive : 0;
      const variance = positive > 0 ? sumSquares / positive - mu * mu : 1;
      const sigma = Math.max(MIN_SIGMA, Math.sqrt(Math.max(variance, 0)));
      return Float64Array.of(Math.log(p / (1 - p)), mu, Math.log(sigma));
    },
    computeGradients(label, raw, weight, gradient, hessian) {
      const n = label.length;
      for (let i = 0; i < n; i++) {
        const w = weight === undefined ? 1 : weight[i];
        const p = sigmoid(raw[i]);
        const positive = label[i] > 0;
        gradient[i] = w * (p - (positive ? 1 : 0));
        hessian[i] = w * Math.max(p * (1 - p), 1e-16);
        if (positive) {
          const inverseSigma = Math.exp(-raw[2 * n + i]);
          const z = (Math.log(label[i]) - raw[n + i]) * inverseSigma;
          gradient[n + i] = -w * z * inverseSigma;
          hessian[n + i] = w * inverseSigma * inverseSigma;
          gradient[2 * n + i] = w * (1 - z * z);
          hessian[2 * n + i] = 2 * w;
        } else {
          gradient[n + i] = 0;
          hessian[n + i] = 0;
          gradient[2 * n + i] = 0;
          hessian[2 * n + i] = 0;
        }
      }
    },
    computeLoss(label, raw, weight) {
      const n = label.length;
      return weightedMean(n, weight, (i) => computeZilnRowLoss(label[i], raw[i], raw[n + i], raw[2 * n + i]));
    },
    computeMean(raw, rows, out) {
      for (let i = 0; i < rows; i++) out[i] = computeZilnMean(raw[i], raw[rows + i], raw[2 * rows + i]);
    },
  };
}
