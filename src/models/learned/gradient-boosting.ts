/**
 * Histogram gradient-boosted regression trees (Friedman 2001, "Greedy
 * function approximation: a gradient boosting machine", Ann. Statist. 29(5);
 * second-order steps as in Chen & Guestrin 2016, "XGBoost", KDD; histograms as
 * in Ke et al. 2017, "LightGBM", NeurIPS) for Poisson, Tweedie, logistic and
 * zero-inflated lognormal losses.
 *
 * Each round computes g and h of the loss at the current scores, draws a row
 * sample (Bernoulli(subsample), seeded) and grows one tree per loss output
 * (grow-tree.ts) on quantile-binned features (feature-bins.ts). With a
 * validation set (the caller passes a later time window: the split is the
 * caller's, so it can be time-based) the validation loss is tracked each
 * round; training stops after `earlyStoppingRounds` rounds without
 * improvement and the model keeps the rounds up to the best one.
 *
 * With a per-row `offset` (LearnedData; Poisson and Tweedie) every row starts
 * from offset_i + c instead of a constant, c = log(Σ w·y / Σ w·exp(offset))
 * (the constant that makes the totals agree), and the trees learn
 * multiplicative corrections to the base prediction exp(offset); the model is
 * then marked `usesOffset` and scoring needs the offsets too.
 *
 * The result is a plain JSON value: the same data, options and seed give the
 * same trees, byte for byte.
 *
 * Example: `fitGradientBoosting({ columns: [x1, x2], label: y }, { loss: 'poisson', seed: 7 })`
 * → `{ kind: 'gradient-boosted-trees', trees: [[tree], …], bestIteration: 120, … }`
 */
import { UserError } from '../../core/errors/user-error.js';
import { createRandom } from '../../math/random.js';
import { createBoostingLoss, DEFAULT_TWEEDIE_POWER, type BoostingLossName } from './create-boosting-loss.js';
import { binRows, computeFeatureBins, MAX_VALUE_BINS } from './feature-bins.js';
import { findBinnedLeaf, growRegressionTree, transposeCodes, type BinnedMatrix, type RegressionTree } from './grow-tree.js';
import { validateLearnedData, type LearnedData } from './learned-data.js';

export interface GradientBoostingOptions {
  loss: BoostingLossName;
  /** Tweedie variance power in (1, 2) (default 1.5) */
  tweediePower?: number;
  /** most boosting rounds (default 300) */
  rounds?: number;
  /** shrinkage η (default 0.1) */
  learningRate?: number;
  /** most levels below the root (default 6) */
  maxDepth?: number;
  /** most leaves per tree (default 31) */
  maxLeaves?: number;
  /** smallest hessian sum in a leaf (default 1e-3) */
  minChildWeight?: number;
  /** smallest number of training rows in a leaf (default 20) */
  minChildRows?: number;
  /** L2 regularisation λ on leaf outputs (default 1) */
  l2?: number;
  /** smallest gain worth a split (default 0) */
  minSplitGain?: number;
  /** share of rows drawn for each round, (0, 1] (default 1) */
  subsample?: number;
  /** seed of the row sampling (default 1) */
  seed?: number;
  /** value bins per feature, 2..255 (default 255) */
  maxBins?: number;
  /** rows held out for early stopping — a later time window, chosen by the caller */
  validation?: LearnedData;
  /** stop after this many rounds without a better validation loss (default 20) */
  earlyStoppingRounds?: number;
  /** feature names for importance and drivers (default f0, f1, …) */
  featureNames?: readonly string[];
}

/** The resolved training parameters, as stored in the model. */
export interface GradientBoostingParams {
  readonly loss: BoostingLossName;
  readonly tweediePower: number;
  readonly rounds: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly minChildWeight: number;
  readonly minChildRows: number;
  readonly l2: number;
  readonly minSplitGain: number;
  readonly subsample: number;
  readonly seed: number;
  readonly maxBins: number;
  readonly earlyStoppingRounds: number;
}

export interface GradientBoostedModel {
  readonly kind: 'gradient-boosted-trees';
  readonly params: GradientBoostingParams;
  readonly featureNames: readonly string[];
  /** raw score of every row before any tree, per loss output */
  readonly initialScores: readonly number[];
  /** trees[round][output]: the rounds kept (up to the best validation round) */
  readonly trees: readonly (readonly RegressionTree[])[];
  /** number of rounds kept (1-based best round; 0 = no tree helped the validation loss) */
  readonly bestIteration: number;
  /** rounds trained before stopping */
  readonly roundsTrained: number;
  /** mean loss per round (index 0 = before any tree); validation empty without a validation set */
  readonly history: { readonly train: readonly number[]; readonly validation: readonly number[] };
  /** total split gain per feature over the kept trees */
  readonly importanceGain: readonly number[];
  /** trained with a per-row offset (absent: none); scoring needs the offsets too */
  readonly usesOffset?: boolean;
}

