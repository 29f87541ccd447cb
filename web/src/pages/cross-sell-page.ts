import type { CrossSellResponse } from '../../../src/server/routes/read-api-types.js';
import { crossSellRulesChart, ruleLabel } from '../../../src/report/charts/cross-sell-rules-chart.js';
import { formatCount, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';
import { runNote } from '../run-note.js';

export const crossSellPage: PageDefinition = {
  ...pageEntry('cross-sell'),
  async render() {
    const data = await api<CrossSellResponse>('/api/cross-sell');
    const parts: HTMLElement[] = [...runNote(data.run)];
    const r = data.rules;
    if (!r) return [...parts, notice('This run found no product data to mine (no product or category column).')];
    if (r.rules.length === 0) return [...parts, notice(`No association rule reached the thresholds in ${formatCount(r.baskets ?? 0)} baskets.`)];
    parts.push(
      section(
        'Association rules',
        h('p', {}, `Mined from ${formatCount(r.baskets ?? 0)} ${r.basket} baskets${r.minSupport !== undefined ? `, support ≥ ${formatPercent(r.minSupport, 2)}` : ''}${r.minConfidence !== undefined ? `, confidence ≥ ${formatPercent(r.minConfidence, 0)}` : ''}.`),
        chartFigure({
          id: 'chart-cross-sell',
          title: 'Strongest rules by lift',
          caption: 'Bought together more often than chance: lift is how many times more likely the right side is after the left side.',
          option: crossSellRulesChart(r.rules, 15),
          wide: true,
          height: 80 + 26 * Math.min(15, r.rules.length),
        }),
        dataTable(
          'Rules',
          [{ header: 'rule' }, { header: 'baskets', numeric: true }, { header: 'support', numeric: true }, { header: 'confidence', numeric: true }, { header: 'lift', numeric: true }],
          r.rules.map((rule) => [ruleLabel(rule, 80), rule.count === undefined ? '–' : formatCount(rule.count), formatPercent(rule.support, 2), formatPercent(rule.confidence, 0), formatNumber(rule.lift, 2)]),
          { rowHeaders: true },
        ),
        r.recommender ? h('p', {}, `Recommendations come from ${r.recommender.label}: ${r.recommender.reason} (MAP@${r.recommender.k} ${formatNumber(r.recommender.mapAtK, 3)} against ${formatNumber(r.recommender.baselineMapAtK, 3)} for best-sellers).`) : null,
      ),
    );
    return parts;
  },
};
