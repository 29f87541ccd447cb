/**
 * When the honest tournament (honest-tournament.ts) picks a learned model,
 * that model scores the customers: `customer_scores` carries its expected
 * purchases and predicted CLV instead of the BTYD model's.
 *
 * The winner is refitted the way the tournament validated it, moved to the
 * as-of date: trained on features as of asOf − L with the purchases in
 * (asOf − L, asOf] as the label (L = the tournament's outer label window),
 * with the BTYD outputs of the tournament's feature model fitted on that
 * cut-off's own data as features; then it predicts y_i = E[purchases in the
 * next L days] from the features as of asOf.
 *
 * The learned model predicts one window length; the other horizons are
 * carried by the value step's model M (the one that wrote customer_scores),
 * as the tournament carried its validation predictions:
 *
 *   expected_purchases_Nd = y_i · E_M[X(N)] / E_M[X(L)]   (exactly y_i when N = L)
 *   predicted_clv_12m     = BTYD CLV_i · y_i / E_M[X(L)]   (the model's discounted purchases × spend, rescaled)
 *   predicted_clv_horizon = the same over the run's --horizon-months (NULL when it is 12)
 *
 * and N·y_i / L where E_M[X(L)] is 0. The interval columns (the BTYD model's
 * parameter uncertainty) do not describe the learned model: they become
 * NULL. P(alive) and the next-order dates stay the BTYD model's.
 */
import { addDays } from '../core/calendar-days.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { compressRfm, withPositiveAge } from '../models/compress-rfm.js';
import type { PurchaseFit, PurchaseModelName } from '../models/btyd/purchase-models.js';
import { fitLearnedCandidate, LEARNED_CANDIDATE_LABELS, predictLearnedCandidate, type FittedLearnedCandidate, type LearnedCandidateName } from '../models/learned/learned-candidates.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { btydFeatureFit, BTYD_FEATURE_NAMES, MODEL_FEATURE_NAMES, predictPerCustomer, regimeChange, snapshotReader, withBtydFeatures, type LearnedSnapshot, type SnapshotReader } from './learned-snapshot.js';
import { horizonTotalOf, rewriteCustomerScores, type RewrittenScoresCard } from './rewrite-customer-scores.js';
import { FIT_TIME_BUDGET_MS } from './value-step.js';

/** The horizons of customer_scores' expected-purchase columns, in days. */
export const SCORE_HORIZON_DAYS = [30, 90, 365] as const;

export interface LearnedScoresOptions {
  readonly asOf: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** the tournament's winner */
  readonly winner: LearnedCandidateName;
  /** L: the label window the winner was validated with (the tournament's `windows.outerLabelDays`) */
  readonly labelDays: number;
  /** the tournament's BTYD feature model */
  readonly featureModel: PurchaseModelName;
  /** the value step's model and its final fit at asOf (customer_scores came from it) */
  readonly purchaseModel: PurchaseModelName;
  readonly purchaseFit: PurchaseFit;
  readonly seed?: number;
  /** the run's snapshots (learned-snapshot.ts; default: this call's own) */
  readonly snapshots?: SnapshotReader;
}

/** What the learned scores were made of (run.json `learned.scores`). */
export interface LearnedScoresCard extends RewrittenScoresCard {
  readonly model: LearnedCandidateName;
  readonly label: string;
  /** training cut-off asOf − L; label window (trainedAsOf, asOf] */
  readonly trainedAsOf: string;
  /** L: `expectedPurchases` is Σ y_i, the learned model's expected purchases in the next L days */
  readonly labelDays: number;
  readonly featureModel: PurchaseModelName;
}

/** A learned winner whose scores were not used: customer_scores keep the value step's model M's scores (run.json warning, report sentence). */
export interface LearnedScoresKept {
  readonly model: LearnedCandidateName;
  readonly label: string;
  /** one sentence: that M's scores stay, and why */
  readonly kept: string;
}

/**
 * The winner trained at asOf − L and its prediction y per customer at asOf (exported for tests and the library); for
 * GBT on BTYD, `{ withheld }` instead when its BTYD feature fits at asOf − L and asOf are in different regimes
 * (regimeChange, learned-snapshot.ts: exp(c) would carry the training fit's scale to the scoring fit).
 */
