/**
 * The learned step of `analyze`, after the value step:
 *
 * 1. churn early warning for every customer: the classifier
 *    (models/learned/churn-classifier.ts) is trained on features as of
 *    asOf − L with "no purchase in the next L days" as outcome, and scores
 *    the features as of asOf; BTYD features come from the value step's
 *    chosen model (its final fit at asOf). Written to `customer_churn`
 *    (churn_probability, churn_risk_band, churn_top_drivers: TreeSHAP) —
 *    only where it ranked the validation window (2) better than the
 *    BTYD score written in its place; else BTYD stays the default: the value model's P(no
 *    purchase in the next L days) at asOf (1 − P(alive) of an MBG/CNBD-k
 *    winner), no drivers, and the card's `churn.source` says which
 *    (churn-source.ts). Risk bands by rank (churnRiskBands).
 *    When the training labels hold one class only (nobody churned, or
 *    everybody did), nothing is trained and `customer_churn` stays empty:
 *    the card's `churn.scoresSkipped` says why (churnScoresSkipped).
 *    L is the value step's holdout length, shortened to ⅔ of the history
 *    before the value step's calibration end when that is shorter, or
 *    `churnDays` (--churn-days) when the windows hold it (churn-horizon.ts).
 * 2. the same classifier checked on data it never saw (validate-churn.ts):
 *    trained at C − L, scored at C against (C, C + L], next to 1 − P(alive)
 *    of the model whose P(alive) customer_scores carry: the value step's
 *    model, or an MBG/CNBD-k winner (fitted up to C with the tournament's
 *    k; `validation.pAliveModel` names it). Run after 3 for that reason.
 * 3. with `tournament`, the honest tournament (honest-tournament.ts) on the
 *    value step's split (C = its calibration end, H = asOf): which candidate
 *    the honest choice picks. When it picks a learned model, that model
 *    scores the customers (learned-scores.ts): customer_scores' expected
 *    purchases and predicted CLV become its predictions (card `scores`).
 *    When it picks MBG/CNBD-k, MBG/CNBD-k refitted at asOf with the
 *    tournament's k does (regularity-scores.ts): P(alive), expected
 *    purchases, predicted CLV and next-order dates.
 */
import { addDays, daysBetween } from '../core/calendar-days.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { compressRfm, withPositiveAge } from '../models/compress-rfm.js';
import type { PurchaseFit, PurchaseModelName } from '../models/btyd/purchase-models.js';
import { churnRiskBands, CHURN_RISK_BANDS, describeChurnDrivers, fitChurnClassifier, noPurchaseOutcome } from '../models/learned/churn-classifier.js';
import { predictGradientBoosting } from '../models/learned/predict-gradient-boosting.js';
import { getPurchaseModel } from '../models/model-registry.js';
import { fitRegularity, regularityPAlive, runHonestTournamentWithFits, type HonestTournamentResult } from './honest-tournament.js';
import type { MbgCnbdFit } from '../models/mbgcnbd/mbgcnbd.js';
import type { HonestWindowWords } from './honest-windows.js';
import { writeLearnedScores, type LearnedScoresCard, type LearnedScoresKept } from './learned-scores.js';
import type { LearnedCandidateName } from '../models/learned/learned-candidates.js';
import { chooseChurnSource, type ChurnSource } from './churn-source.js';
import { btydFeatureFit, BTYD_FEATURE_NAMES, MODEL_FEATURE_NAMES, predictPerCustomer, snapshotReader, withBtydFeatures, type BtydFeatureFit, type LearnedSnapshot, type SnapshotReader } from './learned-snapshot.js';
import { validateChurn, type ChurnComparison } from './validate-churn.js';
import { planChurnHorizon, type ChurnDaysWords, type ChurnHorizonChoice } from './churn-horizon.js';
import { writeRegularityScores, type RegularityScoresCard, type RegularityScoresKept } from './regularity-scores.js';
import { FIT_TIME_BUDGET_MS } from './value-step.js';
import { CLV_CONTRACT_MONTHS, requestedHorizonSchedule, valueClvSchedule } from './value-clv-columns.js';

