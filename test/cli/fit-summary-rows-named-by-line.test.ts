/**
 * clvkit fit on hand-written lifetimes-style summaries (a data-scientist trial, session 40). Found:
 * - a bad row was named by its index among the unique (frequency, recency, T) tuples, sorted: "row 0 (frequency 0.03,
 *   recency 20, T 40, weight 1)" for a value on the file's 4th data line — a row the user cannot find. Now the line of
 *   the file and how many rows share the fault;
 * - rows with T = 0 (first purchase on the last day: clvkit summarize writes them) were dropped without a word
 *   (rowsRead 8, rowsSkipped 0, n 7);
 * - a customer id on two rows was fitted twice (the CDNOW summary concatenated with itself: the same estimates, every
 *   standard error divided by √2, n 4,714);
 * - --time-unit took any word ("time unit: fortnight" in the output).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const ROWS = ['1,5,10', '2,8,12', '3,9,11', '1,2,9', '0,0,7', '4,10,12', '0,0,12'];

function summary(lines: string[], header = 'frequency,recency,T'): string {
  const path = join(scratchDir('fit-lines-'), 'summary.csv');
  writeFileSync(path, [header, ...lines].join('\n') + '\n');
  return path;
}

describe('clvkit fit names a bad summary row by its line in the file', () => {
  it('a non-integer frequency: the line, the values and how many rows', async () => {
    // lines 2-8 are ROWS; the bad rows are lines 9 and 10, sorted first among the tuples (frequency 0.5 < 1)
    const path = summary([...ROWS, '0.5,3,10', '0.5,3,10']);
    const run = await cli(['fit', path, '--model', 'bgnbd']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(
      `clvkit: error: ${path}: 2 rows have a frequency that is not a whole number (first on line 9: frequency 0.5, recency 3, T 10) (hint: frequency counts repeat purchases: whole numbers ≥ 0; clvkit summarize writes them)\n`,
    );
  });

  it('recency above T: the line and the values', async () => {
    const path = summary(['1,5,10', '2,8,12', '3,13,12', ...ROWS.slice(3)], 'x,t_x,T');
    const run = await cli(['fit', path, '--model', 'paretonbd']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(
      `clvkit: error: ${path}: 1 row has recency above T (first on line 4: frequency 3, recency 13, T 12) (hint: recency is the time from the first to the last purchase and T from the first purchase to the end of the window, so 0 ≤ recency ≤ T)\n`,
    );
  });

  it('BG/BB: a row outside 0 ≤ frequency ≤ recency ≤ periods is named by its line', async () => {
    const path = summary(['0,0,6,100', '2,4,6,50', '7,6,6,5', '1,1,6,30'], 'frequency,recency,periods,weights');
    const run = await cli(['fit', path, '--model', 'bgbb']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(
      `clvkit: error: ${path}: 1 row has values BG/BB cannot read (first on line 4: frequency 7, recency 6, periods 6) (hint: whole numbers with 0 ≤ frequency ≤ recency ≤ periods, recency 0 exactly when frequency is 0: recency is the opportunity (1…periods) of the last repeat transaction)\n`,
    );
  });
});

describe('clvkit fit says what it leaves out and what it counts twice', () => {
  it('rows with T = 0 are left out with a warning, and counted in rowsSkipped (were dropped silently)', async () => {
    const path = summary([...ROWS, '0,0,0']);
    const run = await cli(['fit', path, '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.n).toBe(7);
    expect(result.rowsRead).toBe(8);
    expect(result.rowsSkipped).toBe(1);
    expect(run.stderr).toContain('clvkit: warning: 1 of 8 rows left out: T is 0 (a first purchase on the last day of the window), where the models have no time to learn from\n');
  });

  it('a customer id on more than one row: warned, with the number of ids and an example', async () => {
    const lines = ROWS.map((row, i) => `c${i},${row}`);
    const path = summary([...lines, lines[1]!, lines[2]!, lines[2]!], 'customer_id,frequency,recency,T');
    const run = await cli(['fit', path, '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).n).toBe(10);
    expect(run.stderr).toContain(
      'clvkit: warning: 2 customer ids (customer_id) are on more than one row (e.g. c1), 3 rows more than customers: each row is fitted as a customer of its own, so they count twice and the standard errors come out too small; drop the repeated rows\n',
    );
  });

  it('Gamma-Gamma on a summary without a repeat buyer with a spend: said so (was "0 customers, fewer than the 3 parameters")', async () => {
    const path = summary(['0,0', '0,10', '2,0'], 'frequency,monetary_value');
    const run = await cli(['fit', path, '--model', 'gammagamma']);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stderr).toBe(
      `clvkit: error: ${path}: no row has frequency > 0 and monetary_value > 0: Gamma-Gamma is fitted on the mean spends of repeat buyers, and there are none (hint: fit it on a summary with repeat buyers: monetary_value is the mean spend of the repeat purchases, as clvkit summarize writes it)\n`,
    );
  });

  it('Gamma-Gamma: repeat buyers with a mean spend of 0 are left out with a warning (were left out without a word)', async () => {
    const spends = ['1,12.5', '2,30', '3,18.25', '1,9.9', '4,22', '2,15', '5,40', '1,11', '0,0', '0,0'];
    const path = summary([...spends, '2,0', '3,0'], 'frequency,monetary_value');
    const run = await cli(['fit', path, '--model', 'gammagamma', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.n).toBe(8);
    expect(result.rowsSkipped).toBe(2);
    expect(run.stderr).toContain('clvkit: warning: 2 of 12 rows left out: repeat buyers (frequency > 0) with a monetary_value of 0, which Gamma-Gamma cannot fit (it models spends > 0); their repeat purchases were returned or free\n');
  });

  it('--time-unit takes only hour, day, week or month (took "fortnight" and printed it)', async () => {
    const run = await cli(['fit', summary(ROWS), '--model', 'bgnbd', '--time-unit', 'fortnight']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("argument 'fortnight' is invalid. Allowed choices are hour, day, week, month.");
  });
});
