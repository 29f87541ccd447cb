/**
 * The model section states the rule that chose the value model (regression, from a QA pass): on a synthetic shop the
 * tournament chose MBG/NBD (holdout MAE 0.6376) over Pareto/NBD (0.6369) — within 1% of the best, the lower BIC wins —
 * while the chart's caption said "MBG/NBD has the shortest bar: it predicts individual customers best" beside a
 * shorter Pareto/NBD bar, and the text said "The model with the smallest per-customer error wins".
 */
import { describe, expect, it } from 'vitest';
import { renderModelSection } from '../../src/report/sections/model-section.js';
import type { ModelComparisonEntry, ReportModelCard } from '../../src/report/report-data.js';
import { fixtureReportData } from './report-fixture.js';

const data = fixtureReportData(50);
const card = data.modelCard!;
/** the fixture's entries with the QA run's holdout errors and BICs */
const qa: Record<string, { mae: number; bic: number }> = { bgnbd: { mae: 0.654, bic: 20257.9 }, mbgnbd: { mae: 0.6376, bic: 20274.3 }, paretonbd: { mae: 0.6369, bic: 20311.3 } };
const withChoice = (chosen: string, reason: string): ReportModelCard => ({
  ...card,
  chosen,
  reason,
  comparison: card.comparison.map((c): ModelComparisonEntry => ({ ...c, bic: qa[c.model]!.bic, holdout: { ...c.holdout, mae: qa[c.model]!.mae }, chosen: c.model === chosen, fit: { converged: true } })),
});
const caption = (html: string) => /<figcaption[^>]*>([^<]*(?:<(?!\/figcaption)[^<]*)*)<\/figcaption>/.exec(html.slice(html.indexOf('chart-model-comparison')))?.[1];

describe('model section: the words of the choice', () => {
  it('a model chosen by the 1% tie and BIC does not claim the shortest bar, and the text states the rule', () => {
    const html = renderModelSection(data, withChoice('mbgnbd', 'MBG/NBD has a holdout error within 1% of the best and the lowest BIC among those (MAE 0.6376; Pareto/NBD 0.6369)')).html;
    expect(html).not.toContain('MBG/NBD has the shortest bar');
    expect(html).not.toContain('The model with the smallest per-customer error wins');
    expect(caption(html)).toBe(
      'Pareto/NBD has the shortest bar (MAE 0.6369); MBG/NBD’s (0.6376) is within 1% of it, which the tournament counts as a tie, and its BIC is lower (20,274.3 against 20,311.3): the two predict individual customers about equally well, and MBG/NBD explains the calibration data more simply.',
    );
    expect(html).toContain('The tournament picks the smallest per-customer error; errors within 1% of the smallest count as a tie, which the lowest BIC (the simpler explanation of the calibration data) breaks');
  });

  it('says "shortest bar" when the chosen model has it', () => {
    const html = renderModelSection(data, withChoice('paretonbd', 'Pareto/NBD has the smallest per-customer holdout error (MAE 0.6369; MBG/NBD 0.6376)')).html;
    expect(caption(html)).toBe('Pareto/NBD has the shortest bar: it predicts individual customers best on data it was not fitted on.');
  });

  it('a model chosen otherwise (here by --model) points to the reason instead', () => {
    const html = renderModelSection(data, withChoice('bgnbd', 'BG/NBD chosen by the user (--model bgnbd); the tournament preferred MBG/NBD')).html;
    expect(caption(html)).toBe('Pareto/NBD has the shortest bar (MAE 0.6369); BG/NBD (0.6540) was chosen for the reason given above.');
  });
});
