/**
 * Privacy officer's trial (session 40): `clvkit customer 'c_…token… ' --db W` — a token copied with a trailing space
 * or in capitals — pseudonymised the text as an original id and said there was no such customer. The lookup now reads
 * a token as erase does (`tokenAsGiven`: white space at its edges and capitals aside).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('clvkit customer with a token as pasted', () => {
  useFixedKey(41);

  it('finds the customer of a token given with white space around it or in capitals', async () => {
    const dir = scratchDir();
    const db = join(dir, 'w.duckdb');
    expect((await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db])).code).toBe(0);
    const byId = await cli(['customer', 'A', '--db', db, '--alive-path', '--json']);
    expect(byId.code, byId.stderr).toBe(0);
    const token = JSON.parse(byId.stdout).customer as string;
    for (const pasted of [` ${token}\t`, token.toUpperCase()]) {
      const run = await cli(['customer', pasted, '--db', db, '--alive-path', '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).customer).toBe(token);
    }
  }, 120_000);
});