function resolveParams(options: GradientBoostingOptions): GradientBoostingParams {
  const params: GradientBoostingParams = {
    loss: options.loss,
    tweediePower: options.tweediePower ?? DEFAULT_TWEEDIE_POWER,
    rounds: options.rounds ?? 300,
    learningRate: options.learningRate ?? 0.1,
    maxDepth: options.maxDepth ?? 6,
    maxLeaves: options.maxLeaves ?? 31,
    minChildWeight: options.minChildWeight ?? 1e-3,
    minChildRows: options.minChildRows ?? 20,
    l2: options.l2 ?? 1,
    minSplitGain: options.minSplitGain ?? 0,
    subsample: options.subsample ?? 1,
    seed: options.seed ?? 1,
    maxBins: options.maxBins ?? MAX_VALUE_BINS,
    earlyStoppingRounds: options.earlyStoppingRounds ?? 20,
  };
  const check = (ok: boolean, name: string, rule: string) => {
    if (!ok) throw new UserError(`gradient boosting: invalid ${name} ${String(params[name as keyof GradientBoostingParams])}`, rule);
  };
  check(Number.isInteger(params.rounds) && params.rounds >= 1, 'rounds', 'use an integer ≥ 1');
  check(params.learningRate > 0 && params.learningRate <= 1, 'learningRate', 'use a value in (0, 1]');
  check(Number.isInteger(params.maxDepth) && params.maxDepth >= 1, 'maxDepth', 'use an integer ≥ 1');
  check(Number.isInteger(params.maxLeaves) && params.maxLeaves >= 2, 'maxLeaves', 'use an integer ≥ 2');
  check(params.minChildWeight >= 0, 'minChildWeight', 'use a value ≥ 0');
  check(Number.isInteger(params.minChildRows) && params.minChildRows >= 1, 'minChildRows', 'use an integer ≥ 1');
  check(params.l2 >= 0 && Number.isFinite(params.l2), 'l2', 'use a finite value ≥ 0');
  check(params.minSplitGain >= 0, 'minSplitGain', 'use a value ≥ 0');
  check(params.subsample > 0 && params.subsample <= 1, 'subsample', 'use a share in (0, 1]');
  check(Number.isFinite(params.seed), 'seed', 'use a finite number');
  check(Number.isInteger(params.maxBins) && params.maxBins >= 2 && params.maxBins <= MAX_VALUE_BINS, 'maxBins', `use an integer in 2..${MAX_VALUE_BINS}`);
  check(Number.isInteger(params.earlyStoppingRounds) && params.earlyStoppingRounds >= 1, 'earlyStoppingRounds', 'use an integer ≥ 1');
  return params;
}

/**
 * Add a tree's leaf outputs to the training scores of one output: the rows the tree grew on from its leaf
 * ranges (rows[start..end) of each leaf, no walk), the rows left out of the round's sample by walking the
 * tree. `sampled[0..sampledCount)` are the round's rows in increasing order.
 */
function addTrainingScores(tree: RegressionTree, leafRanges: readonly number[], rows: Uint32Array, sampled: Uint32Array, sampledCount: number, matrix: BinnedMatrix, raw: Float64Array, offset: number): void {
  for (let l = 0; l < leafRanges.length; l += 3) {
    const v = tree.value[leafRanges[l]!]!;
    for (let k = leafRanges[l + 1]!, end = leafRanges[l + 2]!; k < end; k++) raw[offset + rows[k]!]! += v;
  }
  if (sampledCount === matrix.rows) return;
  for (let i = 0, p = 0; i < matrix.rows; i++) {
    if (p < sampledCount && sampled[p] === i) p++;
    else raw[offset + i]! += tree.value[findBinnedLeaf(tree, matrix.codes, i * matrix.features)]!;
  }
}

/** Add a tree's leaf outputs to the scores of output `output` for every row of a binned matrix. */
function addTreeScores(tree: RegressionTree, codes: Uint8Array, rows: number, features: number, raw: Float64Array, offset: number): void {
  for (let i = 0; i < rows; i++) raw[offset + i] += tree.value[findBinnedLeaf(tree, codes, i * features)];
}

