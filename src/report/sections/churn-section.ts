import { reliabilityChart } from '../charts/reliability-chart.js';
import { formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderGrid, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportChurn, ReportChurnScorecard, ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

const withInterval = (value: number, [low, high]: readonly [number, number]) => `${formatNumber(value, 3)} [${formatNumber(low, 3)}, ${formatNumber(high, 3)}]`;

function scoreRow(label: string, card: ReportChurnScorecard): string[] {
  return [label, withInterval(card.auc, card.aucInterval), withInterval(card.prAuc, card.prAucInterval), formatNumber(card.brier, 3)];
}

/** Churn early warning: how well it ranks and how calibrated it is on unseen customers, what drives it, and the honest tournament. */
export function renderChurnSection(_data: ReportData, learned: ReportChurn): ReportSection {
  const c = learned.churn;
  const v = c.validation;
  const p = c.model.params;
  const parts = [
    renderTable({
      caption: `Churn in the next ${c.horizonDays} days, on customers the model never saw (${formatPercent(v.learned.baseRate)} churned)`,
      columns: [{ header: 'score' }, { header: 'AUC [95%]', numeric: true }, { header: 'PR-AUC [95%]', numeric: true }, { header: 'Brier', numeric: true }],
      rows: [scoreRow('learned (gradient-boosted trees)', v.learned), scoreRow('1 − P(alive) of the BTYD model', v.btydOneMinusPAlive)],
    }),
    renderFigure({ id: 'chart-churn-reliability', title: 'Calibration of the churn probability', caption: 'Share that churned against the predicted probability, per bin; the dashed diagonal is perfect calibration.', option: reliabilityChart(v.learned, v.btydOneMinusPAlive) }),
    renderTable({
      caption: 'What drives churn risk (mean |TreeSHAP| on the log-odds)',
      columns: [{ header: 'feature', code: true }, { header: 'mean |contribution|', numeric: true }],
      rows: c.drivers.slice(0, 8).map((d) => [d.feature, formatNumber(d.value, 3)]),
    }),
    renderTable({
      caption: 'The churn model',
      columns: [{ header: 'setting' }, { header: 'value', code: true }],
      rows: [
        ['trained as of', c.trainedAsOf],
        ['trees kept (early stopping) / trained', `${c.model.bestIteration} / ${c.model.roundsTrained}`],
        ...Object.entries(p).map(([k, value]) => [k, String(value)]),
        ['risk bands', `high ≥ ${c.bands.high}, medium ≥ ${c.bands.medium}, low below`],
      ],
    }),
  ];
  const t = learned.tournament;
  if (t) {
    parts.push(
      renderTable({
        caption: 'Honest tournament: chosen on the inner window, scored on the holdout',
        wide: true,
        columns: [{ header: 'candidate' }, { header: 'inner MAE', numeric: true }, { header: 'holdout MAE', numeric: true }, { header: 'total', numeric: true }, { header: 'Gini', numeric: true }, { header: 'decile MAPE', numeric: true }],
        rows: t.candidates.map((x) => [x.label + (x.chosen ? ' (chosen)' : ''), formatNumber(x.inner.mae, 3), formatNumber(x.holdout.mae, 3), formatPercent(x.holdout.totalRelativeError), formatNumber(x.holdout.gini, 3), formatNumber(x.holdout.decileMape, 3)]),
      }),
    );
    parts.push(renderParagraph(`Why: ${t.reason}.`));
  }
  return {
    id: 'churn',
    title: 'Churn early warning',
    lead: `Who is likely to buy nothing in the next ${c.horizonDays} days, how sure we can be, and why.`,
    html: renderGrid(parts),
  };
}
