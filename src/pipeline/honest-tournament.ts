/**
 * The honest tournament (issue 15 item 3): BTYD models, the regularity-aware
 * MBG/CNBD-k and the learned models are candidates side by side, and the
 * choice never looks at the holdout.
 *
 * With calibration end C, holdout end H (h = H − C days) and the first
 * purchase day S, the inner horizon is h_in = min(h, ⌊(C − S)/3⌋) days and
 * the inner cut-off C′ = C − h_in. Three cut-offs are read:
 *
 *   S1: features as of C′ − h_in, label (C′ − h_in, C′]  — trains the learned models for the inner test
 *   S2: features as of C′,        label (C′, C]          — the inner test; trains the learned models for the holdout
 *   S3: features as of C,         label (C, H]           — the holdout
 *
 * Choice: every candidate predicts the inner window (C′, C] — BTYD and
 * MBG/CNBD-k fitted on data up to C′, learned models trained on S1 — and the
 * smallest inner MAE wins; a non-BTYD candidate must beat the best BTYD model
 * (chosen by its own rule, model-tournament.ts, among the BTYD models whose
 * calibration-window fits the value step left eligible) by more than 1% and predict
 * the inner total within 5% (or within the BTYD model's own total error when
 * that is larger) — MAE alone rewards predicting too little — otherwise BTYD
 * stays; on an inner window of fewer than MIN_INNER_PURCHASES (400) repeat
 * purchases no challenger is judged and BTYD stays. One convergence rule for every candidate (choose-honest-winner.ts):
 * a BTYD model or MBG/CNBD-k whose inner or final fit did not converge (or
 * whose k search stopped at its limit with the likelihood still improving)
 * never replaces one whose fits converged: it may replace the BTYD default
 * only when the default did not converge either, and the reason says why
 * (`fitIssue` per candidate). Then every candidate is refitted on the calibration window and
 * predicts the holdout: BTYD on data up to C, learned models trained on S2
 * and applied to S3. The BTYD model that won the inner BTYD comparison
 * supplies the BTYD features (P(alive), E[X(h_in)], Gamma-Gamma spend) of
 * each cut-off, fitted on that cut-off's own data. A learned prediction for
 * h_in is carried to h by the feature model's own ratio E[X(h)] / E[X(h_in)]
 * per customer (1 when h = h_in).
 *
 * Churn early warning: a logistic GBT trained at C − N (label (C − N, C])
 * predicts P(no purchase in the next N days) at C, scored against (C, C + N],
 * side by side with
 * 1 − P(alive) of the feature model — of MBG/CNBD-k (fitted up to C) when it
 * wins, since its P(alive) is then the one the scores carry
 * (evaluate-churn-scores.ts; `churn.pAliveModel` names the model) — and,
 * otherwise, with the feature model's P(no purchase in N days) at C
 * (`churn.btydNoPurchase`, what analyze writes when the learned model loses). N is the
 * holdout length when the calibration window holds it, else the longest that
 * fits, or `churnDays` (churn-horizon.ts); `churnHorizon` says which and why.
 */
