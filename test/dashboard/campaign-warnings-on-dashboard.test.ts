/**
 * The dashboard's campaigns page marked a stale evaluation "(stale)" and one whose groups other audiences treated
 * "(overlap)" in its row, as the report does, but said why under the table only for a balance beyond chance
 * (`balanceNotes`): the report (and campaign compare) say every warning of the evaluation — stale, with how to measure
 * it again; the overlap, with the audiences and counts. `GET /api/campaign-results` carried them (`stale`, `overlap`),
 * the stale one in the CLI's words with the server's warehouse path (`run clvkit campaign evaluate … --db PATH again`).
 *
 * Through the API: `spring` (300 customers, sent 2024-01-01) evaluated over January and stored; `second`, sent
 * 2024-01-10 to the same customers, treats members of both its groups (overlap); orders of January ingested since make
 * the evaluation stale (its audience's lines in the window changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationWarnings } from '../../src/actions/comparison-warnings.js';
import { campaignKpiRow } from '../../src/report/campaign-kpi-row.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import type { CampaignResultsResponse } from '../../src/server/routes/read-api-types.js';
import { campaignNotes } from '../../web/src/campaign-notes.js';
import { fixtureReportData } from '../report/report-fixture.js';
import { servedCampaignShop } from '../helpers/served-campaign-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from '../server/server-fixture.js';

describe('the dashboard says why an evaluation is stale, and whose audiences overlap it, as the report does', () => {
  let server: TestServer;
  let results: CampaignResultsResponse;

  beforeAll(async () => {
    server = await openTestServer();
    const analyst = sessionHeaders(await server.login('analyst'));
    const shop = await servedCampaignShop(server);
    for (const [name, sendDate, seed] of [['spring', '2024-01-01', 1], ['second', '2024-01-10', 2]] as const) {
      const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name, where: 'orders >= 1', holdout: 0.3, seed, sendDate }, headers: analyst });
      expect(drawn.statusCode, drawn.body).toBe(201);
    }
    const evaluated = await server.app.inject({ method: 'POST', url: '/api/campaigns/spring', payload: { from: '2024-01-01', to: '2024-01-31' }, headers: analyst });
    expect(evaluated.statusCode, evaluated.body).toBe(201);
    // more orders of January, of spring's members: its lines in the window are not those it was measured on
    await shop.januaryOrders(20);
    const viewer = sessionHeaders(await server.login('viewer'));
    const read = await server.app.inject({ method: 'GET', url: '/api/campaign-results', headers: viewer });
    expect(read.statusCode, read.body).toBe(200);
    results = read.json() as CampaignResultsResponse;
  }, 120_000);
  afterAll(async () => server?.close());

  const spring = () => results.campaigns.campaigns.find((c) => c.audience === 'spring')!;

  it('GET /api/campaign-results carries the evaluation stale, in the API\'s words (no CLI command, no server path), and its overlap warnings', () => {
    expect(spring().stale).toMatch(/^its audience's transaction lines in 2024-01-01 … 2024-01-31 were [\d,]+ when it was evaluated and are [\d,]+ now \(an ingest, a dropped ingest, an erasure or retention since\): evaluate it again \(POST \/api\/campaigns\/spring with "from": "2024-01-01", "to": "2024-01-31"\)$/);
    expect(spring().stale).not.toMatch(/clvkit|--db|\.duckdb/);
    expect(spring().overlap).toEqual([
      expect.stringMatching(/^[\d,]+ of the [\d,]+ control customers were treated by other audiences sent between 2024-01-01 and 2024-01-31 \([\d,]+ customers also in second\): the uplift is measured against a partly contacted control group$/),
      expect.stringMatching(/^[\d,]+ of the [\d,]+ treated customers were also treated by other audiences sent between 2024-01-01 and 2024-01-31 \([\d,]+ customers also in second\): the uplift is that of the contacts combined$/),
    ]);
  });

  it('the campaigns page says them under the table, each warning the report says of the same results, in its words', () => {
    const row = campaignKpiRow(spring());
    expect(row[1]).toMatch(/\(stale\)$/);
    expect(row[2]).toMatch(/\(overlap\)/);
    const notes = campaignNotes(results);
    expect(notes).toContain(`Warning: the evaluation of spring is stale: ${spring().stale}.`);
    for (const w of spring().overlap!) expect(notes).toContain(`Warning: the evaluation of spring: ${w}.`);
    // the report's campaigns section says the same warnings of the same results
    const reported = evaluationWarnings(results.campaigns.campaigns).map((w) => `Warning: ${w}.`);
    expect(reported.length).toBeGreaterThanOrEqual(3);
    expect(notes.filter((n) => n.startsWith('Warning: '))).toEqual(reported);
    const html = renderCampaignsSection(fixtureReportData(200), results.campaigns).html;
    expect(html.match(/Warning: the evaluation of spring/g)).toHaveLength(reported.filter((w) => w.startsWith('Warning: the evaluation of spring')).length);
  });
});
