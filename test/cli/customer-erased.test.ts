/**
 * A QA pass: `clvkit customer <id> --db w.duckdb --alive-path` for a customer erased since said "no purchase of this
 * customer", as for an id never seen. It now says the customer was erased and when (the erasure record,
 * `erased_customers`), in one line and nothing else about them; an id never seen still gets "no purchase".
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';
import { openTestServer, sessionHeaders } from '../server/server-fixture.js';

describe('clvkit customer for an erased customer', () => {
  useFixedKey(33);

  it('says the customer was erased, and when, instead of "no purchase"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-erased-'));
    const orders = join(dir, 'orders.csv');
    copyFileSync(`${FIXTURES}shop/tiny-shop.csv`, orders);
    const db = join(dir, 'w.duckdb');
    expect((await cli(['ingest', orders, '--db', db])).code).toBe(0);
    const before = await cli(['customer', 'A', '--db', db, '--alive-path', '--json']);
    expect(before.code, before.stderr).toBe(0);
    const token = JSON.parse(before.stdout).customer as string;
    const erased = await cli(['erase', 'A', '--db', db, '--role', 'admin']);
    expect(erased.code, erased.stderr).toBe(0);

    const hint = '(hint: their rows were deleted from the warehouse; they come back only if a file holding them is ingested with clvkit ingest --readmit-erased --role admin)';
    for (const [given, json] of [['A', false], [token, true]] as const) {
      const after = await cli(['customer', given, '--db', db, '--alive-path', ...(json ? ['--json'] : [])]);
      expect([after.code, after.stdout]).toEqual([2, '']);
      expect(after.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^clvkit: error: customer ${given} was erased on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: nothing of them is kept \\(hint: `)), ]);
      expect(after.stderr.trimEnd().endsWith(hint)).toBe(true);
    }

    // an id the warehouse never held is not said to be erased
    const never = await cli(['customer', 'NOBODY', '--db', db, '--alive-path']);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/^clvkit: error: no customer NOBODY in the data /);

    // each look-up of an erased customer is audited (probing ids for erasures leaves a trace), as other look-ups are
    const lookups = async () => (JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { details: Record<string, unknown> }[]).filter((e) => e.details.erased === true);
    expect((await lookups()).map((e) => e.details.command)).toEqual(['customer --alive-path', 'customer --alive-path']);

    // the API's customer 360 says the same (it said 404 "no customer with this token or id", as for an id never held)
    const server = await openTestServer({ db });
    try {
      const analyst = await server.login('analyst');
      for (const given of ['A', token]) {
        const response = await server.app.inject({ method: 'GET', url: `/api/customers/${given}`, headers: sessionHeaders(analyst) });
        expect(response.statusCode).toBe(410);
        expect(response.json()).toMatchObject({ error: 'erased', message: expect.stringMatching(new RegExp(`^customer ${given} was erased on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: nothing of them is kept$`)) });
      }
      expect((await server.app.inject({ method: 'GET', url: '/api/customers/NOBODY', headers: sessionHeaders(analyst) })).statusCode).toBe(404);
    } finally {
      await server.close();
    }
    expect((await lookups()).map((e) => e.details.route ?? e.details.command)).toEqual(['customer --alive-path', 'customer --alive-path', 'GET /api/customers/:token', 'GET /api/customers/:token']);
  });
});
