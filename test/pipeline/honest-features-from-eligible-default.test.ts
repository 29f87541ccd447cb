/**
 * The learned models of the honest tournament are given BTYD features (P(alive), E[X], Gamma-Gamma spend) and are
 * compared with the BTYD default, the best BTYD model on the inner window among those the value step left eligible on
 * their calibration-window fits (`chooseHonestDefault`). 17b8ccf made the features come from that default; before it,
 * they came from the inner window's best BTYD model even when the value step had ruled that one out, so the
 * challengers were fed one model's predictions and measured against another's. No test reached the case where the two
 * differ: this small synthetic shop does (600 customers, 100 days, seed 7, the last 15 days held out), where
 * Pareto/NBD predicts the inner window best but its calibration-window fit has no finite standard errors.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { runHonestTournamentWithFits } from '../../src/pipeline/honest-tournament.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir, withMemoryWarehouse } from '../helpers/warehouse.js';

describe('the honest tournament’s BTYD features come from its default, not from the inner window’s best', () => {
  it('Pareto/NBD is best on the inner window but ruled out on its calibration-window fit: the features are the default MBG/NBD’s', async () => {
    const dir = scratchDir('clvkit-honest-features-');
    await generateShop({ outDir: dir, customers: 600, seed: 7, days: 100 });
    const holdoutEnd = addDays('2022-01-01', 99);
    const { result } = await withMemoryWarehouse(async (warehouse) => {
      await ingestFiles(warehouse, [join(dir, 'transactions.csv')], {});
      // one cheap learned model (its features are what is checked), no MBG/CNBD-k, no churn validation
      return runHonestTournamentWithFits(warehouse, { calibrationEnd: addDays(holdoutEnd, -15), holdoutEnd, timeUnit: 'week', grain: 'day', learned: ['linear-poisson'], regularity: false }, { churn: false });
    });
    const btyd = result.candidates.filter((c) => c.family === 'btyd');
    // the case: the inner window's best BTYD model is not the default
    const innerBest = [...btyd].sort((a, b) => a.inner.mae - b.inner.mae)[0]!;
    expect(innerBest.name).toBe('paretonbd');
    expect(result.reason).toContain('among the BTYD models: MBG/NBD has the smallest per-customer inner-window error and the lowest BIC of the 2 models within 1% of it among the BTYD models the value step left eligible (MAE 0.1540; BG/NBD 0.1541)');
    expect(result.reason).toContain('the inner window’s best, Pareto/NBD (MAE 0.1526), was ruled out by the value step on its calibration-window fit (standard errors not finite)');
    // the default stays (too few inner purchases to judge a challenger), and the learned model was given its features
    expect(result.chosen).toBe('mbgnbd');
    expect(result.featureModel).toBe('mbgnbd');
    expect(result.lift.btydLabel).toBe('MBG/NBD');
    // what the features change: given MBG/NBD's, the Poisson GLM predicts 50.1 purchases in the inner window; given
    // Pareto/NBD's (as before 17b8ccf), 37.6. 50.4 since session 43, when synth priced each order at its Gamma-Gamma
    // draw (the spend features moved; the purchases did not)
    const glm = result.candidates.find((c) => c.name === 'linear-poisson')!;
    expect(glm.inner.predictedTotal).toBeCloseTo(50.42, 1);
    expect(result.candidates.map((c) => c.name)).toEqual(['bgnbd', 'mbgnbd', 'paretonbd', 'linear-poisson']);
  }, 60_000);
});