import { addDays, daysBetween } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { computeHoldoutMetrics, type HoldoutMetrics } from '../models/compute-holdout-metrics.js';
import { compressRfm, withPositiveAge } from '../models/compress-rfm.js';
import { fitLearnedCandidate, LEARNED_CANDIDATE_NAMES, predictLearnedCandidate, type FittedLearnedCandidate, type LearnedCandidateName } from '../models/learned/learned-candidates.js';
import { runModelTournament, tournamentPool, type TournamentResult } from '../models/model-tournament.js';
import { chooseOnHoldoutError } from '../models/tournament-rule.js';
import { getPurchaseModel } from '../models/model-registry.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import type { FittedModel } from '../models/model-types.js';
import { describeBoundary, reachedOptimum } from '../models/fit-boundary.js';
import { computeDecileLift, type DecileLiftRow } from '../models/learned/decile-lift.js';
import { planHonestWindows, type HonestWindows } from '../models/learned/plan-honest-windows.js';
import { fitMbgCnbd, MBGCNBD_EXTENDED_MAX_K, type MbgCnbdFit } from '../models/mbgcnbd/mbgcnbd.js';
import { predictMbgCnbdConditionalPurchases, predictMbgCnbdProbabilityAlive } from '../models/mbgcnbd/predict-mbgcnbd.js';
import { btydFeatureFit, BTYD_FEATURE_NAMES, MODEL_FEATURE_NAMES, predictPerCustomer, regimeChange, snapshotReader, withBtydFeatures, type BtydFeatureFit, type LearnedSnapshot, type SnapshotReader } from './learned-snapshot.js';
import { validateChurn, type ChurnComparison } from './validate-churn.js';
import { chooseHonestDefault, chooseHonestWinner } from './choose-honest-winner.js';
import { honestSplitError, VALIDATE_WINDOW_WORDS, type HonestWindowWords } from './honest-windows.js';
import { FIT_TIME_BUDGET_MS } from './value-step.js';
import { planChurnHorizon, type ChurnDaysWords, type ChurnHorizon } from './churn-horizon.js';
import { plural } from '../core/plural.js';

export interface HonestTournamentOptions {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** seed of the validation splits, row sampling and bootstrap (default 1) */
  readonly seed?: number;
  /** the learned candidates (default: all of them) */
  readonly learned?: readonly LearnedCandidateName[];
  /** MBG/CNBD-k takes part (default true) */
  readonly regularity?: boolean;
  /** the features' channel, country and region from the customer profiles too (default true; false: the transactions only, as `validate`) */
  readonly profiles?: boolean;
  /** what lengthens windows too short for the inner split, in the caller's words (default `validate`'s: --calibration-end, --holdout-end) */
  readonly windowWords?: HonestWindowWords;
  /** N of the churn early warning (default: the holdout length when the windows hold it, else the longest that fits; churn-horizon.ts) */
  readonly churnDays?: number;
  /** how a churnDays the windows cannot hold is refused (default `validate`'s --churn-days) */
  readonly churnWords?: ChurnDaysWords;
  /** the run's snapshots, shared with the steps after it (learned-step.ts; default: the tournament's own) */
  readonly snapshots?: SnapshotReader;
}

export type CandidateFamily = 'btyd' | 'regularity' | 'learned';

export interface HonestCandidate {
  readonly name: string;
  readonly label: string;
  readonly family: CandidateFamily;
  /** metrics on the inner window (C′, C]: what the choice is made on */
  readonly inner: HoldoutMetrics;
  /** metrics on the holdout (C, H] after refitting on the calibration window */
  readonly holdout: HoldoutMetrics;
  readonly chosen: boolean;
  /** learned models: rounds kept, and the three most important features by gain */
  readonly detail?: string;
  /** MBG/CNBD-k: the k fitted on the calibration window (the one its holdout figures, and the scores of a win, use) */
  readonly k?: number;
  /** GBT on BTYD: the comparisons withheld (their metrics NaN) because its BTYD feature fits at the training and scoring cut-offs are in different regimes, and which (regimeChange) */
  readonly withheld?: string;
  /** BTYD and MBG/CNBD-k: why the inner or the final fit did not converge (absent when both did); such a candidate is passed over (choose-honest-winner.ts) */
  readonly fitIssue?: string;
}

export interface LearnedModelCard {
  readonly name: LearnedCandidateName;
  readonly label: string;
  /** the resolved settings (trees) or penalty (GLM) */
  readonly params: Record<string, number | string>;
  /** rounds kept by early stopping (trees) */
  readonly bestIteration?: number;
  readonly roundsTrained?: number;
  /** gain importance per feature (trees) or standardised coefficients (GLM) */
  readonly importance: readonly { readonly feature: string; readonly value: number }[];
}