export interface LearnedStepOptions {
  readonly asOf: string;
  /** the value step's calibration end (its holdout runs to asOf) */
  readonly calibrationEnd: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** the value step's chosen model and its final fit (at asOf) */
  readonly purchaseModel: PurchaseModelName;
  readonly purchaseFit: PurchaseFit;
  readonly seed?: number;
  /** also run the honest tournament with the learned candidates (slower) */
  readonly tournament?: boolean;
  /** the value step's CLV settings (run.json valueModel.clv): a tournament winner prices its purchases on the same schedule */
  readonly clv: { readonly horizonMonths: number; readonly discountRatePerYear: number; readonly margin?: number; readonly intervalLevel?: number };
  /** the tournament's learned candidates (default: all of them; `[]`: BTYD and MBG/CNBD-k only) */
  readonly learnedCandidates?: readonly LearnedCandidateName[];
  /** MBG/CNBD-k takes part in the tournament (default true) */
  readonly regularity?: boolean;
  /** what lengthens windows too short for the tournament, in the run's words (honest-windows.ts; default `validate`'s) */
  readonly windowWords?: HonestWindowWords;
  /** N of the churn early warning (default: the holdout length when the windows hold it, else the longest that fits) */
  readonly churnDays?: number;
  /** how a churnDays the windows cannot hold is refused, in the run's words (default --churn-days) */
  readonly churnWords?: ChurnDaysWords;
  /**
   * false: no churn early warning (analyze --no-churn): only the honest tournament (`tournament`) and its winner's
   * scores; the card has no `churn` and customer_churn is not written (default true)
   */
  readonly churn?: boolean;
}

export interface LearnedCard {
  /** absent when the churn early warning was not asked for (`churn: false`, analyze --no-churn) */
  readonly churn?: {
    /** N: the churn label is "no purchase in the next N days" */
    readonly horizonDays: number;
    /** how N was chosen: the holdout length, asked for (--churn-days, churnDays), or the longest the history holds */
    readonly horizonChosen: ChurnHorizonChoice;
    /** the same in one plain clause, in the run's words; when shortened, why, and what the churn figures then measure */
    readonly horizonReason: string;
    readonly trainedAsOf: string;
    /**
     * the risk bands by rank (churn-classifier.ts churnRiskBands): `highShare` and `mediumShare` of the customers, and the
     * lowest churn_probability banded high and medium in this run (NaN — null — when nobody was scored)
     */
    readonly bands: typeof CHURN_RISK_BANDS & { readonly high: number; readonly medium: number };
    /** absent when no classifier was trained (`scoresSkipped`) */
    readonly model?: { readonly params: Record<string, number | string>; readonly bestIteration: number; readonly roundsTrained: number };
    /** mean |TreeSHAP| per feature over every customer (log-odds), largest first; empty when no classifier was trained */
    readonly drivers: readonly { readonly feature: string; readonly value: number }[];
    /**
     * present when the training window's labels hold one class only (no churner, or nobody who bought again): there is
     * nothing to learn, so no classifier is trained, customer_churn stays empty (customers.csv's churn columns empty),
     * `drivers` is empty and `meanProbability` NaN; this says why (churnScoresSkipped)
     */
    readonly scoresSkipped?: string;
    /**
     * where customers.csv's churn_probability comes from (churn-source.ts): the learned model where it ranked the
     * validation window better than the BTYD score that would be written in its place, else the BTYD model's P(no purchase in the next N days) (or, for
     * MBG/CNBD-k, 1 − P(alive)) — then no classifier is trained at asOf: `model` absent, `drivers` and churn_top_drivers
     * empty. Absent with `scoresSkipped`.
     */
    readonly source?: ChurnSource;
    /** the model that `source` names (the learned classifier, or the BTYD model's label) */
    readonly sourceModel?: string;
    /** why, in one sentence, with both AUCs */
    readonly sourceReason?: string;
    /** scored on data it never saw, next to 1 − P(alive) */
    readonly validation: Omit<ChurnComparison, 'exampleDrivers'>;
    readonly meanProbability: number;
  };
  /** present with `tournament` */
  readonly tournament?: Omit<HonestTournamentResult, 'churn'>;
  /**
   * why the honest tournament ran (set by the learned stage, present with `tournament`): `asked` — the run asked for it
   * (analyze --learned-tournament, `learnedTournament` in POST /api/runs); `steady-buyers` — the value model's fit showed
   * steady buyers, so the regularity check ran it unasked with MBG/CNBD-k as its challenger
   */
  readonly tournamentRanFor?: 'asked' | 'steady-buyers';
  /** present when the tournament chose a learned model or MBG/CNBD-k: it wrote customer_scores' purchases and CLV (and, MBG/CNBD-k, P(alive) and next-order dates) */
  readonly scores?: LearnedScoresCard | RegularityScoresCard;
  /** present when the tournament chose MBG/CNBD-k but its refit at asOf failed (not converged, non-finite estimates or predictions), or GBT on BTYD but its BTYD feature fits at asOf − L and asOf are in different regimes (learned-scores.ts): customer_scores keep the value model's scores, and this says why */
  readonly scoresKept?: string;
  /**
   * present when the tournament chose a BTYD model other than the value model: customer_scores keep the value model's
   * scores (only a learned or MBG/CNBD-k winner rewrites them), and this says so and why the two choices differ
   */
  readonly valueModelScores?: string;
}

