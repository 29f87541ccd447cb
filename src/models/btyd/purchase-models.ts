/**
 * The continuous-time purchase models behind one interface, so the model
 * tournament, the scoring step and the CLI treat them alike. Each entry only
 * points at the model's own functions (bgnbd.ts, mbgnbd.ts, paretonbd.ts).
 *
 * The predictors take the fit, not bare parameters: a fit whose estimates ran
 * off to a limit with closed forms of its own (the NBD, the zero-inflated NBD,
 * … : `boundary.limitParams`) predicts with those (limit-predictions.ts), for
 * every model alike; any other fit with the model's formulas at `fit.params`.
 */
import type { FitOptions } from '../fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../model-types.js';
import {
  fitBgNbd,
  predictBgNbdConditionalPurchasesAll,
  predictBgNbdConditionalPurchasesAtAll,
  predictBgNbdExpectedPurchases,
  predictBgNbdNoPurchaseProbability,
  predictBgNbdProbabilityAliveAll,
  predictBgNbdPurchaseCountProbability,
  predictBgNbdTimeToNextPurchaseAll,
  type BgNbdParams,
} from '../bgnbd/bgnbd.js';
import { bgNbdConditionalProbabilityOfNPurchasesAll } from '../bgnbd/bgnbd-conditional-probability-of-n-purchases.js';
import {
  fitMbgNbd,
  predictMbgNbdConditionalPurchasesAll,
  predictMbgNbdConditionalPurchasesAtAll,
  predictMbgNbdExpectedPurchases,
  predictMbgNbdNoPurchaseProbability,
  predictMbgNbdProbabilityAliveAll,
  predictMbgNbdPurchaseCountProbability,
  predictMbgNbdTimeToNextPurchaseAll,
} from '../mbgnbd/mbgnbd.js';
import { mbgNbdConditionalProbabilityOfNPurchasesAll } from '../mbgnbd/mbgnbd-conditional-probability-of-n-purchases.js';
import {
  fitParetoNbd,
  predictParetoNbdConditionalPurchasesAll,
  predictParetoNbdExpectedPurchases,
  predictParetoNbdNoPurchaseProbabilityAll,
  predictParetoNbdProbabilityAliveAll,
  predictParetoNbdPurchaseCountProbability,
  predictParetoNbdTimeToNextPurchaseAll,
  type ParetoNbdParams,
} from '../paretonbd/paretonbd.js';
import { predictParetoNbdConditionalPurchasesAtAll } from '../paretonbd/paretonbd-conditional-purchases-at.js';
import { paretoNbdConditionalProbabilityOfNPurchasesAll } from '../paretonbd/paretonbd-conditional-probability-of-n-purchases.js';
import { limitPredictions, type PurchaseFit } from './limit-predictions.js';

export type { PurchaseFit } from './limit-predictions.js';

export type PurchaseModelName = 'bgnbd' | 'mbgnbd' | 'paretonbd';
export const PURCHASE_MODEL_NAMES: readonly PurchaseModelName[] = ['bgnbd', 'mbgnbd', 'paretonbd'];

type Params = Readonly<Record<string, number>>;

export interface PurchaseModel {
  readonly name: PurchaseModelName;
  /** how people write it: BG/NBD, MBG/NBD, Pareto/NBD */
  readonly label: string;
  readonly citation: string;
  fit(data: RfmData, options?: FitOptions): FittedModel;
  /** unconditional E[X(t)] of a customer acquired at 0 */
  expectedPurchases(fit: PurchaseFit, t: number): number;
  /** unconditional P(X(t) = n) */
  purchaseCountProbability(fit: PurchaseFit, t: number, n: number): number;
  /** E[X(T, T+t] | x, t_x, T] per row */
  conditionalPurchasesAll(fit: PurchaseFit, t: number, data: RfmData): Float64Array;
  /** the same at every t of `times` (one array per t, equal to `conditionalPurchasesAll` at that t), each row's P(alive) computed once */
  conditionalPurchasesAtAll(fit: PurchaseFit, times: ArrayLike<number>, data: RfmData): Float64Array[];
  /** P(alive | x, t_x, T) per row */
  probabilityAliveAll(fit: PurchaseFit, data: RfmData): Float64Array;
  /** time until the next purchase is reached with probability q, per row (Infinity: may never) */
  timeToNextPurchaseAll(fit: PurchaseFit, q: number, data: RfmData): Float64Array;
  /** P(no purchase in (T, T+t] | x, t_x, T) per row */
  noPurchaseProbabilityAll(fit: PurchaseFit, t: number, data: RfmData): Float64Array;
  /** P(exactly n purchases in (T, T+t] | x, t_x, T) per row */
  conditionalPurchaseCountProbabilityAll(fit: PurchaseFit, n: number, t: number, data: RfmData): Float64Array;
}

