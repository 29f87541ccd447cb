/**
 * clvkit fit refuses a summary row with frequency 0 and recency > 0. Found in a trial: such a row (no repeat purchase,
 * yet time between the first and last purchase) was fitted without a word. It is what an RFM-style recency (time since
 * the last purchase) or a frequency counting something else gives; lifetimes refuses it too ("non-zero recency values
 * when frequency is zero"). (The BG/BB's summaries were refused already: rfm checks of its own.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const ROWS = ['1,5,10', '2,8,12', '3,9,11', '1,2,9', '0,0,7', '4,10,12'];

function summary(lines: string[], header = 'frequency,recency,T'): string {
  const path = join(scratchDir('fit-recency-'), 'summary.csv');
  writeFileSync(path, [header, ...lines].join('\n') + '\n');
  return path;
}

describe('clvkit fit: frequency 0 with recency > 0 is refused, naming the row and what recency means', () => {
  for (const model of ['bgnbd', 'paretonbd', 'mbgnbd']) {
    it(`${model}: one line, a hint, exit code 2`, async () => {
      const path = summary([...ROWS, '0,2,10', '0,3.5,11']);
      const run = await cli(['fit', path, '--model', model]);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `clvkit: error: ${path}: 2 rows have frequency 0 but recency > 0 (e.g. frequency 0, recency 2, T 10): with no repeat purchase the last purchase is the first, so recency must be 0 (hint: recency is the time from the first to the last purchase, not the time since the last one; frequency counts repeat purchases; clvkit summarize writes both)\n`,
      );
    });
  }

  it('a consistent summary still fits', async () => {
    const run = await cli(['fit', summary(ROWS), '--model', 'bgnbd', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).uniqueTuples).toBe(6);
  });
});
