import type { ModelCardResponse } from '../../../src/server/routes/read-api-types.js';
import type { HeterogeneityDensityData } from '../../../src/report/report-data.js';
import { alivePathChart } from '../../../src/report/charts/alive-path-chart.js';
import { calibrationHistogramChart } from '../../../src/report/charts/calibration-histogram-chart.js';
import { EXPECTED_COLOR, HIGHLIGHT_COLOR } from '../../../src/report/charts/chart-theme.js';
import { conditionalExpectationChart } from '../../../src/report/charts/conditional-expectation-chart.js';
import { heterogeneityDensityChart } from '../../../src/report/charts/heterogeneity-density-chart.js';
import { modelComparisonChart } from '../../../src/report/charts/model-comparison-chart.js';
import { probabilityAliveChart } from '../../../src/report/charts/probability-alive-chart.js';
import { comparedChurnScores, reliabilityChart } from '../../../src/report/charts/reliability-chart.js';
import { trackingChart } from '../../../src/report/charts/tracking-chart.js';
import { formatCount, formatNumber, formatPercent, formatSignificant } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { churnCardWords } from '../churn-view.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { groupCount, runNote } from '../run-note.js';
import { formatParams, modelCardWords } from '../value-model-view.js';

/** A fitted density as a table of about 20 rows. */
function densityTable(density: HeterogeneityDensityData) {
  const step = Math.max(1, Math.ceil(density.x.length / 20));
  return { columns: [{ header: density.symbol }, { header: 'density', numeric: true }], rows: density.x.filter((_, i) => i % step === 0).map((x, j) => [formatSignificant(x), density.density[j * step] === null ? '–' : formatSignificant(density.density[j * step]!)]) };
}


