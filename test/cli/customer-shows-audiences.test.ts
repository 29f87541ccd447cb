/**
 * `clvkit customer <id>` (text and --json) and the API's customer 360 show the audiences the customer was drawn into:
 * name, group (treatment or control), send date and play — before, neither said whether a customer had been contacted
 * or held out. The CLI's --json and GET /api/customers/:token answer the same list.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { openTestServer, sessionHeaders } from '../server/server-fixture.js';

describe('clvkit customer <id>: the audiences the customer was in', () => {
  let db: string;
  let both: string; // treatment in "early", control in "late"
  let none: string; // in no audience
  beforeAll(async () => {
    db = await smallAnalysedShop();
    for (const [name, holdout, seed, day] of [['early', '0.2', '1', '2024-01-05'], ['late', '0.5', '2', '2024-02-10']] as const) {
      const r = await cli(['audience', 'create', '--db', db, '--name', name, '--where', 'orders >= 2', '--holdout', holdout, '--seed', seed, '--send-date', day]);
      expect(r.code, r.stderr).toBe(0);
    }
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [row] = await warehouse.query(`SELECT e.customer_id FROM audience_members e JOIN audience_members l USING (customer_id)
        WHERE e.audience = 'early' AND e.group_name = 'treatment' AND l.audience = 'late' AND l.group_name = 'control' ORDER BY e.customer_id LIMIT 1`);
      both = String(row!.customer_id);
      const [out] = await warehouse.query(`SELECT customer_id FROM customer_summary WHERE customer_id NOT IN (SELECT customer_id FROM audience_members) ORDER BY customer_id LIMIT 1`);
      none = String(out!.customer_id);
    } finally {
      await warehouse.close();
    }
  }, 180_000);

  it('--json lists them newest first, and equals the API\'s customer 360', async () => {
    const run = await cli(['customer', both, '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as { audiences: unknown };
    expect(shown.audiences).toEqual([
      { name: 'late', group: 'control', sendDate: '2024-02-10', play: null },
      { name: 'early', group: 'treatment', sendDate: '2024-01-05', play: null },
    ]);
    expect((JSON.parse((await cli(['customer', none, '--db', db, '--json'])).stdout) as { audiences: unknown }).audiences).toEqual([]);
    const server = await openTestServer({ db });
    try {
      const api = (await server.app.inject({ method: 'GET', url: `/api/customers/${both}`, headers: sessionHeaders(await server.login('analyst')) })).json();
      expect(api.audiences).toEqual(shown.audiences);
    } finally {
      await server.close();
    }
  });

  it('the text view says them in one line; none when the customer was in no audience', async () => {
    const run = await cli(['customer', both, '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('\n  audiences: late (control, sent 2024-02-10), early (treatment, sent 2024-01-05)\n');
    expect((await cli(['customer', none, '--db', db])).stdout).toContain('\n  audiences: none\n');
  });
});
