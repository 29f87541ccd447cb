/**
 * Customer KPIs, overall or per group (segment, tier, cluster, stage, cohort,
 * acquisition channel) — every formula here and in docs/kpis.md. Row-level
 * work in one SQL query over `transactions` (and `customers` for acquisition
 * costs); the ratios are taken in TypeScript so every KPI is defined once.
 */
import { addDays, parseDay } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';

export interface KpiOptions {
  /** last day of the window, YYYY-MM-DD */
  readonly asOf: string;
  /** period of the retention / churn and "active" measures, in days (default 90) */
  readonly periodDays?: number;
  /** group customers by this column of this table (customer_id + column), e.g. customer_rfm.segment */
  readonly groupBy?: { readonly table: string; readonly column: string };
}

/** The KPIs of one group (or of everyone: group `all`). Money in the data's currency; NaN where undefined. */
export interface KpiRow {
  readonly group: string;
  /** customers with at least one purchase up to the as-of date */
  readonly customers: number;
  /** customers who bought in the last `periodDays` */
  readonly activeCustomers: number;
  /** of the customers who bought in the previous period, the share who bought again in the last period */
  readonly retentionRate: number;
  /** 1 − retentionRate */
  readonly churnRate: number;
  /** share of customers with two or more purchase occasions */
  readonly repurchaseRate: number;
  /** average order value: gross purchase value / orders */
  readonly averageOrderValue: number;
  /** orders per customer per year, over the last 365 days, among customers who bought in them */
  readonly purchaseFrequencyPerYear: number;
  /** expected lifespan in years: 1 / annual churn, annual churn = 1 − retentionRate^(365 / periodDays) */
  readonly averageLifespanYears: number;
  /** mean net spend to date minus cost where known */
  readonly historicClv: number;
  /** lifespan × AOV × purchase frequency − mean acquisition cost (cost 0 when unknown) */
  readonly simpleClv: number;
  /** mean acquisition cost of the group's customers (NaN when unknown) */
  readonly acquisitionCost: number;
  /** Σ historic CLV / Σ net revenue: the share of revenue kept after cost of goods (1 when costs are unknown) */
  readonly profitabilityRatio: number;
  /** simpleClv / acquisitionCost (NaN when the cost is unknown or zero) */
  readonly clvToCac: number;
}

/** KPIs overall (group `all`) or per group, largest group first. */
export async function computeKpis(warehouse: Warehouse, options: KpiOptions): Promise<KpiRow[]> {
  const d = warehouse.dialect;
  const asOf = parseDay(options.asOf, '--as-of');
  const period = options.periodDays ?? 90;
  const ts = (day: string) => d.timestamp(`${day}T00:00:00`);
  const end = ts(addDays(asOf, 1));
  const periodStart = ts(addDays(asOf, 1 - period));
  const previousStart = ts(addDays(asOf, 1 - 2 * period));
  const yearStart = ts(addDays(asOf, 1 - 365));
  const [hasCustomers] = await warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'customers'");
  const group = options.groupBy ? `COALESCE(CAST(g.${d.identifier(options.groupBy.column)} AS VARCHAR), '(none)')` : "'all'";
  const groupJoin = options.groupBy ? `LEFT JOIN ${d.identifier(options.groupBy.table)} g ON g.customer_id = p.customer_id` : '';
  const costJoin = Number(hasCustomers!.n) > 0 ? 'LEFT JOIN (SELECT customer_id, max(acquisition_cost) AS acquisition_cost FROM customers GROUP BY customer_id) c ON c.customer_id = p.customer_id' : '';
  const costColumn = costJoin ? 'c.acquisition_cost' : 'CAST(NULL AS DOUBLE)';
  const rows = await warehouse.query(`
    WITH per_customer AS (
      SELECT customer_id,
        count(DISTINCT ${d.dayOf('ts')}) FILTER (WHERE NOT is_return) AS occasions,
        count(DISTINCT COALESCE(order_id, CAST(ts AS VARCHAR))) FILTER (WHERE NOT is_return) AS orders,
        count(DISTINCT COALESCE(order_id, CAST(ts AS VARCHAR))) FILTER (WHERE NOT is_return AND ts >= ${yearStart}) AS orders_last_year,
        sum(amount) FILTER (WHERE NOT is_return) AS gross,
        sum(amount) AS net,
        sum(CASE WHEN cost IS NULL THEN 0 WHEN is_return THEN -abs(cost) ELSE cost END) AS cost,
        bool_or(NOT is_return AND ts >= ${periodStart}) AS bought_last_period,
        bool_or(NOT is_return AND ts >= ${previousStart} AND ts < ${periodStart}) AS bought_previous_period
      FROM transactions WHERE ts < ${end}
      GROUP BY customer_id
      HAVING count(*) FILTER (WHERE NOT is_return) > 0
    )
    SELECT ${group} AS grp,
      count(*) AS customers,
      count(*) FILTER (WHERE p.bought_last_period) AS active,
      count(*) FILTER (WHERE p.bought_previous_period) AS previous_buyers,
      count(*) FILTER (WHERE p.bought_previous_period AND p.bought_last_period) AS retained,
      count(*) FILTER (WHERE p.occasions >= 2) AS repeaters,
      sum(p.orders) AS orders,
      sum(p.gross) AS gross,
      sum(p.net) AS net,
      sum(p.net - p.cost) AS historic,
      sum(p.orders_last_year) AS orders_last_year,
      count(*) FILTER (WHERE p.orders_last_year > 0) AS buyers_last_year,
      avg(${costColumn}) AS acquisition_cost
    FROM per_customer p ${groupJoin} ${costJoin}
    GROUP BY 1 ORDER BY customers DESC, grp`);
  return rows.map((r) => {
    const n = (key: string) => (r[key] === null ? Number.NaN : Number(r[key]));
    const customers = n('customers');
    const retentionRate = n('previous_buyers') > 0 ? n('retained') / n('previous_buyers') : Number.NaN;
    const annualRetention = retentionRate ** (365 / period);
    // unknown retention (nobody bought in the previous period) leaves the lifespan unknown, not infinite
    const averageLifespanYears = Number.isNaN(annualRetention) ? Number.NaN : annualRetention < 1 ? 1 / (1 - annualRetention) : Number.POSITIVE_INFINITY;
    const averageOrderValue = n('orders') > 0 ? n('gross') / n('orders') : Number.NaN;
    const purchaseFrequencyPerYear = n('buyers_last_year') > 0 ? n('orders_last_year') / n('buyers_last_year') : Number.NaN;
    const acquisitionCost = n('acquisition_cost');
    const simpleClv = averageLifespanYears * averageOrderValue * purchaseFrequencyPerYear - (Number.isFinite(acquisitionCost) ? acquisitionCost : 0);
    return {
      group: String(r.grp),
      customers,
      activeCustomers: n('active'),
      retentionRate,
      churnRate: 1 - retentionRate,
      repurchaseRate: customers > 0 ? n('repeaters') / customers : Number.NaN,
      averageOrderValue,
      purchaseFrequencyPerYear,
      averageLifespanYears,
      historicClv: customers > 0 ? n('historic') / customers : Number.NaN,
      simpleClv,
      acquisitionCost,
      profitabilityRatio: n('net') !== 0 ? n('historic') / n('net') : Number.NaN,
      clvToCac: acquisitionCost > 0 ? simpleClv / acquisitionCost : Number.NaN,
    };
  });
}
