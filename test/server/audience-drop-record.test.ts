import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a user trial: an analyst's API token dropped the audience of an evaluated campaign
// (DELETE /api/audiences/winback → {"dropped":"winback","members":304}) — who was treated and who was held out, which
// an evaluation reads again and later draws' contact rules read, gone. The CLI's audience drop did the same.
// QA (s37): the refusal named the window asked for (to 2024-01-31) as the one evaluated; the data ended on 2024-01-20,
// and the evaluation stored measured to it: the refusal names the window measured, and the days asked for.
describe('an audience that is the record of a campaign is not dropped unless an admin forces it', () => {
  let server: TestServer;
  const sessions: Record<string, { cookie: string; csrf: string }> = {};
  const as = (role: string) => ({ cookie: sessions[role]!.cookie, 'x-csrf-token': sessions[role]!.csrf });
  const ingest = async (name: string, rows: readonly string[]) => {
    const file = join(server.dir, name);
    writeFileSync(file, `order_id,customer_id,date,amount\n${rows.map((r, i) => `${name}-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  };
  const draw = async (payload: Record<string, unknown>) => {
    const drawn = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { where: 'orders >= 1', holdout: 0.3, ...payload }, headers: as('analyst') });
    expect(drawn.statusCode, drawn.body).toBe(201);
    return drawn.json() as { members: number };
  };
  const drop = (name: string, role: string, force = false) => server.app.inject({ method: 'DELETE', url: `/api/audiences/${name}${force ? '?force=1' : ''}`, headers: as(role) });
  const stored = async () => (await server.context.warehouse.query('SELECT name FROM audiences ORDER BY name')).map((r) => String(r.name));

  beforeAll(async () => {
    server = await openTestServer();
    for (const role of ['admin', 'analyst', 'marketer']) sessions[role] = await server.login(role as 'admin');
    // 60 customers with 1–12 orders in 2023 (monthlyShopRows: the data ends on 2023-12-15), and responses in January 2024
    await ingest('year', monthlyShopRows());
  }, 60_000);
  afterAll(async () => server.close());

  it('an evaluated campaign: 409 with the reason and how an admin drops it; not with force by an analyst (403); dropped with force by an admin, audited', async () => {
    const { members } = await draw({ name: 'winback' });
    await ingest('january', Array.from({ length: 30 }, (_, i) => `P${1 + 2 * i},2024-01-${String(5 + (i % 16)).padStart(2, '0')},${20 + i}`));
    // evaluated and stored (a GET is a read: it stores nothing, and leaves no record of a campaign)
    const evaluated = await server.app.inject({ method: 'POST', url: '/api/campaigns/winback', payload: { from: '2023-12-16', to: '2024-01-31' }, headers: as('analyst') });
    expect(evaluated.statusCode, evaluated.body).toBe(201);
    for (const role of ['analyst', 'marketer']) {
      const refused = await drop('winback', role);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toEqual({
        error: 'conflict',
        message: 'audience winback is the record of a campaign: its campaign was evaluated (the latest window 2023-12-16 … 2024-01-20: 36 of the 47 days asked for, to 2024-01-31, the data ended); dropping it would delete who was treated and who was held out',
        hint: "keep it (an evaluation reads its members again, later draws' contact rules read them); an admin can drop it anyway: DELETE /api/audiences/winback?force=1",
      });
    }
    const forcedByAnalyst = await drop('winback', 'analyst', true);
    expect(forcedByAnalyst.statusCode, forcedByAnalyst.body).toBe(403);
    expect(forcedByAnalyst.json()).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/^role analyst may not drop_campaign_audience /), hint: expect.stringMatching(/^roles allowed: admin/) });
    expect(await stored()).toContain('winback');
    const forced = await drop('winback', 'admin', true);
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json()).toEqual({ dropped: 'winback', members });
    const [audited] = await server.context.warehouse.query("SELECT actor, details FROM audit_log WHERE action = 'drop_audience' AND target = 'audience:winback'");
    expect({ actor: audited!.actor, details: JSON.parse(String(audited!.details)) }).toEqual({ actor: 'admin', details: { forced: true, campaign_record: 'its campaign was evaluated (the latest window 2023-12-16 … 2024-01-20: 36 of the 47 days asked for, to 2024-01-31, the data ended)' } });
  }, 60_000);

  it('drawn before a send date that has passed (it may have been sent): 409 too', async () => {
    await draw({ name: 'spring', sendDate: '2024-02-01' });
    // drawn on 2024-01-20, for 2024-02-01: a campaign planned ahead whose day has come
    await server.context.warehouse.execute("UPDATE audiences SET created_at = TIMESTAMP '2024-01-20 09:00:00' WHERE name = 'spring'");
    const refused = await drop('spring', 'marketer');
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toBe('audience spring is the record of a campaign: its send date 2024-02-01 has passed (it was drawn on 2024-01-20, before it: it may have been sent); dropping it would delete who was treated and who was held out');
    expect(await stored()).toContain('spring');
  });

  it('a backtest (drawn after its send date) and a campaign not sent yet are dropped as before', async () => {
    await draw({ name: 'backtest', sendDate: '2023-12-01' });
    await draw({ name: 'planned', sendDate: '2099-01-01' });
    for (const name of ['backtest', 'planned']) {
      const dropped = await drop(name, 'marketer');
      expect(dropped.statusCode, dropped.body).toBe(200);
      expect(dropped.json()).toMatchObject({ dropped: name });
    }
    expect(await stored()).toEqual(['spring']);
  });
});
