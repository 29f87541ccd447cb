import { totalPredictedMonths } from '../../core/clv-totals.js';
import { calibrationHistogramChart } from '../charts/calibration-histogram-chart.js';
import { conditionalExpectationChart } from '../charts/conditional-expectation-chart.js';
import { modelComparisonChart } from '../charts/model-comparison-chart.js';
import { probabilityAliveChart } from '../charts/probability-alive-chart.js';
import { trackingChart } from '../charts/tracking-chart.js';
import { heterogeneityDensityChart } from '../charts/heterogeneity-density-chart.js';
import { alivePathChart } from '../charts/alive-path-chart.js';
import { EXPECTED_COLOR, HIGHLIGHT_COLOR } from '../charts/chart-theme.js';
import { escapeHtml } from '../escape-html.js';
import { formatCount, formatMoney, formatNumber, formatPercent, formatSignificant } from '../format-number.js';
import { renderFigure, renderGrid, renderKpis, renderParagraph, renderTable, type Cell } from '../html-parts.js';
import type { ModelComparisonEntry, ReportData, ReportModelCard } from '../report-data.js';
import { minGroupSizeOf } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';
import { clvIntervalsClause, describeScoresModel, describeTrackingHoldout, scoredBy } from '../scores-model.js';
import { reachedOptimum, type FitBoundary } from '../../models/fit-boundary.js';
import { MAE_TIE_SHARE } from '../../models/tournament-rule.js';
import { runWords, type RunWords } from '../../core/run-words.js';

/** what the value model's Gini ranks when run.json's holdout says giniRankedBy 'value' (validate prints the same words) */
const GINI_BY_VALUE = 'customers ranked by predicted value against their holdout spend';

/**
 * A fit's convergence in a word: `yes` when it converged in the interior, its limiting model when it settled on a
 * boundary whose limit was fitted and converged (`reachedOptimum`: the tournaments count it as converged), `no` else.
 */
function fitState(fit: { readonly converged: boolean; readonly boundary?: FitBoundary }, yes: string, no: string): string {
  if (fit.converged) return yes;
  return reachedOptimum(fit) ? `its limit (${fit.boundary?.limitModel ?? 'fitted'})` : no;
}

function parameterRows(params: Readonly<Record<string, number>>, intervals?: Readonly<Record<string, readonly [number, number]>> | null): Cell[][] {
  return Object.entries(params).map(([name, value]) => {
    const interval = intervals?.[name];
    return [name, formatSignificant(value, 4), interval ? `${formatSignificant(interval[0], 3)} – ${formatSignificant(interval[1], 3)}` : '–'];
  });
}

/** The bucket where model and data differ most (suppressed buckets, null, are skipped). */
function largestGap(labels: readonly string[], actual: readonly (number | null)[], expected: readonly (number | null)[]): { label: string; relative: number } | null {
  let best: { label: string; relative: number } | null = null;
  labels.forEach((label, i) => {
    const a = actual[i];
    const e = expected[i];
    if (a === null || e === null || a === undefined || e === undefined || !Number.isFinite(a) || !Number.isFinite(e) || a === 0) return;
    const relative = Math.abs(e - a) / Math.abs(a);
    if (!best || relative > best.relative) best = { label, relative };
  });
  return best;
}

/** Within this relative gap in every bucket shown, the model "follows" the holdout purchases by calibration frequency. */
const FOLLOWS_WITHIN = 0.3;

/**
 * The caption of the holdout purchases by calibration frequency, from its numbers: whether those who bought more
 * often before bought more later (the last bucket shown against the first), and whether the model follows them
 * (every gap within FOLLOWS_WITHIN) or is off, by how much and where. It said "customers who bought more often before
 * buy more later, and the model follows them" whatever the chart showed (a QA pass: beside a gap of 398%, on a
 * 10-day holdout).
 *
 * Example: "Out of sample, customers who bought more often before bought more later, and the model follows them
 * (largest gap 13% at 0 repeat purchases)"
 */
