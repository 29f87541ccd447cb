/**
 * Regression (a new-user QA pass): `summarize` wrote recency and T in days by default, and `fit` read that file as weeks
 * (its default) and labelled the result weeks — alpha 38.13 on the CDNOW sample, the per-day value (5.447 per week × 7).
 * summarize now writes the unit into the file (a `time_unit` column, after the lifetimes columns), and fit reads it:
 * the same unit by default, a conflicting --time-unit refused in one line. A file without it (a lifetimes export) is
 * read as before (weeks unless --time-unit says otherwise).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;

describe('fit reads the time unit summarize wrote', () => {
  const dir = scratchDir();
  const days = join(dir, 'days.csv');
  const weeks = join(dir, 'weeks.csv');

  it('summarize writes a time_unit column after the lifetimes columns, in the unit of recency and T', async () => {
    expect((await cli(['summarize', CDNOW, '--out', days])).code).toBe(0);
    expect((await cli(['summarize', CDNOW, '--time-unit', 'week', '--out', weeks])).code).toBe(0);
    const lines = readFileSync(days, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,frequency,recency,T,monetary_value,time_unit');
    expect(lines[1]).toBe('00004,3.0,345.0,545.0,23.723333333333333,day');
    expect(new Set(lines.slice(1).map((line) => line.split(',').at(-1)))).toEqual(new Set(['day']));
    expect(readFileSync(weeks, 'utf8').split('\n')[1]!.endsWith(',week')).toBe(true);
  });

  it('fit without --time-unit fits in the file\'s unit and says so (was "week" with the per-day alpha)', async () => {
    const run = await cli(['fit', days, '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const perDay = JSON.parse(run.stdout);
    expect(perDay.timeUnit).toBe('day');
    expect(perDay.params.alpha).toBeCloseTo(38.13, 2);
    const weekly = JSON.parse((await cli(['fit', weeks, '--model', 'bgnbd', '--json'])).stdout);
    expect(weekly.timeUnit).toBe('week');
    expect(weekly.params.alpha).toBeCloseTo(38.13 / 7, 2);
    // the text output names the unit too
    const text = await cli(['fit', days, '--model', 'bgnbd']);
    expect(text.stdout).toContain('  time unit: day (the summary\'s time_unit column)\n');
  });

  it('fit --time-unit agreeing with the file is fine; a conflicting one is one line, exit 2', async () => {
    expect(JSON.parse((await cli(['fit', days, '--model', 'bgnbd', '--time-unit', 'day', '--json'])).stdout).timeUnit).toBe('day');
    const run = await cli(['fit', days, '--model', 'bgnbd', '--time-unit', 'week']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`clvkit: error: --time-unit week, but ${days} says its recency and T are in days (its time_unit column) (hint: leave out --time-unit, or write the summary again with clvkit summarize --time-unit week)\n`);
  });

  it('a time_unit column with two units, or one fit does not know, is refused in one line', async () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, ['frequency,recency,T,time_unit', '1,2,10,day', '2,3,12,week'].join('\n') + '\n');
    const a = await cli(['fit', mixed, '--model', 'bgnbd']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^clvkit: error: .*mixed\.csv: its time_unit column holds more than one unit \(day, week\) .*\n$/);
    const odd = join(dir, 'odd.csv');
    writeFileSync(odd, ['frequency,recency,T,time_unit', '1,2,10,fortnight', '2,3,12,fortnight'].join('\n') + '\n');
    const b = await cli(['fit', odd, '--model', 'bgnbd']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^clvkit: error: .*odd\.csv: its time_unit column says fortnight, not hour, day, week or month .*\n$/);
  });

  it('a summary without a time_unit column (a lifetimes export) is read as before: weeks, or --time-unit', async () => {
    const published = `${FIXTURES}cdnow/cdnow_customers_summary.csv`;
    expect(JSON.parse((await cli(['fit', published, '--model', 'bgnbd', '--json'])).stdout).timeUnit).toBe('week');
    expect(JSON.parse((await cli(['fit', published, '--model', 'bgnbd', '--time-unit', 'day', '--json'])).stdout).timeUnit).toBe('day');
  });
});
