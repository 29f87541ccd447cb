/**
 * Customers: a filtered, sorted, paged list of tokens (`GET /api/customers`)
 * and the customer 360 (`GET /api/customers/:token`). PII appears only as the
 * role may see it; an admin may ask for raw values (reveal), which is audited.
 */
import { CUSTOMER_SORTS, CUSTOMER_STAGES, CUSTOMER_TIERS, type CustomerDetailResponse, type CustomerListResponse } from '../../../src/server/routes/read-api-types.js';
import { formatCount, formatMoney, formatNumber, formatPercent } from '../../../src/report/format-number.js';
import { api } from '../api-client.js';
import { churnBandNote } from '../churn-view.js';
import { clvIntervalNote } from '../clv-interval-view.js';
import { dataTable, h, kpis, notice, section } from '../dom.js';
import type { PageContext, PageDefinition } from '../page.js';
import { pageEntry } from '../page-catalogue.js';

const PAGE_SIZE = 25;
const num = (v: number | null, f: (n: number) => string) => (v === null ? '–' : f(v));
// one column of many scores: counts (orders, frequency) as counts, the others at 4 decimals
const scoreValue = (v: number) => (Number.isInteger(v) ? formatCount(v) : formatNumber(v, 4));

function select(id: string, label: string, values: readonly string[], current: string | null): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id.replace(/^f-/, '') }, h('option', { value: '' }, 'any'), values.map((v) => h('option', { value: v, selected: v === current }, v))),
  );
}

async function renderList(context: PageContext): Promise<HTMLElement[]> {
  const p = context.params;
  const offset = Math.max(0, Number(p.get('offset') ?? 0) || 0);
  const reveal = p.get('reveal') === '1' && context.can('view_raw_pii');
  const data = await api<CustomerListResponse>('/api/customers', {
    query: { stage: p.get('stage'), segment: p.get('segment'), tier: p.get('tier'), q: p.get('q'), sort: p.get('sort'), limit: PAGE_SIZE, offset, reveal: reveal ? 1 : null },
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Find customers' },
    h('div', { class: 'field' }, h('label', { for: 'f-q' }, 'Customer (token or id)'), h('input', { id: 'f-q', name: 'q', value: p.get('q') ?? '', autocomplete: 'off', spellcheck: 'false' })),
    select('f-stage', 'Stage', CUSTOMER_STAGES, p.get('stage')),
    select('f-segment', 'Segment', data.segments, p.get('segment')),
    select('f-tier', 'Value tier', CUSTOMER_TIERS, p.get('tier')),
    select('f-sort', 'Sort by', CUSTOMER_SORTS, p.get('sort') ?? data.sort),
    context.can('view_raw_pii') ? h('div', { class: 'field checkbox' }, h('input', { id: 'f-reveal', name: 'reveal', type: 'checkbox', value: '1', checked: reveal }), h('label', { for: 'f-reveal' }, 'Show raw personal data (audited)')) : null,
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.set(name, value.trim());
    context.navigate(`/customers?${params.toString()}`);
  });
  const piiColumns = Object.entries(data.piiShown).filter(([, shown]) => shown === 'raw' || shown === 'masked').map(([role]) => role);
  const pageLink = (to: number, text: string) => {
    const params = new URLSearchParams(p);
    params.set('offset', String(to));
    return h('a', { href: `#/customers?${params.toString()}`, class: 'button secondary' }, text);
  };
  const last = Math.min(data.total, data.offset + data.customers.length);
  return [
    section('Find customers', form),
    section(
      'Customers',
      data.total === 0
        ? notice('No customer matches these filters.')
        : dataTable(
            `Customers ${formatCount(data.offset + 1)}–${formatCount(last)} of ${formatCount(data.total)}, by ${data.sort.replace(/_/g, ' ')}`,
            [
              { header: 'customer' },
              ...(data.revealed ? [{ header: 'original id' }] : []),
              ...piiColumns.map((c) => ({ header: c })),
              { header: 'stage' },
              { header: 'segment' },
              { header: 'tier' },
              { header: 'orders', numeric: true },
              { header: 'last purchase' },
              { header: 'historic value', numeric: true },
              { header: 'predicted value', numeric: true },
              { header: 'P(alive)', numeric: true },
              { header: 'churn risk', numeric: true },
            ],
            data.customers.map((c) => [
              h('a', { href: `#/customers/${encodeURIComponent(c.customer)}${reveal ? '?reveal=1' : ''}`, class: 'token' }, c.customer),
              ...(data.revealed ? [c.originalId ?? '–'] : []),
              ...piiColumns.map((role) => c.pii?.[role as keyof typeof c.pii] ?? '–'),
              c.stage ?? '–',
              c.segment ?? '–',
              c.tier ?? '–',
              num(c.orders, formatCount),
              c.lastPurchase ?? '–',
              num(c.historicValue, formatMoney),
              num(c.predictedValue, formatMoney),
              num(c.pAlive, (v) => formatPercent(v, 0)),
              num(c.churnProbability, (v) => formatPercent(v, 0)),
            ]),
            { rowHeaders: true },
          ),
      h(
        'nav',
        { class: 'pager', 'aria-label': 'Pages of customers' },
        data.offset > 0 ? pageLink(Math.max(0, data.offset - PAGE_SIZE), 'Previous page') : null,
        last < data.total ? pageLink(data.offset + PAGE_SIZE, 'Next page') : null,
      ),
    ),
  ];
}

