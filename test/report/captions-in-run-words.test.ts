/**
 * The report's captions point to other commands in the words of the front end that started the run (regression):
 * report.html of a run started through the API told its reader to run `clvkit customer ID --alive-path`, to pass
 * `--tracking-age next-day` and `clvkit analyze --events FILE` — a CLI the API's user does not have. A run through
 * the API names the API's route (events sent to POST /api/events) or, where the API has no counterpart (a customer's
 * P(alive) path, the tracking curves' age convention), leaves the pointer out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProspectScores } from '../../src/events/score-prospects.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { illustrateAlivePaths } from '../../src/models/btyd/illustrative-alive-paths.js';
import { runWords } from '../../src/core/run-words.js';
import { renderReport } from '../../src/report/render-report.js';
import type { ReportData } from '../../src/report/report-data.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { openTestServer, runToEnd, type TestServer } from '../server/server-fixture.js';
import { fixtureReportData } from './report-fixture.js';

const PROSPECTS: ProspectScores = {
  prospects: 62,
  basis: 'profiles',
  features: ['days_since_signup'],
  horizonDays: 90,
  cutoffs: ['2023-06-30'],
  trainingRows: 400,
  conversions: 31,
  model: 'logistic regression',
  coefficients: { days_since_signup: -0.01 },
  separatedLevels: [],
  calibration: [{ decile: 1, rows: 40, predicted: 1.5, actual: 2 }],
  meanPropensity: 0.0734,
  expectedFirstYearValueTotal: 1234.5,
};

/** The CLI's pointers in the captions, each as the report writes it. */
const CLI_POINTERS = ['own path: clvkit customer ID --alive-path.', '(--tracking-age next-day: as lifetimes and R BTYD)', 'Events (clvkit analyze --events FILE) add browsing behaviour.'];

function report(api: boolean): string {
  const data = fixtureReportData(200);
  const withCaptions: ReportData = {
    ...data,
    run: { ...data.run, events: null, prospects: PROSPECTS },
    modelCard: { ...data.modelCard!, alivePathExamples: illustrateAlivePaths('paretonbd', { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } }, 52) },
  };
  return renderReport(withCaptions, { seed: 1, words: runWords(api) });
}

describe('report captions in the words of the run', () => {
  it('a CLI run: the commands and flags that show more', () => {
    const html = report(false);
    for (const pointer of CLI_POINTERS) expect(html).toContain(pointer);
  });

  it('a run through the API: the events route, and no CLI command or flag', () => {
    const html = report(true);
    for (const pointer of CLI_POINTERS) expect(html).not.toContain(pointer);
    expect(html).toContain('features: days_since_signup. Events sent to POST /api/events add browsing behaviour.');
    expect(html).toContain('Ages are counted to the last day of each period, as T is in the fit.');
    expect(html).toContain('since it lets customers drop out only at a purchase.</figcaption>');
  });
});

describe('report.html of a run started through POST /api/runs (300 customers with profiles, no events)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
    await generateShop({ outDir: server.dir, customers: 300, seed: 11, events: false });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'transactions.csv')], { keyring: server.context.keyring });
    await ingestFiles(server.context.warehouse, [join(server.dir, 'customers.csv')], { keyring: server.context.keyring, kind: 'customers' });
  }, 120_000);
  afterAll(async () => server?.close());

  it('names no CLI command in its captions (it said clvkit customer ID --alive-path and --tracking-age next-day)', async () => {
    const { view, summary } = await runToEnd(server, await server.login('analyst'), { skipPatterns: true });
    expect(view.status, view.error ?? '').toBe('finished');
    const html = readFileSync(summary!.outputs.reportHtml!, 'utf8');
    // the figures whose captions carried the pointers are there
    expect(html).toContain('id="chart-alive-paths"');
    expect(html).toContain('id="chart-tracking-cumulative"');
    for (const pointer of ['clvkit customer ID', '--alive-path', '--tracking-age', 'clvkit analyze', '--events']) expect(html, pointer).not.toContain(pointer);
  }, 180_000);
});
