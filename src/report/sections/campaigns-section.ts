import type { PublishedCampaigns, PublishedUplift } from '../../actions/campaign-kpis.js';
import { campaignUpliftChart } from '../charts/campaign-uplift-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import { minGroupSizeOf } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';

const uplift = (u: PublishedUplift | null) =>
  u && u.relativeUplift !== null && u.relativeUpliftInterval ? `${formatPercent(u.relativeUplift, 1)} [${formatPercent(u.relativeUpliftInterval[0], 1)}, ${formatPercent(u.relativeUpliftInterval[1], 1)}]` : '–';

/** Evaluated campaigns: the uplift chart with its intervals, and the KPIs per campaign. */
export function renderCampaignsSection(data: ReportData, published: PublishedCampaigns): ReportSection {
  const k = minGroupSizeOf(data);
  const campaigns = published.campaigns;
  const withheld = published.withheld > 0 ? renderParagraph(`${published.withheld} evaluation${published.withheld === 1 ? '' : 's'} left out: a group of fewer than ${k} customers.`) : '';
  const lead = 'Each campaign against its control group: the uplift per customer over the response window, with its 95% interval, ROI and cost per response.';
  if (campaigns.length === 0) return { id: 'campaigns', title: 'Campaigns', lead, html: withheld };
  const clear = campaigns.filter((c) => c.purchases.relativeUpliftInterval !== null && c.purchases.relativeUpliftInterval[0] > 0).length;
  return {
    id: 'campaigns',
    title: 'Campaigns',
    lead,
    html:
      renderFigure({
        id: 'chart-campaign-uplift',
        title: 'Relative uplift per customer, treatment vs control (95% interval)',
        caption: `${clear} of ${campaigns.length} campaign${campaigns.length === 1 ? '' : 's'} raised purchases per customer with its whole 95% interval above zero; a box across the zero line shows no proven effect.`,
        option: campaignUpliftChart(campaigns),
        wide: true,
        size: { width: 1160, height: 320 },
      }) +
      renderTable({
        caption: 'Campaign KPIs',
        wide: true,
        columns: [
          { header: 'audience' },
          { header: 'window' },
          { header: 'treated / control', numeric: true },
          { header: 'repurchase (T / C)', numeric: true },
          { header: 'purchases uplift' },
          { header: 'revenue uplift' },
          { header: 'AOV (T / C)', numeric: true },
          { header: 'cost per response', numeric: true },
          { header: 'ROI', numeric: true },
        ],
        rows: campaigns.map((c) => [
          c.play ? `${c.audience} (${c.play})` : c.audience,
          `${c.window.from} … ${c.window.to}`,
          `${formatCount(c.groups.treatment)} / ${formatCount(c.groups.control)}`,
          `${formatPercent(c.repurchaseRate.treatment, 1)} / ${formatPercent(c.repurchaseRate.control, 1)}`,
          uplift(c.purchases),
          uplift(c.revenue),
          c.averageOrderValue.treatment === null || c.averageOrderValue.control === null ? '–' : `${formatMoney(c.averageOrderValue.treatment, data.currency)} / ${formatMoney(c.averageOrderValue.control, data.currency)}`,
          c.costPerResponse === null ? '–' : formatMoney(c.costPerResponse, data.currency),
          c.roi === null || !c.roiInterval ? '–' : `${formatNumber(c.roi, 2)} [${formatNumber(c.roiInterval[0], 2)}, ${formatNumber(c.roiInterval[1], 2)}]`,
        ]),
      }) +
      withheld,
  };
}
