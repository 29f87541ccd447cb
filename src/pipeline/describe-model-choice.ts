import type { ValueModelCard } from './value-step.js';

/**
 * The model line of analyze's summary and of the value stage's progress line: the choice was made on a calibration
 * fit scored on the holdout, and the chosen model was then refitted on all data. Where the calibration fits sat on a boundary but the refit did not (or the other way
 * round), the line says which fit the reason describes. Regression: Online Retail's line said "the data show no
 * dropout" while the refit that scores the customers is interior (a = 0.003). (Since session 43 that refit, 0.09 above
 * the NBD, is the NBD itself: fit-boundary.ts limitNotBeatenByInterior; a refit no better than its limit is said so.)
 */
export function describeModelChoice(card: Pick<ValueModelCard, 'reason' | 'calibrationEnd' | 'final'>): string {
  const calibrationEdge = /boundary of the parameter space/.test(card.reason);
  const finalEdge = card.final.fit.boundary !== undefined;
  if (calibrationEdge === finalEdge) return card.reason;
  return finalEdge
    ? `${card.reason}; refitted on all data, ${card.final.fit.boundary?.likelihoodRatio ? 'its interior optimum is no better than its limit' : 'its estimates run off to a boundary'} (see the warning)`
    : `${card.reason.replace(/; every fit that settled sits on a boundary/, '; on the calibration window (to ' + card.calibrationEnd + ') every fit that settled sat on a boundary').replace(/; no model converged: /, `; on the calibration window (to ${card.calibrationEnd}) no model converged: `)}; refitted on all data, its estimates are interior${card.final.fit.converged ? ' and converged' : ', short of convergence (see the warning)'}`;
}
