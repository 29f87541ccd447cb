/**
 * A user trial (session 40): number flags read their value as JavaScript's Number does, so `--penalty 0x10` fitted
 * with a penalty of 16, `--margin 0b1` kept all revenue and `--penalty Infinity` was taken. A number flag takes a
 * plain decimal number (an exponent too: 1e-3); anything else is refused in one line with a hint, exit 2.
 */
import { describe, expect, it } from 'vitest';
import { numberText } from '../../src/core/number-text.js';
import { cli } from '../helpers/cli.js';

const summary = 'test/fixtures/cdnow/cdnow_customers_summary.csv';
const orders = 'test/fixtures/cdnow/CDNOW_sample.txt.gz';

describe('number flags take plain decimal numbers only', () => {
  it('numberText: hex, octal, binary, Infinity and separators are no number; decimals with a sign or an exponent are', () => {
    expect(['0x10', '0X1f', '0o7', '0b1', 'Infinity', '-Infinity', '1_000', '1,5', '--1', '1e', '.', '+', '0x'].map(numberText)).toEqual(new Array(13).fill(NaN));
    expect(['16', ' 0.5 ', '.5', '5.', '-2', '+3', '1e3', '1E-3', '007'].map(numberText)).toEqual([16, 0.5, 0.5, 5, -2, 3, 1000, 0.001, 7]);
  });

  it.each([
    ['fit --penalty 0x10', ['fit', summary, '--model', 'bgnbd', '--penalty', '0x10'], 'clvkit: error: --penalty 0x10 is not a number ≥ 0 (hint: e.g. --penalty 0.001)'],
    ['fit --penalty Infinity', ['fit', summary, '--model', 'bgnbd', '--penalty', 'Infinity'], 'clvkit: error: --penalty Infinity is not a number ≥ 0 (hint: e.g. --penalty 0.001)'],
    ['analyze --margin 0b1', ['analyze', orders, '--margin', '0b1', '--out', '/nonexistent-never-written'], 'clvkit: error: --margin 0b1'],
  ])('%s is refused in one line with a hint (exit 2)', async (_, args, words) => {
    const { code, stderr } = await cli(args);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(words);
    expect(stderr).toMatch(/\(hint: .+\)\n$/);
    expect(stderr.trim().split('\n').filter((l) => l.startsWith('clvkit: error:'))).toHaveLength(1);
  });
});
