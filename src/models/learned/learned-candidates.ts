/**
 * The learned purchase models that stand in the tournament next to the BTYD
 * models: gradient-boosted trees with a Poisson, Tweedie or zero-inflated
 * lognormal (ZILN, Wang, Liu & Miao 2019) loss, and a ridge Poisson GLM as
 * the linear baseline. Each is trained on per-customer features as of one
 * cut-off with the purchases of the window that follows as the label, and
 * predicts expected purchases in a window of the same length.
 *
 * `gbt-btyd` boosts from the BTYD model's own prediction: the column
 * `btyd_expected_purchases` (over the label window) enters as a per-row
 * offset, log(max(E[X], 1e-6)), and Poisson trees learn multiplicative
 * corrections to it — the BTYD model's total and its drift with the
 * customers' age are kept unless the features say otherwise.
 *
 * Early stopping needs rows the trees do not train on: a seeded 20% of the
 * training customers (never the later windows, which the tournament keeps
 * for scoring). The same data, names and seed give the same model.
 *
 * Example: `fitLearnedCandidate('gbt-poisson', { columns, label }, { featureNames, seed: 1 })`
 * → `{ name: 'gbt-poisson', label: 'GBT (Poisson)', model: { kind: 'gradient-boosted-trees', … } }`
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom } from '../../math/random.js';
import { fitGradientBoosting, type GradientBoostedModel, type GradientBoostingOptions } from './gradient-boosting.js';
import type { LearnedData } from './learned-data.js';
import { fitLinearModel, predictLinearModel, type LinearModel } from './linear-model.js';
import { predictGradientBoosting } from './predict-gradient-boosting.js';

export type LearnedCandidateName = 'gbt-poisson' | 'gbt-tweedie' | 'gbt-ziln' | 'gbt-btyd' | 'linear-poisson';
export const LEARNED_CANDIDATE_NAMES: readonly LearnedCandidateName[] = ['gbt-poisson', 'gbt-tweedie', 'gbt-ziln', 'gbt-btyd', 'linear-poisson'];

/** The feature column `gbt-btyd` boosts from. */
export const BTYD_BASE_FEATURE = 'btyd_expected_purchases';

export const LEARNED_CANDIDATE_LABELS: Readonly<Record<LearnedCandidateName, string>> = {
  'gbt-poisson': 'GBT (Poisson)',
  'gbt-tweedie': 'GBT (Tweedie)',
  'gbt-ziln': 'GBT (ZILN)',
  'gbt-btyd': 'GBT on BTYD (Poisson)',
  'linear-poisson': 'Poisson GLM',
};

export interface LearnedCandidateOptions {
  readonly featureNames: readonly string[];
  /** seed of the validation split and the row sampling (default 1) */
  readonly seed?: number;
  /** share of the training customers held out for early stopping (default 0.2) */
  readonly validationShare?: number;
}

export interface FittedLearnedCandidate {
  readonly name: LearnedCandidateName;
  readonly label: string;
  readonly model: GradientBoostedModel | LinearModel;
  /**
   * GLM only: each feature's training range [min, max]. Scoring values are
   * clamped to it: a log-linear model extrapolates exponentially (scoring
   * customers are older than any training customer), trees do not.
   */
  readonly ranges?: readonly (readonly [number, number])[];
}

/** Smallest and largest non-missing value of each column. */
export function computeFeatureRanges(columns: readonly Float64Array[]): [number, number][] {
  return columns.map((column) => {
    let low = Infinity, high = -Infinity;
    for (const v of column) if (v === v) (low = Math.min(low, v)), (high = Math.max(high, v));
    return [low, high];
  });
}

function clampColumns(columns: readonly Float64Array[], ranges: readonly (readonly [number, number])[]): Float64Array[] {
  return columns.map((column, f) => {
    const [low, high] = ranges[f]!;
    // a feature no training row had is unknown to the model: missing (imputed at the mean) for every row
    if (!(low <= high)) return new Float64Array(column.length).fill(NaN);
    return column.map((v) => (v < low ? low : v > high ? high : v)); // NaN stays NaN (imputed at the mean)
  });
}

