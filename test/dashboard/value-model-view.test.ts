/**
 * What the dashboard says about the value model and the customer scores, from the read API's answers: every figure is
 * named by the model that produced it, and the value model card carries the report's explanations.
 *
 * Regression: after the honest tournament's winner rewrote customer_scores (regular buyers who churn, 600 customers:
 * MBG/CNBD-6 over the value model BG/NBD), the overview showed 'BG/NBD was chosen' beside the predicted value of
 * 26,098 — MBG/CNBD-6's total — and the value model card gave that total with no word on whose it was, compared the
 * churn model with '1 − P(alive)' without naming MBG/CNBD-6, and captioned the tracking chart without the report's
 * explanation of why its holdout total differs from the conditional forecasts'.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatMoney, formatPercent } from '../../src/report/format-number.js';
import type { ClusterProfiles } from '../../src/report/report-data.js';
import { describeTrackingHoldout } from '../../src/report/scores-model.js';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import type { ModelCardResponse, OverviewResponse } from '../../src/server/routes/read-api-types.js';
import { clusterTable } from '../../web/src/cluster-table.js';
import { pageWarnings } from '../../web/src/view-text.js';
import { modelCardWords, predictedValueTile, valueModelParagraphs } from '../../web/src/value-model-view.js';
import { copyOfRegularChurnWinnerWarehouse } from '../helpers/regular-churn-winner-run.js';
import { fixtureChurn, fixtureReportData } from '../report/report-fixture.js';
import { openServedShop, type ServedShop } from './served-shop.js';

describe('a run whose honest tournament’s winner rewrote the scores (regular buyers who churn, 600 customers: MBG/CNBD-6 over BG/NBD), served', () => {
  let shop: ServedShop;
  let overview: OverviewResponse;
  let card: ModelCardResponse;
  /** sum(predicted_clv_12m) of customer_scores: what the customers carry */
  let written: number;

  beforeAll(async () => {
    // `clvkit analyze` of the shop with --learned-tournament --candidates mbgcnbd --holdout-days 90 --min-group-size 40
    // --skip-patterns --skip-report into a warehouse file, shared with winner-scores-card.test.ts (one run per test run)
    shop = await openServedShop({ analysedWarehouse: { copy: copyOfRegularChurnWinnerWarehouse } });
    const { cookie } = await shop.login('viewer');
    const get = async (url: string) => {
      const response = await shop.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, url).toBe(200);
      return response.json();
    };
    overview = (await get('/api/overview')) as OverviewResponse;
    card = (await get('/api/model-card')) as ModelCardResponse;
    const [row] = await shop.context.warehouse.query('SELECT sum(predicted_clv_12m) AS clv FROM customer_scores');
    written = Number(row!.clv);
  }, 300_000);
  afterAll(() => shop?.close());

  it('GET /api/overview: the value model BG/NBD, and MBG/CNBD-6 as the model whose predictions the customers carry and the total sums', () => {
    const v = overview.valueModel!;
    expect(v.label).toBe('BG/NBD');
    expect(v.scores).toEqual({ label: 'MBG/CNBD-6', pAlive: 'MBG/CNBD-6', valueModel: 'BG/NBD', rewritten: true });
    expect(v.totalPredicted).toBeCloseTo(written, 6);
    expect(v.scoresNote).toBe('Here the honest tournament (Churn early warning) chose MBG/CNBD-6 over it, so MBG/CNBD-6 scored the customers’ P(alive), expected purchases, predicted CLV and next-order dates instead.');
  });

  it('the overview: the predicted value tile names MBG/CNBD-6; the value model paragraph says BG/NBD was chosen, then who scored the customers', () => {
    expect(predictedValueTile(overview.valueModel)).toEqual({ label: 'predicted value, 12 months', value: formatMoney(written), note: 'MBG/CNBD-6’s predictions (the honest tournament’s choice)' });
    expect(formatMoney(written)).toBe('26,098');
    const words = valueModelParagraphs(overview.valueModel!);
    expect(words.chosen).toBe('BG/NBD');
    expect(words.reason).toMatch(/^ was chosen: BG\/NBD has the smallest per-customer holdout error/);
    expect(words.scores).toBe(overview.valueModel!.scoresNote);
  });

  it('the value model card: the total and the intervals by MBG/CNBD-6 (its own parameter draws), BG/NBD’s final fit and P(alive) charts said to be the value model’s, the churn model compared with MBG/CNBD-6’s P(alive)', () => {
    const words = modelCardWords(card.modelCard!, card.churn);
    expect(words.scores).toBe(overview.valueModel!.scoresNote);
    expect(words.clv).toBe(
      `12 months, discount 10%/year, margin 100%; total predicted 26,098, MBG/CNBD-6’s predictions; per-customer 90% intervals come from MBG/CNBD-6's parameter uncertainty (20 parameter draws)`,
    );
    expect(words.finalFit).toMatch(/^bgnbd: r [\d.]+, alpha [\d.]+, a [\d.]+, b [\d.]+ \(the value model; the customers’ predictions are MBG\/CNBD-6’s\)$/);
    expect(words.pAliveNotice).toBe(' These show BG/NBD’s P(alive) (the value model); the customers’ P(alive) is MBG/CNBD-6’s.');
    expect(words.churnBaseline).toBe('1 − P(alive) of MBG/CNBD-6');
    expect(words.churnScores).toHaveLength(1);
    expect(words.churnScores[0]).toMatch(/^Scores: customer_scores carry MBG\/CNBD-k's predictions \(k = 6, the tournament's choice on the calibration window; refitted on every purchase up to 2023-12-31\): P\(alive\)/);
  });

  it('the tracking caption carries the report’s explanation, after the forecast’s own holdout figures (the whole base from first-purchase dates only)', () => {
    const t = card.modelCard!.diagnostics!.tracking!;
    const after = (values: readonly number[]) => values.slice(t.calibrationEndIndex + 1).reduce((s, v) => s + v, 0);
    const [actual, expected] = [after(t.actualIncremental), after(t.expectedIncremental)];
    const caption = modelCardWords(card.modelCard!, card.churn).trackingCaption!;
    expect(caption).toBe(
      `Actual against expected repeat purchases of the whole base; the line marks the end of calibration. After the calibration end the model forecasts ${formatCount(expected)} repeat purchases against ${formatCount(actual)} actual (${expected >= actual ? '+' : ''}${formatPercent((expected - actual) / actual)}). This curve is the model’s forecast for the customer base knowing only when each customer first bought; the holdout figures above and the chart by calibration frequency are conditional forecasts, from each customer’s own purchases so far (as the customers’ scores are), so their holdout totals differ.`,
    );
    // the report says the same, naming customers.csv
    expect(describeTrackingHoldout(t, 'customers.csv’s scores')).toBe(caption.replace(/^.*? calibration\. /, '').replace('the customers’ scores', 'customers.csv’s scores'));
  });
});

