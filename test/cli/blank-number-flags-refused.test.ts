/**
 * Regression (session 40's data-scientist trial): a number flag given a blank value — `--penalty ''`, what
 * `--penalty "$PENALTY"` passes when the variable is unset — was read as 0 (`Number('')` is 0): `fit` fitted without a
 * penalty, `validate` drew with seed 0, `analyze` discounted at 0% a year, all without a word (`synth` refused it
 * already: its case is kept beside them). A blank is no
 * number: refused in one line, exit 2.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/core/number-text.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const summary = 'test/fixtures/cdnow/cdnow_customers_summary.csv';
const orders = 'test/fixtures/cdnow/CDNOW_sample.txt.gz';

describe('a number flag given a blank value is refused, not read as 0', () => {
  it('numberText: a blank is NaN, a number as Number reads it', () => {
    expect([numberText(''), numberText('  '), numberText('\t')]).toEqual([NaN, NaN, NaN]);
    expect([numberText('0'), numberText(' 0.5 '), numberText('1e3'), numberText('-2')]).toEqual([0, 0.5, 1000, -2]);
    // an option commander left undefined is NaN, as Number(undefined) is: no TypeError
    expect(numberText(undefined)).toBeNaN();
  });

  it.each([
    ['fit --penalty', ['fit', summary, '--model', 'bgnbd', '--penalty', ''], /--penalty {1,2}is not a number ≥ 0/],
    ['fit --penalty (spaces)', ['fit', summary, '--model', 'bgnbd', '--penalty', '  '], /is not a number ≥ 0/],
    ['validate --seed', ['validate', orders, '--calibration-end', '1997-09-30', '--seed', ''], /--seed/],
    ['synth --seed', ['synth', '--customers', '50', '--seed', '', '--out', join(scratchDir(), 'shop')], /--seed/],
    ['analyze --discount-rate', ['analyze', orders, '--discount-rate', '', '--out', join(scratchDir(), 'out')], /--discount-rate/],
  ])('%s', async (_, args, words) => {
    const { code, stderr } = await cli(args as string[]);
    expect(code).toBe(2);
    expect(stderr).toMatch(words);
    expect(stderr.trim().split('\n').filter((l) => l.startsWith('clvkit: error:'))).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
