/**
 * Tweedie negative log-likelihood (compound Poisson–gamma, variance power
 * p ∈ (1, 2)) with a log link, for values with exact zeros and a continuous
 * positive part (Jørgensen 1987; Yang, Qian & Zou 2018, "Insurance premium
 * prediction via gradient tree-boosted Tweedie compound Poisson models",
 * JBES 36(3), eq. 9). With μ = e^f, dropping terms free of f:
 *   ℓ(y, f) = −y·e^{(1−p)f}/(1−p) + e^{(2−p)f}/(2−p)
 *   g = −y·e^{(1−p)f} + e^{(2−p)f}
 *   h = −(1−p)·y·e^{(1−p)f} + (2−p)·e^{(2−p)f}  (> 0 for p ∈ (1, 2)).
 */
import { UserError } from '../../core/errors/user-error.js';
import { LOG_LINK, weightedMean, type BoostingLoss } from './boosting-loss.js';

export function createTweedieLoss(power: number): BoostingLoss {
  if (!(power > 1 && power < 2)) {
    throw new UserError(`Tweedie variance power must lie strictly between 1 and 2, got ${power}`, 'use e.g. 1.5 (1 → Poisson, 2 → gamma)');
  }
  const a = 1 - power;
  const b = 2 - power;
  return {
    name: 'tweedie',
    outputs: 1,
    ...LOG_LINK,
    computeGradients(label, raw, weight, gradient, hessian) {
      for (let i = 0; i < label.length; i++) {
        const w = weight === undefined ? 1 : weight[i];
        const ea = Math.exp(a * raw[i]);
        const eb = Math.exp(b * raw[i]);
        gradient[i] = w * (eb - label[i] * ea);
        hessian[i] = w * (b * eb - a * label[i] * ea);
      }
    },
    computeLoss(label, raw, weight) {
      return weightedMean(label.length, weight, (i) => -(label[i] * Math.exp(a * raw[i])) / a + Math.exp(b * raw[i]) / b);
    },
  };
}