export interface HonestTournamentResult {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string;
  readonly innerCutoff: string;
  readonly windows: HonestWindows;
  /** why the learned models' holdout label window is shorter than the holdout (absent when it is not) */
  readonly labelWindowNote?: string;
  /** the churn early warning's N: the holdout length, the longest that fits (and why), or churnDays */
  readonly churnHorizon: ChurnHorizon;
  readonly holdoutDays: number;
  readonly timeUnit: TimeUnit;
  readonly customers: number;
  readonly featureModel: PurchaseModelName;
  readonly featureNames: readonly string[];
  readonly candidates: readonly HonestCandidate[];
  readonly chosen: string;
  readonly reason: string;
  /** the candidate with the best holdout MAE, ties within 1% broken as the BTYD tournament breaks them (chooseBestInHindsight) — for the record only, never used to choose */
  readonly bestInHindsight: string;
  readonly learnedModels: readonly LearnedModelCard[];
  /** holdout purchases by decile of the predicted purchases: the chosen candidate and the best BTYD model (the same when BTYD wins) */
  readonly lift: { readonly chosen: readonly DecileLiftRow[]; readonly btyd: readonly DecileLiftRow[]; readonly btydLabel: string };
  readonly churn: ChurnComparison;
}


/**
 * MBG/CNBD-k fitted on a snapshot's history (customers with T > 0): k searched, or the given k only.
 *
 * Example: `fitRegularity(snapshotAsOfC).k` → 564 on the regular synthetic shop (the likelihood falls at the next step, 705); `fitRegularity(snapshotAsOfH, 564)` refits (r, α, a, b) at k = 564 (warm-started up the search's ladder, mbgcnbd.ts).
 */
export function fitRegularity(snapshot: LearnedSnapshot, k?: number): MbgCnbdFit {
  const keep: number[] = [];
  for (let i = 0; i < snapshot.rfm.T.length; i++) if (snapshot.rfm.T[i]! > 0) keep.push(i);
  const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]!);
  return fitMbgCnbd({ frequency: pick(snapshot.rfm.frequency), recency: pick(snapshot.rfm.recency), T: pick(snapshot.rfm.T), weight: pick(snapshot.rfm.weight), litt: pick(snapshot.litt) }, { timeBudgetMs: FIT_TIME_BUDGET_MS, ...(k === undefined ? {} : { k }) });
}

/** MBG/CNBD-k fitted on a snapshot's history (customers with T > 0), predicting `horizon` per customer. */
function predictRegularity(snapshot: LearnedSnapshot, horizon: number): { predicted: Float64Array; k: number; atLimit: boolean; fit: MbgCnbdFit } {
  const fit = fitRegularity(snapshot);
  const predicted = predictPerCustomer(snapshot.rfm, (t) =>
    Float64Array.from(t.frequency, (x, i) => predictMbgCnbdConditionalPurchases(fit.k, fit.fitted.params, horizon, x, t.recency[i]!, t.T[i]!)),
  );
  return { predicted, k: fit.k, atLimit: fit.searchLimitReached, fit };
}

/**
 * The best on the holdout in hindsight (for the record, never used to choose), by the BTYD tournament's own rule
 * (tournament-rule.ts), so that it names the model validate's first table chose on the holdout whenever that one is
 * the best: holdout MAEs within 1% of the lowest tie; the lowest BIC, then the candidates' order (BTYD models,
 * MBG/CNBD-k, the learned models: the simpler first), breaks the tie. Only the BTYD models' BICs compare: MBG/CNBD-k's
 * likelihood includes the intertransaction times (other data), the learned models have none. Candidates: the BTYD
 * models that tournament could choose (tournamentPool), MBG/CNBD-k when its fits converged, the learned models.
 *
 * Example: MBG/CNBD-k at k = 1 (MBG/NBD itself) with MBG/NBD's MAE up to float noise → MBG/NBD.
 */
