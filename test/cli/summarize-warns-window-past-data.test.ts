/**
 * clvkit summarize with a window that ends well after the last purchase (a data-scientist trial, session 40). analyze
 * (--as-of) and validate (--holdout-end) warn that such an end makes every customer look inactive or the holdout empty;
 * summarize wrote the file without a word: --as-of 2000-01-01 on the CDNOW sample (last purchase 1998-06-30) gave
 * customer 00004 T = 1,095 days instead of 545, 550 days of silence no one had; --calibration-end 1998-07-30 with
 * --holdout-end 1998-09-01 wrote a holdout of 33 days with frequency_holdout 0 for everyone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;

describe('clvkit summarize warns when its window ends well after the last purchase', () => {
  const dir = scratchDir('summarize-past-');

  it('--as-of 550 days after the last purchase: written, with a warning naming the days', async () => {
    const out = join(dir, 'late.csv');
    const run = await cli(['summarize', CDNOW, '--as-of', '2000-01-01', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe('00004,3.0,345.0,1095.0,23.723333333333333,day');
    expect(run.stderr).toContain(
      'clvkit: warning: --as-of 2000-01-01 is 550 days after the last purchase (1998-06-30): those days hold no purchases, so every customer looks inactive by then (T grows, recency does not); leave --as-of out to summarize as of the last purchase\n',
    );
  });

  it('a holdout after the data: the calibration end and the holdout end are both said', async () => {
    const out = join(dir, 'split.csv');
    const run = await cli(['summarize', CDNOW, '--calibration-end', '1998-07-30', '--holdout-end', '1998-09-01', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('clvkit: warning: --calibration-end 1998-07-30 is 30 days after the last purchase (1998-06-30)');
    expect(run.stderr).toContain(
      'clvkit: warning: --holdout-end 1998-09-01 is 63 days after the last purchase (1998-06-30): those days hold no purchases, so frequency_holdout counts none in them; leave --holdout-end at the last purchase or before\n',
    );
  });

  it('an end within a week of the last purchase is taken as meant: no warning', async () => {
    const run = await cli(['summarize', CDNOW, '--as-of', '1998-07-05', '--out', join(dir, 'week.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('after the last purchase');
  });

  it('--calibration-end without --holdout-end: the summary as of that day, and a warning that it has no holdout (session 40)', async () => {
    const out = join(dir, 'calibration-only.csv');
    const run = await cli(['summarize', CDNOW, '--calibration-end', '1997-09-30', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).not.toContain('holdout');
    expect(run.stderr).toContain('clvkit: warning: --calibration-end without --holdout-end: a summary as of 1997-09-30, as --as-of 1997-09-30 gives, with no holdout columns; add --holdout-end YYYY-MM-DD for a calibration/holdout split\n');
  });
});