/**
 * Why the churn classifier is not trained, or undefined when it is: its training labels ("no purchase in the next L
 * days" as of `trainedAsOf`) need churners and customers who bought again, and with one kind only every score it wrote
 * would be the same constant (0 or 1), its bands one band and its TreeSHAP drivers all 0 — a ranking of nothing.
 *
 * Example: 250 monthly buyers, L = 66 → "no churn scores: all 250 customers of the training window bought again within
 * 66 days of 2022-05-14, so there was no churner to learn from; customers.csv's churn_probability, churn_risk_band and
 * churn_top_drivers are empty"
 */
export function churnScoresSkipped(noPurchase: Float64Array, labelDays: number, trainedAsOf: string): string | undefined {
  let churners = 0;
  for (const y of noPurchase) churners += y;
  const customers = noPurchase.length;
  if (customers > 0 && churners > 0 && churners < customers) return undefined;
  const empty = "customers.csv's churn_probability, churn_risk_band and churn_top_drivers are empty";
  const n = customers.toLocaleString('en-US');
  if (customers === 0) return `no churn scores: no customer had bought by ${trainedAsOf}, the start of the churn model's training window, so there was nothing to learn from; ${empty}`;
  if (churners === 0) return `no churn scores: all ${n} customers of the training window bought again within ${labelDays} days of ${trainedAsOf}, so there was no churner to learn from; ${empty}`;
  return `no churn scores: none of the ${n} customers of the training window bought again within ${labelDays} days of ${trainedAsOf}, so there was no customer who stayed to learn from; ${empty}`;
}

const CREATE_CHURN_TABLE = 'CREATE OR REPLACE TABLE customer_churn (customer_id VARCHAR, churn_probability DOUBLE, churn_risk_band VARCHAR, churn_top_drivers VARCHAR)';

/**
 * Whose scores customer_scores carry when the honest tournament chose a BTYD model other than the value model M, or
 * undefined (the winner is M, or not a BTYD model). A BTYD winner never rewrites the scores: M was chosen by the same
 * rule (model-tournament.ts) on the value step's holdout (C, asOf], the honest tournament's BTYD model on its inner
 * window (C′, C], which it chose without looking at the holdout — two windows, two choices.
 *
 * Example: Pareto/NBD chosen, M = MBG/NBD → "customer_scores keep MBG/NBD's scores (the value model, chosen on the holdout 2022-09-01 → 2022-12-31 and refitted on all data): the honest tournament chose Pareto/NBD, a BTYD model, on its inner window 2022-06-12 → 2022-09-01, and a BTYD winner does not replace the value model — only a learned model or MBG/CNBD-k does"
 */
export function describeValueModelScores(tournament: Pick<HonestTournamentResult, 'candidates' | 'innerCutoff' | 'calibrationEnd'>, valueModel: PurchaseModelName, asOf: string): string | undefined {
  const winner = tournament.candidates.find((c) => c.chosen);
  if (winner?.family !== 'btyd' || winner.name === valueModel) return undefined;
  const m = getPurchaseModel(valueModel).label;
  return `customer_scores keep ${m}'s scores (the value model, chosen on the holdout ${tournament.calibrationEnd} → ${asOf} and refitted on all data): the honest tournament chose ${winner.label}, a BTYD model, on its inner window ${tournament.innerCutoff} → ${tournament.calibrationEnd}, and a BTYD winner does not replace the value model — only a learned model or MBG/CNBD-k does`;
}

