/**
 * The learned models of the honest tournament are given BTYD features (P(alive), E[X], Gamma-Gamma spend) and are
 * compared with the BTYD default, the best BTYD model on the inner window among those the value step left eligible on
 * their calibration-window fits (`chooseHonestDefault`). 17b8ccf made the features come from that default; before it,
 * they came from the inner window's best BTYD model even when the value step had ruled that one out, so the
 * challengers were fed one model's predictions and measured against another's. No test reached the case where the two
 * differ: this small synthetic shop does (600 customers, 100 days, seed 41, the last 15 days held out), where
 * Pareto/NBD predicts the inner window best but its calibration-window fit sits on a boundary (one dropout rate).
 * (Seed 7, where it was found — Pareto/NBD's fit without finite standard errors —, no longer shows it: since session 43
 * an interior fit less than 1.92 above the NBD is the NBD, and there MBG/NBD is the inner window's best.)
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
    await generateShop({ outDir: dir, customers: 600, seed: 41, days: 100 });
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
    expect(result.reason).toContain('among the BTYD models: MBG/NBD has the smallest per-customer inner-window error among the BTYD models the value step left eligible (MAE 0.1535)');
    expect(result.reason).toContain('the inner window’s best, Pareto/NBD (MAE 0.1442), was ruled out by the value step on its calibration-window fit (on the boundary: no heterogeneity in dropout');
    // the default stays (too few inner purchases to judge a challenger), and the learned model was given its features
    expect(result.chosen).toBe('mbgnbd');
    expect(result.featureModel).toBe('mbgnbd');
    expect(result.lift.btydLabel).toBe('MBG/NBD');
    // given MBG/NBD's features, the Poisson GLM predicts 40.9 purchases in the inner window (41.1 before synth priced each
    // order at its Gamma-Gamma draw in session 43: the spend features moved; on seed 7, before session 43: 50.1 given
    // MBG/NBD's, 37.6 given Pareto/NBD's, as before 17b8ccf)
    const glm = result.candidates.find((c) => c.name === 'linear-poisson')!;
    expect(glm.inner.predictedTotal).toBeCloseTo(40.86, 1);
    expect(result.candidates.map((c) => c.name)).toEqual(['bgnbd', 'mbgnbd', 'paretonbd', 'linear-poisson']);
  }, 60_000);
});