export function conditionalExpectationCaption(labels: readonly string[], actual: readonly (number | null)[], expected: readonly (number | null)[]): string {
  const shown = actual.filter((v): v is number => v !== null && Number.isFinite(v));
  const rises = shown.length >= 2 && shown[shown.length - 1]! > shown[0]!;
  const gap = largestGap(labels, actual, expected);
  const lead = rises ? 'Out of sample, customers who bought more often before bought more later' : 'Holdout purchases per customer by how often they bought before, actual against the model';
  if (!gap) return lead;
  // the buckets are repeat purchases in calibration (the chart's axis), not purchases
  const where = `${formatPercent(gap.relative, 0)} at ${gap.label} repeat purchase${gap.label === '1' ? '' : 's'}`;
  if (gap.relative <= FOLLOWS_WITHIN) return `${lead}, and the model follows them (largest gap ${where})`;
  return `${lead}; the model is off by up to ${where}`;
}

function diagnosticsFigures(card: ReportModelCard, k: number, aliveNotice: string, api: boolean): string[] {
  const d = card.diagnostics;
  if (!d) return [];
  const withheld = (values: readonly (number | null)[]) => (values.some((v) => v === null) ? `; buckets of fewer than ${k} customers (or protecting one) are not shown` : '');
  const figures: string[] = [];
  if (d.calibrationHistogram) {
    const h = d.calibrationHistogram;
    const gap = largestGap(h.labels, h.actual, h.expected);
    figures.push(
      renderFigure({
        id: 'chart-calibration-histogram',
        title: 'Calibration: repeat purchases, actual vs model',
        caption: `Equal bars mean the model reproduces how often customers came back${gap ? `; the largest gap is ${formatPercent(gap.relative, 0)} at ${gap.label} repeat purchases` : ''}${withheld(h.actual)}.`,
        option: calibrationHistogramChart(h),
      }),
    );
  }
  if (d.conditionalExpectation) {
    const c = d.conditionalExpectation;
    const gap = largestGap(c.labels, c.actual, c.expected);
    figures.push(
      renderFigure({
        id: 'chart-conditional-expectation',
        title: 'Holdout purchases by calibration frequency',
        caption: `${conditionalExpectationCaption(c.labels, c.actual, c.expected)}${withheld(c.actual)}.`,
        option: conditionalExpectationChart(c),
      }),
    );
  }
  if (d.tracking) {
    const t = d.tracking;
    figures.push(
      renderFigure({
        id: 'chart-tracking-cumulative',
        title: 'Cumulative repeat purchases',
        caption: `${describeTrackingHoldout(t, 'customers.csv’s scores')} ${
          t.age === 'next-day' ? 'Ages are counted to the day after each period, as lifetimes and R BTYD do.' : `Ages are counted to the last day of each period, as T is in the fit${api ? '' : ' (--tracking-age next-day: as lifetimes and R BTYD)'}.`
        }`,
        option: trackingChart(t, 'cumulative'),
      }),
      renderFigure({
        id: 'chart-tracking-incremental',
        title: 'Repeat purchases per period',
        caption: 'The same comparison period by period: the model gives the trend; peaks it misses (seasonal ones, campaigns) are not part of the model.',
        option: trackingChart(t, 'incremental'),
      }),
    );
  }
  if (d.frequencyRecency) {
    const m = d.frequencyRecency;
    figures.push(
      renderFigure({
        id: 'chart-probability-alive',
        title: 'P(alive) by frequency and recency',
        caption: `For customers first seen ${formatNumber(m.T, 1)} ${card.timeUnit}s ago: frequent buyers who stopped long ago (top left) are probably gone; any recent buyer (right) is probably still active.${aliveNotice}`,
        option: probabilityAliveChart(m, card.timeUnit),
        size: { width: 600, height: 380 },
      }),
    );
  }
  return figures;
}