/** Fit gradient-boosted trees (see the file header). */
export function fitGradientBoosting(data: LearnedData, options: GradientBoostingOptions): GradientBoostedModel {
  const params = resolveParams(options);
  const loss = createBoostingLoss(params.loss, params.tweediePower);
  const kind = params.loss === 'logistic' ? 'binary' : 'non-negative';
  validateLearnedData(data, kind, 'gradient boosting');
  const features = data.columns.length;
  const validation = options.validation;
  if (validation !== undefined) {
    validateLearnedData(validation, kind, 'gradient boosting (validation set)');
    if (validation.columns.length !== features) {
      throw new UserError(`gradient boosting: the validation set has ${validation.columns.length} features, the training set ${features}`, 'pass the same feature columns for both');
    }
  }
  const featureNames = options.featureNames ?? data.columns.map((_, f) => `f${f}`);
  if (featureNames.length !== features) throw new UserError(`gradient boosting: ${featureNames.length} feature names for ${features} columns`, 'pass one name per column');

  const n = data.label.length;
  const bins = computeFeatureBins(data.columns, { maxBins: params.maxBins });
  const codes = binRows(data.columns, bins);
  const matrix: BinnedMatrix = { codes, columnCodes: transposeCodes(codes, n, features), rows: n, features, valueBins: bins.edges.map((e) => e.length + 1), edges: bins.edges };
  const outputs = loss.outputs;
  const offset = data.offset;
  if (offset !== undefined) {
    if (params.loss !== 'poisson' && params.loss !== 'tweedie') throw new UserError(`gradient boosting: an offset needs a log-link loss (poisson or tweedie), not ${params.loss}`, 'drop the offset or use loss poisson or tweedie');
    if (validation !== undefined && validation.offset === undefined) throw new UserError('gradient boosting: the training set has offsets, the validation set none', 'pass offsets for both');
  }
  const initial = offset === undefined ? loss.initialScores(data.label, data.weight) : [offsetConstant(data.label, offset, data.weight)];
  const raw = new Float64Array(outputs * n);
  for (let k = 0; k < outputs; k++) raw.fill(initial[k], k * n, (k + 1) * n);
  if (offset !== undefined) for (let i = 0; i < n; i++) raw[i] += offset[i];
  const gradient = new Float64Array(outputs * n);
  const hessian = new Float64Array(outputs * n);

  const vRows = validation?.label.length ?? 0;
  const vCodes = validation === undefined ? new Uint8Array(0) : binRows(validation.columns, bins);
  const vRaw = new Float64Array(outputs * vRows);
  for (let k = 0; k < outputs; k++) vRaw.fill(initial[k], k * vRows, (k + 1) * vRows);
  if (offset !== undefined && validation?.offset !== undefined) for (let i = 0; i < vRows; i++) vRaw[i] += validation.offset[i];

  const random = createRandom(params.seed);
  const rowsBuffer = new Uint32Array(n);
  const rows = new Uint32Array(n);
  const histogramPool: Float64Array[] = [];
  const leafRanges: number[] = [];
  const pairBuffer = new Float64Array(2 * n);
  const trees: RegressionTree[][] = [];
  const history = { train: [loss.computeLoss(data.label, raw, data.weight)], validation: [] as number[] };
  if (validation !== undefined) history.validation.push(loss.computeLoss(validation.label, vRaw, validation.weight));
  let best = 0;
  for (let round = 0; round < params.rounds; round++) {
    loss.computeGradients(data.label, raw, data.weight, gradient, hessian);
    let rowCount = 0;
    for (let i = 0; i < n; i++) if (params.subsample === 1 || random.uniform() < params.subsample) rowsBuffer[rowCount++] = i;
    const roundTrees: RegressionTree[] = [];
    for (let k = 0; k < outputs; k++) {
      rows.set(rowsBuffer.subarray(0, rowCount));
      leafRanges.length = 0;
      const tree = growRegressionTree(matrix, rows, rowCount, gradient.subarray(k * n, (k + 1) * n), hessian.subarray(k * n, (k + 1) * n), params, histogramPool, leafRanges, pairBuffer);
      roundTrees.push(tree);
      addTrainingScores(tree, leafRanges, rows, rowsBuffer, rowCount, matrix, raw, k * n);
      if (validation !== undefined) addTreeScores(tree, vCodes, vRows, features, vRaw, k * vRows);
    }
    trees.push(roundTrees);
    history.train.push(loss.computeLoss(data.label, raw, data.weight));
    if (validation === undefined) {
      best = round + 1;
      continue;
    }
    const current = loss.computeLoss(validation.label, vRaw, validation.weight);
    history.validation.push(current);
    if (current < history.validation[best]) best = round + 1;
    else if (round + 1 - best >= params.earlyStoppingRounds) break;
  }

  const kept = trees.slice(0, best);
  const importanceGain = new Array<number>(features).fill(0);
  for (const round of kept) {
    for (const tree of round) for (let node = 0; node < tree.feature.length; node++) if (tree.feature[node] >= 0) importanceGain[tree.feature[node]] += tree.gain[node];
  }
  return Object.freeze({
    kind: 'gradient-boosted-trees',
    params,
    featureNames: [...featureNames],
    initialScores: Array.from(initial),
    trees: kept,
    bestIteration: best,
    roundsTrained: trees.length,
    history,
    importanceGain,
    ...(offset !== undefined ? { usesOffset: true } : {}),
  });
}

/** c = log(Σ w·y / Σ w·exp(offset)): the constant on top of the offsets that makes predicted and actual totals agree. */
function offsetConstant(label: Float64Array, offset: Float64Array, weight: Float64Array | undefined): number {
  let actual = 0, base = 0;
  for (let i = 0; i < label.length; i++) {
    const w = weight === undefined ? 1 : weight[i];
    actual += w * label[i];
    base += w * Math.exp(offset[i]);
  }
  return actual > 0 && base > 0 ? Math.log(actual / base) : 0;
}
