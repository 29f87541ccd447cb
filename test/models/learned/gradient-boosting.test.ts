import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { computeRocAuc } from '../../../src/models/classification-metrics.js';
import { fitGradientBoosting } from '../../../src/models/learned/gradient-boosting.js';
import { predictGradientBoosting, predictGradientBoostingRaw } from '../../../src/models/learned/predict-gradient-boosting.js';
import { computeTreeContributions, topDrivers } from '../../../src/models/learned/tree-contributions.js';
import { createBoostingLoss } from '../../../src/models/learned/create-boosting-loss.js';
import { UserError } from '../../../src/core/errors/user-error.js';

/** Seeded features: x0, x1 normal, x2 uniform, x3 pure noise; 5% of x1 missing. */
function features(n: number, seed: number): Float64Array[] {
  const random = createRandom(seed);
  const columns = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    columns[0][i] = random.normal();
    columns[1][i] = random.uniform() < 0.05 ? NaN : random.normal();
    columns[2][i] = random.uniform();
    columns[3][i] = random.normal();
  }
  return columns;
}

/** log μ = 0.2 + 0.7·x0 − 0.5·x1 (0 when missing) + 0.8·1{x2 > 0.5} */
function logMean(columns: Float64Array[], i: number): number {
  const x1 = Number.isNaN(columns[1][i]) ? 0 : columns[1][i];
  return 0.2 + 0.7 * columns[0][i] - 0.5 * x1 + (columns[2][i] > 0.5 ? 0.8 : 0);
}

function poissonData(n: number, seed: number) {
  const columns = features(n, seed);
  const random = createRandom(seed + 1000);
  const label = Float64Array.from({ length: n }, (_, i) => random.poisson(Math.exp(logMean(columns, i))));
  return { columns, label };
}

function poissonDeviance(y: Float64Array, mu: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu[i]) : 0) - (y[i] - mu[i]));
  return d / y.length;
}

const train = poissonData(4000, 1);
const valid = poissonData(1500, 2);
const test = poissonData(3000, 3);

