/**
 * Privacy officer's trial (session 40): `clvkit ingest --header profiles.csv --role analyst` on a file without a
 * header line stopped with `no column for required role 'customer_id' (columns found: 1:100001, 2:2022-07-23, …,
 * 9:Poppy Norris, 10:poppy.norris.100001@example.com, 11:+44 7700 900770)`: the first customer's id, name, e-mail
 * address and phone number, raw, on the terminal of a role that may see them masked only. The "columns found" of a
 * header that looks like a data row (an e-mail address, a long number among its names) are now masked as the report
 * masks a quarantined line, with the hint that the first line looks like data; a real header is listed as it is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// no e-mail address or +country-code phone in it (a first line with one is refused as a header:
// forced-header-of-contact-details-refused.test.ts): an id, a name and a local phone number
const ROW = '100001,2022-07-23,email,1.56,Europe,United Kingdom,female,1973,Poppy Norris,07700 900770';

describe('the columns an ingest error lists', () => {
  it('are masked when the header is a data row, and say so', async () => {
    const dir = scratchDir();
    const file = join(dir, 'profiles.csv');
    writeFileSync(file, `${ROW}\n${ROW.replace(/100001/g, '100002').replace('Poppy Norris', 'Tara Quinn')}\n`);
    for (const args of [['--kind', 'customers'], ['--kind', 'customers', '--map', 'email=email_address'], []]) {
      const run = await cli(['ingest', file, '--header', '--db', join(dir, 'w.duckdb'), ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(/Poppy|Norris|100001|07700 900770/);
      expect(run.stderr).toMatch(/the first line looks like data, not a header \(its names are masked here\): pass --no-header/);
    }
    // with an e-mail address in the first line, --header is refused before any column is listed
    writeFileSync(file, `${ROW},poppy.norris.100001@example.com\n${ROW},tara@example.com\n`);
    const refused = await cli(['ingest', file, '--header', '--kind', 'customers', '--db', join(dir, 'w.duckdb')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--header: the first line of profiles\.csv holds an e-mail address or a phone number: it is data, not a header/);
    expect(refused.stderr).not.toMatch(/poppy|Norris|100001/);
  }, 120_000);

  it('lists a real header as it is', async () => {
    const dir = scratchDir();
    const file = join(dir, 'profiles.csv');
    writeFileSync(file, `who,signup_date,email\n${ROW.split(',').slice(0, 2).join(',')},a@b.example\n`);
    const run = await cli(['ingest', file, '--kind', 'customers', '--db', join(dir, 'w.duckdb')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(columns found: 1:who, 2:signup_date, 3:email)');
    expect(run.stderr).not.toMatch(/looks like data/);
  }, 120_000);
});
