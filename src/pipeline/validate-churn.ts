/**
 * The churn early warning checked on data it never saw: the classifier
 * (models/learned/churn-classifier.ts) is trained on a cut-off before C with
 * the following L days as outcome, scores every customer at C, and is scored
 * against (C, C + L] — side by side with 1 − P(alive) at C of the BTYD
 * feature model or, when given, of another model (`pAlive`: the MBG/CNBD-k
 * winner whose P(alive) customers.csv carries); `pAliveModel` names which.
 * Without that override, and given the horizon in time units, also with the
 * feature model's P(no purchase in the next L days) at C (`btydNoPurchase`):
 * the score customers.csv holds when the learned model loses (churn-source.ts).
 */
import { addDays } from '../core/calendar-days.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { evaluateChurnScores, type ChurnScorecard } from '../models/evaluate-churn-scores.js';
import { computeDecileLift, type DecileLiftRow } from '../models/learned/decile-lift.js';
import { fitChurnClassifier, noPurchaseOutcome } from '../models/learned/churn-classifier.js';
import { predictGradientBoosting } from '../models/learned/predict-gradient-boosting.js';
import { topDrivers } from '../models/learned/tree-contributions.js';
import { computeTreeShap } from '../models/learned/tree-shap.js';
import { predictPerCustomer, snapshotReader, type BtydFeatureFit, type LearnedSnapshot, type SnapshotReader } from './learned-snapshot.js';

export interface ChurnComparison {
  readonly horizonDays: number;
  readonly learned: ChurnScorecard;
  /** 1 − P(alive) of the model `pAliveModel` names */
  readonly btydOneMinusPAlive: ChurnScorecard;
  /**
   * P(no purchase in the next `horizonDays` days) at C of the same model (`pAliveModel`), the BTYD score customers.csv
   * holds when the learned model loses; absent for an MBG/CNBD-k P(alive) (no such probability) or without `horizon`
   */
  readonly btydNoPurchase?: ChurnScorecard;
  /** the model whose P(alive) was compared (e.g. BG/NBD, MBG/CNBD-12), and whose P(no purchase) when there is one */
  readonly pAliveModel: string;
  /** lift and cumulative gain by decile of the churn score, for each score (outcome: churned 0/1) */
  readonly lift: { readonly learned: readonly DecileLiftRow[]; readonly btydOneMinusPAlive: readonly DecileLiftRow[]; readonly btydNoPurchase?: readonly DecileLiftRow[] };
  /** a few customers' top drivers of the learned churn probability (TreeSHAP, log-odds) */
  readonly exampleDrivers: readonly { readonly probability: number; readonly drivers: readonly { feature: string; contribution: number }[] }[];
}

export interface ChurnInput {
  readonly train: LearnedSnapshot;
  readonly trainColumns: readonly Float64Array[];
  readonly s3: LearnedSnapshot;
  readonly x3: readonly Float64Array[];
  readonly featureNames: readonly string[];
  readonly seed: number;
  readonly labelDays: number;
  readonly C: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  readonly s3Fit: BtydFeatureFit;
  /** P(alive) per customer of s3 from another model, and its label (default: s3Fit's model) */
  readonly pAlive?: { readonly label: string; readonly values: Float64Array };
  /** `labelDays` in time units: with it (and no `pAlive`), s3Fit's P(no purchase in that window) is scored too */
  readonly horizon?: number;
  /** the run's snapshots (learned-snapshot.ts; default: this call's own) */
  readonly snapshots?: SnapshotReader;
}

/** Fit the churn classifier on the outer training cut-off (no purchase in the next L days), score at C against (C, C + L]. */
export async function validateChurn(warehouse: Warehouse, input: ChurnInput): Promise<ChurnComparison> {
  const { train, trainColumns, s3, x3, featureNames, seed } = input;
  const outcomeWindow = s3.labelEnd === addDays(input.C, input.labelDays) ? s3 : await (input.snapshots ?? snapshotReader(warehouse)).read({ asOf: input.C, labelEnd: addDays(input.C, input.labelDays), timeUnit: input.timeUnit, grain: input.grain });
  const model = fitChurnClassifier({ columns: trainColumns, label: noPurchaseOutcome(train.label) }, { featureNames, seed });
  const probability = predictGradientBoosting(model, x3);
  const outcome = noPurchaseOutcome(outcomeWindow.label);
  const pAlive = input.pAlive?.values ?? predictPerCustomer(s3.rfm, (t) => input.s3Fit.model.probabilityAliveAll(input.s3Fit.fitted, t));
  // the drivers of three example rows only: TreeSHAP of those rows alone (a row's values do not depend on the other
  // rows'), not of every customer's — 5 s of a 130,000-customer analyze; leaf tables, as a shop of 2^depth customers
  // or more takes them for the whole set
  const exampleRows = s3.label.length === 0 ? [] : [0, Math.floor(s3.label.length / 2), s3.label.length - 1];
  const shap = computeTreeShap(model, x3.map((column) => Float64Array.from(exampleRows, (row) => column[row]!)), 0, { leafTables: true });
  const examples = exampleRows.map((row, k) => ({ probability: probability[row]!, drivers: topDrivers(model, shap, k, 3) }));
  const oneMinusPAlive = pAlive.map((p) => 1 - p);
  // the score written when the learned model loses (learned-step.ts), fitted at C as P(alive) is
  const { horizon } = input;
  const noPurchase = input.pAlive || horizon === undefined ? undefined : predictPerCustomer(s3.rfm, (t) => input.s3Fit.model.noPurchaseProbabilityAll(input.s3Fit.fitted, horizon, t));
  return {
    horizonDays: input.labelDays,
    pAliveModel: input.pAlive?.label ?? input.s3Fit.model.label,
    learned: evaluateChurnScores(outcome, probability, { seed }),
    btydOneMinusPAlive: evaluateChurnScores(outcome, oneMinusPAlive, { seed }),
    ...(noPurchase ? { btydNoPurchase: evaluateChurnScores(outcome, noPurchase, { seed }) } : {}),
    lift: { learned: computeDecileLift(outcome, probability), btydOneMinusPAlive: computeDecileLift(outcome, oneMinusPAlive), ...(noPurchase ? { btydNoPurchase: computeDecileLift(outcome, noPurchase) } : {}) },
    exampleDrivers: examples,
  };
}
