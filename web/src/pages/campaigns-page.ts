/**
 * Campaigns: the uplift of every evaluated audience against its control
 * group, with 95% intervals (`GET /api/campaign-results`), and a form to
 * evaluate an audience over a response window and store the evaluation
 * (`POST /api/campaigns/:audience`: analyst or admin; a GET is a read and stores nothing).
 */
import type { CampaignResultsResponse } from '../../../src/server/routes/read-api-types.js';
import { campaignUpliftChart } from '../../../src/report/charts/campaign-uplift-chart.js';
import { campaignKpiRow, CAMPAIGN_KPI_COLUMNS } from '../../../src/report/campaign-kpi-row.js';
import { upliftVerdict } from '../../../src/actions/uplift-verdict.js';
import { api } from '../api-client.js';
import { campaignNotes } from '../campaign-notes.js';
import { chartFigure } from '../chart-figure.js';
import { dataTable, h, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

function evaluateForm(context: PageContext): HTMLElement {
  const audience = h('input', { id: 'cmp-audience', name: 'audience', required: true, value: context.params.get('audience') ?? '', pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,79}', autocomplete: 'off' });
  const from = h('input', { id: 'cmp-from', name: 'from', type: 'date', required: true });
  const to = h('input', { id: 'cmp-to', name: 'to', type: 'date', required: true });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Evaluate a campaign' },
    h('div', { class: 'field' }, h('label', { for: 'cmp-audience' }, 'Audience'), audience),
    h('div', { class: 'field' }, h('label', { for: 'cmp-from' }, 'Response window from'), from),
    h('div', { class: 'field' }, h('label', { for: 'cmp-to' }, 'to (both days included)'), to),
    h('button', { type: 'submit' }, 'Evaluate'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren(h('p', { role: 'status' }, 'Evaluating…'));
    try {
      await api(`/api/campaigns/${encodeURIComponent(audience.value.trim())}`, { method: 'POST', body: { from: from.value, to: to.value } });
      const params = new URLSearchParams({ audience: audience.value.trim(), evaluated: String(Date.now()) });
      context.navigate(`/campaigns?${params.toString()}`);
    } catch (error) {
      status.replaceChildren(notice(error instanceof Error ? error.message : String(error), 'error'));
    }
  });
  return form;
}

export const campaignsPage: PageDefinition = {
  ...pageEntry('campaigns'),
  async render(context) {
    const data = await api<CampaignResultsResponse>('/api/campaign-results');
    const campaigns = data.campaigns.campaigns;
    const parts: HTMLElement[] = [];
    // storing an evaluation (the one these results show) is for roles that run analyses
    if (context.can('analyze')) parts.push(section('Evaluate an audience', evaluateForm(context)));
    if (campaigns.length === 0) {
      parts.push(section('Results', notice('No campaign has been evaluated yet.'), data.campaigns.withheld > 0 ? notice(`${data.campaigns.withheld} evaluation(s) withheld: a group of fewer than ${data.minGroupSize} customers.`) : null));
      return parts;
    }
    const clear = campaigns.filter((c) => upliftVerdict(c.purchases) === 'raised').length;
    parts.push(
      section(
        'Results',
        chartFigure({
          id: 'chart-campaign-uplift',
          title: 'Relative uplift per customer, treatment vs control (95% interval)',
          caption: `${clear} of ${campaigns.length} campaigns raised purchases per customer (the whole 95% interval above zero and p < 0.05); a box across the zero line shows no proven effect, nor does a box clear of it beside a test that does not reject.`,
          option: campaignUpliftChart(campaigns),
          wide: true,
          height: 120 + 48 * campaigns.length,
        }),
        dataTable(
          'Campaign KPIs',
          CAMPAIGN_KPI_COLUMNS,
          campaigns.map((c) => campaignKpiRow(c)),
          { rowHeaders: true },
        ),
        // why a row says "(stale)", "(overlap)" or "(imbalance beyond chance)", as the report says it
        ...campaignNotes(data).map((n) => notice(n)),
      ),
    );
    return parts;
  },
};