/** log(max(E[X], 1e-6)) of the BTYD prediction column (see the file header). */
function btydOffset(columns: readonly Float64Array[], featureNames: readonly string[]): Float64Array {
  const f = featureNames.indexOf(BTYD_BASE_FEATURE);
  if (f < 0) throw new UserError(`gbt-btyd needs the feature ${BTYD_BASE_FEATURE}`, 'add the BTYD outputs to the features (pipeline/learned-snapshot.ts withBtydFeatures)');
  return columns[f]!.map((v) => Math.log(v > 1e-6 ? v : 1e-6)); // NaN (no BTYD value) becomes the floor too: v > 1e-6 is false
}

/** Tree settings shared by the boosted candidates: shallow trees, slow learning, early stopping. */
export const LEARNED_TREE_SETTINGS: Omit<GradientBoostingOptions, 'loss'> = {
  rounds: 400,
  learningRate: 0.05,
  maxDepth: 4,
  maxLeaves: 15,
  minChildRows: 20,
  l2: 1,
  subsample: 0.8,
  earlyStoppingRounds: 30,
};

/** Split rows into a training part and a held-out part (seeded Bernoulli draw per row). */
export function splitValidationRows(data: LearnedData, share: number, seed: number): { train: LearnedData; validation: LearnedData } {
  const random = createRandom(seed);
  const rows = data.label.length;
  const inValidation = new Uint8Array(rows);
  let held = 0;
  for (let i = 0; i < rows; i++) if (random.uniform() < share) (inValidation[i] = 1), held++;
  const take = (values: Float64Array, flag: number) => {
    const out = new Float64Array(flag === 1 ? held : rows - held);
    for (let i = 0, k = 0; i < rows; i++) if (inValidation[i] === flag) out[k++] = values[i]!;
    return out;
  };
  const part = (flag: number): LearnedData => ({ columns: data.columns.map((c) => take(c, flag)), label: take(data.label, flag), ...(data.offset ? { offset: take(data.offset, flag) } : {}) });
  return { train: part(0), validation: part(1) };
}

/** Train one candidate on per-customer features and next-window purchases. */
export function fitLearnedCandidate(name: LearnedCandidateName, data: LearnedData, options: LearnedCandidateOptions): FittedLearnedCandidate {
  const seed = options.seed ?? 1;
  const label = LEARNED_CANDIDATE_LABELS[name];
  if (name === 'linear-poisson') {
    return { name, label, model: fitLinearModel(data, { family: 'poisson', l2: 1e-2, featureNames: options.featureNames }), ranges: computeFeatureRanges(data.columns) };
  }
  const offset = name === 'gbt-btyd' ? btydOffset(data.columns, options.featureNames) : undefined;
  const { train, validation } = splitValidationRows(offset ? { ...data, offset } : data, options.validationShare ?? 0.2, seed);
  const loss = name === 'gbt-poisson' || name === 'gbt-btyd' ? 'poisson' : name === 'gbt-tweedie' ? 'tweedie' : 'ziln';
  const model = fitGradientBoosting(train, { ...LEARNED_TREE_SETTINGS, loss, seed, featureNames: options.featureNames, validation });
  return { name, label, model };
}

/** Expected purchases per row of `columns` (the features, in the order trained on). */
export function predictLearnedCandidate(fitted: FittedLearnedCandidate, columns: readonly Float64Array[]): Float64Array {
  if (fitted.model.kind === 'gradient-boosted-trees') {
    return predictGradientBoosting(fitted.model, columns, fitted.model.usesOffset ? btydOffset(columns, fitted.model.featureNames) : undefined);
  }
  return predictLinearModel(fitted.model, fitted.ranges ? clampColumns(columns, fitted.ranges) : columns);
}