function chooseBestInHindsight<C extends Omit<HonestCandidate, 'chosen'>>(candidates: readonly C[], outerBtyd: TournamentResult): C {
  const btydPool = new Set<string>(tournamentPool(outerBtyd.evaluations).pool.map((e) => e.model));
  const bic = (c: C) => (c.family === 'btyd' ? outerBtyd.evaluations.find((e) => e.model === c.name)?.fitted.bic : undefined);
  const eligible = candidates.filter((c) => Number.isFinite(c.holdout.mae) && (c.family === 'btyd' ? btydPool.has(c.name) : c.fitIssue === undefined));
  return chooseOnHoldoutError(eligible.length > 0 ? eligible : candidates, (c) => c.holdout.mae, bic).winner;
}

/**
 * Why a candidate's fits did not converge, in one phrase per fit (`{}` when every fit converged, a fit on a boundary
 * whose limiting model converged included — fit-boundary.ts's reachedOptimum): the optimiser's
 * message up to its first ';' (the boundary's meaning when the estimates ran off to one), and for MBG/CNBD-k a k search
 * that stopped at its limit with the likelihood still improving (the k found is then a lower bound).
 *
 * Example: `fitIssueOf([['inner fit', regularInner], ['final fit', regularOuter]])` → `{ fitIssue: "inner fit and final fit: the k search stopped at its limit, 48, with the likelihood still improving (k is a lower bound on the regularity)" }`
 */
export function fitIssueOf(fits: readonly (readonly [string, FittedModel | MbgCnbdFit])[]): { fitIssue?: string } {
  // each issue, with the fits that have it ("inner fit and final fit: …")
  const byIssue = new Map<string, string[]>();
  for (const [where, fit] of fits) {
    const fitted = 'fitted' in fit ? fit.fitted : fit;
    const parts: string[] = [];
    if ('fitted' in fit && fit.searchLimitReached) parts.push(`the k search stopped at its limit, ${fit.k}, with the likelihood still improving (k is a lower bound on the regularity)`);
    if (!reachedOptimum(fitted.fit)) parts.push(fitted.fit.boundary ? `on the boundary: ${fitted.fit.boundary.meaning}` : fitted.fit.message.split(/; | \[/)[0]!);
    for (const part of parts) byIssue.set(part, [...(byIssue.get(part) ?? []), where]);
  }
  return byIssue.size > 0 ? { fitIssue: [...byIssue].map(([issue, where]) => `${where.join(' and ')}: ${issue}`).join('; ') } : {};
}

/** MBG/CNBD-k's P(alive) per customer of a snapshot, labelled MBG/CNBD-<k>; undefined when a value is not a probability. */
export function regularityPAlive(snapshot: LearnedSnapshot, fit: MbgCnbdFit): { label: string; values: Float64Array } | undefined {
  const values = predictPerCustomer(snapshot.rfm, (t) => Float64Array.from(t.frequency, (x, i) => predictMbgCnbdProbabilityAlive(fit.k, fit.fitted.params, x, t.recency[i]!, t.T[i]!)));
  return values.every((p) => p >= 0 && p <= 1) ? { label: `MBG/CNBD-${fit.k}`, values } : undefined;
}

/** Per customer E[X(horizon)] / E[X(label)] of the feature model: carries a prediction for the label's length to the horizon. */
function horizonRatio(snapshot: LearnedSnapshot, fit: BtydFeatureFit, horizon: number, label: number): Float64Array {
  if (horizon === label) return new Float64Array(snapshot.label.length).fill(1);
  const atLabel = predictPerCustomer(snapshot.rfm, (t) => fit.model.conditionalPurchasesAll(fit.fitted, label, t));
  const atHorizon = predictPerCustomer(snapshot.rfm, (t) => fit.model.conditionalPurchasesAll(fit.fitted, horizon, t));
  return atHorizon.map((v, i) => (atLabel[i]! > 0 ? v / atLabel[i]! : horizon / label));
}

/** The metrics of a withheld comparison: the actual total, every figure of the prediction NaN. */
function withheldMetrics(actual: Float64Array): HoldoutMetrics {
  const actualTotal = actual.reduce((a, b) => a + b, 0);
  return { predictedTotal: NaN, actualTotal, totalRelativeError: NaN, mae: NaN, rmse: NaN, spearman: NaN, gini: NaN, decileMape: NaN };
}

function scale(values: Float64Array, factor: Float64Array): Float64Array {
  return values.map((v, i) => v * factor[i]!);
}

function fittedOf(tournament: TournamentResult, name: PurchaseModelName): FittedModel {
  return tournament.evaluations.find((e) => e.model === name)!.fitted;
}

function learnedCard(fitted: FittedLearnedCandidate): LearnedModelCard {
  const m = fitted.model;
  if (m.kind === 'linear-model') {
    return { name: fitted.name, label: fitted.label, params: { family: m.family, l2: m.l2 }, importance: m.featureNames.map((feature, f) => ({ feature, value: m.standardisedCoefficients[f]! })) };
  }
  const { loss, rounds, learningRate, maxDepth, maxLeaves, minChildRows, l2, subsample, earlyStoppingRounds } = m.params;
  return {
    name: fitted.name,
    label: fitted.label,
    params: { loss, rounds, learningRate, maxDepth, maxLeaves, minChildRows, l2, subsample, earlyStoppingRounds },
    bestIteration: m.bestIteration,
    roundsTrained: m.roundsTrained,
    importance: m.featureNames.map((feature, f) => ({ feature, value: m.importanceGain[f]! })).sort((a, b) => b.value - a.value),
  };
}

function topFeatures(card: LearnedModelCard): string {
  const top = [...card.importance].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 3).map((i) => i.feature).join(', ');
  return card.bestIteration !== undefined ? `${card.bestIteration} trees; top features ${top}` : `top coefficients ${top}`;
}

