/**
 * A QA pass: `clvkit customer <id> --alive-path --db W` for a known prospect (a profile or events, no purchase yet)
 * said "no purchase of this customer … (hint: use the customer id as it appears in the input file …)", as for an id
 * never seen. It now says the customer is a known prospect, with their stage and conversion propensity, and exits 2
 * as before; an id never seen still gets "no purchase".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';

describe('clvkit customer --alive-path for a known prospect', () => {
  useFixedKey(31);
  let db: string;
  let token: string;
  let propensity: number;
  beforeAll(async () => {
    db = (await prospectsWarehouse()).db;
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [row] = await warehouse.query(`SELECT q.customer_id, q.conversion_propensity FROM customer_prospects q JOIN customer_stages g USING (customer_id)
        WHERE g.stage = 'prospect' AND q.conversion_propensity IS NOT NULL ORDER BY q.customer_id LIMIT 1`);
      token = String(row!.customer_id);
      propensity = Number(row!.conversion_propensity);
    } finally {
      await warehouse.close();
    }
  }, 180_000);

  it('says the customer is a known prospect, with stage and conversion propensity, and exits 2', async () => {
    for (const role of ['analyst', 'marketer']) {
      const run = await cli(['customer', token, '--db', db, '--alive-path', '--role', role]);
      expect([run.code, run.stdout]).toEqual([2, '']);
      const lines = run.stderr.trimEnd().split('\n'); // the error alone: no note on the defaults before it
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^clvkit: error: customer ${token} is a known prospect \\(a profile or events, no purchase yet\\): stage prospect, conversion propensity ${propensity.toFixed(4)}; no purchase up to \\d{4}-\\d\\d-\\d\\d, so no alive path \\(hint: `));
      expect(lines[0]).not.toMatch(/as it appears in the input file/);
    }
    const never = await cli(['customer', 'NOBODY', '--db', db, '--alive-path']);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/^clvkit: error: no customer NOBODY in the data .*as it appears in the input file/m);
  });
});