describe('gradient-boosted trees, Poisson', () => {
  const model = fitGradientBoosting(train, { loss: 'poisson', rounds: 200, learningRate: 0.1, maxDepth: 3, validation: valid, seed: 5, subsample: 0.8 });

  it('recovers a known log-linear mean: held-out deviance far below the intercept-only model', () => {
    const predicted = predictGradientBoosting(model, test.columns);
    const mean = train.label.reduce((a, b) => a + b, 0) / train.label.length;
    const interceptOnly = poissonDeviance(test.label, new Float64Array(test.label.length).fill(mean));
    const ours = poissonDeviance(test.label, predicted);
    const truth = poissonDeviance(test.label, Float64Array.from({ length: test.label.length }, (_, i) => Math.exp(logMean(test.columns, i))));
    expect(ours).toBeLessThan(0.6 * interceptOnly);
    // within 5% of the deviance of the true mean
    expect(ours).toBeLessThan(1.05 * truth);
  });

  it('ranks the features by gain: the noise feature last', () => {
    const gains = model.importanceGain;
    expect(gains[0]).toBeGreaterThan(gains[3] * 5);
    expect(gains[3]).toBe(Math.min(...gains));
  });

  it('scores raw columns exactly as training scored the binned rows (the validation loss at the best round)', () => {
    const raw = predictGradientBoostingRaw(model, valid.columns);
    const loss = createBoostingLoss('poisson').computeLoss(valid.label, raw, undefined);
    expect(loss).toBeCloseTo(model.history.validation[model.bestIteration], 12);
  });

  it('path contributions plus the bias add up to the raw score, and name the drivers', () => {
    const raw = predictGradientBoostingRaw(model, test.columns);
    const result = computeTreeContributions(model, test.columns);
    for (let i = 0; i < 200; i++) {
      let sum = result.bias;
      for (let f = 0; f < 4; f++) sum += result.contributions[i * 4 + f];
      expect(sum).toBeCloseTo(raw[i], 10);
    }
    // a customer with a strong x0 has x0 as top driver
    const row = test.columns[0].findIndex((v, i) => v > 2.5 && Math.abs(test.columns[1][i]) < 0.2);
    expect(topDrivers(model, result, row, 1)[0].feature).toBe('f0');
  });

  it('is an immutable JSON value: the same seed gives byte-identical JSON, another seed other trees', () => {
    const again = fitGradientBoosting(train, { loss: 'poisson', rounds: 200, learningRate: 0.1, maxDepth: 3, validation: valid, seed: 5, subsample: 0.8 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    const other = fitGradientBoosting(train, { loss: 'poisson', rounds: 200, learningRate: 0.1, maxDepth: 3, validation: valid, seed: 6, subsample: 0.8 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(model));
    expect(Object.isFrozen(model)).toBe(true);
    const revived = JSON.parse(JSON.stringify(model));
    expect(Array.from(predictGradientBoosting(revived, test.columns.map((c) => c.subarray(0, 50))))).toEqual(Array.from(predictGradientBoosting(model, test.columns.map((c) => c.subarray(0, 50)))));
  });
});

describe('early stopping', () => {
  it('stops when the validation loss no longer improves and keeps the best rounds', () => {
    // labels independent of the features: every tree overfits
    const random = createRandom(11);
    const noise = (n: number, seed: number) => ({ columns: features(n, seed), label: Float64Array.from({ length: n }, () => random.poisson(2)) });
    const model = fitGradientBoosting(noise(2000, 1), { loss: 'poisson', rounds: 500, learningRate: 0.3, maxDepth: 4, minChildRows: 5, validation: noise(1000, 2), earlyStoppingRounds: 10 });
    expect(model.roundsTrained).toBeLessThan(60);
    expect(model.roundsTrained).toBe(model.bestIteration + 10);
    expect(model.trees.length).toBe(model.bestIteration);
    const best = Math.min(...model.history.validation);
    expect(model.history.validation[model.bestIteration]).toBe(best);
    // training loss keeps falling while validation does not
    expect(model.history.train[model.roundsTrained]).toBeLessThan(model.history.train[model.bestIteration]);
  });

  it('without a validation set trains every round', () => {
    const model = fitGradientBoosting(train, { loss: 'poisson', rounds: 7, maxDepth: 2 });
    expect([model.roundsTrained, model.bestIteration, model.trees.length]).toEqual([7, 7, 7]);
    expect(model.trees[0][0].feature.filter((f) => f >= 0).length).toBeLessThanOrEqual(3);
  });
});

describe('gradient-boosted trees, logistic', () => {
  it('separates held-out classes with signal: AUC > 0.8', () => {
    const make = (n: number, seed: number) => {
      const columns = features(n, seed);
      const random = createRandom(seed + 77);
      const truth = Float64Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-2.5 * (logMean(columns, i) - 0.6))));
      const label = Float64Array.from(truth, (p) => (random.uniform() < p ? 1 : 0));
      return { columns, label, truth };
    };
    const model = fitGradientBoosting(make(4000, 21), { loss: 'logistic', rounds: 150, maxDepth: 3, validation: make(1500, 22), seed: 1 });
    const held = make(3000, 23);
    const auc = computeRocAuc(held.label, predictGradientBoosting(model, held.columns));
    expect(auc).toBeGreaterThan(0.8);
    // close to the best possible ranking: the true probability's AUC
    expect(auc).toBeGreaterThan(computeRocAuc(held.label, held.truth) - 0.02);
    const random = Float64Array.from({ length: 3000 }, (_, i) => held.columns[3][i]);
    expect(computeRocAuc(held.label, random)).toBeLessThan(0.55);
  });
});