/** The two heterogeneity charts: how purchase rates and dropout vary across customers under the final fit. */
function heterogeneityFigures(card: ReportModelCard): string[] {
  const h = card.heterogeneity;
  if (!h) return [];
  const describe = (d: NonNullable<typeof h.purchaseRate>) =>
    `${d.distribution === 'gamma' ? 'Gamma' : 'Beta'}(${Object.values(d.parameters).map((v) => formatSignificant(v, 3)).join(', ')}), mean ${formatSignificant(d.mean, 3)}`;
  const figures: string[] = [];
  if (h.purchaseRate) {
    figures.push(
      renderFigure({
        id: 'chart-purchase-rate-density',
        title: 'How often customers buy: the spread across customers',
        caption: `The fitted distribution of ${h.purchaseRate.symbol} (${h.purchaseRate.label}): ${describe(h.purchaseRate)}. A long right tail means a few customers buy far more often than most.`,
        option: heterogeneityDensityChart(h.purchaseRate, HIGHLIGHT_COLOR),
      }),
    );
  }
  if (h.dropout) {
    figures.push(
      renderFigure({
        id: 'chart-dropout-density',
        title: 'How quickly customers drop out: the spread across customers',
        caption: `The fitted distribution of ${h.dropout.symbol} (${h.dropout.label}): ${describe(h.dropout)}.`,
        option: heterogeneityDensityChart(h.dropout, EXPECTED_COLOR),
      }),
    );
  } else if (h.notes && h.notes.length > 0) {
    figures.push(`<div class="callout notes"><b>Dropout</b>${h.notes.map((n) => renderParagraph(`${n[0]!.toUpperCase()}${n.slice(1)}.`)).join('')}</div>`);
  }
  return figures;
}

/** P(alive) along made-up histories: how the model reads purchases and silence. */
function alivePathFigures(card: ReportModelCard, aliveNotice: string, api: boolean): string[] {
  const figures: string[] = [];
  if (card.alivePathExamples && card.alivePathExamples.length > 0) {
    figures.push(
      renderFigure({
        id: 'chart-alive-paths',
        title: 'P(alive) along a purchase history',
        caption: `What the model concludes from three made-up histories (no real customer's purchases): each purchase lifts P(alive), silence lowers it${card.final?.model === 'bgnbd' ? '; BG/NBD counts a customer without a repeat purchase as alive, since it lets customers drop out only at a purchase' : ''}.${api ? '' : " A customer's own path: clvkit customer ID --alive-path."}${aliveNotice}`,
        option: alivePathChart(card.alivePathExamples, card.timeUnit),
      }),
    );
  }
  return figures;
}

const tie = `${100 * MAE_TIE_SHARE}%`;

/**
 * The caption of the tournament's bars: "shortest bar" only when the chosen model's is; else which bar is shortest and
 * why another model was chosen — within the tie of it with a lower BIC (the tournament's rule), or the reason above.
 */
function comparisonCaption(comparison: readonly ModelComparisonEntry[], chosen: ModelComparisonEntry | undefined, label: string): string {
  const shortest = comparison.filter((c) => Number.isFinite(c.holdout.mae)).reduce<ModelComparisonEntry | undefined>((best, c) => (!best || c.holdout.mae < best.holdout.mae ? c : best), undefined);
  if (!chosen || !shortest || !(chosen.holdout.mae > shortest.holdout.mae)) return `${label} has the shortest bar: it predicts individual customers best on data it was not fitted on.`;
  const head = `${shortest.label} has the shortest bar (MAE ${shortest.holdout.mae.toFixed(4)})`;
  if (chosen.holdout.mae <= shortest.holdout.mae * (1 + MAE_TIE_SHARE) && chosen.bic < shortest.bic) {
    return `${head}; ${chosen.label}’s (${chosen.holdout.mae.toFixed(4)}) is within ${tie} of it, which the tournament counts as a tie, and its BIC is lower (${formatNumber(chosen.bic, 1)} against ${formatNumber(shortest.bic, 1)}): the two predict individual customers about equally well, and ${chosen.label} explains the calibration data more simply.`;
  }
  return `${head}; ${chosen.label} (${chosen.holdout.mae.toFixed(4)}) was chosen for the reason given above.`;
}

