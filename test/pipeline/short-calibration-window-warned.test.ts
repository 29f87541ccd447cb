/**
 * A calibration window shorter than the holdout it must predict is warned about, beside the short-holdout warning.
 * Found by QA: synth --customers 500 --seed 77 --days 45 → analyze fitted the value models on 17 days (2022-01-01 →
 * 2022-01-17) to predict a 28-day holdout; MBG/NBD won on a 1% tie and called 84% of customers never-buy-again, mean
 * P(alive) 0.63 against 478 of 500 truly alive — and nothing said the value model rested on 17 days. validate on the
 * CDNOW sample with --calibration-end 1997-01-20 (20 days before a 526-day holdout) predicted 2,265 holdout purchases
 * against 862, also silently. The standard CDNOW split (39 + 39 weeks: 273 days each) and the demo (249 + 124) do not warn.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortCalibrationWarning } from '../../src/pipeline/value-holdout.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;
const MAP = ['--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5'];
const SYNTH_WARNING =
  'the value model rests on a 17-day calibration window (2022-01-01 → 2022-01-17), shorter than the 28-day holdout it must predict: the models learn how long customers keep buying from at most 17 days of history, so a customer who has not bought again yet cannot be told from one who has left, and P(alive), the predicted purchases and the CLV built on them are carried well past anything the window shows — they may be far off; a longer history (a span of 55 days or more from the first purchase leaves the 28-day holdout a calibration window as long before it), or --holdout-days 22 or less (a shorter holdout, itself weak below 28 days), gives the models a calibration window at least as long as the holdout';
const CDNOW_WARNING =
  'the model rests on a 20-day calibration window (1997-01-01 → 1997-01-20), shorter than the 526-day holdout it must predict: the models learn how long customers keep buying from at most 20 days of history, so a customer who has not bought again yet cannot be told from one who has left, and P(alive), the predicted purchases and the CLV built on them are carried well past anything the window shows — they may be far off; --calibration-end 1997-09-30 or later gives the models a calibration window at least as long as the holdout';

describe('shortCalibrationWarning: the calibration window (first purchase → calibration end, both counted) against the holdout', () => {
  const words = { subject: 'the model', lengthen: 'X' };
  it('shorter than the holdout: warned, with both windows', () => {
    expect(shortCalibrationWarning({ calibrationDays: 16, calibrationEnd: '2022-01-17', holdoutDays: 28 }, words)).toMatch(/^the model rests on a 17-day calibration window \(2022-01-01 → 2022-01-17\), shorter than the 28-day holdout it must predict: /);
  });
  it('as long as the holdout or longer: no warning (CDNOW 39 + 39 weeks: 273 days each; the demo: 249 days before 124)', () => {
    expect(shortCalibrationWarning({ calibrationDays: 272, calibrationEnd: '1997-09-30', holdoutDays: 273 }, words)).toBeNull();
    expect(shortCalibrationWarning({ calibrationDays: 271, calibrationEnd: '1997-09-29', holdoutDays: 274 }, words)).not.toBeNull();
    expect(shortCalibrationWarning({ calibrationDays: 249, calibrationEnd: '2011-08-07', holdoutDays: 124 }, words)).toBeNull();
  });
});

describe('analyze on synth --customers 500 --seed 77 --days 45 (17 days of calibration before a 28-day holdout)', () => {
  useFixedKey(7);
  it('warns in --json and run.json, with what it means and what to change', async () => {
    const dir = scratchDir('short-calibration-synth');
    expect((await cli(['synth', '--customers', '500', '--seed', '77', '--days', '45', '--out', dir])).code).toBe(0);
    const out = join(dir, 'out');
    const run = await cli(['analyze', join(dir, 'transactions.csv'), '--skip-patterns', '--skip-report', '--no-churn', '--quiet', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContain(SYNTH_WARNING);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).warnings).toContain(SYNTH_WARNING);
  }, 120_000);
});

describe('validate on the CDNOW sample', () => {
  it('--calibration-end 1997-01-20: on stderr and in --json, naming the calibration end of the standard split', async () => {
    // validate says its warnings on stderr with or without --json: one run shows both
    const json = await cli(['validate', CDNOW, ...MAP, '--calibration-end', '1997-01-20', '--time-unit', 'week', '--no-learned', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain(`clvkit: warning: ${CDNOW_WARNING}\n`);
    expect(JSON.parse(json.stdout).warnings).toContain(CDNOW_WARNING);
  }, 120_000);

  it('--calibration-end 1997-09-30 (39 + 39 weeks): no such warning', async () => {
    const json = await cli(['validate', CDNOW, ...MAP, '--calibration-end', '1997-09-30', '--time-unit', 'week', '--no-learned', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(((JSON.parse(json.stdout).warnings ?? []) as string[]).filter((w) => w.includes('calibration window'))).toEqual([]);
  }, 120_000);
});