function meanOf(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? NaN : sum / values.length;
}

/**
 * customer_churn's rows: each customer's probability, its risk band by rank within the run (churnRiskBands) and its
 * top drivers (none for a BTYD source); returns the bands as the card holds them (shares and this run's cut-offs).
 */
async function writeChurnScores(warehouse: Warehouse, customerIds: readonly string[], probability: Float64Array, drivers: string[] | null): Promise<NonNullable<LearnedCard['churn']>['bands']> {
  const banded = churnRiskBands(probability);
  await warehouse.append('customer_churn', {
    customer_id: customerIds as string[],
    churn_probability: banded.printed, // as customers.csv prints it: the bands were cut on these values
    churn_risk_band: banded.bands,
    churn_top_drivers: drivers ?? new Array<string | null>(probability.length).fill(null),
  });
  return { ...CHURN_RISK_BANDS, ...banded.cutoffs };
}

/** 1 − customer_scores.p_alive (an MBG/CNBD-k winner's, refitted at asOf) in the order of `customerIds`; NaN where missing. */
async function oneMinusPAliveOfScores(warehouse: Warehouse, customerIds: readonly string[]): Promise<Float64Array> {
  const pAlive = new Map((await warehouse.query('SELECT customer_id, p_alive FROM customer_scores')).map((r) => [String(r.customer_id), Number(r.p_alive)]));
  return Float64Array.from(customerIds, (id) => 1 - (pAlive.get(id) ?? NaN));
}

/** The tournament's winner scores the customers unless it is a BTYD model (the value step's scores stay): see learned-scores.ts, regularity-scores.ts. */
async function writeWinnerScores(warehouse: Warehouse, tournament: NonNullable<LearnedCard['tournament']>, options: LearnedStepOptions, snapshots: SnapshotReader): Promise<LearnedCard['scores'] | RegularityScoresKept | LearnedScoresKept> {
  const winner = tournament.candidates.find((c) => c.chosen);
  const { asOf, timeUnit, grain, purchaseModel, purchaseFit } = options;
  if (winner?.family === 'learned') {
    const labelDays = tournament.windows.outerLabelDays;
    return writeLearnedScores(warehouse, { asOf, timeUnit, grain, winner: winner.name as LearnedCandidateName, labelDays, featureModel: tournament.featureModel, purchaseModel, purchaseFit, seed: options.seed ?? 1, snapshots });
  }
  if (winner?.family === 'regularity') {
    // predicted_clv_12m over 12 months whatever --horizon-months says; that horizon, when not 12, beside it
    const clvSchedule = valueClvSchedule(CLV_CONTRACT_MONTHS, options.clv.discountRatePerYear, timeUnit);
    const horizonClvSchedule = requestedHorizonSchedule(options.clv.horizonMonths, options.clv.discountRatePerYear, timeUnit);
    // the CLV intervals MBG/CNBD-k's own, drawn as the value step drew M's (its margin and level; no level: none)
    const { margin = 1, intervalLevel } = options.clv;
    const intervals = intervalLevel !== undefined ? { margin, level: intervalLevel } : undefined;
    return writeRegularityScores(warehouse, { asOf, timeUnit, grain, k: winner.k!, horizonDays: tournament.holdoutDays, purchaseModel, purchaseFit, clvSchedule, horizonClvSchedule, snapshots, ...(intervals ? { intervals } : {}) });
  }
  return undefined;
}

/**
 * The honest tournament on the value step's split (3. in the file header), without its churn validation: not run, as
 * nothing here reads it — the card's churn validation (2.) is the learned step's own, with the value model's BTYD
 * features (the tournament's come from its inner window's BTYD winner, which may be another model), and `churn: false`
 * has none.
 */
async function honestTournament(warehouse: Warehouse, options: LearnedStepOptions, seed: number, snapshots: SnapshotReader): Promise<{ tournament: NonNullable<LearnedCard['tournament']>; regularityAtC: MbgCnbdFit | undefined }> {
  const { asOf, calibrationEnd: C, timeUnit, grain } = options;
  const withFits = await runHonestTournamentWithFits(warehouse, { calibrationEnd: C, holdoutEnd: asOf, timeUnit, grain, seed, ...(options.learnedCandidates ? { learned: options.learnedCandidates } : {}), ...(options.regularity !== undefined ? { regularity: options.regularity } : {}), ...(options.windowWords ? { windowWords: options.windowWords } : {}), ...(options.churnDays !== undefined ? { churnDays: options.churnDays } : {}), ...(options.churnWords ? { churnWords: options.churnWords } : {}), snapshots }, { churn: false });
  // the tournament's MBG/CNBD-k fit on the history as of C, which the churn validation reuses
  return { tournament: withFits.result, regularityAtC: withFits.regularityAtC };
}

