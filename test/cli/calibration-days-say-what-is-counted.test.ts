/**
 * validate on the CDNOW sample (first purchase 1997-01-01, calibration to 1997-09-30, holdout 1997-10-01 → 1998-06-30)
 * printed "the calibration window of 272 days" beside "the 273-day holdout": both windows hold 273 calendar days; 272
 * is the days from the first purchase to the calibration end (what the first-third rule counts, 181 = ⌊2 × 272 / 3⌋).
 * The texts now say what they count.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { sharedCliRun } from '../helpers/shared-cli-run.js';
import { FIXTURES } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;
const MAP = ['--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5'];
const VALIDATE = ['validate', CDNOW, ...MAP, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--time-unit', 'week', '--candidates', 'linear-poisson'];
const COUNTED = '272 days from the first purchase to the calibration end';

describe('validate’s calibration day count says what it counts (CDNOW sample, 39 + 39 weeks)', () => {
  it('the label windows and the churn horizon name the 272 days as first purchase → calibration end', async () => {
    const run = await sharedCliRun(VALIDATE); // the same run as churn-days-flag's
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('calibration window of 272 days');
    expect(run.stdout).toContain(`learned models trained on 60-day (inner) and 181-day (holdout) label windows (not 273: the ${COUNTED} leave 181 days after their first third, kept as history before the training cut-off;`);
    expect(run.stdout).toContain(`  N = 181 days, shorter than the holdout (273 days): the ${COUNTED} leave 181 days after their first third, which the classifier keeps as history`);
  }, 120_000);

  it('the refusal of a --churn-days the windows cannot hold counts the same way', async () => {
    const run = await cli([...VALIDATE, '--churn-days', '273']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--churn-days 273 does not fit the windows: the churn labels need N days after the first third of the ${COUNTED} (at most 181) and N days of the 273-day holdout to check them on`);
  }, 120_000);
});
