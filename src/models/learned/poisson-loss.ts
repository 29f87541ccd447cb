/**
 * Poisson negative log-likelihood with a log link, for counts:
 * ℓ(y, f) = e^f − y·f (+ log y!, dropped), g = e^f − y, h = e^f.
 */
import { LOG_LINK, weightedMean, type BoostingLoss } from './boosting-loss.js';

export function createPoissonLoss(): BoostingLoss {
  return {
    name: 'poisson',
    outputs: 1,
    ...LOG_LINK,
    computeGradients(label, raw, weight, gradient, hessian) {
      for (let i = 0; i < label.length; i++) {
        const w = weight === undefined ? 1 : weight[i];
        const mu = Math.exp(raw[i]);
        gradient[i] = w * (mu - label[i]);
        hessian[i] = w * mu;
      }
    },
    computeLoss(label, raw, weight) {
      return weightedMean(label.length, weight, (i) => Math.exp(raw[i]) - label[i] * raw[i]);
    },
  };
}
