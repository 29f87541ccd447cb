import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import { runLearnedStep, type LearnedCard, type LearnedStepOptions } from '../../src/pipeline/learned-step.js';
import type { ChurnInput } from '../../src/pipeline/validate-churn.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { analyzeValueOnly } from '../helpers/regularity-tournament.js';
import { scratchDir } from '../helpers/warehouse.js';

// The learned step ran the honest tournament, whose last step is a churn validation (a GBT classifier, TreeSHAP of three
// rows, bootstrapped scorecards), then threw that validation away: with the churn early warning on, the card's
// validation is the learned step's own (with the value model's BTYD features; the tournament's are its inner window's
// BTYD winner's, which may be another model, so the two are not one computation to share); under --no-churn nobody
// reads one. Now the tournament inside the learned step validates no churn: one validation with churn on, none without.
const validations = vi.hoisted(() => [] as { featureModel: string }[]);
vi.mock('../../src/pipeline/validate-churn.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/pipeline/validate-churn.js')>();
  return {
    ...original,
    validateChurn: (warehouse: Warehouse, input: ChurnInput) => {
      validations.push({ featureModel: input.s3Fit.model.label });
      return original.validateChurn(warehouse, input);
    },
  };
});

describe('the learned step with the honest tournament validates the churn early warning once, and not at all under --no-churn (300-customer BG/NBD shop)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  let options: LearnedStepOptions;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-validates-churn-once-');
    await generateShop({ outDir: dir, customers: 300, seed: 7, events: false });
    ({ run, warehouse } = await analyzeValueOnly(join(dir, 'transactions.csv'), dir));
    const value = run.valueModel!;
    options = { asOf: run.parameters.asOf, calibrationEnd: value.calibrationEnd, timeUnit: value.timeUnit, grain: 'day', purchaseModel: value.final.model, purchaseFit: value.final, clv: value.clv, tournament: true, learnedCandidates: [] };
  }, 240_000);
  afterAll(() => warehouse?.close());

  it('churn on: one validation, with the value model’s BTYD features, the one the card reports', async () => {
    validations.length = 0;
    const card = (await runLearnedStep(warehouse, options)) as LearnedCard;
    expect(card.tournament?.chosen).toBeDefined();
    expect(validations).toEqual([{ featureModel: card.churn!.validation.pAliveModel }]);
  }, 240_000);

  it('churn off (--no-churn): the tournament and its winner, no validation', async () => {
    validations.length = 0;
    const card = (await runLearnedStep(warehouse, { ...options, churn: false })) as LearnedCard;
    expect(card.tournament?.chosen).toBeDefined();
    expect(card.churn).toBeUndefined();
    expect(validations).toEqual([]);
  }, 240_000);
});
