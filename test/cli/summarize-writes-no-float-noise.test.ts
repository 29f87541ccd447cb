/**
 * Regression (new-user trial): `clvkit summarize` wrote monetary values such as `11.769999999999996` — customer 00021
 * of CDNOW, whose one repeat purchase cost 11.77. The mean is computed as (all valued spend − the first occasion's) /
 * repeats, and the subtraction leaves float noise in the last digits that lifetimes' mean of the repeat values has not.
 * A monetary value that is a short decimal but for noise in its last digits (its 11th and 12th significant digits
 * zero) is now written as that decimal: 11.77, as lifetimes writes it; any other value is written in full.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const CDNOW = join(import.meta.dirname, '..', 'fixtures', 'cdnow', 'CDNOW_sample.txt.gz');

describe('clvkit summarize: monetary values without float noise', () => {
  it('writes 11.77 for CDNOW customer 00021, and no monetary value with a run of noise digits', async () => {
    const out = join(scratchDir(), 'summary.csv');
    const run = await cli(['summarize', CDNOW, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toContain('00021,1.0,12.0,545.0,11.77,day');
    expect(lines).toContain('00114,4.0,406.0,545.0,27.1425,day');
    const noisy = lines.slice(1).map((line) => line.split(',')[4]!).filter((value) => /(9{6}|0{6})\d$/.test(value));
    expect(noisy).toEqual([]);
    // a mean that does not end is written in full, as lifetimes writes it (fit-reads-summary-time-unit pins it too)
    expect(lines).toContain('00004,3.0,345.0,545.0,23.723333333333333,day');
  });
});