describe('the value model card’s words on runs without a rewrite (the report fixture)', () => {
  it('a BTYD winner other than the value model: the customers keep BG/NBD’s scores, in the report’s words; its intervals are its own', () => {
    const base = fixtureChurn();
    const t = base.tournament!;
    const note = "customer_scores keep BG/NBD's scores (the value model, chosen on the holdout 2011-09-04 → 2011-12-09 and refitted on all data): the honest tournament chose Pareto/NBD, a BTYD model, on its inner window 2011-06-06 → 2011-09-04, and a BTYD winner does not replace the value model — only a learned model or MBG/CNBD-k does";
    const churn = { ...base, tournament: { ...t, chosen: 'paretonbd', candidates: [{ ...t.candidates[0]!, label: 'Pareto/NBD', chosen: true }, { ...t.candidates[1]!, chosen: false }] }, valueModelScores: note };
    const data = fixtureReportData();
    const words = modelCardWords(data.modelCard!, churn);
    expect(words.scores).toBe('The honest tournament (Churn early warning) preferred Pareto/NBD on its own window; a BTYD model does not replace this one, so the customers’ scores are BG/NBD’s.');
    expect(renderModelSection({ ...data, churn }, data.modelCard!).html).toContain('The honest tournament (Churn early warning) preferred Pareto/NBD on its own window; a BTYD model does not replace this one, so customers.csv’s scores are BG/NBD’s.');
    expect(words.churnScores).toEqual([`Scores: ${note}.`]);
    expect(words.clv).toBe('12 months, discount 10%/year, margin 100%; total predicted 4.62M, BG/NBD’s predictions; per-customer 90% intervals come from parameter uncertainty');
    expect(words.pAliveNotice).toBe('');
    expect(words.finalFit).toBe('bgnbd: r 0.251, alpha 4.02, a 0.81, b 2.51');
    expect(words.churnBaseline).toBe('1 − P(alive) of BG/NBD');
  });

  it('the value model scored the customers: nothing about the tournament, the tile names the value model', () => {
    const data = fixtureReportData();
    expect(modelCardWords(data.modelCard!, fixtureChurn()).scores).toBeNull();
    const valueModel = { chosen: 'bgnbd', label: 'BG/NBD', reason: 'r', totalPredicted: 4.62e6, horizonMonths: 12, scores: { label: 'BG/NBD', pAlive: 'BG/NBD', valueModel: 'BG/NBD', rewritten: false }, scoresNote: '' };
    expect(predictedValueTile(valueModel)).toEqual({ label: 'predicted value, 12 months', value: '4.62M', note: 'BG/NBD’s predictions' });
    expect(valueModelParagraphs(valueModel).scores).toBeNull();
    // no order values: no total, no tile
    expect(predictedValueTile({ ...valueModel, totalPredicted: null })).toBeNull();
  });

  it('with prospects the tile says the total is the buyers’ and names the prospects’ expected first-year value, as the report’s overview does', () => {
    const valueModel = { chosen: 'bgnbd', label: 'BG/NBD', reason: 'r', totalPredicted: 70_454, horizonMonths: 12, scores: { label: 'BG/NBD', pAlive: 'BG/NBD', valueModel: 'BG/NBD', rewritten: false }, scoresNote: '' };
    expect(predictedValueTile(valueModel, { prospects: 300, expectedFirstYearValueTotal: 20.79 })).toEqual({
      label: 'predicted value, 12 months',
      value: '70,454',
      note: 'BG/NBD’s predictions, buyers only; the 300 prospects’ expected first-year value, 20.79, is not in it',
    });
    expect(predictedValueTile(valueModel, null)?.note).toBe('BG/NBD’s predictions');
  });
});

