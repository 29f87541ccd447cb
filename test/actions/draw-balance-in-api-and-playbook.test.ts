/**
 * The balance of a control draw (`groupBalance`: the largest |SMD| of the groups before the send date, and whether chance
 * gives it) was measured by the CLI's `audience create` alone, after its call of `createAudience`: `POST /api/audiences`,
 * the playbook's draws (CLI `playbook`, `POST /api/playbook/run`) called the same function and got no `balance`, so an
 * API or playbook user never learnt that a draw should be redrawn. createAudience measures it now: every draw carries
 * it, as `audience create --json` does, and the playbook's text prints one balance line per audience drawn.
 *
 * A synthetic shop of 600 customers (every stage populated), analysed once; the server and the CLI runs each on a copy
 * of it with the same key, so the same tokens and the same seeded draws.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceLine, type GroupBalance } from '../../src/actions/balance-summary.js';
import { groupBalance } from '../../src/actions/group-balance.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scoredShop } from '../helpers/scored-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from '../server/server-fixture.js';

type Play = { play: string; audience: string | null; balance: GroupBalance | null; skipped: string | null };
type Plan = { sendDate: string; plays: Play[] };

/** The balance `groupBalance` measures of a stored audience, over its measure days (as createAudience measures it). */
async function measured(db: string, audience: string, sendDate: string, preDays: number): Promise<GroupBalance> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    return await groupBalance(warehouse, { audience, sendDate, preDays, minGroupSize: 5 });
  } finally {
    await warehouse.close();
  }
}

describe('every draw carries its balance: POST /api/audiences, the playbook (CLI and API)', () => {
  let dir = '';
  let server: TestServer;
  /** a copy of the analysed shop per CLI run: a playbook run's audiences would suppress the next run's customers */
  const copy = (name: string) => {
    const path = join(dir, `${name}.duckdb`);
    copyFileSync(join(dir, 'shop.duckdb'), path);
    copyFileSync(join(dir, 'shop.duckdb.key'), `${path}.key`);
    return path;
  };
  let copies: Record<'draw' | 'playbookText' | 'playbookJson', string>;

  beforeAll(async () => {
    // synthetic, 600 customers, ingested and analysed (shared with the other files that draw on it)
    ({ dir } = await scoredShop());
    copies = { draw: copy('draw'), playbookText: copy('playbook-text'), playbookJson: copy('playbook-json') };
    server = await openTestServer({ db: copy('served') });
  }, 180_000);
  afterAll(async () => server?.close());

  it('POST /api/audiences answers the balance of its draw: the field audience create --json gives for the same draw, and what groupBalance measures over its measureDays', async () => {
    const marketer = await server.login('marketer');
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'repeat', where: 'orders >= 2', holdout: 0.3, seed: 1, measureDays: 14 }, headers: sessionHeaders(marketer) });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const answered = drawn.json() as { sendDate: string; treatment: number; control: number; balance: GroupBalance };
    expect(answered.balance).toBeDefined();
    expect(answered.balance.preDays).toBe(14);
    expect(answered.balance.covariates.map((c) => c.name)).toEqual(['prePurchases', 'preBuyers', 'preRevenue', 'purchasesToDate', 'daysSinceLastPurchase']);
    // purchases to date: every member (all bought before the send date), measured on both groups as drawn
    const toDate = answered.balance.covariates.find((c) => c.name === 'purchasesToDate')!;
    expect([toDate.treatment!.n, toDate.control!.n]).toEqual([answered.treatment, answered.control]);
    const cliDraw = await cli(['audience', 'create', '--db', copies.draw, '--name', 'repeat', '--where', 'orders >= 2', '--holdout', '0.3', '--seed', '1', '--measure-days', '14', '--json']);
    expect(cliDraw.code, cliDraw.stderr).toBe(0);
    expect(answered.balance).toEqual((JSON.parse(cliDraw.stdout) as { balance: GroupBalance }).balance);
    expect(answered.balance).toEqual(await groupBalance(server.context.warehouse, { audience: 'repeat', sendDate: answered.sendDate, preDays: 14, minGroupSize: 5 }));
  }, 120_000);

  it('POST /api/playbook/run: each drawn play carries the balance of its audience (over its measure days), a skipped play null', async () => {
    const marketer = await server.login('marketer');
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { seed: 3 }, headers: sessionHeaders(marketer) });
    expect(ran.statusCode, ran.body).toBe(200);
    const plan = ran.json() as Plan;
    // the customers 'repeat' treats, sent the same day, are left out (contactedWithinDays): fewer plays are drawn than on the CLI's copy
    const drawn = plan.plays.filter((p) => p.audience !== null);
    expect(drawn.length).toBeGreaterThanOrEqual(1);
    for (const p of drawn) {
      const stored = (await server.app.inject({ method: 'GET', url: `/api/audiences/${p.audience}`, headers: sessionHeaders(marketer) })).json() as { measureDays: number };
      expect(p.balance, p.play).toEqual(await groupBalance(server.context.warehouse, { audience: p.audience!, sendDate: plan.sendDate, preDays: stored.measureDays, minGroupSize: 5 }));
      expect(p.balance!.covariates.length, p.play).toBeGreaterThanOrEqual(4);
    }
    for (const p of plan.plays.filter((p) => p.audience === null)) expect(p.balance, p.play).toBeNull();
  }, 120_000);

  it('clvkit playbook --json: each drawn play carries its balance, as plan.json; the text prints one balance line under each play drawn, none under a skipped one', async () => {
    mkdirSync(join(dir, 'plans'));
    const json = await cli(['playbook', '--db', copies.playbookJson, '--out', join(dir, 'plans', 'json'), '--seed', '3', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as Plan;
    const drawn = plan.plays.filter((p) => p.audience !== null);
    expect(drawn.length).toBeGreaterThanOrEqual(2);
    for (const p of drawn) expect(p.balance, p.play).toEqual(await measured(copies.playbookJson, p.audience!, plan.sendDate, 30));

    const text = await cli(['playbook', '--db', copies.playbookText, '--out', join(dir, 'plans', 'text'), '--seed', '3']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const balanceLines = lines.filter((l) => /^ {24}balance: /.test(l));
    expect(balanceLines).toHaveLength(drawn.length);
    for (const p of plan.plays) {
      // the play's row, then its lines (indented) up to the next row
      const at = lines.findIndex((l) => l.startsWith(`${p.play} `));
      expect(at, p.play).toBeGreaterThan(0);
      const next = lines.findIndex((l, i) => i > at && !l.startsWith(' '));
      const own = lines.slice(at + 1, next).filter((l) => /^ {24}balance: /.test(l));
      if (p.audience === null) expect(own, p.play).toEqual([]);
      else {
        // the same draw as the JSON run's (a copy of the same warehouse): the line audience create prints of that balance
        expect(own, p.play).toHaveLength(1);
        const json = drawn.find((d) => d.play === p.play)!;
        expect(own[0]!.startsWith(`${' '.repeat(24)}balance: ${balanceLine(json.balance!, 'ADVICE', 'ADVICE')!.split(' — ADVICE')[0]}`), `${p.play}: ${own[0]}`).toBe(true);
      }
    }
  }, 180_000);
});
