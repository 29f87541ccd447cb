/**
 * Prospects (known from a profile or events, never bought) can be targeted: the audience's population is every
 * customer the run knows — customer_summary's buyers and customer_prospects' prospects — so `stage = 'prospect'`,
 * `conversion_propensity > x` and mixed filters draw them. Before, audiences were drawn from customer_summary alone:
 * every filter on prospects said "the audience … is empty".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';
import { openTestServer, sessionHeaders } from '../server/server-fixture.js';

describe('audiences of prospects', () => {
  useFixedKey(31);
  let dir: string;
  let db: string;
  const counts = { prospects: 0, keen: 0, repeaters: 0, threshold: 0 };

  beforeAll(async () => {
    ({ dir, db } = await prospectsWarehouse());
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [median] = await warehouse.query('SELECT median(conversion_propensity) AS m FROM customer_prospects');
      counts.threshold = Number(median!.m);
      const [row] = await warehouse.query(
        `SELECT (SELECT count(*) FROM customer_stages WHERE stage = 'prospect') AS prospects,
                (SELECT count(*) FROM customer_prospects q JOIN customer_stages g USING (customer_id) WHERE g.stage = 'prospect' AND q.conversion_propensity > ${counts.threshold}) AS keen,
                (SELECT count(*) FROM customer_summary WHERE frequency >= 3) AS repeaters`,
      );
      counts.prospects = Number(row!.prospects);
      counts.keen = Number(row!.keen);
      counts.repeaters = Number(row!.repeaters);
    } finally {
      await warehouse.close();
    }
    expect(counts.prospects).toBeGreaterThanOrEqual(20);
    expect(counts.keen).toBeGreaterThanOrEqual(5);
    expect(counts.repeaters).toBeGreaterThanOrEqual(5);
  }, 180_000);

  const create = (name: string, where: string, ...more: string[]) => cli(['audience', 'create', '--db', db, '--name', name, '--where', where, '--holdout', '0.2', '--seed', '3', '--min-group-size', '2', '--json', ...more]);

  it("stage = 'prospect' draws every prospect, and conversion_propensity IS NOT NULL the same customers", async () => {
    const byStage = await create('welcome', "stage = 'prospect'", '--out', join(dir, 'welcome.csv'));
    expect(byStage.code, byStage.stderr).toBe(0);
    expect(JSON.parse(byStage.stdout).members).toBe(counts.prospects);
    const byScore = await create('welcome-scored', 'conversion_propensity IS NOT NULL');
    expect(byScore.code, byScore.stderr).toBe(0);
    expect(JSON.parse(byScore.stdout).members).toBe(counts.prospects);
  });

  it('mixed filters: a prospect threshold, and prospects or buyers — buyer columns are NULL for prospects', async () => {
    const keen = await create('keen', `stage = 'prospect' AND conversion_propensity > ${counts.threshold}`);
    expect(keen.code, keen.stderr).toBe(0);
    expect(JSON.parse(keen.stdout).members).toBe(counts.keen);
    const either = await create('either', "stage = 'prospect' OR frequency >= 3");
    expect(either.code, either.stderr).toBe(0);
    expect(JSON.parse(either.stdout).members).toBe(counts.prospects + counts.repeaters);
    // a prospect has no summary row: frequency is NULL, matched by neither side of a comparison
    const none = await create('none', "stage = 'prospect' AND frequency >= 0");
    // an audience of nobody is an answer with a warning, exit 0 (session 43)
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).members).toBe(0);
    expect(none.stderr).toMatch(/warning: the audience none is empty/);
  });

  it('suppression: --bought-within leaves no prospect out (a prospect never bought)', async () => {
    const r = await create('welcome-fresh', "stage = 'prospect'", '--bought-within', '3650');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.members).toBe(counts.prospects);
    expect(out.suppressed.boughtRecently).toBe(0);
  });

  it('playbook: a play on prospects draws them', async () => {
    const config = join(dir, 'plays.json');
    writeFileSync(config, JSON.stringify({ defaults: { holdout: 0.2 }, plays: [{ name: 'welcome', where: "stage = 'prospect'", costPerContact: 1, expectedLift: 0.05 }] }));
    const r = await cli(['playbook', '--db', db, '--config', config, '--out', join(dir, 'plays'), '--prefix', 'pb-', '--min-group-size', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { plays: { play: string; matched: number; members: number }[]; totals: { customers: number } };
    expect(plan.plays[0]!.matched).toBe(counts.prospects);
    expect(plan.plays[0]!.members).toBeGreaterThan(0);
  });

  it('POST /api/audiences/count counts prospects as audience create draws them', async () => {
    const server = await openTestServer({ db });
    try {
      const analyst = await server.login('analyst');
      const count = async (where: string) => {
        const response = await server.app.inject({ method: 'POST', url: '/api/audiences/count', payload: { where }, headers: sessionHeaders(analyst) });
        expect(response.statusCode, response.body).toBe(200);
        return (response.json() as { count: number | null }).count;
      };
      expect(await count("stage = 'prospect'")).toBe(counts.prospects);
      expect(await count(`stage = 'prospect' AND conversion_propensity > ${counts.threshold}`)).toBe(counts.keen);
      expect(await count("stage = 'prospect' OR frequency >= 3")).toBe(counts.prospects + counts.repeaters);
      // the customer list finds them too (API QA: GET /api/customers?stage=prospect said total 0, built on the buyers only)
      const listed = await server.app.inject({ method: 'GET', url: '/api/customers?stage=prospect&limit=200', headers: sessionHeaders(analyst) });
      expect(listed.statusCode, listed.body).toBe(200);
      const list = listed.json() as { total: number; customers: { stage: string; orders: number | null }[] };
      expect(list.total).toBe(counts.prospects);
      expect(list.customers.every((c) => c.stage === 'prospect' && c.orders === null)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('campaign evaluate: a prospect’s response is a first purchase after the send date, counted from transactions', async () => {
    const drawn = await create('measured', "stage = 'prospect'", '--holdout', '0.5', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'measured.csv'));
    expect(drawn.code, drawn.stderr).toBe(0);
    const { sendDate, treatment } = JSON.parse(drawn.stdout) as { sendDate: string; treatment: number };
    const treated = readFileSync(join(dir, 'measured.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((f) => f[1] === 'treatment').map((f) => f[2]!);
    const buyers = treated.slice(0, 4);
    const header = 'order_id,customer_id,order_date,product_id,description,quantity,unit_price,country,cost';
    writeFileSync(join(dir, 'first.csv'), [header, ...buyers.map((id, i) => `${900001 + i},${id},${addDays(sendDate, 5)}T10:00:00,10125,VINTAGE PINK WATERING CAN,2,10.00,United Kingdom,4.00`)].join('\n') + '\n');
    const ingested = await cli(['ingest', join(dir, 'first.csv'), '--db', db]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'measured', '--from', sendDate, '--to', addDays(sendDate, 29), '--min-group-size', '2', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const e = JSON.parse(evaluated.stdout) as { groups: { treatment: number; control: number }; buyers: { treatment: number; control: number }; revenue: { treatment: number; control: number } };
    expect(e.groups.treatment).toBe(treatment);
    expect(e.buyers.treatment).toBeCloseTo(4 / treatment, 12);
    expect(e.buyers.control).toBe(0);
    expect(e.revenue.treatment).toBeCloseTo((4 * 20) / treatment, 9);
  });
});
