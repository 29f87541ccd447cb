/**
 * Issue 20 item 11 from the shell: `clvkit validate --tracking-age next-day`
 * counts ages at period ends as lifetimes and R BTYD do (one day more than
 * clvkit's default); the actual side does not change.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

interface Selection {
  chosen: string;
  diagnostics: { tracking: { age: string; periodEnds: number[]; actualCumulative: number[]; expectedCumulative: number[]; expectedIncremental: number[]; calibrationEndIndex: number } };
}

async function validate(age: string): Promise<Selection> {
  const run = await cli([
    'validate', `${FIXTURES}cdnow/CDNOW_sample.txt.gz`,
    '--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5',
    '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--time-unit', 'week',
    // --no-learned: only the value models' tracking curve is looked at; the honest tournament (learned models, MBG/CNBD-k)
    // does not touch it and cost most of this file's time
    '--tracking-age', age, '--json', '--no-learned',
  ]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Selection;
}

describe('validate --tracking-age', () => {
  it('next-day adds one day of expected purchases at every period end; the actual curve stays', async () => {
    const [last, next] = [await validate('last-day'), await validate('next-day')];
    expect(last.diagnostics.tracking.age).toBe('last-day');
    expect(next.diagnostics.tracking.age).toBe('next-day');
    expect(next.diagnostics.tracking.actualCumulative).toEqual(last.diagnostics.tracking.actualCumulative);
    const t = next.diagnostics.tracking;
    const k = t.calibrationEndIndex + 10; // ten weeks into the holdout
    const gap = t.expectedCumulative[k]! - last.diagnostics.tracking.expectedCumulative[k]!;
    const perDay = t.expectedIncremental[k]! / 7;
    expect(gap / perDay).toBeGreaterThan(0.9);
    expect(gap / perDay).toBeLessThan(1.1);
  }, 120_000);
});