export const modelPage: PageDefinition = {
  ...pageEntry('model'),
  async render() {
    const data = await api<ModelCardResponse>('/api/model-card');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const card = data.modelCard;
    if (!card) {
      parts.push(notice('The value models did not run for this analysis (no purchase history to fit, or skipped).'));
      return parts;
    }
    const chosen = card.comparison.find((e) => e.chosen);
    // who scored the customers, said beside every figure that model produced (the report's words: scores-model.ts)
    const words = modelCardWords(card, data.churn);
    parts.push(
      section(
        'The tournament',
        h('p', {}, h('strong', {}, chosen?.label ?? card.chosen), ` was chosen: ${card.reason}`),
        words.scores ? h('p', { class: 'scores-model' }, words.scores) : null,
        h('p', {}, `Calibration to ${card.calibrationEnd}, holdout to ${card.holdoutEnd}${card.calibrationCustomers !== undefined ? `; ${formatCount(card.calibrationCustomers)} customers in the calibration window` : ''}.`),
        chartFigure({
          id: 'chart-model-comparison',
          title: 'Holdout error of each candidate model',
          caption: 'Mean absolute error of holdout purchases per customer: the shortest bar predicts individual customers best on data it was not fitted on.',
          option: modelComparisonChart(card.comparison),
          height: 80 + 36 * card.comparison.length,
        }),
        dataTable(
          'Candidate models',
          [{ header: 'model' }, { header: 'parameters' }, { header: 'log-likelihood', numeric: true }, { header: 'BIC', numeric: true }, { header: 'holdout MAE', numeric: true }, { header: 'total error', numeric: true }, { header: 'Gini', numeric: true }, { header: 'converged' }],
          card.comparison.map((e) => [`${e.label}${e.chosen ? ' (chosen)' : ''}`, formatParams(e.params), formatNumber(e.logLikelihood, 1), formatNumber(e.bic, 1), formatNumber(e.holdout.mae, 3), formatPercent(e.holdout.totalRelativeError), formatNumber(e.holdout.gini, 3), e.fit.converged ? 'yes' : 'no']),
          { rowHeaders: true },
        ),
      ),
    );
    const d = card.diagnostics;
    const diagnostics: HTMLElement[] = [];
    if (d?.calibrationHistogram) {
      const c = d.calibrationHistogram;
      diagnostics.push(chartFigure({ id: 'chart-calibration', title: 'Repeat purchases: actual vs expected', caption: 'Customers by calibration repeat count, actual (dark) against the model (orange).', option: calibrationHistogramChart(c), table: { columns: [{ header: 'repeat purchases' }, { header: 'actual', numeric: true }, { header: 'expected', numeric: true }], rows: c.labels.map((l, i) => [l, groupCount(c.actual[i], formatCount), formatNumber(c.expected[i] ?? NaN, 1)]) } }));
    }
    if (d?.conditionalExpectation) {
      const c = d.conditionalExpectation;
      diagnostics.push(chartFigure({ id: 'chart-conditional', title: 'Holdout purchases by calibration frequency', caption: 'Mean holdout purchases per customer, actual against the conditional expectation.', option: conditionalExpectationChart(c), table: { columns: [{ header: 'calibration repeats' }, { header: 'actual', numeric: true }, { header: 'expected', numeric: true }], rows: c.labels.map((l, i) => [l, groupCount(c.actual[i], (v) => formatNumber(v, 3)), groupCount(c.expected[i], (v) => formatNumber(v, 3))]) } }));
    }
    if (d?.tracking) {
      diagnostics.push(chartFigure({ id: 'chart-tracking', title: 'Cumulative repeat purchases', caption: words.trackingCaption!, option: trackingChart(d.tracking, 'cumulative'), table: { columns: [{ header: 'period' }, { header: 'actual', numeric: true }, { header: 'expected', numeric: true }], rows: d.tracking.periodLabels.map((p, i) => [p, formatNumber(d.tracking!.actualIncremental[i] ?? NaN, 1), formatNumber(d.tracking!.expectedIncremental[i] ?? NaN, 1)]) } }));
    }
    if (d?.frequencyRecency) {
      diagnostics.push(chartFigure({ id: 'chart-p-alive', title: 'P(alive) by frequency and recency', caption: `Probability a customer of age ${formatNumber(d.frequencyRecency.T, 1)} ${card.timeUnit}s is still active, by repeat purchases and recency.${words.pAliveNotice}`, option: probabilityAliveChart(d.frequencyRecency, card.timeUnit), height: 400, table: { columns: [{ header: 'repeat purchases' }, ...d.frequencyRecency.recency.map((r) => ({ header: `recency ${formatNumber(r, 1)}`, numeric: true }))], rows: d.frequencyRecency.frequency.map((f, i) => [String(f), ...d.frequencyRecency!.probabilityAlive[i]!.map((p) => (p === null ? '–' : formatPercent(p, 0)))]) } }));
    }
    if (diagnostics.length > 0) parts.push(section('Diagnostics', h('div', { class: 'grid' }, diagnostics)));
    const final: HTMLElement[] = [];
    if (card.heterogeneity?.purchaseRate) final.push(chartFigure({ id: 'chart-heterogeneity-rate', title: `Purchase rates across customers (${card.heterogeneity.purchaseRate.label})`, caption: `Fitted ${card.heterogeneity.purchaseRate.distribution} density; mean ${formatSignificant(card.heterogeneity.purchaseRate.mean)}.`, option: heterogeneityDensityChart(card.heterogeneity.purchaseRate, HIGHLIGHT_COLOR), table: densityTable(card.heterogeneity.purchaseRate) }));
    if (card.heterogeneity?.dropout) final.push(chartFigure({ id: 'chart-heterogeneity-dropout', title: `Dropout across customers (${card.heterogeneity.dropout.label})`, caption: `Fitted ${card.heterogeneity.dropout.distribution} density; mean ${formatSignificant(card.heterogeneity.dropout.mean)}.`, option: heterogeneityDensityChart(card.heterogeneity.dropout, EXPECTED_COLOR), table: densityTable(card.heterogeneity.dropout) }));
    if (card.alivePathExamples && card.alivePathExamples.length > 0) final.push(chartFigure({ id: 'chart-alive-paths', title: 'P(alive) along three made-up histories', caption: `How the final fit reads purchase gaps: P(alive) drops while a customer is silent and jumps back at a purchase.${words.pAliveNotice}`, option: alivePathChart(card.alivePathExamples, card.timeUnit), table: { columns: [{ header: 'history' }, { header: `age (${card.timeUnit}s)`, numeric: true }, { header: 'P(alive)', numeric: true }], rows: card.alivePathExamples.flatMap((e) => e.t.filter((_, i) => i % Math.max(1, Math.ceil(e.t.length / 12)) === 0).map((t) => [e.label, formatNumber(t, 1), formatPercent(e.pAlive[e.t.indexOf(t)] ?? NaN, 0)])) } }));
    const facts: [string, string][] = [];
    if (words.finalFit) facts.push(['final fit', words.finalFit]);
    if (card.spend) facts.push(['spend model', `${card.spend.model}: ${card.spend.params ? formatParams(card.spend.params) : card.spend.note ?? '–'}`]);
    if (words.clv) facts.push(['CLV', words.clv]);
    if (facts.length > 0 || final.length > 0) parts.push(section('The final fit', facts.length > 0 ? dataTable('Final parameters', [{ header: 'part' }, { header: 'value' }], facts, { rowHeaders: true }) : null, final.length > 0 ? h('div', { class: 'grid' }, final) : null));
    const churn = data.churn?.churn;
    if (churn) {
      const v = churn.validation;
      // the report's churn table: learned, P(no purchase) when scored, 1 − P(alive); and which score the customers carry
      const c = churnCardWords(churn, words.churnBaseline);
      parts.push(
        section(
          'Churn early warning',
          h('p', {}, c.lead),
          ...(churn.horizonReason ? [h('p', {}, `N = ${churn.horizonDays} days, ${churn.horizonReason}.`)] : []),
          ...words.churnScores.map((line) => h('p', {}, line)),
          ...(c.source ? [h('p', {}, c.source)] : []),
          dataTable(c.table.caption, c.table.columns, c.table.rows, { rowHeaders: true }),
          ...c.intervalReasons.map((reason) => h('p', {}, reason)),
          chartFigure({ id: 'chart-churn-reliability', title: 'Calibration of the churn probability', caption: 'Share that churned against the predicted probability, per bin; the dashed diagonal is perfect calibration.', option: reliabilityChart(comparedChurnScores(v)), table: { columns: [{ header: 'predicted' }, { header: 'customers', numeric: true }, { header: 'mean predicted', numeric: true }, { header: 'share churned', numeric: true }], rows: v.learned.reliability.map((b) => [`${formatPercent(b.lower, 0)}–${formatPercent(b.upper, 0)}`, groupCount(b.count, formatCount), groupCount(b.meanPredicted, (x) => formatPercent(x, 1)), groupCount(b.observedRate, (x) => formatPercent(x, 1))]) } }),
          // no classifier trained (one class in its training labels): why, instead of drivers that are all 0
          churn.scoresSkipped ? h('p', {}, `${churn.scoresSkipped.charAt(0).toUpperCase()}${churn.scoresSkipped.slice(1)}.`) : dataTable('Top churn drivers', [{ header: 'feature' }, { header: 'mean |SHAP|', numeric: true }], churn.drivers.map((x) => [x.feature, formatNumber(x.value, 3)]), { rowHeaders: true }),
        ),
      );
    }
    return parts;
  },
};