describe('gradient-boosted trees, Tweedie and ZILN', () => {
  /** zero-inflated lognormal spend: P(y > 0) = σ(1.2·x0), log y ~ N(1 + 0.6·x2·2, 0.5²) */
  const make = (n: number, seed: number) => {
    const columns = features(n, seed);
    const random = createRandom(seed + 5);
    const truth = new Float64Array(n);
    const label = Float64Array.from({ length: n }, (_, i) => {
      const p = 1 / (1 + Math.exp(-1.2 * columns[0][i]));
      const mu = 1 + 1.2 * columns[2][i];
      truth[i] = p * Math.exp(mu + 0.125);
      return random.uniform() < p ? Math.exp(mu + 0.5 * random.normal()) : 0;
    });
    return { columns, label, truth };
  };
  const trainSet = make(4000, 31), validSet = make(1500, 32), testSet = make(3000, 33);
  const meanAbsoluteError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
    return s / a.length;
  };

  for (const loss of ['ziln', 'tweedie'] as const) {
    it(`${loss}: the expected value tracks the true mean far better than the overall mean`, () => {
      const model = fitGradientBoosting(trainSet, { loss, rounds: 300, maxDepth: 3, learningRate: 0.1, validation: validSet });
      const predicted = predictGradientBoosting(model, testSet.columns);
      const overall = trainSet.label.reduce((a, b) => a + b, 0) / trainSet.label.length;
      const errorOfMean = meanAbsoluteError(testSet.truth, new Float64Array(3000).fill(overall));
      expect(meanAbsoluteError(testSet.truth, predicted)).toBeLessThan(0.35 * errorOfMean);
      if (loss === 'ziln') expect(model.trees[0]).toHaveLength(3);
    });
  }
});

describe('input checks', () => {
  it('refuses bad labels and options with a UserError and a hint', () => {
    const columns = [Float64Array.of(1, 2, 3)];
    expect(() => fitGradientBoosting({ columns, label: Float64Array.of(0, 1, 2) }, { loss: 'logistic' })).toThrow(/label 2 at row 2/);
    expect(() => fitGradientBoosting({ columns, label: Float64Array.of(0, -1, 2) }, { loss: 'poisson' })).toThrow(UserError);
    expect(() => fitGradientBoosting({ columns, label: Float64Array.of(0, 1) }, { loss: 'poisson' })).toThrow(/has 3 rows, the label 2/);
    expect(() => fitGradientBoosting({ columns, label: Float64Array.of(0, 1, 2) }, { loss: 'poisson', subsample: 0 })).toThrow(/subsample/);
    expect(() => fitGradientBoosting({ columns, label: Float64Array.of(0, 1, 2), weight: new Float64Array(3) }, { loss: 'poisson' })).toThrow(/every weight is 0/);
    const model = fitGradientBoosting({ columns, label: Float64Array.of(0, 1, 2) }, { loss: 'poisson', rounds: 1 });
    expect(() => predictGradientBoosting(model, [])).toThrow(/trained on 1/);
  });
});

describe('gradient boosting with a per-row offset', () => {
  it('starts every row at offset + log(Σy/Σexp(offset)): with no feature to split on, predictions are the offsets rescaled to the total', () => {
    const offset = Float64Array.of(0, Math.log(2), Math.log(4), 0, Math.log(2), Math.log(4), 0, Math.log(2));
    const label = Float64Array.of(1, 3, 6, 0, 2, 5, 1, 3); // Σy = 21, Σexp(offset) = 1+2+4+1+2+4+1+2 = 17
    const constant = new Float64Array(8).fill(1);
    const model = fitGradientBoosting({ columns: [constant], label, offset }, { loss: 'poisson', rounds: 5, minChildRows: 1 });
    expect(model.usesOffset).toBe(true);
    expect(model.initialScores[0]).toBeCloseTo(Math.log(21 / 17), 14);
    const predicted = predictGradientBoosting(model, [constant], offset);
    for (let i = 0; i < 8; i++) expect(predicted[i]).toBeCloseTo((Math.exp(offset[i]!) * 21) / 17, 10);
  });

  it('needs the offsets to score, and refuses them with a loss that has no log link', () => {
    const label = Float64Array.of(1, 0, 1, 1);
    const x = Float64Array.of(1, 2, 3, 4);
    const model = fitGradientBoosting({ columns: [x], label, offset: new Float64Array(4) }, { loss: 'poisson', rounds: 2, minChildRows: 1 });
    expect(() => predictGradientBoosting(model, [x])).toThrow(/trained with per-row offsets/);
    expect(() => fitGradientBoosting({ columns: [x], label, offset: new Float64Array(4) }, { loss: 'logistic', rounds: 2 })).toThrow(/needs a log-link loss/);
  });
});

