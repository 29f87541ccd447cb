import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { openTestServer, type TestServer } from './server-fixture.js';

// A user trial of the API: POST /api/runs took asOf, timeUnit, skipPatterns and skipReport only, so a dashboard could
// not ask for the CLI's --horizon-months, --discount-rate, --margin, --holdout-days, --model or --learned-tournament.
describe('POST /api/runs takes the options of analyze', () => {
  let server: TestServer;
  let analyst: { cookie: string; csrf: string };
  const as = (session: { cookie: string; csrf: string }) => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });

  beforeAll(async () => {
    server = await openTestServer();
    analyst = await server.login('analyst');
    await generateShop({ outDir: server.dir, customers: 400, seed: 3, products: 60 });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
  }, 120_000);
  afterAll(async () => server.close());

  /** starts a run with `payload`, waits for it to finish, and returns its server_runs row */
  const runToEnd = async (payload: Record<string, unknown>) => {
    const started = await server.app.inject({ method: 'POST', url: '/api/runs', payload, headers: as(analyst) });
    expect(started.statusCode, started.body).toBe(202);
    const id = (started.json() as { id: string }).id;
    let status = 'running';
    while (status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = ((await server.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: as(analyst) })).json() as { status: string }).status;
    }
    expect(status).toBe('finished');
    const [row] = await server.context.state.query(`SELECT summary FROM server_runs WHERE run_id = '${id}'`);
    return row;
  };

  it('horizon, discount rate, margin, holdout days and the model reach the run', async () => {
    const payload = { horizonMonths: 24, discountRatePerYear: 0, margin: 0.5, holdoutDays: 120, model: 'paretonbd', skipPatterns: true, skipReport: true };
    const row = await runToEnd(payload);
    const summary = JSON.parse(String(row!.summary)) as { valueModel: { chosen: string; clv: { horizonMonths: number; discountRatePerYear: number; margin: number }; calibrationEnd: string; holdoutEnd: string } };
    expect(summary.valueModel.chosen).toBe('paretonbd');
    expect(summary.valueModel.clv).toMatchObject({ horizonMonths: 24, discountRatePerYear: 0, margin: 0.5 });
    expect((Date.parse(summary.valueModel.holdoutEnd) - Date.parse(summary.valueModel.calibrationEnd)) / 86_400_000).toBe(120);
  }, 300_000);

  it('learnedTournament runs the honest tournament, as analyze --learned-tournament', async () => {
    const row = await runToEnd({ learnedTournament: true, skipPatterns: true, skipReport: true });
    const tournament = (JSON.parse(String(row!.summary)) as { learned: { tournament: { candidates: unknown[] } | null } }).learned.tournament;
    expect(tournament?.candidates.length).toBeGreaterThan(3);
  }, 300_000);

  it('refuses a value out of range or a model it does not know, naming the field (400)', async () => {
    for (const [payload, field] of [[{ horizonMonths: -3 }, 'horizonMonths'], [{ margin: 1.5 }, 'margin'], [{ model: 'lstm' }, 'model'], [{ holdoutDays: 2.5 }, 'holdoutDays']] as const) {
      const answer = await server.app.inject({ method: 'POST', url: '/api/runs', payload, headers: as(analyst) });
      expect(answer.statusCode, answer.body).toBe(400);
      expect((answer.json() as { message: string }).message).toContain(field);
    }
  });
});