/** `churn: false`: the honest tournament and its winner's scores, no churn early warning (the card has no `churn`). */
async function runTournamentOnly(warehouse: Warehouse, options: LearnedStepOptions, seed: number): Promise<LearnedCard> {
  const snapshots = snapshotReader(warehouse);
  const { tournament } = await honestTournament(warehouse, options, seed, snapshots);
  const written = await writeWinnerScores(warehouse, tournament, options, snapshots);
  const valueModelScores = describeValueModelScores(tournament, options.purchaseModel, options.asOf);
  return {
    tournament,
    ...(written && !('kept' in written) ? { scores: written } : {}),
    ...(written && 'kept' in written ? { scoresKept: written.kept } : {}),
    ...(valueModelScores ? { valueModelScores } : {}),
  };
}

/**
 * Run the learned step (see the file header). Writes `customer_churn` (one
 * row per customer of `customer_summary`) and returns the card, or null —
 * with `customer_churn` empty, so customers.csv shows empty churn columns —
 * when the history is too short for a churn label.
 */
export async function runLearnedStep(warehouse: Warehouse, options: LearnedStepOptions): Promise<LearnedCard | null> {
  const { asOf, calibrationEnd: C, timeUnit, grain } = options;
  const seed = options.seed ?? 1;
  if (options.churn === false) return options.tournament ? runTournamentOnly(warehouse, options, seed) : null;
  const d = warehouse.dialect;
  const [span] = await warehouse.query(`SELECT ${d.daysBetween('min(ts)', d.timestamp(`${C}T00:00:00`))} AS days, count(amount) AS valued FROM transactions WHERE NOT is_return`);
  // a churnDays the windows cannot hold is refused before anything is written or fitted
  const horizonPlan = planChurnHorizon({ calibrationDays: Number(span!.days), holdoutDays: daysBetween(C, asOf) }, options.churnDays, options.churnWords);
  await warehouse.execute(CREATE_CHURN_TABLE);
  if (horizonPlan === null) return null;
  const L = horizonPlan.days;
  const withValues = Number(span!.valued) > 0;
  const horizon = L / DAYS_PER_UNIT[timeUnit];
  const featureNames = [...MODEL_FEATURE_NAMES, ...BTYD_FEATURE_NAMES];
  // each window read once in the run: the tournament, the scores of its winner and the churn step share several (learned-snapshot.ts)
  const snapshots = snapshotReader(warehouse);
  const snapshot = (at: string, labelEnd?: string) => snapshots.read({ asOf: at, timeUnit, grain, ...(labelEnd ? { labelEnd } : {}) });
  // one fit per window: with the holdout as the churn horizon (the default), the validation's scoring window C → C + L and
  // the classifier's training window asOf − L → asOf are one snapshot, and its purchase and spend fits were made twice
  const fits = new Map<LearnedSnapshot, BtydFeatureFit>();
  const fitAt = (s: LearnedSnapshot) => {
    let fit = fits.get(s);
    if (!fit) {
      fit = btydFeatureFit(options.purchaseModel, getPurchaseModel(options.purchaseModel).fit(withPositiveAge(compressRfm(s.rfm).tuples), { timeBudgetMs: FIT_TIME_BUDGET_MS }), s, withValues);
      fits.set(s, fit);
    }
    return fit;
  };

  // 3. first, so that the validation compares with the P(alive) customer_scores will carry
  const honest = options.tournament ? await honestTournament(warehouse, options, seed, snapshots) : undefined;
  const tournament = honest?.tournament;
  const regularityAtC = honest?.regularityAtC;
  const written = tournament ? await writeWinnerScores(warehouse, tournament, options, snapshots) : undefined;
  const scores = written && !('kept' in written) ? written : undefined;
  const valueModelScores = tournament ? describeValueModelScores(tournament, options.purchaseModel, asOf) : undefined;

  // 2. validation: trained at C − L, scored at C against (C, C + L], next to 1 − P(alive) of the model whose P(alive) customer_scores carry
  const validationTrain = await snapshot(addDays(C, -L), C);
  const validationScore = await snapshot(C, addDays(C, L));
  const validationScoreFit = fitAt(validationScore);
  // MBG/CNBD-k at the chosen k on the history as of C: the tournament's own fit there (the same data, searched to that k), not a refit
  const pAlive = scores?.model === 'mbgcnbd' ? regularityPAlive(validationScore, regularityAtC?.k === scores.k ? regularityAtC : fitRegularity(validationScore, scores.k)) : undefined;
  const { exampleDrivers: _examples, ...validation } = await validateChurn(warehouse, {
    train: validationTrain,
    trainColumns: withBtydFeatures(validationTrain, fitAt(validationTrain), horizon),
    s3: validationScore,
    x3: withBtydFeatures(validationScore, validationScoreFit, horizon),
    featureNames,
    seed,
    labelDays: L,
    C,
    timeUnit,
    grain,
    s3Fit: validationScoreFit,
    horizon,
    snapshots,
    ...(pAlive ? { pAlive } : {}),
  });

  // 1. scores at asOf from a classifier trained at asOf − L
  const train = await snapshot(addDays(asOf, -L), asOf);
  const label = noPurchaseOutcome(train.label);
  const common = { horizonDays: L, horizonChosen: horizonPlan.chosen, horizonReason: horizonPlan.reason, trainedAsOf: addDays(asOf, -L), bands: { ...CHURN_RISK_BANDS, high: NaN, medium: NaN } };
  const rest = {
    ...(tournament ? { tournament } : {}),
    ...(scores ? { scores } : {}),
    ...(written && 'kept' in written ? { scoresKept: written.kept } : {}),
    ...(valueModelScores ? { valueModelScores } : {}),
  };
  // one class only in the training labels: nothing to learn, customer_churn stays empty (see churnScoresSkipped)
  const scoresSkipped = churnScoresSkipped(label, L, common.trainedAsOf);
  if (scoresSkipped) return { churn: { ...common, drivers: [], validation, meanProbability: NaN, scoresSkipped }, ...rest };
  const score = await snapshot(asOf);
  // BTYD stays the default where the learned model does not rank the validation window better (churn-source.ts)
  const regularityPAliveScores = scores?.model === 'mbgcnbd';
  const btydLabel = regularityPAliveScores ? validation.pAliveModel : getPurchaseModel(options.purchaseModel).label;
  const choice = chooseChurnSource(validation, btydLabel, !regularityPAliveScores);
  if (choice.source !== 'learned') {
    const probability = choice.source === 'btyd-no-purchase' ? predictPerCustomer(score.rfm, (t) => getPurchaseModel(options.purchaseModel).noPurchaseProbabilityAll(options.purchaseFit, horizon, t)) : await oneMinusPAliveOfScores(warehouse, score.customerIds);
    const bands = await writeChurnScores(warehouse, score.customerIds, probability, null);
    const source = { source: choice.source, sourceModel: btydLabel, sourceReason: choice.reason };
    return { churn: { ...common, bands, drivers: [], ...source, validation, meanProbability: meanOf(probability) }, ...rest };
  }
  const model = fitChurnClassifier({ columns: withBtydFeatures(train, fitAt(train), horizon), label }, { featureNames, seed });
  const scoreColumns = withBtydFeatures(score, btydFeatureFit(options.purchaseModel, options.purchaseFit, score, withValues), horizon);
  const probability = predictGradientBoosting(model, scoreColumns);
  const drivers = describeChurnDrivers(model, scoreColumns);
  const bands = await writeChurnScores(warehouse, score.customerIds, probability, drivers.perRow as string[]);
  const { loss, learningRate, maxDepth, maxLeaves, rounds, subsample, l2 } = model.params;

  return {
    churn: {
      ...common,
      bands,
      model: { params: { loss, learningRate, maxDepth, maxLeaves, rounds, subsample, l2 }, bestIteration: model.bestIteration, roundsTrained: model.roundsTrained },
      drivers: drivers.meanAbsolute,
      source: choice.source,
      sourceModel: 'gradient-boosted trees (logistic)',
      sourceReason: choice.reason,
      validation,
      meanProbability: meanOf(probability),
    },
    ...rest,
  };
}
