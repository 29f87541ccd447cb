import { nobodyBought, ROI_NOBODY_BOUGHT } from '../../actions/roi-words.js';
import type { PublishedCampaigns } from '../../actions/campaign-kpis.js';
import { evaluationWarnings } from '../../actions/comparison-warnings.js';
import { campaignIntervalTestNotes, upliftVerdict } from '../../actions/uplift-verdict.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS, welchNote } from '../campaign-kpi-row.js';
import { campaignUpliftChart } from '../charts/campaign-uplift-chart.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../format-number.js';
import { renderFigure, renderParagraph, renderTable } from '../html-parts.js';
import type { ReportData } from '../report-data.js';
import { minGroupSizeOf } from '../suppressed-values.js';
import type { ReportSection } from './report-section.js';

/** Evaluated campaigns: the uplift chart with its intervals, and the KPIs per campaign. */
export function renderCampaignsSection(data: ReportData, published: PublishedCampaigns): ReportSection {
  const k = minGroupSizeOf(data);
  const campaigns = published.campaigns;
  const withheld = published.withheld > 0 ? renderParagraph(`${published.withheld} evaluation${published.withheld === 1 ? '' : 's'} left out: a group of fewer than ${k} customers.`) : '';
  const lead = 'Each campaign against its control group: the uplift per customer over the response window, with its 95% interval, ROI and cost per treated buyer (every treated customer who bought, those who would have bought anyway included).';
  if (campaigns.length === 0) return { id: 'campaigns', title: 'Campaigns', lead, html: withheld };
  // the verdict campaign evaluate and compare give: the whole interval above 0 and p < 0.05 (`upliftVerdict`)
  const clear = campaigns.filter((c) => upliftVerdict(c.purchases) === 'raised').length;
  return {
    id: 'campaigns',
    title: 'Campaigns',
    lead,
    html:
      renderFigure({
        id: 'chart-campaign-uplift',
        title: 'Relative uplift per customer, treatment vs control (95% interval)',
        caption: `${clear} of ${campaigns.length} campaign${campaigns.length === 1 ? '' : 's'} raised purchases per customer (the whole 95% interval above zero and p < 0.05); a box across the zero line shows no proven effect, nor does a box clear of it beside a test that does not reject (said under the table).`,
        option: campaignUpliftChart(campaigns),
        wide: true,
        size: { width: 1160, height: 320 },
      }) +
      renderTable({
        caption: 'Campaign KPIs',
        wide: true,
        columns: CAMPAIGN_KPI_COLUMNS,
        rows: campaigns.map((c) => campaignKpiRow(c, data.currency)),
      }) +
      campaigns.map(welchNote).filter((n) => n !== null).map((n) => renderParagraph(n)).join('') +
      evaluationWarnings(campaigns).map((w) => renderParagraph(`Warning: ${w}.`)).join('') +
      campaigns.flatMap((c) => campaignIntervalTestNotes(c)).map((n) => renderParagraph(n)).join('') +
      renderChannelTable(campaigns, data.currency) +
      renderResponsesTable(campaigns, data.currency) +
      withheld,
  };
}

/** ROI and CLV:CAC of each campaign by acquisition channel (only when customer profiles name channels). */
function renderChannelTable(campaigns: PublishedCampaigns['campaigns'], currency: string | undefined): string {
  const rows = campaigns.flatMap((c) => (c.channels ?? []).filter((ch) => ch.channel !== '(unknown)' || (c.channels ?? []).length > 1).map((ch) => ({ c, ch })));
  if (rows.length === 0) return '';
  const money = (v: number | null) => (v === null ? '–' : formatMoney(v, currency));
  return renderTable({
    caption: 'ROI and CLV:CAC by acquisition channel (CLV: historic to the send date + predicted 12 months; CAC: acquisition cost from the customer profiles)',
    wide: true,
    columns: [{ header: 'audience' }, { header: 'channel' }, { header: 'treated / control', numeric: true }, { header: 'CLV', numeric: true }, { header: 'CAC', numeric: true }, { header: 'CLV:CAC', numeric: true }, { header: 'incremental margin [95%]', numeric: true }, { header: 'ROI [95%]', numeric: true }],
    rows: rows.map(({ c, ch }) =>
      ch.withheld
        ? [c.audience, ch.channel, 'withheld: a group below the minimum group size', '', '', '', '', '']
        : [
            c.audience,
            ch.channel,
            `${formatCount(ch.groups.treatment)} / ${formatCount(ch.groups.control)}`,
            money(ch.clv),
            money(ch.acquisitionCost),
            ch.clvToCac === null ? '–' : formatNumber(ch.clvToCac, 2),
            ch.incrementalMargin === null || !ch.incrementalMarginInterval ? '–' : `${money(ch.incrementalMargin)} [${money(ch.incrementalMarginInterval[0])}, ${money(ch.incrementalMarginInterval[1])}]`,
            ch.roi === null || !ch.roiInterval ? '–' : nobodyBought(c.buyers) ? ROI_NOBODY_BOUGHT : `${formatNumber(ch.roi, 2)} [${formatNumber(ch.roiInterval[0], 2)}, ${formatNumber(ch.roiInterval[1], 2)}]`,
          ],
    ),
  });
}

/** Responses and redemptions read from files (`campaign evaluate --responses`), when any campaign has them. */
function renderResponsesTable(campaigns: PublishedCampaigns['campaigns'], currency: string | undefined): string {
  const rows = campaigns.filter((c) => c.responses);
  if (rows.length === 0) return '';
  const pair = (t: number | null, c: number | null) => (t === null || c === null ? '–' : `${formatPercent(t, 1)} / ${formatPercent(c, 1)}`);
  return renderTable({
    caption: 'Responses and redemptions from the campaigns’ response files',
    columns: [{ header: 'audience' }, { header: 'response rate (T / C)', numeric: true }, { header: 'redemption rate (T / C)', numeric: true }, { header: 'cost per response', numeric: true }, { header: 'cost per redemption', numeric: true }],
    rows: rows.map((c) => {
      const r = c.responses!;
      return [c.audience, pair(r.responseRate.treatment, r.responseRate.control), pair(r.redemptionRate.treatment, r.redemptionRate.control), r.costPerResponse === null ? '–' : formatMoney(r.costPerResponse, currency), r.costPerRedemption === null ? '–' : formatMoney(r.costPerRedemption, currency)];
    }),
  });
}
