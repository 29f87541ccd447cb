import { addDays } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { responseMarginSql, type CampaignEvaluation } from './evaluate-campaign.js';
import { meanUpliftIntervals } from './estimate-uplift.js';
import { responsePurchasesSql } from './response-window.js';
import { leftJoinPerCustomer } from './left-join-per-customer.js';
import { currentCustomersSql } from '../engine/current-customers.js';

/** One acquisition channel of a campaign's audience: who was in it, what they are worth against what they cost to win, and the campaign's ROI on them. */
export interface ChannelKpi {
  /** `acquisition_channel` of the customers profile (`(unknown)` without a profile or a channel) */
  readonly channel: string;
  readonly groups: { readonly treatment: number; readonly control: number };
  /** mean CLV of the channel's members when the audience was drawn: historic CLV to the send date (net spend − cost) + predicted 12-month CLV */
  readonly clv: number | null;
  /** mean acquisition cost of the members who have one (null: none known) */
  readonly acquisitionCost: number | null;
  /** clv ÷ acquisitionCost (null when either is unknown or the cost is 0) */
  readonly clvToCac: number | null;
  /** incremental margin of the channel's treated customers in the window (absolute uplift × treated), with its 95% interval (`estimateMeanUplifts`, as the campaign's); null without order values */
  readonly incrementalMargin: number | null;
  readonly incrementalMarginInterval: readonly [number, number] | null;
  /** cost per contact × treated customers of the channel */
  readonly cost: number | null;
  /** (incremental margin − cost) / cost, with its interval */
  readonly roi: number | null;
  readonly roiInterval: readonly [number, number] | null;
  /** true when a group of the channel is below the k-floor: only its name is shown */
  readonly withheld: boolean;
}

/** A campaign's audience by acquisition channel, and its CLV:CAC over all members. */
export interface CampaignChannels {
  /** mean CLV (historic to the send date + predicted 12 months) and acquisition cost of all members, and their ratio */
  readonly clv: number | null;
  readonly acquisitionCost: number | null;
  readonly clvToCac: number | null;
  readonly channels: readonly ChannelKpi[];
}

/**
 * A campaign's audience split by acquisition channel (from the `customers`
 * profile table, ingested with `--kind customers`): per channel, treated and
 * control customers, the members' mean CLV against their mean acquisition
 * cost (CLV:CAC), and the campaign's incremental margin and ROI on them
 * (treatment vs control margin per customer over the evaluation's window,
 * the two-part bootstrap interval of `estimateMeanUplifts`, resampling the
 * channel's purchases, revenue and margins together as `evaluateCampaign`
 * does — one channel holding every member has the campaign's interval — and
 * a channel whose control bought nothing is not taken as certain). A channel whose treatment or
 * control group is below `minGroupSize` keeps only its name (`withheld`).
 * Without a customers table every member is `(unknown)`.
 *
 * Example: `await campaignChannelKpis(wh, evaluation, 5)` →
 * `{ clvToCac: 2.9, channels: [{ channel: 'search', groups: { treatment: 410, control: 102 }, clvToCac: 3.2, roi: 1.4, … }, …] }`
 */
