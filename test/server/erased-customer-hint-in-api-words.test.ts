/**
 * A QA pass: a marketer reading an erased customer through the API (`GET /api/customers/<id or token>` → 410) was told
 * "… ingested with clvkit ingest --readmit-erased --role admin": the CLI's flags, and an admin-only action as if they
 * could run it. The API's hint is in the API's words: an admin can re-admit them (a batch sent to the API leaves them
 * out); an admin is told how, since the API itself does not re-admit.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';
import { openTestServer, sessionHeaders } from './server-fixture.js';

describe('GET /api/customers/:token for an erased customer', () => {
  useFixedKey(34);

  it("hints in the API's words: a marketer that an admin can re-admit them, an admin how", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-erased-api-'));
    const orders = join(dir, 'orders.csv');
    copyFileSync(`${FIXTURES}shop/tiny-shop.csv`, orders);
    const db = join(dir, 'w.duckdb');
    expect((await cli(['ingest', orders, '--db', db])).code).toBe(0);
    expect((await cli(['erase', 'A', '--db', db, '--role', 'admin'])).code).toBe(0);
    const server = await openTestServer({ db });
    try {
      const hintOf = async (role: 'marketer' | 'analyst' | 'admin') => {
        const response = await server.app.inject({ method: 'GET', url: '/api/customers/A', headers: sessionHeaders(await server.login(role)) });
        expect(response.statusCode).toBe(410);
        return (response.json() as { hint: string }).hint;
      };
      const reader = 'their rows were deleted from the warehouse; they come back only if an admin re-admits them (orders or events of theirs sent to POST /api/orders or /api/events are left out)';
      expect(await hintOf('marketer')).toBe(reader);
      expect(await hintOf('analyst')).toBe(reader);
      expect(await hintOf('admin')).toBe('their rows were deleted from the warehouse; the API does not re-admit them (orders or events of theirs sent to it are left out): to re-admit them, ingest a file holding them with clvkit ingest FILE --readmit-erased --role admin into this warehouse (a DuckDB file: while the server is stopped)');
    } finally {
      await server.close();
    }
  });
});