/**
 * What the tournament reads of the calibration window before it plans: its length in days (first purchase to the
 * calibration end `C`) and how many of its purchases carry an order value. Lines after `C` are the holdout and are
 * not read (a log with values only in the holdout has none here).
 *
 * Example: `await queryCalibrationSpan(warehouse, '1997-09-30')` → `{ days: 272, valued: 4201 }`
 */
export async function queryCalibrationSpan(warehouse: Warehouse, C: string): Promise<{ days: number; valued: number }> {
  const d = warehouse.dialect;
  const [row] = await warehouse.query(
    `SELECT ${d.daysBetween('min(ts)', d.timestamp(`${C}T00:00:00`))} AS days, count(amount) AS valued FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(C, 1)}T00:00:00`)}`,
  );
  return { days: Number(row!.days), valued: Number(row!.valued) };
}

/**
 * Why the learned models are trained on label windows shorter than the holdout, in one plain clause.
 *
 * Example: `describeLabelWindows(272, 181)` → "the 272 days from the first purchase to the calibration end leave 181 days after their first third,
 * kept as history before the training cut-off; their predictions are carried to the holdout by the BTYD ratio E[X(h)] / E[X(L)]"
 */
export function describeLabelWindows(calibrationDays: number, labelDays: number): string {
  return `the ${plural(calibrationDays, 'day')} from the first purchase to the calibration end leave ${plural(labelDays, 'day')} after their first third, kept as history before the training cut-off; their predictions are carried to the holdout by the BTYD ratio E[X(h)] / E[X(L)]`;
}

/** Run the honest tournament on the warehouse's transactions (see the file header). */
export async function runHonestTournament(warehouse: Warehouse, options: HonestTournamentOptions): Promise<HonestTournamentResult> {
  const { result, churn } = await runHonestTournamentWithFits(warehouse, options, { churn: true });
  return { ...result, churn: churn! };
}

/** The honest tournament's figures without its churn validation, and what a caller may reuse of its fits (runHonestTournamentWithFits). */
export interface HonestTournamentWithFits {
  readonly result: Omit<HonestTournamentResult, 'churn'>;
  /** the churn validation (HonestTournamentResult's `churn`); absent when not asked for (`churn: false`) */
  readonly churn?: ChurnComparison;
  /** MBG/CNBD-k's fit on the calibration window; absent without MBG/CNBD-k */
  readonly regularityAtC?: MbgCnbdFit;
}

/**
 * The same, with MBG/CNBD-k's fit on the calibration window (searched on the history as of C; absent without it): a caller
 * that needs MBG/CNBD-k at its chosen k on that history (learned-step.ts: the churn validation's P(alive) as of C) takes
 * this fit rather than fitting the same data at the same k again (a ladder of warm starts up to k: seconds on regular buyers).
 * `churn: false`: no churn validation (its classifier, TreeSHAP and bootstrapped scorecards), for a caller that does not
 * read it — the learned step validates the churn early warning with the value model's BTYD features, not with the
 * tournament's feature model (the inner window's BTYD winner), so its figures are its own (learned-step.ts).
 */
export async function runHonestTournamentWithFits(warehouse: Warehouse, options: HonestTournamentOptions, what: { readonly churn: boolean }): Promise<HonestTournamentWithFits> {
  const { calibrationEnd: C, holdoutEnd: H, timeUnit, grain } = options;
  const seed = options.seed ?? 1;
  const unitDays = DAYS_PER_UNIT[timeUnit];
  const holdoutDays = daysBetween(C, H);
  if (!(holdoutDays > 0)) throw new UserError(`the holdout end ${H} is not after the calibration end ${C}`, 'the holdout window starts the day after the calibration end');
  const span = await queryCalibrationSpan(warehouse, C);
  const tooShort = honestSplitError({ calibrationDays: span.days, holdoutDays }, options.windowWords ?? VALIDATE_WINDOW_WORDS);
  if (tooShort) throw tooShort;
  const windows = planHonestWindows(span.days, holdoutDays);
  // the churn horizon N (a churnDays the windows cannot hold is refused here, before any fit); the split's windows hold 14 days at least
  const churnHorizon = planChurnHorizon({ calibrationDays: span.days, holdoutDays }, options.churnDays, options.churnWords)!;
  const { innerDays, innerLabelDays, outerLabelDays } = windows;
  const withValues = span.valued > 0;
  const innerCutoff = addDays(C, -innerDays);
  const snapshots = options.snapshots ?? snapshotReader(warehouse);
  const snapshot = (asOf: string, labelEnd: string) => snapshots.read({ asOf, labelEnd, timeUnit, grain, ...(options.profiles === false ? { profiles: false } : {}) });
  const s1 = await snapshot(addDays(innerCutoff, -innerLabelDays), innerCutoff); // trains for the inner test
  const s2 = await snapshot(innerCutoff, C); // the inner test
  const s2o = outerLabelDays === innerDays ? s2 : await snapshot(addDays(C, -outerLabelDays), C); // trains for the holdout
  const s3 = await snapshot(C, H); // the holdout
  const unit = (days: number) => days / unitDays;

  // BTYD: inner comparison on data up to C′, holdout comparison on data up to C
  const fitOptions = { timeBudgetMs: FIT_TIME_BUDGET_MS };
  // its reason becomes part of the honest choice's, which is made without the holdout: the error it compares is the inner window's
  const innerBtyd = runModelTournament({ calibration: s2.rfm, holdoutPurchases: s2.label, holdoutDuration: unit(innerDays), fitOptions, windowName: 'inner-window' });
  const outerBtyd = runModelTournament({ calibration: s3.rfm, holdoutPurchases: s3.label, holdoutDuration: unit(holdoutDays), fitOptions });
  // the default the challengers must beat (choose-honest-winner.ts): a model the value step left eligible; the learned
  // models' BTYD features come from it, so that they are compared with the model whose predictions they were given
  const btydDefault = chooseHonestDefault(innerBtyd, outerBtyd.evaluations);
  const featureModel = btydDefault.model;
  // holdout predictions per candidate, for the chosen one's lift chart
  const holdoutPredicted = new Map<string, Float64Array>(outerBtyd.evaluations.map((e) => [e.model, predictPerCustomer(s3.rfm, (t) => getPurchaseModel(e.model).conditionalPurchasesAll(e.fitted, unit(holdoutDays), t))]));
  const candidates: Omit<HonestCandidate, 'chosen'>[] = innerBtyd.evaluations.map((e) => ({
    name: e.model,
    label: e.label,
    family: 'btyd' as const,
    inner: e.holdout,
    holdout: outerBtyd.evaluations.find((o) => o.model === e.model)!.holdout,
    ...fitIssueOf([['inner fit', e.fitted], ['final fit', outerBtyd.evaluations.find((o) => o.model === e.model)!.fitted]]),
  }));

  let regularAtC: MbgCnbdFit | undefined;
  if (options.regularity !== false) {
    const regularInner = predictRegularity(s2, unit(innerDays));
    const regularOuter = predictRegularity(s3, unit(holdoutDays));
    holdoutPredicted.set('mbgcnbd', regularOuter.predicted);
    regularAtC = regularOuter.fit;
    candidates.push({
      name: 'mbgcnbd',
      label: 'MBG/CNBD-k',
      family: 'regularity',
      inner: computeHoldoutMetrics(s2.label, regularInner.predicted),
      holdout: computeHoldoutMetrics(s3.label, regularOuter.predicted),
      detail: `k = ${regularInner.k} on the inner split, ${regularOuter.k} on the calibration window${regularInner.atLimit || regularOuter.atLimit ? ` (${regularInner.atLimit && regularOuter.atLimit ? 'both' : regularInner.atLimit ? 'the first' : 'the second'} at the search's limit, the last k of its ladder up to ${MBGCNBD_EXTENDED_MAX_K}: the data would take a larger k still)` : ''}${regularOuter.fit.fitted.fit.boundary ? `; ${describeBoundary(regularOuter.fit.fitted.fit)}` : ''}`,
      k: regularOuter.k,
      ...fitIssueOf([['inner fit', regularInner.fit], ['final fit', regularOuter.fit]]),
    });
  }

  // BTYD features per cut-off, each from a fit on that cut-off's own data, over the training label's length
  const fitFeatureModel = (snap: LearnedSnapshot) => getPurchaseModel(featureModel).fit(withPositiveAge(compressRfm(snap.rfm).tuples), fitOptions);
  const s1Fit = btydFeatureFit(featureModel, fitFeatureModel(s1), s1, withValues);
  const s2Fit = btydFeatureFit(featureModel, fittedOf(innerBtyd, featureModel), s2, withValues);
  const s2oFit = s2o === s2 ? s2Fit : btydFeatureFit(featureModel, fitFeatureModel(s2o), s2o, withValues);
  const s3Fit = btydFeatureFit(featureModel, fittedOf(outerBtyd, featureModel), s3, withValues);
  const x1 = withBtydFeatures(s1, s1Fit, unit(innerLabelDays));
  const x2 = withBtydFeatures(s2, s2Fit, unit(innerLabelDays));
  const x2o = withBtydFeatures(s2o, s2oFit, unit(outerLabelDays));
  const x3 = withBtydFeatures(s3, s3Fit, unit(outerLabelDays));
  const featureNames = [...MODEL_FEATURE_NAMES, ...BTYD_FEATURE_NAMES];
  const innerRatio = horizonRatio(s2, s2Fit, unit(innerDays), unit(innerLabelDays));
  const outerRatio = horizonRatio(s3, s3Fit, unit(holdoutDays), unit(outerLabelDays));

  const learnedModels: LearnedModelCard[] = [];
  for (const name of options.learned ?? LEARNED_CANDIDATE_NAMES) {
    const innerFit = fitLearnedCandidate(name, { columns: x1, label: s1.label }, { featureNames, seed });
    const outerFit = fitLearnedCandidate(name, { columns: x2o, label: s2o.label }, { featureNames, seed });
    const card = learnedCard(outerFit);
    learnedModels.push(card);
    const outerPredicted = scale(predictLearnedCandidate(outerFit, x3), outerRatio);
    holdoutPredicted.set(name, outerPredicted);
    // GBT on BTYD boosts from E[X]: compared only where its training and scoring fits are in one regime (regimeChange)
    const innerChange = name === 'gbt-btyd' ? regimeChange(s1Fit, s2Fit) : undefined;
    const outerChange = name === 'gbt-btyd' ? regimeChange(s2oFit, s3Fit) : undefined;
    const withheld = [innerChange && `inner window: ${innerChange}`, outerChange && `holdout: ${outerChange}`].filter(Boolean).join('; ');
    candidates.push({
      name,
      label: outerFit.label,
      family: 'learned',
      inner: innerChange ? withheldMetrics(s2.label) : computeHoldoutMetrics(s2.label, scale(predictLearnedCandidate(innerFit, x2), innerRatio)),
      holdout: outerChange ? withheldMetrics(s3.label) : computeHoldoutMetrics(s3.label, outerPredicted),
      detail: topFeatures(card),
      ...(withheld ? { withheld } : {}),
    });
  }

  // the choice: inner window only (choose-honest-winner.ts)
  const btydBest = candidates.find((c) => c.name === btydDefault.model)!;
  const { winner, reason } = chooseHonestWinner(candidates, btydBest, btydDefault.reason, { innerCutoff, calibrationEnd: C, innerDays, innerPurchases: btydBest.inner.actualTotal });
  const bestInHindsight = chooseBestInHindsight(candidates, outerBtyd).name;

  // an MBG/CNBD-k winner's P(alive) (its fit on the calibration window) is the one its scores carry: the churn score is compared with it
  const pAlive = winner.family === 'regularity' && regularAtC ? regularityPAlive(s3, regularAtC) : undefined;
  // the churn classifier's training cut-off C − N: the count models' (C − L) when N = L, else its own, with the BTYD features over N
  const N = churnHorizon.days;
  const validate = async () => {
    const churnTrain = N === outerLabelDays ? s2o : await snapshot(addDays(C, -N), C);
    const churnTrainColumns = N === outerLabelDays ? x2o : withBtydFeatures(churnTrain, btydFeatureFit(featureModel, fitFeatureModel(churnTrain), churnTrain, withValues), unit(N));
    const churnScoreColumns = N === outerLabelDays ? x3 : withBtydFeatures(s3, s3Fit, unit(N));
    return validateChurn(warehouse, { train: churnTrain, trainColumns: churnTrainColumns, s3, x3: churnScoreColumns, featureNames, seed, labelDays: N, C, timeUnit, grain, s3Fit, horizon: unit(N), snapshots, ...(pAlive ? { pAlive } : {}) });
  };
  const churn = what.churn ? await validate() : undefined;
  const result: Omit<HonestTournamentResult, 'churn'> = {
    calibrationEnd: C,
    holdoutEnd: H,
    innerCutoff,
    windows,
    ...(windows.outerLabelDays < holdoutDays ? { labelWindowNote: describeLabelWindows(span.days, windows.outerLabelDays) } : {}),
    churnHorizon,
    holdoutDays,
    timeUnit,
    customers: s3.customerIds.length,
    featureModel,
    featureNames,
    candidates: candidates.map((c) => ({ ...c, chosen: c === winner })),
    chosen: winner.name,
    reason,
    bestInHindsight,
    learnedModels,
    lift: { chosen: computeDecileLift(s3.label, holdoutPredicted.get(winner.name)!), btyd: computeDecileLift(s3.label, holdoutPredicted.get(btydBest.name)!), btydLabel: btydBest.label },
  };
  return { result, ...(churn ? { churn } : {}), ...(regularAtC ? { regularityAtC: regularAtC } : {}) };
}
