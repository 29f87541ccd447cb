import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { RUN_SETTING_FLAGS } from '../../src/core/run-words.js';
import { openTestServer, runToEnd, sessionHeaders, type TestServer } from './server-fixture.js';

/** A CLI flag in a text: `--no-regularity-check`, `--grain order`, `--map …`. */
const FLAG = /(^|[\s(])--[a-z]/;

/** starts a run, waits for it to finish, and returns its summary (run.json) */
async function finished(server: TestServer, session: { cookie: string; csrf: string }, payload: Record<string, unknown>) {
  const { view, summary } = await runToEnd(server, session, payload);
  expect(view.status, view.error ?? '').toBe('finished');
  return summary!;
}

// A user trial of the dashboard: a run started through POST /api/runs ended with warnings that told the user to pass
// --no-regularity-check or --learned-tournament, and (with the CLI's --grain order) --grain day and --map order_id —
// flags an API user cannot pass, for settings POST /api/runs did not take (regularityCheck, grain).
describe('a run started through the API on a shop of regular buyers names the fields of POST /api/runs, and takes regularityCheck', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    await generateShop({ outDir: server.dir, customers: 120, seed: 3, events: false, shape: 'regular' });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
  }, 120_000);
  afterAll(async () => server.close());

  it('an audience drawn before any run scores the warehouse, and the notes of that scoring name the fields too', async () => {
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'all', where: 'orders >= 1' }, headers: sessionHeaders(analyst) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const notes = (drawn.json() as { notes: string[] }).notes;
    expect(notes.find((n) => n.includes('ran beside the BTYD models'))).toMatch(/; "regularityCheck": false skips it, "learnedTournament": true adds the learned models$/);
    expect(notes.filter((n) => FLAG.test(n))).toEqual([]);
  }, 240_000);

  it('the run: MBG/CNBD-k ran unasked, and the warning says "regularityCheck": false skips it (not --no-regularity-check)', async () => {
    const run = await finished(server, analyst, { skipPatterns: true, skipReport: true });
    expect(run.learned!.tournament!.candidates.map((c) => c.family).sort()).toEqual(['btyd', 'btyd', 'btyd', 'regularity']);
    const note = run.warnings.find((w) => w.includes('ran beside the BTYD models'));
    expect(note).toMatch(/^the bgnbd fit shows every customer buying at one steady rate: MBG\/CNBD-k, .* and scores customer_scores; "regularityCheck": false skips it, "learnedTournament": true adds the learned models$/);
    expect(run.warnings.filter((w) => FLAG.test(w))).toEqual([]);
  }, 240_000);

  it('regularityCheck: false is applied: no tournament, and the boundary warning points to "learnedTournament": true', async () => {
    const run = await finished(server, analyst, { regularityCheck: false, skipPatterns: true, skipReport: true });
    expect(run.valueModel!.final.fit.boundary?.parameters).toContain('r');
    expect(run.learned!.tournament).toBeUndefined();
    expect(run.warnings.find((w) => w.includes('sits on a boundary'))).toMatch(/customers who keep buying at a steady pace are what MBG\/CNBD-k describes: "learnedTournament": true runs it \(and the learned models\) beside the BTYD models/);
    expect(run.warnings.filter((w) => FLAG.test(w))).toEqual([]);
  }, 240_000);

  it('every setting a run names in the API\'s words is a body field of POST /api/runs (its OpenAPI document)', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
    const fields = Object.keys(doc.paths['/api/runs']!.post.requestBody.content['application/json']!.schema.properties);
    expect(Object.keys(RUN_SETTING_FLAGS).filter((setting) => !fields.includes(setting))).toEqual([]);
  });

  it('refuses a regularityCheck, learnedTournament or grain that is not one, in the API problem shape, and starts no run', async () => {
    const runs = async () => ((await server.app.inject({ method: 'GET', url: '/api/runs', headers: sessionHeaders(analyst) })).json() as { runs: unknown[] }).runs.length;
    const before = await runs();
    const cases = [
      { payload: { regularityCheck: 'no' }, message: /^body field regularityCheck must be true or false: when the value model's fit shows every customer buying at one steady rate, .* \(got "no"\)$/, hint: 'e.g. "regularityCheck": false' },
      // the field's description is a noun phrase, as schema-error-words needs (it read "must be run the honest tournament …")
      { payload: { learnedTournament: 'yes' }, message: /^body field learnedTournament must be true or false: true runs the honest tournament of the BTYD and learned models \(as analyze --learned-tournament; slower\) \(got "yes"\)$/, hint: 'e.g. "learnedTournament": true' },
      { payload: { grain: 'week' }, message: /^body field grain must be one of: "day", "order" \(got "week"\)$/, hint: 'e.g. "grain": "order"' },
    ];
    for (const c of cases) {
      const answer = await server.app.inject({ method: 'POST', url: '/api/runs', payload: c.payload, headers: sessionHeaders(analyst) });
      expect(answer.statusCode, answer.body).toBe(400);
      const problem = answer.json() as { error: string; message: string; hint: string };
      expect(problem.error).toBe('bad_request');
      expect(problem.message).toMatch(c.message);
      expect(problem.hint).toBe(c.hint);
    }
    expect(await runs()).toBe(before);
  });
});

describe('POST /api/runs takes grain: order counts each order as a purchase occasion, and its warning names the fields', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    // 60 customers, one order each, and 8 of them a second order on the same day an hour later; no order ids: one
    // purchase day each, two orders for the 8 (too few repeat buyers for the value models, which are not the point here)
    const day = (i: number) => `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    const rows = Array.from({ length: 60 }, (_, i) => [`C${i},${day(i)} 10:00:00,${20 + i}`, ...(i < 8 ? [`C${i},${day(i)} 11:00:00,${5 + i}`] : [])]).flat();
    const file = join(server.dir, 'orders.csv');
    writeFileSync(file, `customer_id,date,amount\n${rows.join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  }, 60_000);
  afterAll(async () => server.close());

  it('grain "day" (the default): no customer bought again; grain "order": the 8 with two orders did, and the warning says how orders were told apart', async () => {
    const byDay = await finished(server, analyst, { skipPatterns: true, skipReport: true });
    expect(byDay.parameters.grain).toBe('day');
    expect(byDay.headline.repeatCustomers).toBe(0);
    const byOrder = await finished(server, analyst, { grain: 'order', skipPatterns: true, skipReport: true });
    expect(byOrder.parameters.grain).toBe('order');
    expect(byOrder.headline.repeatCustomers).toBe(8);
    expect(byOrder.warnings).toContain('"grain": "order" counts orders, but the data has no order ids, so an order is the lines bought at the same second; send order_id with each order: POST /api/orders');
    expect(byOrder.warnings.filter((w) => FLAG.test(w))).toEqual([]);
  }, 240_000);
});