export async function campaignChannelKpis(warehouse: Warehouse, e: CampaignEvaluation, minGroupSize: number, orderValues = e.revenue !== null): Promise<CampaignChannels> {
  const d = warehouse.dialect;
  const ts = (day: string) => d.timestamp(`${day}T00:00:00`);
  const profiles = await tableExists(warehouse, 'customers');
  // (distinct column names throughout: the joins are chained by leftJoinPerCustomer, and ClickHouse's aliases are global to a query)
  const channelOf = profiles
    ? `SELECT customer_id, acquisition_channel, acquisition_cost AS cac FROM ${currentCustomersSql(warehouse.dialect, ['acquisition_channel', 'acquisition_cost'])} cc`
    : 'SELECT CAST(NULL AS VARCHAR) AS customer_id, CAST(NULL AS VARCHAR) AS acquisition_channel, CAST(NULL AS DOUBLE) AS cac WHERE FALSE';
  const name = d.literal(e.audience);
  const members = `SELECT customer_id FROM audience_members WHERE audience = ${name}`;
  // exact sums (orderFreeSum) here and below: sums of doubles took their last digits from the order the engine met the rows in
  const historic = `SELECT customer_id, ${d.orderFreeSum('amount')} - ${d.orderFreeSum('CASE WHEN cost IS NULL THEN 0 WHEN is_return THEN -abs(cost) ELSE cost END')} AS historic
    FROM transactions WHERE ts < ${ts(e.sendDate)} AND customer_id IN (${members}) GROUP BY customer_id`;
  // purchases, revenue and margin as campaign evaluate reads them (\`responseValues\`): the channels resample as it does
  const responses = `SELECT customer_id, ${responsePurchasesSql(d)} AS window_purchases, ${d.orderFreeSum('amount')} AS window_revenue, ${responseMarginSql(d, e.marginShare ?? 1)} AS margin
    FROM transactions WHERE ts >= ${ts(e.window.from)} AND ts < ${ts(addDays(e.window.to, 1))} AND customer_id IN (${members}) GROUP BY customer_id`;
  const joined = leftJoinPerCustomer(`SELECT customer_id, group_name, predicted_clv_12m FROM audience_members WHERE audience = ${name}`, [channelOf, historic, responses]);
  const perCustomer = `SELECT coalesce(j.acquisition_channel, '(unknown)') AS channel, j.group_name AS group_name, CAST(coalesce(j.window_purchases, 0) AS DOUBLE) AS p, CAST(coalesce(j.window_revenue, 0) AS DOUBLE) AS rev, CAST(coalesce(j.margin, 0) AS DOUBLE) AS mar, j.cac AS cac, coalesce(j.historic, 0) + j.predicted_clv_12m AS clv FROM (${joined}) j`;
  const rows = await warehouse.query(`SELECT channel, group_name, count(*) AS n, ${d.orderFreeSum('cac')} AS cac_sum, count(cac) AS cac_n, ${d.orderFreeSum('clv')} AS clv_sum, count(clv) AS clv_n
    FROM (${perCustomer}) m GROUP BY channel, group_name ORDER BY channel, group_name`);
  // the purchases, revenue and margins of the members active in the window (any of them nonzero, as \`responseValues\`),
  // per channel and group (the others' are 0): resampled together, as the campaign's, so that a channel holding every
  // member gives the campaign's interval exactly
  const active = orderValues ? await warehouse.queryColumns(`SELECT channel, group_name, p, rev, mar FROM (${perCustomer}) m WHERE p <> 0 OR rev <> 0 OR mar <> 0`) : null;
  const activeOf = (channel: string, group: string): Float64Array[] => {
    if (!active) return [new Float64Array(0), new Float64Array(0), new Float64Array(0)];
    const channels = active.columns.channel as readonly unknown[];
    const groups = active.columns.group_name as readonly unknown[];
    return (['p', 'rev', 'mar'] as const).map((c) => (active.columns[c] as Float64Array).filter((_, i) => channels[i] === channel && groups[i] === group));
  };
  const sum = (key: string) => rows.reduce((a, r) => a + Number(r[key] ?? 0), 0);
  const clv = sum('clv_n') > 0 ? sum('clv_sum') / sum('clv_n') : null;
  const acquisitionCost = sum('cac_n') > 0 ? sum('cac_sum') / sum('cac_n') : null;
  const names = [...new Set(rows.map((r) => String(r.channel)))];
  const channels = names.map((channel): ChannelKpi => {
    const t = rows.find((r) => r.channel === channel && r.group_name === 'treatment');
    const c = rows.find((r) => r.channel === channel && r.group_name === 'control');
    const treatment = Number(t?.n ?? 0);
    const control = Number(c?.n ?? 0);
    const empty = { clv: null, acquisitionCost: null, clvToCac: null, incrementalMargin: null, incrementalMarginInterval: null, cost: null, roi: null, roiInterval: null };
    if (treatment < Math.max(minGroupSize, 1) || control < Math.max(minGroupSize, 1)) return { channel, groups: { treatment: 0, control: 0 }, ...empty, withheld: true };
    const total = (key: string) => Number(t?.[key] ?? 0) + Number(c?.[key] ?? 0);
    const clv = total('clv_n') > 0 ? total('clv_sum') / total('clv_n') : null;
    const acquisitionCost = total('cac_n') > 0 ? total('cac_sum') / total('cac_n') : null;
    // the margin's interval from the campaign's bootstrap over purchases, revenue and margin (no p-value is shown here)
    const uplift = orderValues ? meanUpliftIntervals({ n: treatment, values: activeOf(channel, 'treatment') }, { n: control, values: activeOf(channel, 'control') })[2]! : null;
    const cost = e.cost ? e.cost.perContact * treatment : null;
    const roiOf = (v: number) => (v - cost!) / cost!;
    const withRoi = uplift !== null && cost !== null && cost > 0;
    return {
      channel,
      groups: { treatment, control },
      clv,
      acquisitionCost,
      clvToCac: clv !== null && acquisitionCost !== null && acquisitionCost > 0 ? clv / acquisitionCost : null,
      incrementalMargin: uplift?.incremental ?? null,
      incrementalMarginInterval: uplift?.incrementalInterval ?? null,
      cost,
      roi: withRoi ? roiOf(uplift.incremental) : null,
      roiInterval: withRoi ? [roiOf(uplift.incrementalInterval[0]), roiOf(uplift.incrementalInterval[1])] : null,
      withheld: false,
    };
  });
  return { clv, acquisitionCost, clvToCac: clv !== null && acquisitionCost !== null && acquisitionCost > 0 ? clv / acquisitionCost : null, channels };
}
