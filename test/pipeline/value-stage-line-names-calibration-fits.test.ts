/**
 * The value stage's progress line says which fits sat on a boundary, as analyze's summary does. Regression: on Online
 * Retail the progress line said "every fit that settled sits on a boundary of the parameter space" while the summary
 * below it said the refit on all data was interior and converged.
 */
import { describe, expect, it } from 'vitest';
import { valueStageLine } from '../../src/pipeline/stages/value-stage.js';

const reason = 'BG/NBD has a holdout error within 1% of the best and the lowest BIC among those (MAE 1.1233; MBG/NBD 1.1233); every fit that settled sits on a boundary of the parameter space, with its limiting model fitted in its place (no standard errors) — the data show no dropout';
const fit = (boundary: boolean) => ({ converged: !boundary, message: '', iterations: 1, gradientNorm: 0, starts: 1, startsConverged: 1, ...(boundary ? { boundary: { parameters: ['a', 'b'], limit: 'a/b → 0', meaning: 'no dropout', limitModel: 'NBD', limitConverged: true } } : {}) });
const card = (finalOnBoundary: boolean) => ({ reason, calibrationEnd: '2011-06-01', final: { model: 'bgnbd', fit: fit(finalOnBoundary) }, comparison: [{ label: 'BG/NBD', chosen: true }] }) as never;

describe('the value stage’s progress line', () => {
  it('calibration fits on a boundary, the refit interior: names the calibration fits and says the refit is interior', () => {
    expect(valueStageLine(card(false))).toBe(
      'BG/NBD chosen: BG/NBD has a holdout error within 1% of the best and the lowest BIC among those (MAE 1.1233; MBG/NBD 1.1233); on the calibration window (to 2011-06-01) every fit that settled sat on a boundary of the parameter space, with its limiting model fitted in its place (no standard errors) — the data show no dropout; refitted on all data, its estimates are interior and converged',
    );
  });

  it('both on a boundary: the reason as it is', () => {
    expect(valueStageLine(card(true))).toBe(`BG/NBD chosen: ${reason}`);
  });
});
