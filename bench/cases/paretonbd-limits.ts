// Bench case: Pareto/NBD at its one-rate limits, each against the same work at ordinary parameters in the same run
// (the figures test/models/paretonbd/paretonbd-count-probability-one-rate.test.ts and paretonbd-one-rate-one-dropout.test.ts
// no longer time).
//   paretonbd-limits count-probability: P(X(t) = n) for n < 200 at 4 horizons, at r = 1e8 (the death term by
//     quadrature; a million series terms per call before) and with one dropout rate too (s = 1e6), against the same
//     calls at CDNOW-like parameters (a short series); best of 5 rounds each.
//   paretonbd-limits fit: fitParetoNbd on 1,500 customers alike in both rates (it settles on the limit with one purchase
//     rate and one dropout rate; 6.8 s and not converged before), against a fit on 1,500 customers of CDNOW-like
//     parameters; seed 5 as in the test.
import { fitParetoNbd, predictParetoNbdPurchaseCountProbability } from '../../src/models/paretonbd/paretonbd.js';
import { simulateParetoNbd } from '../../src/models/paretonbd/simulate-paretonbd.js';
import type { ParetoNbdParams } from '../../src/models/paretonbd/paretonbd.js';
import { reportCase } from '../bench-harness.js';

const ORDINARY: ParetoNbdParams = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
const lambda = 0.6;
const oneRate: ParetoNbdParams = { r: 1e8, alpha: 1e8 / lambda, s: 0.8, beta: 40 };
const oneRateOneDropout: ParetoNbdParams = { r: 1e8, alpha: 1e8 / lambda, s: 1e6, beta: 1e6 / 0.02 };

const seconds = (work: () => void) => {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
};
const best = (work: () => void) => Math.min(...Array.from({ length: 5 }, () => seconds(work)));

const what = process.argv[2];
if (what === 'count-probability') {
  const counts = (params: ParetoNbdParams) => () => {
    for (const t of [10, 26, 52, 78]) for (let n = 0; n < 200; n++) predictParetoNbdPurchaseCountProbability(params, t, n);
  };
  const limit = best(() => (counts(oneRate)(), counts(oneRateOneDropout)()));
  const ordinary = best(() => (counts(ORDINARY)(), counts(ORDINARY)()));
  reportCase(limit, { baselineSeconds: ordinary, calls: 2 * 4 * 200 });
} else if (what === 'fit') {
  const alike = simulateParetoNbd({ r: 1e7, alpha: 1e7 / 0.25, s: 1e7, beta: 1e7 / 0.02 }, { customers: 1500, T: 52, seed: 5 });
  const mixed = simulateParetoNbd(ORDINARY, { customers: 1500, T: 52, seed: 5 });
  let limitModel = '';
  const limit = seconds(() => void (limitModel = fitParetoNbd(alike).fit.boundary?.limitModel ?? 'none'));
  const ordinary = seconds(() => void fitParetoNbd(mixed));
  reportCase(limit, { baselineSeconds: ordinary, limitModel });
} else throw new Error('usage: paretonbd-limits.ts count-probability|fit');