async function renderDetail(context: PageContext, token: string): Promise<HTMLElement[]> {
  const reveal = context.params.get('reveal') === '1' && context.can('view_raw_pii');
  const c = await api<CustomerDetailResponse>(`/api/customers/${encodeURIComponent(token)}`, { query: { reveal: reveal ? 1 : null } });
  const scores = c.scores;
  const value = (table: string, column: string) => scores[table]?.[column] ?? null;
  const n = (v: string | number | null) => (typeof v === 'number' ? v : v === null ? NaN : Number(v));
  const pii = Object.entries(c.pii).filter(([, v]) => v !== undefined);
  const parts: HTMLElement[] = [
    h('p', {}, h('a', { href: '#/customers' }, '← All customers')),
    section(
      `Customer ${c.customer}`,
      c.revealed ? notice('Raw personal data shown: this read is recorded in the audit log.') : null,
      kpis([
        { label: 'stage', value: String(value('customer_stages', 'stage') ?? '–') },
        { label: 'segment', value: String(value('customer_rfm', 'segment') ?? '–') },
        { label: 'value tier', value: String(value('customer_value_tiers', 'value_tier') ?? '–') },
        { label: 'historic value', value: formatMoney(n(value('customer_summary', 'historic_clv'))) },
        { label: 'predicted value, 12 months', value: formatMoney(n(value('customer_scores', 'predicted_clv_12m'))), ...clvIntervalNote(value('customer_scores', 'predicted_clv_12m_low'), value('customer_scores', 'predicted_clv_12m_high')) },
        { label: 'P(alive)', value: formatPercent(n(value('customer_scores', 'p_alive')), 0) },
        { label: 'churn risk', value: formatPercent(n(value('customer_churn', 'churn_probability')), 0), note: churnBandNote(value('customer_churn', 'churn_risk_band') === null ? null : String(value('customer_churn', 'churn_risk_band')), c.churnBands) },
      ]),
      pii.length > 0 || c.revealed
        ? dataTable('Personal data (as your role may see it)', [{ header: 'field' }, { header: 'value' }, { header: 'shown as' }], [...(c.revealed ? [['original id', c.originalId ?? '–', 'raw']] : []), ...pii.map(([role, v]) => [role, v ?? '–', c.piiShown[role as keyof typeof c.piiShown] ?? ''])], { rowHeaders: true })
        : h('p', {}, 'No personal data is shown to your role (or none is held).'),
      context.can('view_raw_pii') && !reveal ? h('p', {}, h('a', { href: `#/customers/${encodeURIComponent(c.customer)}?reveal=1` }, 'Show raw personal data (audited)')) : null,
    ),
  ];
  parts.push(
    section(
      'Scores',
      dataTable(
        'Every score and label of the last run',
        [{ header: 'table' }, { header: 'column' }, { header: 'value', numeric: true }],
        Object.entries(scores).flatMap(([table, columns]) => Object.entries(columns).filter(([column]) => column !== 'customer_id').map(([column, v]) => [table, column, typeof v === 'number' ? scoreValue(v) : (v ?? '–')])),
      ),
    ),
  );
  parts.push(
    section(
      'Stage history',
      c.stageHistory.length === 0 ? h('p', {}, 'No stage history.') : dataTable('Stage at the end of each period', [{ header: 'period' }, { header: 'stage' }], c.stageHistory.map((s) => [s.period, s.stage]), { rowHeaders: true }),
    ),
  );
  parts.push(
    section(
      'Orders',
      c.orders.length === 0
        ? h('p', {}, 'No orders.')
        : dataTable(
            `Orders (newest ${formatCount(c.orders.length)} of ${formatCount(c.ordersTotal)})`,
            [{ header: 'day' }, { header: 'order' }, { header: 'lines', numeric: true }, { header: 'amount', numeric: true }, { header: 'return' }],
            c.orders.map((o) => [o.day, o.orderId ?? '–', formatCount(o.lines), num(o.amount, formatMoney), o.returns ? 'yes' : '']),
            { rowHeaders: true },
          ),
    ),
  );
  parts.push(
    section(
      'Recommendations',
      c.recommendations.length === 0
        ? h('p', {}, 'No recommendations for this customer in the last run.')
        : dataTable('What to offer next', [{ header: 'rank', numeric: true }, { header: 'item' }, { header: 'score', numeric: true }], c.recommendations.map((r) => [String(r.rank), r.item, num(r.score, (v) => formatNumber(v, 3))])),
    ),
  );
  return parts;
}

export const customersPage: PageDefinition = {
  ...pageEntry('customers'),
  async render(context) {
    const token = context.rest[0];
    return token ? renderDetail(context, token) : renderList(context);
  },
};
