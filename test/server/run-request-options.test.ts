import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { openTestServer, runToEnd, type TestServer } from './server-fixture.js';

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

  /** starts a run with `payload`, waits for it to finish, and returns its summary (run.json) */
  const finished = async (payload: Record<string, unknown>) => {
    const { view, summary } = await runToEnd(server, analyst, payload);
    expect(view.status, view.error ?? '').toBe('finished');
    return summary!;
  };

  /**
   * One run with every setting of the two tests below (each asserts its own fields of it): a run for each was the same
   * analysis of the same shop twice, but for the settings the other test does not look at.
   */
  let optionsRun: ReturnType<typeof finished> | undefined;
  const withOptions = () => (optionsRun ??= finished({ horizonMonths: 24, discountRatePerYear: 0, margin: 0.5, holdoutDays: 120, model: 'paretonbd', churnDays: 30, skipPatterns: true, skipReport: true }));

  it('horizon, discount rate, margin, holdout days and the model reach the run', async () => {
    const summary = await withOptions();
    expect(summary.valueModel!.chosen).toBe('paretonbd');
    expect(summary.valueModel!.clv).toMatchObject({ horizonMonths: 24, discountRatePerYear: 0, margin: 0.5 });
    expect((Date.parse(summary.valueModel!.holdoutEnd) - Date.parse(summary.valueModel!.calibrationEnd)) / 86_400_000).toBe(120);
    // the model the request chose is named as the request names it (it said "chosen by the user (--model)")
    expect(summary.valueModel!.reason).toMatch(/^Pareto\/NBD chosen by the user \("model": "paretonbd"\); the tournament preferred /);
  }, 300_000);

  it('learnedTournament runs the honest tournament, as analyze --learned-tournament', async () => {
    const tournament = (await finished({ learnedTournament: true, skipPatterns: true, skipReport: true })).learned?.tournament;
    expect(tournament?.candidates.length).toBeGreaterThan(3);
  }, 300_000);

  it('a holdout as long as the data: the run fails naming holdoutDays, not --holdout-days', async () => {
    const { view } = await runToEnd(server, analyst, { holdoutDays: 3000, skipPatterns: true, skipReport: true });
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/^holdoutDays 3000 is not shorter than the data: [\d,]+ days from the first purchase to the as-of date \d{4}-\d{2}-\d{2}, so nothing is left to fit the models on$/);
    expect(view.hint).toMatch(/^send holdoutDays below [\d,]+, or leave it out \(the default here is \d+: a third of the span, 28 to 365 days\)$/);
  }, 120_000);

  // the churn horizon could not be set at all (a CDNOW trial: 181 days against a 273-day holdout); churnDays sets it as analyze --churn-days
  it('churnDays sets the churn early warning\'s horizon, and run.json says it was asked, in the API\'s words', async () => {
    const churn = (await withOptions()).learned!.churn!;
    expect(churn).toMatchObject({ horizonDays: 30, horizonChosen: 'asked', trainedAsOf: expect.any(String) });
    expect(churn.horizonReason).toMatch(/^as churnDays 30 asked: the churn figures score no purchase in the first 30 days of the \d+-day holdout$/);
    expect(churn.validation.horizonDays).toBe(30);
    expect(churn.validation.learned.baseRate).toBe(churn.validation.btydOneMinusPAlive.baseRate);
  }, 300_000);

  it('a churnDays the windows cannot hold: the run fails naming churnDays, with the range that fits', async () => {
    const { view } = await runToEnd(server, analyst, { churnDays: 3000, skipPatterns: true, skipReport: true });
    expect(view.status).toBe('failed');
    expect(view.error).toMatch(/^churnDays 3000 does not fit the windows: the churn labels need N days after the first third of the \d+ days from the first purchase to the calibration end \(at most \d+\) and N days of the \d+-day holdout to check them on$/);
    expect(view.hint).toMatch(/^send churnDays from 14 to \d+, or leave it out for the longest that fits$/);
  }, 120_000);

  it('refuses a value out of range or a model it does not know, naming the field (400)', async () => {
    for (const [payload, field] of [[{ horizonMonths: -3 }, 'horizonMonths'], [{ horizonMonths: 1.5 }, 'horizonMonths'], [{ margin: 1.5 }, 'margin'], [{ model: 'lstm' }, 'model'], [{ holdoutDays: 2.5 }, 'holdoutDays'], [{ churnDays: 7 }, 'churnDays'], [{ churnDays: 30.5 }, 'churnDays']] as const) {
      const answer = await server.app.inject({ method: 'POST', url: '/api/runs', payload, headers: as(analyst) });
      expect(answer.statusCode, answer.body).toBe(400);
      expect((answer.json() as { message: string }).message).toContain(field);
    }
  });
});
