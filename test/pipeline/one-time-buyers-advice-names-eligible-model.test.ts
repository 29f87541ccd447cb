/**
 * The one-time-buyer warning offers only a model the tournament could have chosen. Found by QA: synth --customers 8000
 * --seed 5 --days 90, analyze → BG/NBD chosen, "not eligible: Pareto/NBD (on the boundary: no heterogeneity in
 * dropout …)", yet the warning said "--model paretonbd uses Pareto/NBD (holdout MAE 0.2653; BG/NBD 0.2687), which lets
 * customers drop out…"; following it moved mean P(alive) from 0.913 to 0.680 (truth 0.91). MBG/NBD, interior, was eligible.
 */
import { describe, expect, it } from 'vitest';
import { runWords } from '../../src/core/run-words.js';
import { oneTimeAliveWarning } from '../../src/pipeline/stages/one-time-buyers-alive.js';

const SUMS = { totalClv: 343_246, oneTime: 6037, oneTimeClv: 141_699 };
const interior = { converged: true, iterations: 40, logLikelihood: -1, message: 'converged' };
const boundary = {
  ...interior,
  converged: false,
  message: 'boundary',
  boundary: { parameters: ['s', 'beta'], limit: 's, beta → ∞ with s/beta fixed', meaning: 'no heterogeneity in dropout: every customer has the same dropout rate s/beta (mu = 0.03617 per time unit)', limitModel: 'Pareto/NBD with one dropout rate', limitConverged: true },
};
const entry = (model: string, label: string, mae: number, fit: object, se: number) => ({ model, label, holdout: { mae }, fit, stdErrors: { r: se, alpha: se } });
// the QA run's tournament: Pareto/NBD best by MAE but on a boundary (no standard errors), so not eligible
const BG = entry('bgnbd', 'BG/NBD', 0.2687186, interior, 0.03);
const MBG = entry('mbgnbd', 'MBG/NBD', 0.2676987, interior, 0.13);
const PARETO = entry('paretonbd', 'Pareto/NBD', 0.2653012, boundary, Number.NaN);
const warn = (comparison: object[]) => oneTimeAliveWarning(SUMS, { scoredBy: 'bgnbd', comparison: comparison as never }, 10, runWords(false));

describe('oneTimeAliveWarning offers only an eligible model', () => {
  it('Pareto/NBD lowest but on the boundary, MBG/NBD interior: offers MBG/NBD, not Pareto/NBD', () => {
    const warning = warn([BG, MBG, PARETO])!;
    expect(warning).toContain('--model mbgnbd uses MBG/NBD (holdout MAE 0.2677; BG/NBD 0.2687), which lets customers drop out from their first purchase');
    expect(warning).not.toContain('paretonbd');
  });

  it('no other model eligible: offers none, and says which were ruled out and why', () => {
    const mbgEdge = entry('mbgnbd', 'MBG/NBD', 0.2676987, { ...interior, converged: false, message: 'stopped' }, 0.13);
    const warning = warn([BG, mbgEdge, PARETO])!;
    expect(warning).not.toMatch(/--model/);
    expect(warning).toContain('the models that let customers drop out from their first purchase were ruled out by the tournament (MBG/NBD: did not converge; Pareto/NBD: on the boundary: no heterogeneity in dropout: every customer has the same dropout rate s/beta (mu = 0.03617 per time unit)), so none is offered in its place');
  });
});
