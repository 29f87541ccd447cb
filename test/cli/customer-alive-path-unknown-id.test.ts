/**
 * Regression (new-user trial): `clvkit customer <id> FILE --alive-path` for an id not in the data said "no purchase of
 * this customer up to 2023-03-05" — as if the customer existed and had not bought yet. It now says there is no such
 * customer; a customer whose first purchase comes after --as-of is told the day of it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

function writeShop(): string {
  const lines = ['customer_id,date,amount'];
  for (let c = 1; c <= 30; c++) lines.push(`C${c},2023-01-${String(1 + (c % 28)).padStart(2, '0')},10`, `C${c},2023-03-0${1 + (c % 5)},12`);
  lines.push('LATE,2023-03-05,15');
  const path = join(scratchDir(), 'shop.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('clvkit customer --alive-path: an id the data does not hold', () => {
  it('says there is no such customer, in one line, exit 2', async () => {
    const run = await cli(['customer', 'NOPE', writeShop(), '--alive-path']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toBe('clvkit: error: no customer NOPE in the data (no purchase or return of this id) (hint: use the customer id as it appears in the input file, or its token c_… as clvkit shows it)\n');
  });

  it('a customer whose first purchase comes after --as-of: names that day', async () => {
    const run = await cli(['customer', 'LATE', writeShop(), '--alive-path', '--as-of', '2023-02-01']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toBe('clvkit: error: no purchase of customer LATE up to 2023-02-01: their first is on 2023-03-05 (hint: pass an --as-of on or after 2023-03-05)\n');
  });
});
