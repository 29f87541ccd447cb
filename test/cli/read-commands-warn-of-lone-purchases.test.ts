/**
 * Regression: `segments`, `lifecycle` and `cohorts` read a file (or --db) up to its last purchase day by default, and
 * said nothing when that day was a stray line a year or more after all the others (a mistyped 2005 for 1998): every
 * customer then looked inactive as of 2005, unexplained. `analyze` and `validate` warned already
 * (lone-purchases-after-gap.ts); these commands now give the same warning, with their own way out (--as-of).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** 60 customers buying in 1997 and early 1998, and one line mistyped as 2005. */
function writeShopWithStrayDate(): string {
  const lines = ['customer_id,date,quantity,amount'];
  for (let i = 1; i <= 60; i++) {
    lines.push(`C${i},1997-${String(1 + (i % 12)).padStart(2, '0')}-10,1,${10 + i}.00`);
    lines.push(`C${i},1998-0${1 + (i % 5)}-15,2,${20 + i}.00`);
  }
  lines.push('C7,2005-03-02,1,12.00');
  const path = join(scratchDir(), 'stray-date.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('segments, lifecycle and cohorts: a purchase standing alone after a gap of years', () => {
  it('is warned about on stderr, naming the gap and the --as-of to read up to it; a set --as-of is not warned about', async () => {
    const file = writeShopWithStrayDate();
    for (const command of ['segments', 'lifecycle', 'cohorts']) {
      const run = await cli([command, file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr, command).toContain('the last purchase day, 2005-03-02, comes');
      expect(run.stderr, command).toContain('(1998-05-15)');
      expect(run.stderr, command).toContain('pass --as-of 1998-05-15 to read up to the gap');
      expect(run.stderr, command).not.toContain('value models');
    }
    const asOf = await cli(['segments', file, '--as-of', '1998-05-15']);
    expect(asOf.code, asOf.stderr).toBe(0);
    expect(asOf.stderr).not.toContain('mistyped date');
  });
});
