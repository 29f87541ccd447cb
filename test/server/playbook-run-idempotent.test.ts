/**
 * A retried request (session 43, as `clvkit playbook --idempotent`): `POST /api/playbook/run` sent again answered 409
 * "audience … already exists". With `"idempotent": true` the same fields answer the plan of the first run (stored with
 * its audiences), 200 and `reused: true`; other fields under the same names are 409 naming them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from './server-fixture.js';

describe('POST /api/playbook/run with "idempotent": true', () => {
  let server: TestServer;
  beforeAll(async () => {
    // a k-floor of 1: the shipped playbook draws plays of this small shop
    server = await openTestServer({ minGroupSize: 1 });
    const file = join(server.dir, 'orders.csv');
    writeFileSync(file, `order_id,customer_id,date,amount\n${monthlyShopRows().map((r, i) => `o-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  });
  afterAll(async () => server.close());

  it('POST /api/playbook/run with "idempotent": true answers the plan of a run with the same fields, others are 409', async () => {
    const headers = sessionHeaders(await server.login('analyst'));
    const payload = { prefix: 'retry-', seed: 5, idempotent: true };
    const first = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload, headers });
    expect(first.statusCode, first.body).toBe(200);
    const drawn = first.json().plays.filter((p: { audience: string | null }) => p.audience !== null).map((p: { audience: string }) => p.audience);
    expect(drawn.length, first.body).toBeGreaterThan(0);
    expect(first.json().reused).toBe(false);
    const again = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload, headers });
    expect([again.statusCode, again.json().reused], again.body).toEqual([200, true]);
    expect(again.json().totals).toEqual(first.json().totals);
    expect(again.json().notes[0]).toBe(`the audiences of this playbook (${[...drawn].sort().join(', ')}) exist, drawn with the same inputs: the plan of that run answered as stored, nothing drawn again ("idempotent": true)`);
    const other = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { ...payload, seed: 6 }, headers });
    expect(other.statusCode).toBe(409);
    expect(other.json().message).toMatch(/^audience retry-\S+ already exists, drawn with other inputs: seed: 5 then, 6 now$/);
  }, 120_000);
});