describe('scoring: the blocked, branchless walk', () => {
  /** The plain per-row walk of the stored trees: go left when value ≤ threshold, or when missing and missingLeft. */
  function walk(model: ReturnType<typeof fitGradientBoosting>, columns: Float64Array[], rows: number): Float64Array {
    const outputs = model.initialScores.length;
    const raw = new Float64Array(outputs * rows);
    for (let k = 0; k < outputs; k++) {
      for (let i = 0; i < rows; i++) {
        let sum = model.initialScores[k]!;
        for (const round of model.trees) {
          const tree = round[k]!;
          let node = 0;
          while (tree.feature[node]! >= 0) {
            const v = columns[tree.feature[node]!]![i]!;
            node = v <= tree.threshold[node]! || (v !== v && tree.missingLeft[node]) ? tree.left[node]! : tree.right[node]!;
          }
          sum += tree.value[node]!;
        }
        raw[k * rows + i] = sum;
      }
    }
    return raw;
  }

  it('gives exactly the plain walk’s raw scores, with missing values, several outputs (ZILN) and a row count that is not a multiple of the block', () => {
    for (const loss of ['poisson', 'ziln'] as const) {
      const train = poissonData(1500, 21);
      const model = fitGradientBoosting(train, { loss, rounds: 25, maxDepth: 5, seed: 3 });
      const test = features(1000 + 37, 22); // 1,037 rows: four full blocks of 256 and a partial one
      test[3]![5] = NaN;
      test[0]![700] = Infinity;
      expect(Array.from(predictGradientBoostingRaw(model, test)), loss).toEqual(Array.from(walk(model, test, 1037)));
    }
  });

  it('keeps both sides of missing values in the complete-tree layout: a model with missing-left and missing-right splits scores as the plain walk', () => {
    const train = poissonData(3000, 31);
    // a second missing-prone feature whose missing rows have high counts: missing goes with the large values, on either side
    for (let i = 0; i < 3000; i += 7) (train.columns[0]![i] = NaN), (train.label[i] = train.label[i]! + 4);
    const model = fitGradientBoosting(train, { loss: 'poisson', rounds: 30, maxDepth: 6, seed: 5 });
    const sides = new Set(model.trees.flatMap((r) => r[0]!.feature.flatMap((f, i) => (f >= 0 && (f === 0 || f === 1) ? [`${f}:${r[0]!.missingLeft[i]}`] : []))));
    expect(sides.has('0:true') || sides.has('1:true')).toBe(true);
    expect(sides.has('0:false') || sides.has('1:false')).toBe(true);
    const test = features(777, 32);
    for (let i = 0; i < 777; i += 5) test[0]![i] = NaN;
    test[2]![3] = -Infinity;
    test[2]![4] = Infinity;
    expect(Array.from(predictGradientBoostingRaw(model, test))).toEqual(Array.from(walk(model, test, 777)));
  });

  it('scores trees deeper than the complete layout allows (the node walk) exactly as the plain walk', () => {
    const train = poissonData(4000, 41);
    const model = fitGradientBoosting(train, { loss: 'poisson', rounds: 5, maxDepth: 14, maxLeaves: 200, minChildRows: 2, seed: 6 });
    const depthOf = (tree: (typeof model.trees)[number][number]) => {
      const d = new Array<number>(tree.feature.length).fill(0);
      tree.feature.forEach((f, i) => f >= 0 && (d[tree.left[i]!] = d[tree.right[i]!] = d[i]! + 1));
      return Math.max(...d);
    };
    expect(Math.max(...model.trees.map((r) => depthOf(r[0]!)))).toBeGreaterThan(10);
    const test = features(300, 42);
    expect(Array.from(predictGradientBoostingRaw(model, test))).toEqual(Array.from(walk(model, test, 300)));
  });
});