/** A model's own formulas, at parameters. */
interface Formulas {
  expectedPurchases(params: Params, t: number): number;
  purchaseCountProbability(params: Params, t: number, n: number): number;
  conditionalPurchasesAll(params: Params, t: number, data: RfmData): Float64Array;
  conditionalPurchasesAtAll(params: Params, times: ArrayLike<number>, data: RfmData): Float64Array[];
  probabilityAliveAll(params: Params, data: RfmData): Float64Array;
  timeToNextPurchaseAll(params: Params, q: number, data: RfmData): Float64Array;
  noPurchaseProbabilityAll(params: Params, t: number, data: RfmData): Float64Array;
  conditionalPurchaseCountProbabilityAll(params: Params, n: number, t: number, data: RfmData): Float64Array;
}

/** f per row of `data`. */
function perRow(data: RfmData, f: (x: number, recency: number, T: number) => number): Float64Array {
  const out = new Float64Array(data.frequency.length);
  for (let i = 0; i < out.length; i++) out[i] = f(data.frequency[i]!, data.recency[i]!, data.T[i]!);
  return out;
}

/** The predictors of a model from its formulas: the limit's closed forms where the fit is such a limit (limitPredictions), else the formulas at fit.params. */
function predictors(own: Formulas): Omit<PurchaseModel, 'name' | 'label' | 'citation' | 'fit'> {
  return {
    expectedPurchases: (fit, t) => limitPredictions(fit)?.expectedPurchases(t) ?? own.expectedPurchases(fit.params, t),
    purchaseCountProbability: (fit, t, n) => limitPredictions(fit)?.purchaseCountProbability(t, n) ?? own.purchaseCountProbability(fit.params, t, n),
    conditionalPurchasesAll(fit, t, data) {
      const limit = limitPredictions(fit);
      return limit ? perRow(data, (x, tx, T) => limit.conditionalPurchases(t, x, tx, T)) : own.conditionalPurchasesAll(fit.params, t, data);
    },
    conditionalPurchasesAtAll(fit, times, data) {
      const limit = limitPredictions(fit);
      return limit ? Array.from(times, (t) => perRow(data, (x, tx, T) => limit.conditionalPurchases(t, x, tx, T))) : own.conditionalPurchasesAtAll(fit.params, times, data);
    },
    probabilityAliveAll(fit, data) {
      const limit = limitPredictions(fit);
      return limit ? perRow(data, (x, tx, T) => limit.probabilityAlive(x, tx, T)) : own.probabilityAliveAll(fit.params, data);
    },
    timeToNextPurchaseAll(fit, q, data) {
      const limit = limitPredictions(fit);
      return limit ? perRow(data, (x, tx, T) => limit.timeToNextPurchase(q, x, tx, T)) : own.timeToNextPurchaseAll(fit.params, q, data);
    },
    noPurchaseProbabilityAll(fit, t, data) {
      const limit = limitPredictions(fit);
      return limit ? perRow(data, (x, tx, T) => limit.noPurchaseProbability(t, x, tx, T)) : own.noPurchaseProbabilityAll(fit.params, t, data);
    },
    conditionalPurchaseCountProbabilityAll(fit, n, t, data) {
      const limit = limitPredictions(fit);
      return limit ? perRow(data, (x, tx, T) => limit.conditionalPurchaseCountProbability(n, t, x, tx, T)) : own.conditionalPurchaseCountProbabilityAll(fit.params, n, t, data);
    },
  };
}

const asBg = (p: Params) => p as BgNbdParams;
const asPareto = (p: Params) => p as ParetoNbdParams;

