import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { renderChurnSection } from '../../src/report/sections/churn-section.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { fixtureChurn, fixtureReportData } from '../report/report-fixture.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';
import { scratchDir } from '../helpers/warehouse.js';

// A QA pass: on 200 days of monthly buyers nobody in the churn model's training window went N days without a purchase,
// yet a classifier was "trained" on those all-zero labels and wrote churn_probability 0.0, band low and drivers
// "frequency +0.000; recency +0.000; T +0.000" for every customer, with no warning: a fake all-low ranking.
describe('analyze when the churn training window has no churner (250 regular buyers over 200 days)', () => {
  let run: RunSummary;
  let customers: Csv;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-churn-no-churners-');
    await generateShop({ outDir: dir, customers: 250, seed: 99, shape: 'regular', products: 10, dirtRate: 0, days: 200, events: false });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true });
    customers = readCsv(join(dir, 'out', 'customers.csv'));
  }, 240_000);

  it('leaves churn_probability, churn_risk_band and churn_top_drivers empty, the columns still in customers.csv', () => {
    expect(customers.rows.length).toBe(250);
    for (const column of ['churn_probability', 'churn_risk_band', 'churn_top_drivers']) {
      const at = customers.col(column);
      expect(customers.rows.map((row) => row[at]).filter((value) => value !== '').slice(0, 3)).toEqual([]);
    }
  });

  it('says why in run.json: the churn card and one warning, and no fitted model or drivers', () => {
    const churn = run.learned!.churn!;
    expect(churn.scoresSkipped).toMatch(/^no churn scores: all 250 customers of the training window bought again within \d+ days of \d{4}-\d\d-\d\d, so there was no churner to learn from; customers\.csv's churn_probability, churn_risk_band and churn_top_drivers are empty$/);
    expect(churn.model).toBeUndefined();
    expect(churn.drivers).toEqual([]);
    expect(Number.isNaN(churn.meanProbability)).toBe(true);
    expect(run.warnings.filter((w) => w.includes('no churner'))).toEqual([`churn early warning not scored: ${churn.scoresSkipped!.replace(/^no churn scores: /, '')}`]);
  });
});

describe('the report churn section of a run whose churn model was not trained', () => {
  it('says why instead of showing drivers and model settings', () => {
    const learned = fixtureChurn();
    const { model: _model, ...churn } = learned.churn!;
    const reason = "no churn scores: all 250 customers of the training window bought again within 66 days of 2022-05-14, so there was no churner to learn from; customers.csv's churn_probability, churn_risk_band and churn_top_drivers are empty";
    const html = renderChurnSection(fixtureReportData(), { ...learned, churn: { ...churn, drivers: [], meanProbability: NaN, scoresSkipped: reason } }).html;
    expect(html).toContain('No churn scores: all 250 customers of the training window bought again within 66 days of 2022-05-14');
    expect(html).not.toContain('What drives churn risk');
    expect(html).not.toContain('The churn model');
  });
});
