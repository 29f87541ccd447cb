/**
 * The model section's convergence words (regression, from a review): a fit that settled on a boundary whose limiting
 * model was fitted and converged — the BG/NBD one-rate limit, the NBD — showed "optimiser: not converged" in red and
 * "no" in the comparison, while the tournaments and run.json count it as converged (reachedOptimum).
 */
import { describe, expect, it } from 'vitest';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import type { ReportModelCard } from '../../src/report/report-data.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(50);
const card = data.modelCard!;
const boundary = { converged: false, boundary: { parameters: ['r', 'alpha'], limit: 'r, alpha → ∞ with r/alpha fixed', meaning: 'no heterogeneity in purchase rates', limitModel: 'BG/NBD with one purchase rate', limitConverged: true } };
const stopped = { converged: false, boundary: { parameters: ['a', 'b'], limit: 'a, b → ∞', meaning: 'one dropout probability' } };
/** the comparison table's row of a model (the one with its log-likelihood) */
const rowOf = (html: string, label: string) => {
  const row = html.split('<tr').find((r) => r.includes(`>${label}<`) && /class="num">-9,5\d\d\.\d</.test(r));
  return row ? [...row.matchAll(/<t[dh][^>]*>([^<]*)</g)].map((m) => m[1]) : undefined;
};

describe('model section: fits at a converged limit', () => {
  it('says the chosen fit settled at its limit, not "not converged", and the comparison names the limit', () => {
    const withLimit = { ...card, comparison: card.comparison.map((c) => (c.chosen ? { ...c, fit: boundary } : c.model === 'paretonbd' ? { ...c, fit: stopped } : c)) } as ReportModelCard;
    const html = renderModelSection(data, withLimit).html;
    expect(html).toContain('its limit (BG/NBD with one purchase rate)');
    expect(html).not.toMatch(/>not converged</);
    expect(rowOf(html, 'BG/NBD ✓ chosen')?.at(-1)).toBe('its limit (BG/NBD with one purchase rate)');
    // a boundary whose limit was not fitted stays "no"
    expect(rowOf(html, 'Pareto/NBD')?.at(-1)).toBe('no');
  });
});

describe('model section: CLV intervals skipped at a boundary', () => {
  it('does not say the per-customer intervals come from parameter uncertainty when there are none, and says why', () => {
    // synth --shape steady (300 customers): BG/NBD on the no-dropout boundary, customers.csv predicted_clv_12m_low/_high empty
    const skipped = 'no intervals: the bgnbd estimates are on a boundary (a/b → 0: no dropout), where parameter uncertainty has no normal approximation';
    const withoutIntervals = { ...card, clv: { ...card.clv!, intervalDraws: 0, intervalsSkipped: skipped } } as ReportModelCard;
    const html = renderModelSection(data, withoutIntervals).html;
    expect(html).not.toContain('intervals come from parameter uncertainty');
    expect(html).toContain('no intervals: the bgnbd estimates are on a boundary');
    // with intervals, as before
    expect(renderModelSection(data, card).html).toContain('per-customer 90% intervals come from parameter uncertainty');
  });
});

describe('model section: CLV intervals emptied by the honest tournament’s winner', () => {
  it('does not say the per-customer intervals come from parameter uncertainty when a learned or MBG/CNBD-k winner wrote the scores (their interval columns are empty)', () => {
    const churn = data.churn ?? undefined;
    const scored = { ...data, churn: { ...churn!, scores: { label: 'GBT (Poisson)', labelDays: 90, note: 'customer_scores carry GBT (Poisson)’s predictions' } } };
    const html = renderModelSection(scored, card).html;
    expect(html).not.toContain('intervals come from parameter uncertainty');
    expect(html).toContain('predicted_clv_12m_low and _high are empty for buyers');
  });
});

describe('model section: the tracking forecast and the conditional forecast', () => {
  it('the cumulative tracking caption says it knows only first purchase dates, while the holdout figures are conditional on each customer’s purchases (both were shown, their totals differing, with no word on why)', () => {
    const html = renderModelSection(data, card).html;
    const figure = html.slice(html.indexOf('id="chart-tracking-cumulative"'));
    const caption = figure.slice(0, figure.indexOf('</figure>'));
    expect(caption).toMatch(/After the calibration end the model forecasts [\d,]+ repeat purchases against [\d,]+ actual \([+-][\d.]+%\)\. This curve is the model’s forecast for the customer base knowing only when each customer first bought; the holdout figures above and the chart by calibration frequency are conditional forecasts, from each customer’s own purchases so far \(as customers\.csv’s scores are\), so their holdout totals differ\./);
    // named once: not repeated in the per-period chart
    expect(html.split('conditional forecasts').length - 1).toBe(1);
  });
});
