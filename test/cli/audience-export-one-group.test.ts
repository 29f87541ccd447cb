import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from '../server/server-fixture.js';

/**
 * `--group treatment|control|all` on `audience create --out` and `audience show --out` (and `group=` on the API's
 * export): the send file holds the treatment group alone, so the control group cannot be contacted by mistake. Before,
 * every member was written with a group column and the marketer had to filter it. The export is audited with the
 * group it wrote.
 */
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
}, 120_000);

const csvRows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));

async function lastExport(): Promise<{ rowCounts: Record<string, number>; details: Record<string, unknown> }> {
  const entries = JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; target: string | null; rowCounts: Record<string, number>; details: Record<string, unknown> }[];
  const exports = entries.filter((e) => e.action === 'export_customers' || e.action === 'export_audience');
  return exports[exports.length - 1]!;
}

describe('audience --out --group', () => {
  it('create --group treatment writes the treatment group alone, and the audit records the group', async () => {
    const out = join(dirname(db), 'send.csv');
    const r = await cli(['audience', 'create', '--db', db, '--name', 'winback', '--where', 'orders >= 1', '--holdout', '0.2', '--out', out, '--group', 'treatment', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { members: number; treatment: number; control: number; file: { rows: number; group: string } };
    expect(summary).toMatchObject({ members: 60, treatment: 48, control: 12 });
    const rows = csvRows(out);
    expect(rows).toHaveLength(48);
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(['treatment']));
    expect(summary.file).toMatchObject({ rows: 48, group: 'treatment' });
    const audited = await lastExport();
    expect(audited.details).toMatchObject({ where: 'orders >= 1', group: 'treatment', file: out });
    expect(audited.rowCounts).toMatchObject({ members: 60, treatment: 48, control: 12, written: 48 });
  });

  it('show --group control writes the control group alone; the text names the group', async () => {
    const out = join(dirname(db), 'control.json');
    const r = await cli(['audience', 'show', 'winback', '--db', db, '--out', out, '--group', 'control']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote {6}.*control\.json \(12 rows, control group: customer_id, group\)/);
    const members = JSON.parse(readFileSync(out, 'utf8')) as { group: string }[];
    expect(members).toHaveLength(12);
    expect(members.every((m) => m.group === 'control')).toBe(true);
    const audited = await lastExport();
    expect(audited.details).toMatchObject({ command: 'audience show --out', group: 'control' });
    expect(audited.rowCounts).toEqual({ members: 12 });
  });

  it('without --group every member is written, as before (group all in the audit)', async () => {
    const out = join(dirname(db), 'all.csv');
    const r = await cli(['audience', 'show', 'winback', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRows(out)).toHaveLength(60);
    expect((await lastExport()).details).toMatchObject({ group: 'all' });
  });

  it('a bad --group is refused in one line; --group without --out too', async () => {
    const bad = await cli(['audience', 'show', 'winback', '--db', db, '--out', join(dirname(db), 'x.csv'), '--group', 'treated']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clvkit: error: --group treated is not treatment, control or all \(hint: .*--group treatment.*\)\n$/);
    const alone = await cli(['audience', 'show', 'winback', '--db', db, '--group', 'treatment']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^clvkit: error: --group picks the members written to the --out file, and no --out was given \(hint: add --out FILE\)\n$/);
  });

  describe('the API: GET /api/audiences/:name/export?group=treatment', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await openTestServer({ db });
    });
    afterAll(async () => server.close());

    it('answers the treatment group alone, audited with its group; a bad group is a 400', async () => {
      const marketer = await server.login('marketer');
      const csv = await server.app.inject({ method: 'GET', url: '/api/audiences/winback/export?format=csv&group=treatment', headers: sessionHeaders(marketer) });
      expect(csv.statusCode, csv.body).toBe(200);
      const rows = csv.body.trim().split('\n').slice(1);
      expect(rows).toHaveLength(48);
      expect(rows.every((row) => row.endsWith(',treatment'))).toBe(true);
      const [exported] = await server.context.warehouse.query("SELECT details FROM audit_log WHERE target = 'audience:winback' AND action = 'export_audience' ORDER BY seq DESC LIMIT 1");
      expect(JSON.parse(String(exported!.details))).toMatchObject({ command: 'GET /api/audiences/:name/export', group: 'treatment' });
      const bad = await server.app.inject({ method: 'GET', url: '/api/audiences/winback/export?group=treated', headers: sessionHeaders(marketer) });
      expect(bad.statusCode).toBe(400);
    });
  });
});
