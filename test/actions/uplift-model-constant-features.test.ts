/**
 * `campaign uplift-model` on an audience of prospects (no purchase before the send date) learnt from the buyer
 * features — frequency, recency, T, monetary_value, total_spend — which are the same (missing) for every prospect,
 * warned of nothing, and advised to "keep targeting by value × P(alive)" though prospects have no P(alive) (QA).
 * Features constant among the members are now left out of the models and named in a warning, and the advice does
 * not name P(alive) when no member has a purchase history. A training half too thin for its features (fewer than 10
 * buyers and 10 non-buyers per feature in a group) is warned of too (QA: a coefficient of −304 with 10 controls).
 * No prospect buys in this window, so the CLI now refuses the campaign (fewer than MIN_UPLIFT_RESPONDERS buyers in a
 * group: test/actions/uplift-model-needs-control-responders.test.ts); the features and the warnings are checked on the
 * library's report with that floor lowered to 0.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { trainUpliftModel, type UpliftModelReport } from '../../src/actions/train-uplift-model.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';

describe('uplift model on an audience of prospects', () => {
  useFixedKey(31);
  let db: string;
  let from: string;
  let to: string;
  beforeAll(async () => {
    const shop = await prospectsWarehouse();
    db = shop.db;
    to = shop.lastDay;
    from = addDays(to, -30);
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'welcome', '--where', "stage = 'prospect'", '--holdout', '0.4', '--seed', '3', '--min-group-size', '2', '--send-date', from, '--json']);
    expect(drawn.code, drawn.stderr).toBe(0);
  }, 180_000);
  /** the report with the responders' floor lowered to 0 (the CLI refuses this campaign: no prospect bought in the window) */
  const train = async (): Promise<UpliftModelReport> => {
    const warehouse = await openDuckDbWarehouse(db);
    try {
      return await trainUpliftModel(warehouse, { audience: 'welcome', from, to, seed: 1, minGroupSize: 2, minResponders: 0, access: { actor: 'test', role: 'analyst' } });
    } finally {
      await warehouse.close();
    }
  };

  it('the CLI refuses it: no treated or control prospect bought in the window', async () => {
    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'welcome', '--from', from, '--to', to, '--min-group-size', '2', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: the training half of welcome has too few buyers and non-buyers in the window .*: its control group 0 buyers of 6, its control group 6 non-buyers of 6, its treatment group 0 buyers of 9, its treatment group 9 non-buyers of 9 — fewer than 10 in a group/);
  });

  it('leaves out the buyer features (the same for every prospect), says so, and does not advise P(alive)', async () => {
    const report = (await train()) as unknown as { features: string[]; warnings: string[]; reason: string; learners: { model: { kind: string; treatment?: { featureNames: string[] }; model?: { featureNames: string[] } } }[] };
    expect(report.features).toEqual(['predicted_clv_12m']);
    expect(report.learners[0]!.model.treatment!.featureNames).toEqual(['predicted_clv_12m']);
    expect(report.learners[1]!.model.model!.featureNames).toEqual(['predicted_clv_12m']);
    const warning = report.warnings.find((w) => w.includes('left out of the models'));
    expect(warning).toMatch(/^frequency, recency, T, monetary_value, total_spend are the same for every member of welcome/);
    expect(warning).toMatch(/no member has a purchase before/);
    expect(report.reason).not.toMatch(/P\(alive\)/);
  });

  it('warns when a training group has fewer than 10 responders or non-responders per feature', async () => {
    const report = await train();
    // 9 treated and 6 control prospects in the training half, none of whom bought in the window: a logistic model per
    // group has nothing to separate (QA: a coefficient of −304 with 10 controls, and not a word of warning)
    expect(report.train).toEqual({ treatment: 9, control: 6 });
    const thin = report.warnings.find((w) => w.startsWith('the training half is thin'));
    expect(thin).toBe('the training half is thin for 1 feature: its treatment group has 9 customers, 0 of them buyers in the window, its control group 6, 0 buyers — fewer than 10 buyers and 10 non-buyers per feature in a group (the rule of thumb for a logistic model), so the learners’ coefficients are unstable: judge the model by its Qini test, not by its coefficients');
  });
});
