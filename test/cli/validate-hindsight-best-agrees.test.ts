/**
 * validate names one best on the holdout: its first table's "chosen on the holdout" and the honest tournament's
 * "best on the holdout in hindsight" come from one rule (tournament-rule.ts). Regression: on the synth default shape,
 * 3,000 customers, it printed "chosen on the holdout …: MBG/NBD" then "best holdout MAE in hindsight: MBG/CNBD-k" —
 * with k = 1 the same model, the same MAE 0.464 up to float noise.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('validate: the hindsight best agrees with the choice on the holdout when MBG/CNBD-k finds k = 1', () => {
  let file: string;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-hindsight-');
    await generateShop({ outDir: dir, customers: 3000, seed: 42, events: false }); // clvkit synth --customers 3000 (seed 42)
    file = join(dir, 'transactions.csv');
  }, 120_000);

  it('names MBG/NBD in both places, not MBG/CNBD-k (k = 1)', async () => {
    const run = await cli(['validate', file, '--calibration-end', '2023-06-30', '--candidates', 'mbgcnbd']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('MBG/CNBD-k: k = 1 on the inner split, 1 on the calibration window');
    expect(run.stdout).toMatch(/^chosen on the holdout \(hindsight; the honest choice below does not look at it\): MBG\/NBD has the smallest per-customer holdout error and the lowest BIC of the \d models within 1% of it/m);
    expect(run.stdout).toMatch(/^best on the holdout in hindsight \(not used to choose\): MBG\/NBD, MAE 0\.4642 \(the rule of the choice on the holdout: MAEs within 1% of the lowest tie, and the lowest BIC, then the simpler model, wins\)$/m);
  }, 300_000);
});
