/**
 * analyze's model line says which fit its reason describes. Regression: on Online Retail it said "the data show no
 * dropout" (the calibration fits ran off to that boundary) while the refit on all data that scores the customers was
 * interior and converged (a = 0.003, P(alive) down to 0.75).
 */
import { describe, expect, it } from 'vitest';
import { describeModelChoice } from '../../src/pipeline/describe-model-choice.js';

const reason = 'BG/NBD has a holdout error within 1% of the best and the lowest BIC among those (MAE 1.1233; MBG/NBD 1.1233); every fit that settled sits on a boundary of the parameter space, with its limiting model fitted in its place (no standard errors) — the data show no dropout';
const fit = (boundary: boolean) => ({ converged: !boundary, message: '', iterations: 1, gradientNorm: 0, starts: 1, startsConverged: 1, ...(boundary ? { boundary: { parameters: ['a', 'b'], limit: 'a/b → 0', meaning: 'no dropout', limitModel: 'NBD', limitConverged: true } } : {}) });
const card = (finalOnBoundary: boolean) => ({ reason, calibrationEnd: '2011-06-01', final: { fit: fit(finalOnBoundary) } }) as never;

describe('describeModelChoice', () => {
  it('a calibration boundary with an interior refit: says the boundary was the calibration window’s, and the refit is interior', () => {
    expect(describeModelChoice(card(false))).toBe(
      'BG/NBD has a holdout error within 1% of the best and the lowest BIC among those (MAE 1.1233; MBG/NBD 1.1233); on the calibration window (to 2011-06-01) every fit that settled sat on a boundary of the parameter space, with its limiting model fitted in its place (no standard errors) — the data show no dropout; refitted on all data, its estimates are interior and converged',
    );
  });

  it('the reason as it is when both fits agree', () => {
    expect(describeModelChoice(card(true))).toBe(reason);
  });
});