export async function predictLearnedWinner(warehouse: Warehouse, options: LearnedScoresOptions): Promise<{ readonly fitted: FittedLearnedCandidate; readonly score: LearnedSnapshot; readonly predicted: Float64Array } | { readonly withheld: string }> {
  const { asOf, timeUnit, grain, labelDays, featureModel } = options;
  const [valued] = await warehouse.query('SELECT count(amount) AS n FROM transactions WHERE NOT is_return');
  const withValues = Number(valued!.n) > 0;
  const label = labelDays / DAYS_PER_UNIT[timeUnit];
  const snapshots = options.snapshots ?? snapshotReader(warehouse);
  const train = await snapshots.read({ asOf: addDays(asOf, -labelDays), labelEnd: asOf, timeUnit, grain });
  const score = await snapshots.read({ asOf, timeUnit, grain });
  const fitOwn = (s: LearnedSnapshot) => getPurchaseModel(featureModel).fit(withPositiveAge(compressRfm(s.rfm).tuples), { timeBudgetMs: FIT_TIME_BUDGET_MS });
  const trainFit = btydFeatureFit(featureModel, fitOwn(train), train, withValues);
  const scoreFitted = featureModel === options.purchaseModel ? options.purchaseFit : fitOwn(score);
  const scoreFit = btydFeatureFit(featureModel, scoreFitted, score, withValues);
  const change = options.winner === 'gbt-btyd' ? regimeChange(trainFit, scoreFit) : undefined;
  if (change) return { withheld: change };
  const featureNames = [...MODEL_FEATURE_NAMES, ...BTYD_FEATURE_NAMES];
  const fitted = fitLearnedCandidate(options.winner, { columns: withBtydFeatures(train, trainFit, label), label: train.label }, { featureNames, seed: options.seed ?? 1 });
  return { fitted, score, predicted: predictLearnedCandidate(fitted, withBtydFeatures(score, scoreFit, label)) };
}

/** Rewrite customer_scores' purchase and CLV columns with the learned winner's predictions (see the file header). */
export async function writeLearnedScores(warehouse: Warehouse, options: LearnedScoresOptions): Promise<LearnedScoresCard | LearnedScoresKept> {
  const prediction = await predictLearnedWinner(warehouse, options);
  if ('withheld' in prediction) {
    const label = LEARNED_CANDIDATE_LABELS[options.winner];
    return { model: options.winner, label, kept: `customer_scores keep ${getPurchaseModel(options.purchaseModel).label}'s scores (the value model's): the tournament chose ${label}, but trained at ${addDays(options.asOf, -options.labelDays)} and scoring at ${options.asOf} ${prediction.withheld}` };
  }
  const { fitted, score, predicted } = prediction;
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  const model = getPurchaseModel(options.purchaseModel);
  const btydAt = (days: number) => predictPerCustomer(score.rfm, (t) => model.conditionalPurchasesAll(options.purchaseFit, days / unitDays, t));
  const btydAtLabel = btydAt(options.labelDays);
  const carried = (days: number): Float64Array => {
    if (days === options.labelDays) return predicted;
    const atDays = btydAt(days);
    return predicted.map((y, i) => (btydAtLabel[i]! > 0 ? (y * atDays[i]!) / btydAtLabel[i]! : (y * days) / options.labelDays));
  };
  const [e30, e90, e365] = SCORE_HORIZON_DAYS.map(carried);
  const clvFactor = predicted.map((y, i) => (btydAtLabel[i]! > 0 ? y / btydAtLabel[i]! : NaN));
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE learned_customer_scores (customer_id VARCHAR, e30 DOUBLE, e90 DOUBLE, e365 DOUBLE, clv_factor DOUBLE)');
  await warehouse.append('learned_customer_scores', { customer_id: score.customerIds as string[], e30: e30!, e90: e90!, e365: e365!, clv_factor: Array.from(clvFactor, (v) => (Number.isNaN(v) ? null : v)) });

  const clvTotals = await rewriteCustomerScores(warehouse, 'learned_customer_scores', {
    expected_purchases_30d: 'coalesce(l.e30, c.expected_purchases_30d)',
    expected_purchases_90d: 'coalesce(l.e90, c.expected_purchases_90d)',
    expected_purchases_365d: 'coalesce(l.e365, c.expected_purchases_365d)',
    // no factor (E_M[X(L)] = 0: the BTYD model expects nothing, so its CLV is 0 and cannot be rescaled): NULL, not a guess
    predicted_clv_12m: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_12m ELSE c.predicted_clv_12m * l.clv_factor END',
    predicted_clv_12m_low: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_12m_low END',
    predicted_clv_12m_high: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_12m_high END',
    // the run's other horizon (NULL when none): the same factor, y / E_M[X(L)] does not depend on the horizon
    predicted_clv_horizon: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_horizon ELSE c.predicted_clv_horizon * l.clv_factor END',
    predicted_clv_horizon_low: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_horizon_low END',
    predicted_clv_horizon_high: 'CASE WHEN l.customer_id IS NULL THEN c.predicted_clv_horizon_high END',
  });

  let total = 0, btydTotal = 0;
  for (let i = 0; i < predicted.length; i++) (total += predicted[i]!), (btydTotal += btydAtLabel[i]!);
  return {
    model: options.winner,
    label: fitted.label,
    trainedAsOf: addDays(options.asOf, -options.labelDays),
    labelDays: options.labelDays,
    featureModel: options.featureModel,
    customers: predicted.length,
    expectedPurchases: total,
    btydExpectedPurchases: btydTotal,
    totalPredictedClv: clvTotals.rewritten,
    btydTotalPredictedClv: clvTotals.btyd,
    ...horizonTotalOf(clvTotals),
    note: `customer_scores carry ${fitted.label}'s predictions: expected purchases in the next ${options.labelDays} days, carried to 30/90/365 days and the CLV horizons by ${getPurchaseModel(options.purchaseModel).label}'s shape over time; the CLV intervals are left empty (they described the BTYD model's parameter uncertainty); P(alive) and next-order dates stay ${getPurchaseModel(options.purchaseModel).label}'s`,
  };
}
