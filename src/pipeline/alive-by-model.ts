/**
 * P(alive) is the part of a purchase model the holdout checks least: the tournament scores predicted purchase counts,
 * and models that predict those counts about equally well can hold very different shares of the customers alive —
 * above all the customers without a repeat purchase, whose P(alive) each model sets by its construction (BG/NBD lets a
 * customer drop out only right after a repeat purchase, so it holds every one of them alive; MBG/NBD lets them drop out
 * right at the first purchase; Pareto/NBD at any time after it). Measured (s43, `clvkit synth --shape bgnbd`, 2,000 and
 * 3,000 customers, seeds 3, 7, 11, 21): on the shops of BG/NBD customers the winner on holdout MAE was MBG/NBD or
 * Pareto/NBD, with BG/NBD 2–4% behind, and their mean P(alive) was 0.35–0.47 against a true alive share of 0.71–0.73
 * (BG/NBD: 0.70–0.74); on the Pareto/NBD shops BG/NBD was 6–7% behind and MBG/NBD and Pareto/NBD (within 1–2% of each
 * other) gave 0.21–0.23 and 0.28–0.30 against 0.28–0.29. So when a candidate close to the chosen one on the holdout
 * gives materially different P(alive), the run says so, with both means.
 */
import { withPositiveAge } from '../models/compress-rfm.js';
import { reachedOptimum } from '../models/fit-boundary.js';
import type { FitOptions } from '../models/fit-maximum-likelihood.js';
import type { FittedModel, RfmData } from '../models/model-types.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { tournamentPool, type PoolCandidate } from '../models/model-tournament.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';

/** A candidate is close when its holdout error is within this share of the best eligible one (the tie band is 1%; BG/NBD sat 2–4% behind on its own shops, 6–7% on others). */
export const CLOSE_ERROR_SHARE = 0.05;

/** Mean P(alive) of two models this far apart (overall, or over the customers without a repeat purchase) is material. */
export const MATERIAL_ALIVE_GAP = 0.05;

/** A tournament entry (run.json's valueModel.comparison[]). */
export interface AliveCandidate {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly holdout: { readonly mae: number };
  readonly fit: PoolCandidate['fitted']['fit'];
  readonly stdErrors: PoolCandidate['fitted']['stdErrors'];
}

/** One model's P(alive) on all data (its fit refitted on all data, as the chosen model's is for the scores). */
export interface AliveOfModel {
  readonly model: PurchaseModelName;
  readonly label: string;
  /** mean P(alive) over every scored customer */
  readonly meanPAlive: number;
  /** mean P(alive) over the customers without a repeat purchase (frequency 0); NaN (null in JSON) when there are none */
  readonly oneTimeMeanPAlive: number;
  /** its holdout MAE in the tournament */
  readonly holdoutMae: number;
}

/** run.json `valueModel.aliveByModel`: the chosen model first, then each eligible candidate close to the best on the holdout. */
export interface AliveByModel {
  readonly customers: number;
  /** customers without a repeat purchase */
  readonly oneTime: number;
  readonly models: readonly AliveOfModel[];
}

/** The mean of P(alive) per tuple over customers (tuple weights), overall and over frequency 0. */
function meansOf(pAlive: Float64Array, tuples: RfmData): { all: number; oneTime: number; customers: number; oneTimeCustomers: number } {
  let sum = 0, n = 0, sumOnce = 0, nOnce = 0;
  for (let i = 0; i < pAlive.length; i++) {
    const w = tuples.weight[i]!;
    sum += w * pAlive[i]!;
    n += w;
    if (tuples.frequency[i] === 0) {
      sumOnce += w * pAlive[i]!;
      nOnce += w;
    }
  }
  return { all: sum / n, oneTime: nOnce > 0 ? sumOnce / nOnce : NaN, customers: n, oneTimeCustomers: nOnce };
}

/**
 * The chosen model's mean P(alive) under `final` (its fit on all data) beside that of each eligible candidate
 * (tournamentPool) whose holdout MAE is within CLOSE_ERROR_SHARE of the best, each refitted on all data `tuples`
 * (compressed, with weights); a refit that does not settle is left out. Null when no candidate is close.
 */
export function compareAliveByModel(tuples: RfmData, chosen: PurchaseModelName, final: FittedModel, comparison: readonly AliveCandidate[], fitOptions: FitOptions): AliveByModel | null {
  const { pool } = tournamentPool(comparison.map((c) => ({ entry: c, fitted: { fit: c.fit, stdErrors: c.stdErrors }, holdout: c.holdout })));
  const errors = pool.map((p) => p.holdout.mae).filter(Number.isFinite);
  if (errors.length === 0) return null;
  const best = Math.min(...errors);
  const close = pool.map((p) => p.entry).filter((c) => c.model !== chosen && c.holdout.mae <= best * (1 + CLOSE_ERROR_SHARE));
  const own = comparison.find((c) => c.model === chosen);
  if (close.length === 0 || !own) return null;
  const of = (entry: typeof own, fit: FittedModel) => {
    const m = meansOf(getPurchaseModel(entry.model).probabilityAliveAll(fit, tuples), tuples);
    return { model: entry.model, label: entry.label, meanPAlive: m.all, oneTimeMeanPAlive: m.oneTime, holdoutMae: entry.holdout.mae };
  };
  const others = close.flatMap((c) => {
    const fit = getPurchaseModel(c.model).fit(withPositiveAge(tuples), fitOptions);
    return reachedOptimum(fit.fit) ? [of(c, fit)] : [];
  });
  if (others.length === 0) return null;
  const counts = meansOf(new Float64Array(tuples.frequency.length), tuples);
  return { customers: counts.customers, oneTime: counts.oneTimeCustomers, models: [of(own, final), ...others] };
}


/** `alive` with the one-time buyers' means withheld (NaN: null in JSON) when they are fewer than `minGroupSize` (docs/privacy.md). */
export function withSmallOneTimeGroupWithheld(alive: AliveByModel, minGroupSize: number): AliveByModel {
  return alive.oneTime >= minGroupSize ? alive : { ...alive, models: alive.models.map((m) => ({ ...m, oneTimeMeanPAlive: NaN })) };
}