/** How the value model was chosen and why it can be trusted. */
export function renderModelSection(data: ReportData, card: ReportModelCard, words: RunWords = runWords(false)): ReportSection {
  const chosen = card.comparison.find((c) => c.chosen) ?? card.comparison.find((c) => c.model === card.chosen);
  const parts: string[] = [];
  const scoresSentence = describeScoresModel(card, data.churn, 'customers.csv’s');
  parts.push(
    `<p class="verdict">Chosen: <b>${escapeHtml(chosen?.label ?? card.chosen)}</b> — ${escapeHtml(card.reason)}.</p>`,
    renderParagraph(
      `Every candidate model was fitted on purchases up to ${card.calibrationEnd} (calibration${card.calibrationCustomers !== undefined ? `, ${formatCount(card.calibrationCustomers)} customers` : ''}) and asked to predict each customer's purchases from then to ${card.holdoutEnd} (holdout${card.holdoutDuration !== undefined ? `, ${formatNumber(card.holdoutDuration, 1)} ${card.timeUnit}s` : ''}), which it never saw. The tournament picks the smallest per-customer error; errors within ${tie} of the smallest count as a tie, which the lowest BIC (the simpler explanation of the calibration data) breaks, and a model whose fit did not settle wins only when none did. The chosen model is then refitted on all data to score customers.${scoresSentence ? ` ${scoresSentence}` : ''}`,
    ),
  );
  if (chosen) {
    const h = chosen.holdout;
    parts.push(
      renderKpis([
        { label: 'holdout MAE', value: formatNumber(h.mae, 4), note: 'purchases per customer' },
        { label: 'total holdout purchases', value: `${h.totalRelativeError >= 0 ? '+' : ''}${formatPercent(h.totalRelativeError)}`, note: h.predictedTotal !== undefined && h.actualTotal !== undefined ? `${formatCount(h.predictedTotal)} predicted vs ${formatCount(h.actualTotal)} actual` : 'predicted vs actual', tone: Math.abs(h.totalRelativeError) <= 0.1 ? 'good' : 'warn' },
        { label: 'rank correlation', value: formatNumber(h.spearman, 3), note: `Spearman, predicted vs actual${Number.isFinite(h.spearman) || !h.spearmanUndefined ? '' : `: undefined, ${h.spearmanUndefined}`}` },
        { label: h.giniRankedBy === 'value' ? 'ranking Gini (by value)' : 'ranking Gini', value: formatNumber(h.gini, 3), note: h.giniRankedBy === 'value' ? `${GINI_BY_VALUE}; 1 = perfect order, 0 = random` : '1 = perfect order, 0 = random' },
        { label: 'optimiser', value: fitState(chosen.fit, 'converged', 'not converged'), tone: reachedOptimum(chosen.fit) ? 'good' : 'bad', ...(!chosen.fit.converged && reachedOptimum(chosen.fit) ? { note: 'on a boundary of the parameter space: its limiting model was fitted and converged' } : {}) },
      ]),
    );
  }
  // row 1: the tournament and the parameters that score customers; then the full comparison; then the diagnostics
  const top: string[] = [];
  if (card.comparison.length > 0) {
    top.push(
      renderFigure({
        id: 'chart-model-comparison',
        title: 'Model tournament: holdout error',
        caption: comparisonCaption(card.comparison, chosen, chosen?.label ?? card.chosen),
        option: modelComparisonChart(card.comparison),
        size: { width: 600, height: 90 + 44 * card.comparison.length },
      }),
    );
  }
  const tables: string[] = [];
  const params = card.final ?? (chosen ? { model: chosen.model, params: chosen.params, intervals95: chosen.intervals95 } : undefined);
  if (params) {
    tables.push(
      renderTable({
        caption: `${chosen?.label ?? params.model} parameters${card.final ? ` refitted on all data${card.final.customers !== undefined ? ` (${formatCount(card.final.customers)} customers)` : ''}` : ''}, with 95% intervals`,
        columns: [{ header: 'parameter', code: true }, { header: 'estimate', numeric: true }, { header: '95% interval', numeric: true }],
        rows: parameterRows(params.params, params.intervals95),
      }),
    );
  }
  if (card.spend?.params && !data.run.spend) {
    tables.push(
      renderTable({
        caption: `Spend per purchase: ${card.spend.model === 'gammagamma' ? 'Gamma-Gamma' : card.spend.model}${card.spend.repeatBuyers !== undefined ? `, fitted on ${formatCount(card.spend.repeatBuyers)} repeat buyers` : ''}${card.spend.populationMeanSpend !== undefined ? `; mean spend ${formatMoney(card.spend.populationMeanSpend, data.currency)}` : ''}`,
        columns: [{ header: 'parameter', code: true }, { header: 'estimate', numeric: true }, { header: '95% interval', numeric: true }],
        rows: parameterRows(card.spend.params, card.spend.intervals95),
      }),
    );
  }
  if (tables.length > 0) top.push(`<div class="stack">${tables.join('')}</div>`);
  if (top.length > 0) parts.push(renderGrid(top));
  if (card.comparison.length > 0) {
    const byValue = card.comparison.some((c) => c.holdout.giniRankedBy === 'value');
    parts.push(
      renderTable({
        caption: `Candidates, fitted on the calibration window (lower AIC, BIC and errors are better; total err. = predicted vs actual holdout purchases${byValue ? `; Gini (by value): ${GINI_BY_VALUE}` : ''})`,
        wide: true,
        columns: [{ header: 'model' }, { header: 'log-likelihood', numeric: true }, { header: 'AIC', numeric: true }, { header: 'BIC', numeric: true }, { header: 'holdout MAE', numeric: true }, { header: 'RMSE', numeric: true }, { header: 'total err.', numeric: true }, { header: 'Spearman', numeric: true }, { header: byValue ? 'Gini (by value)' : 'ranking Gini', numeric: true }, { header: 'converged' }],
        rows: card.comparison.map((c) => [
          { html: `${c.chosen ? '<b>' : ''}${escapeHtml(c.label)}${c.chosen ? ' ✓ chosen</b>' : ''}` },
          formatNumber(c.logLikelihood, 1),
          formatNumber(c.aic, 1),
          formatNumber(c.bic, 1),
          formatNumber(c.holdout.mae, 4),
          formatNumber(c.holdout.rmse, 4),
          formatPercent(c.holdout.totalRelativeError),
          Number.isFinite(c.holdout.spearman) || !c.holdout.spearmanUndefined ? formatNumber(c.holdout.spearman, 3) : `${formatNumber(NaN)} (${c.holdout.spearmanUndefined})`,
          formatNumber(c.holdout.gini, 3),
          fitState(c.fit, 'yes', 'no'),
        ]),
      }),
    );
  }
  // an MBG/CNBD-k winner wrote customers.csv's P(alive): the charts here are still the value model's
  const scores = scoredBy(card, data.churn);
  const aliveNotice = scores.pAlive !== scores.valueModel ? ` These show ${scores.valueModel}’s P(alive) (the value model); customers.csv’s p_alive is ${scores.pAlive}’s.` : '';
  // a run through the API: no pointer to a CLI flag or command the API has no counterpart of
  const api = words.api;
  const grid = [...diagnosticsFigures(card, minGroupSizeOf(data), aliveNotice, api), ...heterogeneityFigures(card), ...alivePathFigures(card, aliveNotice, api)];
  const notes: string[] = [];
  // without order values the spend model and CLV were not computed: the run's one-line note says so instead
  const spend = data.run.spend;
  if (spend) notes.push(`Purchases only: ${spend.note}.`);
  else if (card.spend?.note) notes.push(card.spend.note);
  if (card.clv && !spend) {
    const intervalNote = clvIntervalsClause(card, data.churn, "customers.csv's predicted_clv_12m_low and _high");
    notes.push(
      `CLV = expected purchases × expected spend per purchase × margin ${formatPercent(card.clv.margin, 0)}, over ${clvMonthsPhrase(card.clv)}, discounted at ${formatPercent(card.clv.discountRatePerYear, 0)} a year${intervalNote}.`,
    );
  }
  if (chosen?.citation) notes.push(`Model: ${chosen.citation}.`);
  if (notes.length > 0) grid.push(`<div class="callout notes"><b>How the value is computed</b>${notes.map((n) => renderParagraph(n)).join('')}</div>`);
  if (grid.length > 0) parts.push(renderGrid(grid));
  return {
    id: 'model',
    title: 'Value model',
    lead: 'How the model that predicts each customer’s future purchases was chosen, and the evidence that it can be trusted.',
    html: parts.join(''),
  };
}

/** The CLV's months as customers.csv holds them: `12 months (predicted_clv_12m) and 6 months (predicted_clv_6m)` when --horizon-months asked for another. */
function clvMonthsPhrase(clv: { readonly horizonMonths: number; readonly totalPredictedMonths?: number }): string {
  const months = totalPredictedMonths(clv);
  return months === clv.horizonMonths ? `${months} months` : `${months} months (predicted_clv_12m) and ${clv.horizonMonths} months (predicted_clv_${clv.horizonMonths}m)`;
}
