import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { getPurchaseModel } from '../../src/models/model-registry.js';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import { runLearnedStep, type LearnedCard } from '../../src/pipeline/learned-step.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { analyzeValueOnly } from '../helpers/regularity-tournament.js';
import { scratchDir } from '../helpers/warehouse.js';

// The churn step fitted the value model on each window it built BTYD features for: C − L → C (the validation's training),
// C → C + L (its scoring) and asOf − L → asOf (the classifier's training). With the holdout as the churn horizon (the
// default: L = asOf − C) the last two are one window, one snapshot — and its purchase and spend fits were made twice
// (a Pareto/NBD fit of ~60-90 ms on 300 customers). Now once per window; the same card.
describe('the churn step fits the purchase model once per window (300-customer BG/NBD shop, holdout 90 days = the churn horizon)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  let card: LearnedCard;
  let windows: number[];
  let calls: { input: Parameters<ReturnType<typeof getPurchaseModel>['fit']>; params: unknown }[];
  beforeAll(async () => {
    const dir = scratchDir('clvkit-one-fit-per-window-');
    await generateShop({ outDir: dir, customers: 300, seed: 7, events: false });
    ({ run, warehouse } = await analyzeValueOnly(join(dir, 'transactions.csv'), dir));
    const value = run.valueModel!;
    const model = getPurchaseModel(value.final.model);
    const fit = vi.spyOn(model, 'fit');
    try {
      card = (await runLearnedStep(warehouse, { asOf: run.parameters.asOf, calibrationEnd: value.calibrationEnd, timeUnit: value.timeUnit, grain: 'day', purchaseModel: value.final.model, purchaseFit: value.final, clv: value.clv }))!;
      windows = fit.mock.calls.map((call) => call[0].frequency.length);
      calls = fit.mock.calls.map((input, i) => ({ input, params: (fit.mock.results[i]!.value as { params: unknown }).params }));
    } finally {
      fit.mockRestore();
    }
  }, 300_000);
  afterAll(() => warehouse?.close());

  it('the churn horizon is the holdout, so the validation scores and the classifier trains on one window', () => {
    expect(card.churn!.horizonDays).toBe(90);
    expect(card.churn!.trainedAsOf).toBe(run.valueModel!.calibrationEnd);
  });

  it('two fits of the value model (C − L and the shared C window), not three', () => {
    expect(windows).toHaveLength(2);
  });

  it('a second fit of the shared window gives the same estimates: reusing the first changes no figure', () => {
    const model = getPurchaseModel(run.valueModel!.final.model);
    const shared = calls[1]!;
    expect(model.fit(...shared.input).params).toEqual(shared.params);
    expect(card.churn!.validation.learned).toBeDefined();
    expect(card.churn!.meanProbability).toBeGreaterThan(0);
    expect(card.churn!.meanProbability).toBeLessThan(1);
  });
});
