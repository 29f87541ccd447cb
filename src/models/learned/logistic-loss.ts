/**
 * Logistic (binary cross-entropy) loss on the logit f for labels y ∈ {0, 1}:
 * ℓ(y, f) = log(1 + e^f) − y·f, g = σ(f) − y, h = σ(f)(1 − σ(f)).
 */
import { sigmoid } from '../../math/sigmoid.js';
import { log1pExp } from '../../math/special-functions.js';
import { weightedMean, type BoostingLoss } from './boosting-loss.js';

/** Smallest hessian used, so a leaf of saturated rows cannot divide by zero when λ = 0. */
const MIN_HESSIAN = 1e-16;

export function createLogisticLoss(): BoostingLoss {
  return {
    name: 'logistic',
    outputs: 1,
    initialScores(label, weight) {
      const p = Math.min(1 - 1e-12, Math.max(1e-12, weightedMean(label.length, weight, (i) => label[i])));
      return Float64Array.of(Math.log(p / (1 - p)));
    },
    computeGradients(label, raw, weight, gradient, hessian) {
      for (let i = 0; i < label.length; i++) {
        const w = weight === undefined ? 1 : weight[i];
        const p = sigmoid(raw[i]);
        gradient[i] = w * (p - label[i]);
        hessian[i] = w * Math.max(p * (1 - p), MIN_HESSIAN);
      }
    },
    computeLoss(label, raw, weight) {
      return weightedMean(label.length, weight, (i) => log1pExp(raw[i]) - label[i] * raw[i]);
    },
    computeMean(raw, rows, out) {
      for (let i = 0; i < rows; i++) out[i] = sigmoid(raw[i]);
    },
  };
}
