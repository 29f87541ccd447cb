import { crossSellRulesChart } from '../charts/cross-sell-rules-chart.js';
import { formatCount, formatNumber, formatPercent, formatSignificant } from '../format-number.js';
import { renderFigure, renderParagraph, renderTable } from '../html-parts.js';
import type { CrossSellRules, ReportData } from '../report-data.js';
import type { ReportSection } from './report-section.js';

const SHOWN = 15;

/** Top cross-sell rules: lift bars with confidence and support, and the table. */
export function renderCrossSellSection(_data: ReportData, rules: CrossSellRules): ReportSection {
  const shown = rules.rules.slice(0, SHOWN);
  const thresholds = [
    rules.baskets !== undefined ? `${formatCount(rules.baskets)} ${rules.basket}s mined` : '',
    rules.minSupport !== undefined ? `support ≥ ${formatPercent(rules.minSupport, 2)}` : '',
    rules.minConfidence !== undefined ? `confidence ≥ ${formatPercent(rules.minConfidence, 0)}` : '',
    rules.minLift !== undefined ? (rules.minLift > 1 ? `lift ≥ ${formatSignificant(rules.minLift, 3)}` : 'lift > 1') : '',
  ].filter(Boolean);
  const lead = `Products bought together in one ${rules.basket}: “if A then B” rules${thresholds.length ? ` (${thresholds.join(', ')})` : ''}.`;
  const lowLift = rules.lowLiftRules
    ? renderParagraph(
        `${formatCount(rules.lowLiftRules)} more rule${rules.lowLiftRules === 1 ? '' : 's'} met the support and confidence thresholds but had ${rules.minLift !== undefined && rules.minLift > 1 ? `lift below ${formatSignificant(rules.minLift, 3)}` : 'lift of 1 or less'}: their products are bought together about as often as the popularity of the recommended product alone predicts, so they are left out here and from the recommendations.`,
      )
    : '';
  const r = rules.recommender;
  const recommender = r
    ? renderParagraph(`Recommendations (recommendations.csv) come from ${r.label}: ${r.reason}.`)
    : rules.evaluationNote
      ? renderParagraph(`Recommendations (recommendations.csv): ${rules.evaluationNote}.`)
      : '';
  if (shown.length === 0) return { id: 'cross-sell', title: 'Cross-sell', lead, html: recommender + renderParagraph('No rule passed the thresholds.') + lowLift };
  const best = shown[0]!;
  return {
    id: 'cross-sell',
    title: 'Cross-sell',
    lead,
    html:
      recommender +
      lowLift +
      renderFigure({
        id: 'chart-cross-sell-rules',
        title: `Top ${shown.length} rules by lift`,
        caption: `Buyers of ${best.antecedent.join(' + ')} take ${best.consequent.join(' + ')} ${formatNumber(best.lift, 1)}× as often as others (${formatPercent(best.confidence, 0)} of them); prefer rules with both high lift and enough support.`,
        option: crossSellRulesChart(shown, SHOWN),
        wide: true,
        size: { width: 1160, height: 70 + 28 * shown.length },
      }) +
      renderTable({
        caption: 'Rules',
        wide: true,
        columns: [{ header: 'if bought' }, { header: 'then also' }, { header: 'support', numeric: true }, { header: 'confidence', numeric: true }, { header: 'lift', numeric: true }, { header: `${rules.basket}s`, numeric: true }],
        rows: shown.map((r) => [r.antecedent.join(' + '), r.consequent.join(' + '), formatPercent(r.support, 2), formatPercent(r.confidence, 1), formatNumber(r.lift, 2), r.count !== undefined ? formatCount(r.count) : '–']),
      }),
  };
}