describe('run warnings and clusters as the dashboard shows them', () => {
  it('a page shows the first 5 warnings and says how many more the overview lists', () => {
    const warnings = Array.from({ length: 7 }, (_, i) => `warning ${i + 1}`);
    expect(pageWarnings(warnings)).toEqual({ shown: warnings.slice(0, 5), more: 2 });
    expect(pageWarnings(warnings.slice(0, 4))).toEqual({ shown: warnings.slice(0, 4), more: 0 });
  });

  /** Published clusters of a frequency-only log (300 customers; no order values, so no cluster has a value). */
  const frequencyOnly: ClusterProfiles = {
    method: 'k-means++ (lloyd) on log1p-scaled, standardised recency_days, frequency, tenure_days, mean_gap_days; k = 2 chosen by silhouette over 2..10; left out, the same for every customer: basket_size (1), product_diversity (0)',
    features: ['days since last purchase', 'purchase occasions', 'days since first purchase', 'mean days between purchases'],
    customers: 300,
    clusters: [
      { name: 'Cluster 1', customers: 148, means: [357.69, 2.44, 407.56, 35.65], zScores: [0.1, -0.2, 0.3, -0.4], value: null, description: 'short gaps between purchases, long-standing' },
      { name: 'Cluster 2', customers: 152, means: [421.02, 1, 421.02, 421.02], zScores: [-0.1, 0.2, -0.3, 0.4], value: null, description: null },
    ],
  };

  it('clusters without order values: no historic value column (it said "suppressed" for every cluster)', () => {
    const table = clusterTable(frequencyOnly);
    expect(table.columns.map((c) => c.header)).toEqual(['cluster', 'customers', 'days since last purchase', 'purchase occasions', 'days since first purchase', 'mean days between purchases']);
    expect(table.rows).toEqual([
      ['Cluster 1: short gaps between purchases, long-standing', '148', '357.69', '2.44', '407.56', '35.65'],
      ['Cluster 2', '152', '421.02', '1.00', '421.02', '421.02'],
    ]);
  });

  it('clusters with order values: the column, and a cluster under k suppressed in it', () => {
    const withValues: ClusterProfiles = { ...frequencyOnly, clusters: [{ ...frequencyOnly.clusters[0]!, value: 132_822.4 }, { ...frequencyOnly.clusters[1]!, customers: null, means: [null, null, null, null], value: null }] };
    const table = clusterTable(withValues);
    expect(table.columns.at(-1)).toEqual({ header: 'historic value', numeric: true });
    expect(table.rows.map((r) => r.at(-1))).toEqual(['132,822', 'suppressed']);
  });
});
