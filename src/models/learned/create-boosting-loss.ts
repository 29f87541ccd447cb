/** The boosting loss for a name (one place that maps names to losses). */
import type { BoostingLoss } from './boosting-loss.js';
import { createLogisticLoss } from './logistic-loss.js';
import { createPoissonLoss } from './poisson-loss.js';
import { createTweedieLoss } from './tweedie-loss.js';
import { createZilnLoss } from './ziln-loss.js';

export type BoostingLossName = BoostingLoss['name'];

/** Default Tweedie variance power (between Poisson 1 and gamma 2). */
export const DEFAULT_TWEEDIE_POWER = 1.5;

export function createBoostingLoss(name: BoostingLossName, tweediePower: number = DEFAULT_TWEEDIE_POWER): BoostingLoss {
  switch (name) {
    case 'poisson':
      return createPoissonLoss();
    case 'tweedie':
      return createTweedieLoss(tweediePower);
    case 'logistic':
      return createLogisticLoss();
    case 'ziln':
      return createZilnLoss();
  }
}
