/**
 * A user trial (session 40): after a later ingest, `GET /api/overview`'s transactions figure was still the last
 * analysis's, and the dashboard said "N transaction rows held" as if the warehouse held them now. The answer keeps
 * the run's counts (`warehouse`: they go with its headline) and adds the warehouse's counts now (`warehouseNow`); the
 * dashboard says the run's as of the run, and the current ones beside them when they differ.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import type { OverviewResponse } from '../../src/server/routes/read-api-types.js';
import { formatCount } from '../../src/report/format-number.js';
import { rowsHeldLine } from '../../web/src/view-text.js';
import { openTestServer, runToEnd, type TestServer } from './server-fixture.js';

describe("the overview's rows held: the run's, and the warehouse's now", () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  const ingest = async (name: string, rows: readonly string[]) => {
    const file = join(server.dir, name);
    writeFileSync(file, `order_id,customer_id,date,amount\n${rows.map((r, i) => `${name}-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  };
  const overview = async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/overview', headers: { cookie: analyst.cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as OverviewResponse;
  };

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    const rows: string[] = [];
    for (let c = 1; c <= 30; c++) for (let m = 1; m <= 1 + (c % 3); m++) rows.push(`C${c},2024-0${m}-${String(1 + (c % 28)).padStart(2, "0")},${10 + c}`);
    await ingest('first.csv', rows); // 60 rows
    const { view } = await runToEnd(server, analyst, { skipPatterns: true, skipReport: true, regularityCheck: false });
    expect(view.status, view.error ?? '').toBe('finished');
  }, 120_000);
  afterAll(async () => server?.close());

  it('right after the run: the same counts, said once', async () => {
    const answer = await overview();
    expect(answer.warehouse).toEqual({ transactions: 60, quarantined: 0 });
    expect(answer.warehouseNow).toEqual({ transactions: 60, quarantined: 0 });
    expect(rowsHeldLine(answer.warehouse, answer.warehouseNow, formatCount)).toBe('60 transaction rows held when this run read the warehouse, 0 quarantined.');
  });

  it('after a later ingest: the run\'s counts as of the run, the current ones beside them', async () => {
    await ingest('later.csv', ['C1,2024-05-01,20', 'C2,2024-05-02,30', 'C31,2024-05-03,40', 'C32,not-a-date,5']);
    const answer = await overview();
    expect(answer.warehouse).toEqual({ transactions: 60, quarantined: 0 });
    expect(answer.warehouseNow).toEqual({ transactions: 63, quarantined: 1 });
    expect(rowsHeldLine(answer.warehouse, answer.warehouseNow, formatCount)).toBe(
      '60 transaction rows held when this run read the warehouse, 0 quarantined; it holds 63 (1 quarantined) now: start an analysis to include the change.',
    );
  });
});
