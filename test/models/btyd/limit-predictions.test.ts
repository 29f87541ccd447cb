import { describe, expect, it } from 'vitest';
import { PURCHASE_MODELS } from '../../../src/models/btyd/purchase-models.js';
import { limitPredictions } from '../../../src/models/btyd/limit-predictions.js';
import { aliveProbabilityPath } from '../../../src/models/btyd/alive-probability-path.js';
import { computeFrequencyRecencyMatrix } from '../../../src/models/diagnostics/frequency-recency-matrix.js';
import { scorePurchaseTuples } from '../../../src/models/value/score-purchase-tuples.js';
import { compressRfm } from '../../../src/models/compress-rfm.js';
import { fitZeroInflatedNbd } from '../../../src/models/nbd/zero-inflated-nbd.js';
import { fitParetoNbd, predictParetoNbdProbabilityAlive } from '../../../src/models/paretonbd/paretonbd.js';
import { createParetoNbdProblem } from '../../../src/models/paretonbd/paretonbd.js';
import { createMbgNbdProblem } from '../../../src/models/mbgnbd/mbgnbd.js';
import { PARETO_ONE_TIME_BUYERS_LIMIT } from '../../../src/models/paretonbd/paretonbd-one-time-buyers-limit.js';
import { MBG_ONE_TIME_BUYERS_LIMIT } from '../../../src/models/mbgnbd/mbgnbd-one-time-buyers-limit.js';
import type { RfmData } from '../../../src/models/model-types.js';
import { oneTimeBuyersBesideStayers } from '../mbgnbd/one-time-buyers-shop.js';
import { expectClose, expectClosedForms, zeroInflated } from './limit-closed-forms.js';
import { loadCdnowSummary } from '../cdnow-fixture.js';

/**
 * Regression: the Pareto/NBD fitted at its one-time-buyers limit s, β → 0 (the zero-inflated NBD in its place) predicted
 * with its own formulas at the parameters the limit is written back as (β = 1e-300, s = 3.8e-4), which near the limit
 * only like 1/ln(1/β): errors of 2e-3 at π = 0.2, P(alive | x = 3, t_x = 1, T = 52) 0.42 at π = 0.9 where the limit
 * says 1. A fit at a limit with closed forms now predicts with them (`boundary.limitParams`, limit-predictions.ts), the
 * MBG/NBD at its a, b → 0 (written as a + b = 1e-20, where its own formulas were within 1e-14) alike.
 */
describe('a fit at the one-time-buyers limit predicts with the zero-inflated NBD’s closed forms (seed-3 shop)', () => {
  const data = oneTimeBuyersBesideStayers(3, 0.2);
  const tuples = compressRfm(data).tuples;
  const limit = fitZeroInflatedNbd(data, { r: 5, alpha: 50, share: 0.2 });

  it.each(['paretonbd', 'mbgnbd'] as const)('%s: every predictor of PURCHASE_MODELS, on every customer, within 1e-9', (name) => {
    const fitted = PURCHASE_MODELS[name].fit(data);
    expect(fitted.fit.boundary).toMatchObject({ limitModel: 'zero-inflated NBD', limitConverged: true });
    const own = fitted.fit.boundary!.limitParams!;
    // the limit's own parameters: the zero-inflated NBD fitted on its own, and the written-back r, α
    expect(Object.keys(own)).toEqual(['r', 'alpha', 'pi']);
    expect(own.r).toBeCloseTo(limit.params.r, 4);
    expect(own.alpha).toBeCloseTo(limit.params.alpha, 3);
    expect(own.pi).toBeCloseTo(limit.params.odds / (1 + limit.params.odds), 6);
    expect(own.pi).toBeCloseTo(0.23349, 5);
    expect([own.r, own.alpha]).toEqual([fitted.params.r, fitted.params.alpha]);
    expectClosedForms(name, fitted, tuples, zeroInflated(own as { r: number; alpha: number; pi: number }));
  });

  it('the Pareto/NBD’s own formulas at the written-back parameters are not the limit (what the fit predicted before)', () => {
    const fitted = fitParetoNbd(data);
    const forms = zeroInflated(fitted.fit.boundary!.limitParams! as { r: number; alpha: number; pi: number });
    const model = PURCHASE_MODELS.paretonbd;
    const rows: RfmData = { frequency: Float64Array.of(0, 3, 5), recency: Float64Array.of(0, 1, 20), T: Float64Array.of(52, 52, 50), weight: Float64Array.of(1, 1, 1) };
    const before = model.conditionalPurchasesAll({ params: fitted.params }, 52, rows);
    const now = model.conditionalPurchasesAll(fitted, 52, rows);
    for (let i = 0; i < 3; i++) {
      expectClose(now[i]!, forms.conditional(52, rows.frequency[i]!, rows.T[i]!), `E[Y(52)] row ${i}`);
      expect(Math.abs(before[i]! / now[i]! - 1), `row ${i}: ${before[i]} vs ${now[i]}`).toBeGreaterThan(1e-5);
    }
    // three purchases in the first week, none in the next 51: the limit has the customer alive
    expect(model.probabilityAliveAll(fitted, rows)[1]).toBe(1);
    expect(predictParetoNbdProbabilityAlive(fitted.params, 3, 1, 52)).toBeCloseTo(0.8445, 4);
  });

  it('what the pipeline and the report draw from the fit: the tuple scores, the alive path, the frequency-recency matrix', () => {
    for (const name of ['paretonbd', 'mbgnbd'] as const) {
      const fitted = PURCHASE_MODELS[name].fit(data);
      const forms = zeroInflated(fitted.fit.boundary!.limitParams! as { r: number; alpha: number; pi: number });
      const scores = scorePurchaseTuples(PURCHASE_MODELS[name], fitted, tuples, { unitDays: 7, schedule: { horizon: 52, timeUnit: 'week', discountRatePerYear: 0.1, step: 13 } });
      for (let i = 0; i < tuples.frequency.length; i += 50) {
        const [x, T] = [tuples.frequency[i]!, tuples.T[i]!];
        expectClose(scores.pAlive[i]!, forms.alive(x, T), `${name} pAlive`);
        expectClose(scores.expectedPurchases90d[i]!, forms.conditional(90 / 7, x, T), `${name} e90`);
        expectClose(scores.nextOrderP50[i]!, forms.nextPurchase(0.5, x, T), `${name} next p50`);
      }
      // purchases at weeks 0, 0.5, 1, then nothing until week 52: alive throughout after the first repeat purchase
      const path = aliveProbabilityPath(name, fitted, [0, 0.5, 1], 52, 1);
      path.t.forEach((t, i) => expectClose(path.pAlive[i]!, forms.alive(path.frequency[i]!, t), `${name} alive path at ${t}`));
      expect(path.pAlive[path.pAlive.length - 1]).toBe(1);
      const matrix = computeFrequencyRecencyMatrix(PURCHASE_MODELS[name], fitted, 52, 5, 13);
      matrix.frequency.forEach((x, f) => matrix.recency.forEach((tx, k) => {
        if ((x > 0 && tx === 0) || (x === 0 && k > 0)) return; // cells the matrix leaves empty
        expectClose(matrix.probabilityAlive[f]![k]!, forms.alive(x, 52), `${name} matrix P(alive)`);
        expectClose(matrix.expectedPurchases[f]![k]!, forms.conditional(13, x, 52), `${name} matrix E[Y(13)]`);
      }));
    }
  });
});

