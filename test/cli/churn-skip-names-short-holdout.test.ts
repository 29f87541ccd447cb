/**
 * The churn early warning skipped for a short holdout says the holdout is too short. Found in a trial (analyze
 * --holdout-days 10 on two years of data): the warning said "the history before the value model’s calibration end is
 * too short", which was false (the history was 2 years) and sent the user the wrong way; validate named the holdout.
 */
import { describe, expect, it } from 'vitest';
import { churnHorizonSkipReason } from '../../src/pipeline/churn-horizon.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;
const MAP = ['--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5'];

describe('churnHorizonSkipReason: which window is too short for a 14-day churn label', () => {
  it('a holdout under 14 days is named, with the flag that lengthens it', () => {
    expect(churnHorizonSkipReason({ calibrationDays: 535, holdoutDays: 10 }, '--holdout-days')).toBe(
      'the 10-day holdout after the value model’s calibration end is shorter than the 14 days a churn label needs (--holdout-days 14 or more scores it)',
    );
  });

  it('a short history is named when the holdout is long enough', () => {
    expect(churnHorizonSkipReason({ calibrationDays: 20, holdoutDays: 90 }, '--holdout-days')).toBe(
      'the 20 days from the first purchase to the value model’s calibration end leave 13 days after their first third (kept as history), fewer than the 14 days a churn label needs',
    );
  });
});

describe('analyze --holdout-days 10: the skipped churn early warning blames the holdout, not the history (CDNOW sample)', () => {
  it('says the 10-day holdout is too short', async () => {
    const out = scratchDir('churn-skip-short-holdout');
    const run = await cli(['analyze', CDNOW, ...MAP, '--holdout-days', '10', '--time-unit', 'week', '--skip-patterns', '--skip-report', '--quiet', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const warnings: string[] = JSON.parse(run.stdout).warnings;
    const skipped = warnings.filter((w) => w.startsWith('churn early warning skipped'));
    expect(skipped).toEqual([
      'churn early warning skipped: the 10-day holdout after the value model’s calibration end is shorter than the 14 days a churn label needs (--holdout-days 14 or more scores it)',
    ]);
  }, 120_000);
});
