/**
 * Regression (session 34's review): when no session belongs to a customer, run.json said `events.unavailable.buyerTypes`
 * (not measured, and why) but kept `events.buyerTypes` as zero counts — customers.impulsive / deliberate / unknown 0,
 * the medians and the threshold 0 — which a reader of run.json or of `GET /api/events-summary` takes for a measurement
 * (0 impulsive buyers). The unmeasured figures are null now, the reason kept; a run recorded before (zeros beside the
 * reason) is served the same way, null.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import type { EventsSummaryResponse } from '../../src/server/routes/read-api-types.js';
import { useFixedKey } from '../helpers/cli.js';
import { writeSessionOnlyShop } from '../helpers/session-only-events.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openTestServer, type TestServer } from './server-fixture.js';

describe('buyer types not measured, as run.json and the API publish them', () => {
  useFixedKey(35);
  let dir: string;
  let server: TestServer;
  let cookie: string;
  let stored: Record<string, any>;
  const eventsSummary = async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/events-summary', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    return (response.json() as EventsSummaryResponse).events as unknown as Record<string, any>;
  };

  beforeAll(async () => {
    dir = scratchDir('clvkit-buyer-types-');
    // events with a session id only: no session can be matched to an order, so no buyer type can be measured
    const shop = writeSessionOnlyShop(dir);
    const db = join(dir, 'shop.duckdb');
    const run = await analyze({
      files: [shop.orders], eventFiles: [shop.events], db, outDir: join(dir, 'out'),
      keyring: keyringFromKey(Buffer.from(process.env.CLVKIT_KEY!, 'base64')), skipModels: true, skipPatterns: true, skipReport: true,
    });
    stored = JSON.parse(JSON.stringify(run));
    server = await openTestServer({ db });
    cookie = (await server.login('viewer')).cookie;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('run.json: buyerTypes is null beside the reason, no zero counts', () => {
    expect(stored.events.unavailable.buyerTypes).toContain('the events carry no customer or visitor id');
    expect(stored.events.buyerTypes).toBeNull();
  });

  it('GET /api/events-summary: buyerTypes null, the reason kept', async () => {
    const events = await eventsSummary();
    expect(events.buyerTypes).toBeNull();
    expect(events.unavailable.buyerTypes).toBe(stored.events.unavailable.buyerTypes);
  });

  it('a run recorded before (zero counts beside the reason) is served with buyerTypes null too', async () => {
    const old = { ...stored, events: { ...stored.events, buyerTypes: { threshold: 0, customers: { impulsive: 0, deliberate: 0, unknown: 0 }, purchasesObserved: 0, medians: { impulsive: { minutes_to_purchase: 0, views: 0 }, deliberate: { minutes_to_purchase: 0, views: 0 } } } } };
    const warehouse = server.context.warehouse;
    await warehouse.execute(`INSERT INTO server_runs (run_id, status, started_at, finished_at, started_by, summary) VALUES ('29991231-000000-0ld0ld', 'finished', TIMESTAMP '2999-12-31 00:00:00', TIMESTAMP '2999-12-31 00:01:00', 'admin', ${warehouse.dialect.literal(JSON.stringify(old))})`);
    const events = await eventsSummary();
    expect(events.buyerTypes).toBeNull();
    expect(events.unavailable.buyerTypes).toBe(stored.events.unavailable.buyerTypes);
    expect(events.stitching).toEqual(stored.events.stitching); // the rest as recorded
  });
});