export const PURCHASE_MODELS: Readonly<Record<PurchaseModelName, PurchaseModel>> = {
  bgnbd: {
    name: 'bgnbd',
    label: 'BG/NBD',
    citation: 'Fader, Hardie & Lee (2005), Marketing Science 24(2)',
    fit: (data, options) => fitBgNbd(data, options),
    ...predictors({
      expectedPurchases: (p, t) => predictBgNbdExpectedPurchases(asBg(p), t),
      purchaseCountProbability: (p, t, n) => predictBgNbdPurchaseCountProbability(asBg(p), t, n),
      conditionalPurchasesAll: (p, t, data) => predictBgNbdConditionalPurchasesAll(asBg(p), t, data),
      conditionalPurchasesAtAll: (p, times, data) => predictBgNbdConditionalPurchasesAtAll(asBg(p), times, data),
      probabilityAliveAll: (p, data) => predictBgNbdProbabilityAliveAll(asBg(p), data),
      timeToNextPurchaseAll: (p, q, data) => predictBgNbdTimeToNextPurchaseAll(asBg(p), q, data),
      noPurchaseProbabilityAll: (p, t, data) => perRow(data, (x, tx, T) => predictBgNbdNoPurchaseProbability(asBg(p), t, x, tx, T)),
      conditionalPurchaseCountProbabilityAll: (p, n, t, data) => bgNbdConditionalProbabilityOfNPurchasesAll(asBg(p), n, t, data),
    }),
  },
  mbgnbd: {
    name: 'mbgnbd',
    label: 'MBG/NBD',
    citation: 'Batislam, Denizel & Filiztekin (2007), IJRM 24(3)',
    fit: (data, options) => fitMbgNbd(data, options),
    ...predictors({
      expectedPurchases: (p, t) => predictMbgNbdExpectedPurchases(asBg(p), t),
      purchaseCountProbability: (p, t, n) => predictMbgNbdPurchaseCountProbability(asBg(p), t, n),
      conditionalPurchasesAll: (p, t, data) => predictMbgNbdConditionalPurchasesAll(asBg(p), t, data),
      conditionalPurchasesAtAll: (p, times, data) => predictMbgNbdConditionalPurchasesAtAll(asBg(p), times, data),
      probabilityAliveAll: (p, data) => predictMbgNbdProbabilityAliveAll(asBg(p), data),
      timeToNextPurchaseAll: (p, q, data) => predictMbgNbdTimeToNextPurchaseAll(asBg(p), q, data),
      noPurchaseProbabilityAll: (p, t, data) => perRow(data, (x, tx, T) => predictMbgNbdNoPurchaseProbability(asBg(p), t, x, tx, T)),
      conditionalPurchaseCountProbabilityAll: (p, n, t, data) => mbgNbdConditionalProbabilityOfNPurchasesAll(asBg(p), n, t, data),
    }),
  },
  paretonbd: {
    name: 'paretonbd',
    label: 'Pareto/NBD',
    citation: 'Schmittlein, Morrison & Colombo (1987), Management Science 33(1)',
    fit: (data, options) => fitParetoNbd(data, options),
    ...predictors({
      expectedPurchases: (p, t) => predictParetoNbdExpectedPurchases(asPareto(p), t),
      purchaseCountProbability: (p, t, n) => predictParetoNbdPurchaseCountProbability(asPareto(p), t, n),
      conditionalPurchasesAll: (p, t, data) => predictParetoNbdConditionalPurchasesAll(asPareto(p), t, data),
      conditionalPurchasesAtAll: (p, times, data) => predictParetoNbdConditionalPurchasesAtAll(asPareto(p), times, data),
      probabilityAliveAll: (p, data) => predictParetoNbdProbabilityAliveAll(asPareto(p), data),
      timeToNextPurchaseAll: (p, q, data) => predictParetoNbdTimeToNextPurchaseAll(asPareto(p), q, data),
      noPurchaseProbabilityAll: (p, t, data) => predictParetoNbdNoPurchaseProbabilityAll(asPareto(p), t, data),
      conditionalPurchaseCountProbabilityAll: (p, n, t, data) => paretoNbdConditionalProbabilityOfNPurchasesAll(asPareto(p), n, t, data),
    }),
  },
};
