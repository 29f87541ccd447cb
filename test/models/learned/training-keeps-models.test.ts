/**
 * Guards the training speed work: the models stay the same bit for bit. The
 * digests below are SHA-256 of the model JSON from the code before the
 * blocked histogram pass and the column-major partition (commit db30823 on
 * main); any change to what training computes — summation order included —
 * changes them. If a change of the models is intended, say why in the commit
 * and replace the digests.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { fitGradientBoosting, type GradientBoostingOptions } from '../../../src/models/learned/gradient-boosting.js';
import { buildHistogram, createHistogram, HISTOGRAM_BINS } from '../../../src/models/learned/histogram-split.js';
import { binRows, computeFeatureBins, MISSING_BIN } from '../../../src/models/learned/feature-bins.js';
import { transposeCodes } from '../../../src/models/learned/grow-tree.js';
import type { LearnedData } from '../../../src/models/learned/learned-data.js';

/** 19 features (two groups of eight and three more), some with missing values, some with few distinct values. */
function shop(rows: number, seed: number): { columns: Float64Array[]; eta: Float64Array } {
  const random = createRandom(seed);
  const columns = Array.from({ length: 19 }, () => new Float64Array(rows));
  const eta = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 19; f++) {
      const kind = f % 3;
      const v = kind === 0 ? random.poisson(2) : kind === 1 ? random.normal() : random.uniform() * 100;
      columns[f]![i] = f % 5 === 4 && random.uniform() < 0.1 ? NaN : v;
    }
    const x1 = Number.isNaN(columns[1]![i]!) ? 0.4 : columns[1]![i]!;
    eta[i] = -0.3 + 0.25 * columns[0]![i]! + 0.5 * x1 + (columns[2]![i]! > 60 ? 0.6 : 0) + 0.2 * Math.sin(columns[7]![i]!);
  }
  return { columns, eta };
}

function dataFor(loss: 'poisson' | 'logistic' | 'tweedie' | 'ziln', rows: number, seed: number): LearnedData {
  const { columns, eta } = shop(rows, seed);
  const random = createRandom(seed + 100);
  const label = Float64Array.from(eta, (e) => {
    if (loss === 'logistic') return random.uniform() < 1 / (1 + Math.exp(-e)) ? 1 : 0;
    const count = random.poisson(Math.exp(e));
    return loss === 'poisson' ? count : count === 0 ? 0 : Math.exp(random.normal() * 0.5 + 2 + 0.3 * e);
  });
  return { columns, label };
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const cases: { name: string; loss: 'poisson' | 'logistic' | 'tweedie' | 'ziln'; options: Partial<GradientBoostingOptions>; expected: string }[] = [
  { name: 'poisson, subsampled, early stopping on a later window', loss: 'poisson', options: { subsample: 0.8, seed: 3, rounds: 60 }, expected: '70ee1413273aa1b8e9b90f6af053dfec161d0fcb21881d7222f13a1c4772cc0e' },
  { name: 'poisson, every row, deep trees', loss: 'poisson', options: { rounds: 25, maxDepth: 8, maxLeaves: 63, minChildRows: 5 }, expected: 'e4f4667de2a6d2173c8375838a1cb4322aff9f82b4acd1ffb04cf65e1b7ffe1d' },
  { name: 'logistic with 32 bins', loss: 'logistic', options: { rounds: 40, maxBins: 32 }, expected: '32d65333c9fb92e6d6fb554959ce25fbf0d996bc1860aee833bf0bdc51505a21' },
  { name: 'tweedie', loss: 'tweedie', options: { rounds: 30 }, expected: '029fcbc35b730a4617048d74774504eed50e439cf56de52eed50093c0bb49deb' },
  { name: 'ziln (three outputs)', loss: 'ziln', options: { rounds: 30, subsample: 0.7, seed: 9 }, expected: 'b65d90e6273ec1dffffd7dcf566119244e75f4f8e167d1df285979a66df5001d' },
];

describe('training speed work keeps the models byte for byte', () => {
  for (const c of cases) {
    it(`${c.name}: model JSON digest unchanged`, () => {
      const train = dataFor(c.loss, 3000, 11);
      const validation = dataFor(c.loss, 1000, 12);
      const model = fitGradientBoosting(train, { loss: c.loss, learningRate: 0.15, validation, earlyStoppingRounds: 10, ...c.options });
      expect(digest(model)).toBe(c.expected);
    });
  }
});

describe('the histogram pass', () => {
  it('gives the sums of a plain row-by-row pass bit for bit, over an irregular row subset and a feature count not a multiple of eight', () => {
    const { columns } = shop(1500, 21);
    const codes = binRows(columns, computeFeatureBins(columns));
    const random = createRandom(22);
    const rows = Uint32Array.from(Array.from({ length: 1500 }, (_, i) => i).filter(() => random.uniform() < 0.6));
    const g = Float64Array.from({ length: 1500 }, () => random.normal());
    const h = Float64Array.from({ length: 1500 }, () => random.uniform() + 0.1);
    const [start, end] = [37, rows.length - 5];
    const ours = createHistogram(19).fill(7);
    buildHistogram(codes, 19, rows, start, end, g, h, ours);
    const plain = createHistogram(19);
    for (let k = start; k < end; k++) {
      for (let f = 0; f < 19; f++) {
        const slot = (f * HISTOGRAM_BINS + codes[rows[k]! * 19 + f]!) * 3;
        plain[slot]! += g[rows[k]!]!;
        plain[slot + 1]! += h[rows[k]!]!;
        plain[slot + 2]! += 1;
      }
    }
    expect(Array.from(ours)).toEqual(Array.from(plain));
    // the missing bin was filled (feature 4 has missing values)
    expect(ours[(4 * HISTOGRAM_BINS + MISSING_BIN) * 3 + 2]).toBeGreaterThan(0);
  });

  it('transposes the code matrix: column-major code of (row, feature) equals the row-major one', () => {
    const codes = Uint8Array.from({ length: 5000 * 3 }, (_, i) => (i * 37) % 251);
    const columns = transposeCodes(codes, 5000, 3);
    for (const [row, f] of [[0, 0], [0, 2], [4095, 1], [4096, 0], [4999, 2]] as const) expect(columns[f * 5000 + row]).toBe(codes[row * 3 + f]);
    expect(columns.length).toBe(codes.length);
  });
});
