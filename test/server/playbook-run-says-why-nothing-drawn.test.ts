/**
 * `clvkit playbook` ends a plan that draws nothing with a hint saying why and what to change; `POST /api/playbook/run`
 * answered the same plan without it — every play skipped, each for its own reason, and no word on the whole. The
 * answer now carries it as `hint` (null when a play was drawn), in the API's words: no CLI flag the caller cannot pass.
 *
 * The 600-customer synthetic shop, served with a minimum group size of 1,000: every play is below it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoredShop } from '../helpers/scored-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from './server-fixture.js';

describe('POST /api/playbook/run on a plan that draws nothing', () => {
  let server: TestServer;
  beforeAll(async () => {
    const { dir, db } = await scoredShop();
    const served = join(dir, 'nothing-drawn.duckdb');
    copyFileSync(db, served);
    copyFileSync(`${db}.key`, `${served}.key`);
    server = await openTestServer({ db: served, minGroupSize: 1000 });
  }, 180_000);
  afterAll(async () => server?.close());

  it("answers the CLI's hint in the API's words, and the OpenAPI document names it", async () => {
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { seed: 1 }, headers: sessionHeaders(await server.login('marketer')) });
    expect(ran.statusCode, ran.body).toBe(200);
    const plan = ran.json() as { plays: { skipped: string | null }[]; totals: { customers: number }; hint: string | null };
    expect(plan.plays.every((p) => p.skipped !== null)).toBe(true);
    expect(plan.hint).toBe(
      "nothing drawn: 5 of the 6 plays are below the minimum group size 1000 (in customers, or in the control group their holdout leaves) and 1 matches no customer; " +
        "for a shop of 600 customers the server's minimum group size must be lower (the privacy k-floor, set where it is started: clvkit serve --min-group-size), " +
        'or the plays fewer and broader, or their holdout larger (the server runs the shipped playbook)',
    );
    expect(plan.hint).not.toMatch(/--config|--budget|^hint:/);
    // and it ends the warnings, as it ends plan.json's and clvkit playbook --json's (session 42)
    expect((ran.json() as { warnings: string[] }).warnings.at(-1)).toBe(`hint: ${plan.hint}`);
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const schema = doc.paths['/api/playbook/run'].post.responses['200'].content['application/json'].schema;
    expect(schema.properties.hint).toBeDefined();
    expect(schema.required).toContain('hint');
  }, 180_000);
});
