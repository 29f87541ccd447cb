/**
 * A QA pass of the audit of customer reads: an admin's `reveal=1` read was logged only as `reidentify`, never as
 * `view_raw_pii` (docs/dashboard.md: "`view_raw_pii` when raw values were shown, `reidentify` when original ids
 * were"), and `details.pii` listed the same fields for a masked read and a raw one — for an analyst or a marketer even
 * `note`, which they are not shown. Now `details.pii` lists the fields shown raw, `details.piiMasked` those shown
 * masked; a read that showed raw values is `view_raw_pii`, and one that showed original ids adds a `reidentify` entry.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import type { Role } from '../../src/privacy/access/rbac.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { openTestServer, type TestServer } from './server-fixture.js';

describe('the audit entries of a customer read say what was shown', () => {
  let server: TestServer;
  let token: string;
  const sessions = new Map<Role, string>();
  beforeAll(async () => {
    server = await openTestServer();
    const file = join(server.dir, 'orders.csv');
    writeFileSync(file, 'order_id,customer_id,email,note,date,amount\nO1,jane,jane@example.com,allergic to nuts,2023-01-15,10\nO2,jane,jane@example.com,allergic to nuts,2023-02-15,12\nO3,bob,bob@example.org,,2023-03-15,9\n');
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring, map: { email: 'email', note: 'note' } });
    // a derived row is all the customer 360 needs to answer (no run is served: no stage history, no recommendations)
    await server.context.warehouse.execute('CREATE TABLE customer_summary AS SELECT customer_id, count(*) AS orders, max(ts)::DATE AS last_purchase, sum(amount) AS historic_clv FROM transactions GROUP BY customer_id');
    token = createPseudonymiser(server.context.keyring)('jane');
    for (const role of ['admin', 'analyst', 'marketer'] as const) sessions.set(role, (await server.login(role)).cookie);
  });
  afterAll(async () => server.close());

  const read = async (role: Role, url: string) => {
    const before = Number((await server.context.warehouse.query('SELECT count(*) AS n FROM audit_log'))[0]!.n);
    const response = await server.app.inject({ method: 'GET', url, headers: { cookie: sessions.get(role)! } });
    expect(response.statusCode, response.body).toBe(200);
    const rows = await server.context.warehouse.query(`SELECT action, target, row_counts, details FROM audit_log WHERE seq > ${before} ORDER BY seq`);
    const entries = rows.map((r) => ({ action: String(r.action), target: String(r.target), rowCounts: JSON.parse(String(r.row_counts)) as Record<string, number>, details: JSON.parse(String(r.details)) as { pii: string[]; piiMasked: string[] } }));
    return { body: response.json() as { piiShown: Record<string, string>; pii: Record<string, string | null>; customers: { pii?: Record<string, string | null> }[] }, entries };
  };
  /** the fields shown as `as` that hold a value (a field no customer has showed nothing), in the order of PII_ROLES */
  const fieldsShown = (piiShown: Record<string, string>, as: string, values: Record<string, string | null>[]) => ['email', 'phone', 'name', 'address', 'note'].filter((f) => piiShown[f] === as && values.some((v) => v[f] != null));

  it('a masked read (analyst, marketer, an admin not asking): view_tokens; pii empty, piiMasked only the fields shown masked', async () => {
    for (const role of ['analyst', 'marketer', 'admin'] as const) {
      const { body, entries } = await read(role, `/api/customers/${token}`);
      expect(entries.map((e) => e.action), role).toEqual(['view_tokens']);
      expect(entries[0]!.details.pii, role).toEqual([]);
      expect(entries[0]!.details.piiMasked, role).toEqual(fieldsShown(body.piiShown, 'masked', [body.pii]));
      expect(entries[0]!.details.piiMasked, role).toContain('email');
      // note_enc is personal-sensitive: hidden from an analyst and a marketer, so not listed as shown to them (it was)
      expect(body.piiShown.note, role).toBe(role === 'admin' ? 'masked' : 'hidden');
      expect(entries[0]!.details.piiMasked, role).toEqual(role === 'admin' ? ['email', 'note'] : ['email']);
    }
  });

  it("an admin's reveal=1 read: view_raw_pii with the fields shown raw, and a reidentify entry for the original id", async () => {
    const { body, entries } = await read('admin', `/api/customers/${token}?reveal=1`);
    expect(body.pii.email).toBe('jane@example.com');
    expect(entries.map((e) => [e.action, e.target])).toEqual([['view_raw_pii', `customer:${token}`], ['reidentify', `customer:${token}`]]);
    expect(entries[0]!.details.pii).toEqual(fieldsShown(body.piiShown, 'raw', [body.pii]));
    expect(entries[0]!.details.pii).toEqual(expect.arrayContaining(['email', 'note']));
    expect(entries[0]!.details.piiMasked).toEqual([]);
    expect(entries[1]!.rowCounts).toEqual({ customers: 1 });
  });

  it('the list: the same words (a marketer masked, an admin revealing raw and re-identifying)', async () => {
    const masked = await read('marketer', '/api/customers?limit=5');
    expect(masked.entries.map((e) => e.action)).toEqual(['view_tokens']);
    expect([masked.entries[0]!.details.pii, masked.entries[0]!.details.piiMasked]).toEqual([[], fieldsShown(masked.body.piiShown, 'masked', masked.body.customers.map((c) => c.pii ?? {}))]);
    const raw = await read('admin', '/api/customers?limit=5&reveal=1');
    expect(raw.entries.map((e) => [e.action, e.target])).toEqual([['view_raw_pii', 'table:customer_summary'], ['reidentify', 'table:customer_summary']]);
    expect(raw.entries[0]!.details.pii).toEqual(expect.arrayContaining(['email', 'note']));
    expect(raw.entries[1]!.rowCounts).toEqual({ customers: 2 });
  });
});
