/** Issue 20 item 5 from the shell: `clvkit summarize --period calendar-week|calendar-month`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// lifetimes' `large_transaction_level_data` fixture (tests/test_utils.py)
const LOG = ['customer_id,date', '1,2015-01-01', '1,2015-02-06', '2,2015-01-01', '3,2015-01-01', '3,2015-01-02', '3,2015-01-05', '4,2015-01-16', '4,2015-02-02', '4,2015-02-05', '5,2015-01-16', '5,2015-01-17', '5,2015-01-18', '6,2015-02-02'];

describe('clvkit summarize --period', () => {
  const dir = scratchDir();
  const log = join(dir, 'log.csv');
  writeFileSync(log, LOG.join('\n') + '\n');

  it('calendar-week with a holdout writes lifetimes calibration_and_holdout_data(freq="W")', async () => {
    const out = join(dir, 'weekly.csv');
    const run = await cli(['summarize', log, '--calibration-end', '2015-02-01', '--holdout-end', '2015-02-07', '--time-unit', 'week', '--period', 'calendar-week', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['customer_id', 'frequency', 'recency', 'T', 'monetary_value', 'frequency_holdout', 'monetary_value_holdout', 'duration_holdout', 'time_unit']);
    // frequency-only log: no money columns' values
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[7]].map(Number))).toEqual([
      [1, 0, 0, 4, 1, 1], [2, 0, 0, 4, 0, 1], [3, 1, 1, 4, 0, 1], [4, 0, 0, 2, 1, 1], [5, 0, 0, 2, 0, 1],
    ]);
  });

  it('calendar-week without --time-unit counts in weeks (its own unit), as with --time-unit week', async () => {
    const out = join(dir, 'weekly-default.csv');
    const run = await cli(['summarize', log, '--calibration-end', '2015-02-01', '--holdout-end', '2015-02-07', '--period', 'calendar-week', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'weekly.csv'), 'utf8'));
  });

  it('a calendar period in another time unit is one line and exit 2', async () => {
    const run = await cli(['summarize', log, '--as-of', '2015-02-07', '--time-unit', 'day', '--period', 'calendar-month', '--out', join(dir, 'x.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: --period calendar-month counts whole months, but the time unit is day \(hint: pass --time-unit month with --period calendar-month\)\n$/);
  });

  // Regression (a new-user trial): summarize refused to run without --as-of and --time-unit, where lifetimes'
  // summary_data_from_transaction_data ends the window at the last transaction and counts in days (freq="D").
  it('without --as-of and --time-unit: as of the last purchase day, in days, as lifetimes by default (and says so)', async () => {
    const out = join(dir, 'defaults.csv');
    const run = await cli(['summarize', log, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('as of 2015-02-06 (the last purchase day; --as-of picks another) in days');
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((line) => line.split(','));
    expect(rows[0]!.slice(0, 4)).toEqual(['customer_id', 'frequency', 'recency', 'T']);
    // by hand from the log (T to 2015-02-06; lifetimes' own test, to 2015-02-07, has T one day longer)
    expect(rows.slice(1).map((r) => r.slice(0, 4).map(Number))).toEqual([
      [1, 1, 36, 36], [2, 0, 0, 36], [3, 2, 4, 36], [4, 2, 20, 21], [5, 2, 2, 21], [6, 0, 0, 4],
    ]);
  });
});
