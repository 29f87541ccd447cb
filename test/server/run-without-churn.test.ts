/**
 * `POST /api/runs` could not turn the churn early warning off: the CLI has `analyze --no-churn`, the body had no field
 * for it (an unknown field is refused). `"churn": false` is that switch, with the CLI's semantics: no churn card in
 * run.json, no customer_churn table, no churn columns in customers.csv — the value scores stay — and sent with
 * `churnDays` (which sets what it skips) it is refused, as `--churn-days` with `--no-churn` is, before a run starts.
 *
 * A run with the churn warning first, then one without it on the same warehouse: what the first wrote is not left
 * behind as if the second had scored it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { tableExists } from '../../src/features/table-exists.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

const CHURN_COLUMNS = ['churn_probability', 'churn_risk_band', 'churn_top_drivers'];
const header = (summary: RunSummary) => readFileSync(summary.outputs.customersCsv, 'utf8').split('\n', 1)[0]!.split(',');

describe('POST /api/runs {"churn": false}: no churn early warning, as analyze --no-churn', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    await generateShop({ outDir: server.dir, customers: 200, seed: 4, products: 30, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
  }, 120_000);
  afterAll(async () => server?.close());

  const run = async (payload: Record<string, unknown>) => {
    const { view, summary } = await runToEnd(server, analyst, { skipPatterns: true, skipReport: true, regularityCheck: false, ...payload });
    expect(view.status, view.error ?? '').toBe('finished');
    return summary!;
  };
  const runCount = async () => (await server.app.inject({ method: 'GET', url: '/api/runs', headers: sessionHeaders(analyst) })).json().runs.length as number;

  it('a run with it, then one with "churn": false: the second has no churn card, table or columns, and keeps its value scores', async () => {
    const withChurn = await run({});
    expect(withChurn.learned?.churn?.horizonDays).toBeGreaterThan(0);
    expect(header(withChurn)).toEqual(expect.arrayContaining(CHURN_COLUMNS));
    expect(await tableExists(server.context.warehouse, 'customer_churn')).toBe(true);

    const without = await run({ churn: false });
    expect(without.learned?.churn).toBeUndefined();
    const columns = header(without);
    expect(columns.filter((c) => c.startsWith('churn_'))).toEqual([]);
    expect(columns).toEqual(expect.arrayContaining(['p_alive', 'predicted_clv_12m']));
    expect(without.valueModel?.chosen).toBe(withChurn.valueModel?.chosen);
    expect(await tableExists(server.context.warehouse, 'customer_churn')).toBe(false);
    // what the dashboard reads of it: no churn card, no customer's churn probability
    const card = (await server.app.inject({ method: 'GET', url: '/api/model-card', headers: sessionHeaders(analyst) })).json() as { churn: unknown; modelCard: unknown };
    expect(card.modelCard).not.toBeNull();
    expect(card.churn).toBeNull();
    const customers = (await server.app.inject({ method: 'GET', url: '/api/customers?limit=5', headers: sessionHeaders(analyst) })).json() as { customers: { pAlive: number | null; churnProbability: number | null }[] };
    expect(customers.customers).toHaveLength(5);
    expect(customers.customers.map((c) => c.churnProbability)).toEqual([null, null, null, null, null]);
    expect(customers.customers.every((c) => typeof c.pAlive === 'number')).toBe(true);
  }, 300_000);

  it('"churn": false with churnDays is refused before a run starts, naming both; a churn that is not true or false too', async () => {
    const before = await runCount();
    const both = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { churn: false, churnDays: 30 }, headers: sessionHeaders(analyst) });
    expect(both.statusCode, both.body).toBe(400);
    expect(both.json()).toMatchObject({ message: 'churnDays sets the churn early warning, and "churn": false skips it', hint: 'send one of churnDays and "churn": false' });
    const text = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { churn: 'no' }, headers: sessionHeaders(analyst) });
    expect(text.statusCode, text.body).toBe(400);
    expect((text.json() as { message: string }).message).toContain('churn');
    expect(await runCount()).toBe(before);
  });

  it('the OpenAPI document gives the field', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { type?: string; description?: string }> } }> } } }> };
    const churn = doc.paths['/api/runs']!.post.requestBody.content['application/json']!.schema.properties.churn;
    expect(churn).toMatchObject({ type: 'boolean' });
    expect(churn!.description).toContain('--no-churn');
  });
});
