/**
 * A send date far after both the data's last purchase and today (`audience create --send-date 2030-01-01`, the
 * playbook's, CLI and `POST /api/playbook/run`) was taken without a word, though the audience is drawn from the
 * scores as of the last purchase and will be stale by then. It is still taken (planning ahead is legitimate), with
 * one note; through the API the note is in the answer's `notes`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { cli } from '../helpers/cli.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { openTestServer, type TestServer } from '../server/server-fixture.js';

const today = new Date().toISOString().slice(0, 10);
const far = (flag: string, lastPurchase: string, scores: string) =>
  `${flag} 2099-01-01 is more than 90 days after both the last purchase (${lastPurchase}) and today (${today}): the audience is drawn from the scores as of ${scores}, and they will be stale by then — draw it nearer the send date`;

describe('a send date far ahead is noted', () => {
  let db: string;
  // the campaign's data ends on 2024-01-31; its scores describe the data to 2023-12-31 (drawn before the send date)
  const [lastPurchase, scores] = ['2024-01-31', '2023-12-31'];
  beforeAll(async () => {
    db = await noUpliftCampaign();
  }, 120_000);

  it('audience create --send-date 2099-01-01: drawn, with one note', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'far', '--where', 'frequency >= 0', '--send-date', '2099-01-01']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.includes('2099-01-01 is more than 90 days'))).toEqual([`clvkit: ${far('--send-date', lastPurchase, scores)}`]);
  }, 120_000);

  it('a send date 30 days from today is not noted', async () => {
    const run = await cli(['audience', 'create', '--db', db, '--name', 'soon', '--where', 'frequency >= 0', '--send-date', addDays(today, 30)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('more than 90 days');
  }, 120_000);

  it('playbook --send-date 2099-01-01: noted once', async () => {
    const run = await cli(['playbook', '--db', db, '--out', join(mkdtempSync(join(tmpdir(), 'clvkit-far-')), 'plan'), '--send-date', '2099-01-01', '--prefix', 'far-']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.includes('2099-01-01 is more than 90 days'))).toEqual([`clvkit: ${far('--send-date', lastPurchase, scores)}`]);
  }, 120_000);
});

describe('POST /api/playbook/run with a sendDate far ahead', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
    const file = join(server.dir, 'year.csv');
    writeFileSync(file, `order_id,customer_id,date,amount\n${monthlyShopRows().map((r, i) => `y-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  });
  afterAll(async () => server.close());

  it("says so in the answer's notes", async () => {
    const analyst = await server.login('analyst');
    const ran = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { sendDate: '2099-01-01', prefix: 'far-' }, headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf } });
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json().notes).toContain(far('sendDate', '2023-12-15', '2023-12-15'));
  }, 120_000);
});
