/**
 * The continuous-time purchase models behind one interface, so the model
 * tournament, the scoring step and the CLI treat them alike. Each entry only
 * points at the model's own functions (bgnbd.ts, mbgnbd.ts, paretonbd.ts).
 */
import type { FitOptions } from '../fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../model-types.js';
import {
  fitBgNbd,
  predictBgNbdConditionalPurchasesAll,
  predictBgNbdExpectedPurchases,
  predictBgNbdProbabilityAliveAll,
  predictBgNbdPurchaseCountProbability,
  predictBgNbdTimeToNextPurchaseAll,
  type BgNbdParams,
} from '../bgnbd/bgnbd.js';
import {
  fitMbgNbd,
  predictMbgNbdConditionalPurchasesAll,
  predictMbgNbdExpectedPurchases,
  predictMbgNbdProbabilityAliveAll,
  predictMbgNbdPurchaseCountProbability,
  predictMbgNbdTimeToNextPurchaseAll,
} from '../mbgnbd/mbgnbd.js';
import {
  fitParetoNbd,
  predictParetoNbdConditionalPurchasesAll,
  predictParetoNbdExpectedPurchases,
  predictParetoNbdProbabilityAliveAll,
  predictParetoNbdPurchaseCountProbability,
  predictParetoNbdTimeToNextPurchaseAll,
  type ParetoNbdParams,
} from '../paretonbd/paretonbd.js';

export type PurchaseModelName = 'bgnbd' | 'mbgnbd' | 'paretonbd';
export const PURCHASE_MODEL_NAMES: readonly PurchaseModelName[] = ['bgnbd', 'mbgnbd', 'paretonbd'];

type Params = Record<string, number>;

export interface PurchaseModel {
  readonly name: PurchaseModelName;
  /** how people write it: BG/NBD, MBG/NBD, Pareto/NBD */
  readonly label: string;
  readonly citation: string;
  fit(data: RfmData, options?: FitOptions): FittedModel;
  /** unconditional E[X(t)] of a customer acquired at 0 */
  expectedPurchases(params: Params, t: number): number;
  /** unconditional P(X(t) = n) */
  purchaseCountProbability(params: Params, t: number, n: number): number;
  /** E[X(T, T+t] | x, t_x, T] per row */
  conditionalPurchasesAll(params: Params, t: number, data: RfmData): Float64Array;
  /** P(alive | x, t_x, T) per row */
  probabilityAliveAll(params: Params, data: RfmData): Float64Array;
  /** time until the next purchase is reached with probability q, per row (Infinity: may never) */
  timeToNextPurchaseAll(params: Params, q: number, data: RfmData): Float64Array;
}

const asBg = (p: Params) => p as BgNbdParams;
const asPareto = (p: Params) => p as ParetoNbdParams;

export const PURCHASE_MODELS: Readonly<Record<PurchaseModelName, PurchaseModel>> = {
  bgnbd: {
    name: 'bgnbd',
    label: 'BG/NBD',
    citation: 'Fader, Hardie & Lee (2005), Marketing Science 24(2)',
    fit: (data, options) => fitBgNbd(data, options),
    expectedPurchases: (p, t) => predictBgNbdExpectedPurchases(asBg(p), t),
    purchaseCountProbability: (p, t, n) => predictBgNbdPurchaseCountProbability(asBg(p), t, n),
    conditionalPurchasesAll: (p, t, data) => predictBgNbdConditionalPurchasesAll(asBg(p), t, data),
    probabilityAliveAll: (p, data) => predictBgNbdProbabilityAliveAll(asBg(p), data),
    timeToNextPurchaseAll: (p, q, data) => predictBgNbdTimeToNextPurchaseAll(asBg(p), q, data),
  },
  mbgnbd: {
    name: 'mbgnbd',
    label: 'MBG/NBD',
    citation: 'Batislam, Denizel & Filiztekin (2007), IJRM 24(3)',
    fit: (data, options) => fitMbgNbd(data, options),
    expectedPurchases: (p, t) => predictMbgNbdExpectedPurchases(asBg(p), t),
    purchaseCountProbability: (p, t, n) => predictMbgNbdPurchaseCountProbability(asBg(p), t, n),
    conditionalPurchasesAll: (p, t, data) => predictMbgNbdConditionalPurchasesAll(asBg(p), t, data),
    probabilityAliveAll: (p, data) => predictMbgNbdProbabilityAliveAll(asBg(p), data),
    timeToNextPurchaseAll: (p, q, data) => predictMbgNbdTimeToNextPurchaseAll(asBg(p), q, data),
  },
  paretonbd: {
    name: 'paretonbd',
    label: 'Pareto/NBD',
    citation: 'Schmittlein, Morrison & Colombo (1987), Management Science 33(1)',
    fit: (data, options) => fitParetoNbd(data, options),
    expectedPurchases: (p, t) => predictParetoNbdExpectedPurchases(asPareto(p), t),
    purchaseCountProbability: (p, t, n) => predictParetoNbdPurchaseCountProbability(asPareto(p), t, n),
    conditionalPurchasesAll: (p, t, data) => predictParetoNbdConditionalPurchasesAll(asPareto(p), t, data),
    probabilityAliveAll: (p, data) => predictParetoNbdProbabilityAliveAll(asPareto(p), data),
    timeToNextPurchaseAll: (p, q, data) => predictParetoNbdTimeToNextPurchaseAll(asPareto(p), q, data),
  },
};
