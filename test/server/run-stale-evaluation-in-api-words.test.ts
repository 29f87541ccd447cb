/**
 * A run started through `POST /api/runs` publishes the stored campaign evaluations (run.json `campaigns`, the run's
 * report.html): a stale one said how to measure it again in the CLI's words with the server's warehouse path
 * (`run clvkit campaign evaluate --audience spring … --db /srv/…/shop.duckdb again`), as `GET /api/campaign-results`
 * did until it took `api` — the publish stage read the evaluations without it. An API user has no CLI, and the
 * server's path is not theirs to read.
 *
 * Through the API: `spring` (300 customers, sent 2024-01-01) evaluated over January and stored; orders of January
 * ingested since make the evaluation stale (its audience's lines in the window changed); then a run.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { servedCampaignShop } from '../helpers/served-campaign-shop.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

describe('a run started through the API says a stale evaluation in the API\'s words, without the server\'s warehouse path', () => {
  let server: TestServer;
  let summary: RunSummary;

  beforeAll(async () => {
    server = await openTestServer();
    const analyst = await server.login('analyst');
    const shop = await servedCampaignShop(server);
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 1', holdout: 0.3, seed: 1, sendDate: '2024-01-01' }, headers: sessionHeaders(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const evaluated = await server.app.inject({ method: 'POST', url: '/api/campaigns/spring', payload: { from: '2024-01-01', to: '2024-01-31' }, headers: sessionHeaders(analyst) });
    expect(evaluated.statusCode, evaluated.body).toBe(201);
    // more orders of January, of spring's members: its lines in the window are not those it was measured on
    await shop.januaryOrders(20);
    const run = await runToEnd(server, analyst, { skipPatterns: true, regularityCheck: false });
    expect(run.view.status, run.view.error ?? '').toBe('finished');
    summary = run.summary!;
  }, 240_000);
  afterAll(async () => server?.close());

  it('run.json: the stale evaluation names POST /api/campaigns/spring with its window, not clvkit nor the warehouse path', () => {
    const spring = summary.campaigns!.campaigns.find((c) => c.audience === 'spring')!;
    expect(spring.stale).toMatch(/^its audience's transaction lines in 2024-01-01 … 2024-01-31 were [\d,]+ when it was evaluated and are [\d,]+ now \(an ingest, a dropped ingest, an erasure or retention since\): evaluate it again \(POST \/api\/campaigns\/spring with "from": "2024-01-01", "to": "2024-01-31"\)$/);
    // nor in the campaigns' warnings (evaluationWarnings says the stale sentence again)
    const said = JSON.stringify(summary.campaigns);
    expect(said).toContain('evaluate it again (POST /api/campaigns/spring');
    expect(said).not.toContain('campaign evaluate --audience');
    expect(said).not.toContain(server.context.dbPath);
  });

  it("the run's report says it in the same words", () => {
    const html = readFileSync(summary.outputs.reportHtml!, 'utf8');
    // how the report says to measure it again (its text up to the next tag)
    const again = html.match(/(run clvkit campaign evaluate|evaluate it again)[^<]*/g) ?? [];
    expect(again.length).toBeGreaterThanOrEqual(1);
    for (const said of again) expect(said).toMatch(/^evaluate it again \(POST \/api\/campaigns\/spring with (&quot;|")from(&quot;|"): /);
    expect(html.includes(server.context.dbPath), 'the warehouse path in the report').toBe(false);
  });
});
