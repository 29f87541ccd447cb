/**
 * The closed forms of the limits without dropout (the zero-inflated NBD and Poisson, π = 0: the NBD and the Poisson),
 * written out from their definitions, and a check of every predictor of a purchase model against them
 * (limit-predictions.test.ts, one-rate-one-time-buyers-limit.test.ts).
 */
import { expect } from 'vitest';
import { PURCHASE_MODELS, type PurchaseFit, type PurchaseModelName } from '../../../src/models/btyd/purchase-models.js';
import { gammaln } from '../../../src/math/special-functions.js';
import type { RfmData } from '../../../src/models/model-types.js';

/**
 * The zero-inflated NBD's closed forms, written out from its definition (a share π never buys again after the first
 * purchase, the rest buy at Gamma(r, α) rates — one rate λ with `lambda` — and never drop out).
 */
export function zeroInflated(p: { r?: number; alpha?: number; lambda?: number; pi: number }) {
  const { pi } = p;
  const poisson = p.lambda !== undefined;
  /** P(n purchases in t) of a stayer with x purchases in a window T */
  const count = (x: number, T: number, t: number, n: number) =>
    t === 0
      ? Number(n === 0)
      : poisson
        ? Math.exp(n * Math.log(p.lambda! * t) - p.lambda! * t - gammaln(n + 1))
        : Math.exp(gammaln(p.r! + x + n) - gammaln(p.r! + x) - gammaln(n + 1) + (p.r! + x) * Math.log((p.alpha! + T) / (p.alpha! + T + t)) + n * Math.log(t / (p.alpha! + T + t)));
  const none = (x: number, T: number, t: number) => count(x, T, t, 0);
  const rate = (x: number, T: number) => (poisson ? p.lambda! : (p.r! + x) / (p.alpha! + T));
  const alive = (x: number, T: number) => (x > 0 ? 1 : ((1 - pi) * none(0, 0, T)) / ((1 - pi) * none(0, 0, T) + pi));
  return {
    alive,
    conditional: (t: number, x: number, T: number) => alive(x, T) * rate(x, T) * t,
    noPurchase: (t: number, x: number, T: number) => 1 - alive(x, T) * (1 - none(x, T, t)),
    conditionalCount: (n: number, t: number, x: number, T: number) => (n === 0 ? 1 - alive(x, T) : 0) + alive(x, T) * count(x, T, t, n),
    /** the t with P(a purchase within t) = q: pAlive·(1 − none(t)) = q */
    nextPurchase: (q: number, x: number, T: number) => {
      const pAlive = alive(x, T);
      if (q >= pAlive) return Infinity;
      return poisson ? -Math.log(1 - q / pAlive) / p.lambda! : (p.alpha! + T) * (Math.pow(1 - q / pAlive, -1 / (p.r! + x)) - 1);
    },
    expected: (t: number) => (1 - pi) * rate(0, 0) * t,
    count: (t: number, n: number) => (1 - pi) * count(0, 0, t, n) + (n === 0 ? pi : 0),
  };
}

/** Within 1e-9 relative (equal where the closed form is 0 or ∞). */
export function expectClose(actual: number, expected: number, label: string): void {
  if (actual === expected) return;
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

/** Every predictor of PURCHASE_MODELS[name] at `fitted`, on every row of `data`, against the closed forms. */
export function expectClosedForms(name: PurchaseModelName, fitted: PurchaseFit, data: RfmData, forms: ReturnType<typeof zeroInflated>): void {
  const model = PURCHASE_MODELS[name];
  const row = (i: number) => [data.frequency[i]!, data.T[i]!] as const;
  const alive = model.probabilityAliveAll(fitted, data);
  for (let i = 0; i < alive.length; i++) expectClose(alive[i]!, forms.alive(...row(i)), `P(alive) row ${i}`);
  for (const t of [1 / 7, 1, 10, 52, 520]) {
    const conditional = model.conditionalPurchasesAll(fitted, t, data);
    const noPurchase = model.noPurchaseProbabilityAll(fitted, t, data);
    for (let i = 0; i < alive.length; i++) {
      expectClose(conditional[i]!, forms.conditional(t, ...row(i)), `E[Y(${t})] row ${i}`);
      expectClose(noPurchase[i]!, forms.noPurchase(t, ...row(i)), `P(none in ${t}) row ${i}`);
    }
    for (let n = 0; n < 4; n++) {
      const counts = model.conditionalPurchaseCountProbabilityAll(fitted, n, t, data);
      for (let i = 0; i < alive.length; i++) expectClose(counts[i]!, forms.conditionalCount(n, t, ...row(i)), `P(${n} in ${t}) row ${i}`);
      expectClose(model.purchaseCountProbability(fitted, t, n), forms.count(t, n), `P(X(${t}) = ${n})`);
    }
    expectClose(model.expectedPurchases(fitted, t), forms.expected(t), `E[X(${t})]`);
  }
  for (const q of [0.1, 0.5, 0.9]) {
    const next = model.timeToNextPurchaseAll(fitted, q, data);
    for (let i = 0; i < alive.length; i++) expectClose(next[i]!, forms.nextPurchase(q, ...row(i)), `time to next purchase q = ${q} row ${i}`);
  }
}

