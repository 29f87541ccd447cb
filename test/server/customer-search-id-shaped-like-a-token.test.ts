/**
 * Privacy officer's trial (session 40, fixed in 41): `GET /api/customers?q=` read a query shaped like a token
 * (`c_` and 26 letters a–z, 2–7) as a token prefix only: a customer whose original id (another system's) has that shape
 * in lower case was not found by it — searched by their own id, "no customers" — while the same id in capitals was
 * read as an id only, so a customer's token pasted in capitals found nobody. The search now reads every query both
 * ways when the warehouse is keyed: a token prefix (case folded, as tokens are lower case) and an original id
 * (through its token), for the roles that may list customers; a viewer is refused, whatever the query.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';
import { openTestServer, sessionHeaders, type TestServer } from './server-fixture.js';

/** Customer I's original id: shaped like a token, in lower case. */
const SHAPED = 'c_abcdefghijklmnopqrstuvwxyz';

describe('GET /api/customers?q= with an original id shaped like a token', () => {
  useFixedKey(44);
  let server: TestServer;
  let db: string;
  let token: string; // customer I's token (the pseudonym of SHAPED)
  const search = async (role: 'admin' | 'analyst' | 'marketer' | 'viewer', q: string) => {
    const response = await server.app.inject({ method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}&limit=200`, headers: sessionHeaders(await server.login(role)) });
    return { status: response.statusCode, text: response.body, body: response.json() as { total: number; customers: { customer: string; orders: number }[] } };
  };

  beforeAll(async () => {
    const dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    const csv = readFileSync(`${FIXTURES}shop/tiny-shop.csv`, 'utf8').replace(/,I,/g, `,${SHAPED},`);
    writeFileSync(join(dir, 'shop.csv'), csv);
    expect((await cli(['ingest', join(dir, 'shop.csv'), '--db', db, '--quiet'])).code).toBe(0);
    const analyzed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--quiet', '--skip-report', '--skip-patterns']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const shown = await cli(['customer', SHAPED, '--db', db, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    token = (JSON.parse(shown.stdout) as { customer: string }).customer;
    expect(token).toMatch(/^c_[a-z2-7]{26}$/);
    expect(token).not.toBe(SHAPED);
    server = await openTestServer({ db });
  }, 180_000);
  afterAll(async () => server?.close());

  it('finds the customer by that id, for every role that may list customers', async () => {
    for (const role of ['admin', 'analyst', 'marketer'] as const) {
      const { status, body, text } = await search(role, SHAPED);
      expect([role, status], text).toEqual([role, 200]);
      expect([role, body.total, body.customers.map((c) => [c.customer, c.orders])]).toEqual([role, 1, [[token, 4]]]);
    }
  });

  it('finds a customer by their token as given, in capitals too, and by a prefix of it', async () => {
    for (const q of [token, token.toUpperCase(), token.slice(0, 8).toUpperCase()]) {
      const { status, body } = await search('analyst', q);
      expect([q, status]).toEqual([q, 200]);
      expect([q, body.customers.map((c) => c.customer)]).toEqual([q, expect.arrayContaining([token])]);
    }
  });

  it('refuses a viewer, and shows no customer, whatever the query', async () => {
    for (const q of [SHAPED, token, token.toUpperCase()]) {
      const { status, text } = await search('viewer', q);
      expect([q, status]).toEqual([q, 403]);
      expect(text).not.toContain(token);
    }
  });

  it('keeps the id out of the audit log', async () => {
    await search('analyst', SHAPED);
    const rows = await server.context.warehouse.query("SELECT details FROM audit_log WHERE details LIKE '%GET /api/customers\"%' ORDER BY seq DESC LIMIT 1");
    expect(rows).toHaveLength(1);
    expect(String(rows[0]!.details)).not.toContain(SHAPED);
    expect(JSON.parse(String(rows[0]!.details)).filters.q).toBe('(a token prefix or an id, tokenised)');
  });
});
