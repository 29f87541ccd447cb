/**
 * The honest tournament's BTYD default — the model every challenger must beat, and the one that stays when none
 * does — is the inner window's best BTYD model among those the value step left eligible on its calibration-window
 * fit (model-tournament.ts tournamentPool: a fit that did not settle, or one without finite standard errors when
 * others have them, is "not eligible"). Regression: the default was the inner window's BTYD choice whatever the
 * calibration-window fit showed, so on the QA shop (`synth --customers 3000 --days 75 --seed 11`, where the value
 * step rules Pareto/NBD out: "standard errors not finite", and the three BTYD models tie on the inner window) the
 * tournament could name as its choice a model the value step had rejected, with no fit issue to say so (a converged
 * fit without standard errors is no fit issue).
 */
import { describe, expect, it } from 'vitest';
import type { HoldoutMetrics } from '../../src/models/compute-holdout-metrics.js';
import type { PurchaseModelName } from '../../src/models/btyd/purchase-models.js';
import { chooseHonestDefault, chooseHonestWinner, type ChoiceCandidate, type DefaultCandidate } from '../../src/pipeline/choose-honest-winner.js';

const converged = { converged: true, message: 'converged' };
const evaluation = (model: PurchaseModelName, label: string, mae: number, bic: number, stdErrors = 0.1): DefaultCandidate =>
  ({ model, label, fitted: { fit: converged, stdErrors: { r: stdErrors, alpha: stdErrors }, bic }, holdout: { mae } }) as unknown as DefaultCandidate;

// the inner window: Pareto/NBD best (all three within 1%, its BIC the lowest)
const inner = {
  chosen: 'paretonbd' as const,
  reason: 'Pareto/NBD has the smallest per-customer inner-window error (MAE 0.1775; BG/NBD 0.1780)',
  evaluations: [evaluation('bgnbd', 'BG/NBD', 0.178, 1000), evaluation('mbgnbd', 'MBG/NBD', 0.1781, 1001), evaluation('paretonbd', 'Pareto/NBD', 0.1775, 990)],
};
// the calibration window (the value step's fits): Pareto/NBD converged without finite standard errors, the value step's "not eligible"
const calibration = [evaluation('bgnbd', 'BG/NBD', 0.2481, 2000), evaluation('mbgnbd', 'MBG/NBD', 0.2469, 2001), evaluation('paretonbd', 'Pareto/NBD', 0.2437, 1990, NaN)];

describe('the honest tournament’s BTYD default is one the value step left eligible', () => {
  it('the inner window’s best was ruled out on its calibration-window fit: the best of the eligible ones is the default, and the reason says why', () => {
    const chosen = chooseHonestDefault(inner, calibration);
    expect(chosen.model).toBe('bgnbd');
    expect(chosen.reason).toBe(
      'BG/NBD has the smallest per-customer inner-window error and the lowest BIC of the 2 models within 1% of it among the BTYD models the value step left eligible (MAE 0.1780; MBG/NBD 0.1781): ' +
        'the inner window’s best, Pareto/NBD (MAE 0.1775), was ruled out by the value step on its calibration-window fit (standard errors not finite)',
    );
  });

  it('a default that stays is the eligible one, and the tournament’s reason carries why', () => {
    const chosen = chooseHonestDefault(inner, calibration);
    const metrics = (mae: number) => ({ mae, totalRelativeError: 0.01 }) as unknown as HoldoutMetrics;
    const candidates: ChoiceCandidate[] = inner.evaluations.map((e) => ({ name: e.model, label: e.label, family: 'btyd', inner: metrics(e.holdout.mae) }));
    const { winner, reason } = chooseHonestWinner(candidates, candidates.find((c) => c.name === chosen.model)!, chosen.reason, { innerCutoff: '2022-02-01', calibrationEnd: '2022-02-16', innerDays: 15, innerPurchases: 500 });
    expect(winner.name).toBe('bgnbd');
    expect(reason).toContain('among the BTYD models: BG/NBD has the smallest per-customer inner-window error');
    expect(reason).toContain('Pareto/NBD (MAE 0.1775), was ruled out by the value step on its calibration-window fit (standard errors not finite)');
  });

  it('the inner window’s best is eligible: it is the default, with the inner tournament’s own reason', () => {
    const fine = calibration.map((e) => evaluation(e.model, e.label, e.holdout.mae, e.fitted.bic));
    expect(chooseHonestDefault(inner, fine)).toEqual({ model: 'paretonbd', reason: inner.reason });
  });

  it('no calibration-window fit settled (the value step’s pool is then every model): the inner choice stands', () => {
    const unsettled = calibration.map((e) => ({ ...e, fitted: { ...e.fitted, fit: { converged: false, message: 'iteration limit' } } })) as unknown as DefaultCandidate[];
    expect(chooseHonestDefault(inner, unsettled)).toEqual({ model: 'paretonbd', reason: inner.reason });
  });
});
