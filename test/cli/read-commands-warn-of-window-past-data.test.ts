/**
 * A trial as a data engineer: `segments`, `lifecycle` and `cohorts --as-of 2030-01-01` (a mistyped 2013?) on data that
 * ends in 1998, and `lifecycle --holdout-end 2030-01-01`, answered without a word — every customer lapsed, repurchase
 * rates of a window 31 years long that holds no purchase after 1998. `analyze --as-of` and `validate --holdout-end`
 * warn of an end more than a week past the last purchase (days-past-data.ts); these commands now say the same on
 * stderr, and nothing for an end within a week of it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** 60 customers buying in 1997 and up to 1998-05-15. */
function writeShop(): string {
  const lines = ['customer_id,date,quantity,amount'];
  for (let i = 1; i <= 60; i++) {
    lines.push(`C${i},1997-${String(1 + (i % 12)).padStart(2, '0')}-10,1,${10 + i}.00`);
    lines.push(`C${i},1998-0${1 + (i % 5)}-15,2,${20 + i}.00`);
  }
  const path = join(scratchDir(), 'shop-to-1998.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('segments, lifecycle and cohorts: a window that ends long after the data', () => {
  it('--as-of more than a week past the last purchase is warned about, naming the days and the last purchase', async () => {
    const file = writeShop();
    for (const command of ['segments', 'lifecycle', 'cohorts']) {
      const run = await cli([command, file, '--as-of', '2030-01-01', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).asOf, command).toBe('2030-01-01');
      expect(run.stderr, command).toContain(
        'clvkit: warning: --as-of 2030-01-01 is 11,554 days after the last purchase (1998-05-15): every customer looks inactive by then; leave --as-of out to read as of the last purchase\n',
      );
    }
    const within = await cli(['segments', file, '--as-of', '1998-05-20']);
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).not.toContain('after the last purchase');
  });

  it('lifecycle --holdout-end more than a week past the last purchase is warned about; one within it is not', async () => {
    const file = writeShop();
    const run = await cli(['lifecycle', file, '--as-of', '1997-12-31', '--holdout-end', '2030-01-01', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).validation.holdoutEnd).toBe('2030-01-01');
    expect(run.stderr).toContain(
      "clvkit: warning: --holdout-end 2030-01-01 is 11,554 days after the last purchase (1998-05-15): those days hold no purchases, so each stage's repurchase rate and spend are of a shorter window than the one named; pass --holdout-end 1998-05-15 to end the holdout at the last purchase\n",
    );
    const within = await cli(['lifecycle', file, '--as-of', '1997-12-31', '--holdout-end', '1998-05-15']);
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).not.toContain('after the last purchase');
  });
});