describe('the other limits with closed forms', () => {
  it('the zero-inflated Poisson (stayers at one rate), fitted for either model’s one-time-buyers limit', () => {
    const data = compressRfm(oneTimeBuyersBesideStayers(2, 0.3, true)).tuples;
    const directions = [
      ['paretonbd', createParetoNbdProblem(data).boundaries!.find((d) => d.limit === PARETO_ONE_TIME_BUYERS_LIMIT)!, { r: 5, alpha: 50, s: 1e-3, beta: 1e-9 }],
      ['mbgnbd', createMbgNbdProblem(data).boundaries!.find((d) => d.limit === MBG_ONE_TIME_BUYERS_LIMIT)!, { r: 5, alpha: 50, a: 1e-9, b: 2e-9 }],
    ] as const;
    for (const [name, direction, at] of directions) {
      const limit = direction.fitLimit!(at)!;
      expect(limit.boundary).toMatchObject({ limitModel: 'zero-inflated Poisson', limitConverged: true });
      const own = limit.boundary.limitParams!;
      expect(Object.keys(own)).toEqual(['lambda', 'pi']);
      expect(own.lambda).toBeCloseTo(0.1, 2);
      expect(own.lambda! / (limit.params.r! / limit.params.alpha!)).toBeCloseTo(1, 12);
      expectClosedForms(name, { params: limit.params, fit: limit }, data, zeroInflated(own as { lambda: number; pi: number }));
    }
  });

  it('the Poisson and the NBD without dropout (π = 0), for each of the three models', () => {
    const poissonShop = compressRfm(oneTimeBuyersBesideStayers(5, 0, true)).tuples;
    for (const name of ['bgnbd', 'mbgnbd'] as const) {
      const fitted = PURCHASE_MODELS[name].fit(poissonShop);
      expect(fitted.fit.boundary).toMatchObject({ limitModel: 'Poisson', limitConverged: true });
      // written as r = 1e8: the NBD's formulas there were within ~1e-7 of the Poisson's
      expectClosedForms(name, fitted, poissonShop, zeroInflated({ lambda: fitted.fit.boundary!.limitParams!.lambda!, pi: 0 }));
    }
    const nbdShop = compressRfm(oneTimeBuyersBesideStayers(5, 0)).tuples;
    for (const name of ['bgnbd', 'mbgnbd', 'paretonbd'] as const) {
      const fitted = PURCHASE_MODELS[name].fit(nbdShop);
      expect(fitted.fit.boundary).toMatchObject({ limitModel: 'NBD', limitConverged: true, limitParams: { r: fitted.params.r, alpha: fitted.params.alpha } });
      expectClosedForms(name, fitted, nbdShop, zeroInflated({ r: fitted.params.r!, alpha: fitted.params.alpha!, pi: 0 }));
    }
  });

  it('limits without closed forms, and interior fits, predict with the model’s own formulas', () => {
    expect(limitPredictions({ params: {}, fit: { boundary: { parameters: ['a', 'b'], limit: 'a, b → ∞ with a/b fixed', meaning: '', limitModel: 'BG/NBD with one dropout probability', limitConverged: true } } })).toBeNull();
    expect(limitPredictions({ params: {}, fit: { boundary: { parameters: ['s', 'beta'], limit: 's, beta → 0', meaning: '' } } })).toBeNull();
    const cdnow = loadCdnowSummary();
    const fitted = fitParetoNbd(cdnow);
    expect(fitted.fit.converged).toBe(true);
    expect(limitPredictions(fitted)).toBeNull();
    expect(PURCHASE_MODELS.paretonbd.probabilityAliveAll(fitted, cdnow)).toEqual(PURCHASE_MODELS.paretonbd.probabilityAliveAll({ params: fitted.params }, cdnow));
  });
});
