/**
 * Customer KPIs, overall or per group (segment, tier, cluster, stage, cohort,
 * acquisition channel) — every formula here and in docs/kpis.md. Row-level
 * work in one SQL query over `transactions` (and `customers` for acquisition
 * costs); the ratios are taken in TypeScript so every KPI is defined once.
 */
import { addDays, parseDay } from '../core/calendar-days.js';
import { castKeepingNullSql, orderKeySql } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import { tableExists } from './table-exists.js';
import { mixesOrderValues, orderValueLines } from './mixed-order-values.js';
import { currentCustomersSql, type CustomerValueColumn } from '../engine/current-customers.js';

export interface KpiOptions {
  /** last day of the window, YYYY-MM-DD */
  readonly asOf: string;
  /** period of the retention / churn and "active" measures, in days (default 90) */
  readonly periodDays?: number;
  /** group customers by this column of this table (customer_id + column), e.g. customer_rfm.segment */
  readonly groupBy?: { readonly table: string; readonly column: string };
  /**
   * `transactions` mixes lines with and without an order value (`mixesOrderValues`); asked of the warehouse when
   * absent — a caller computing several groupings of one warehouse passes it once (one scan of `transactions`)
   */
  readonly mixedOrderValues?: boolean;
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
  /** average order value: gross purchase value / orders (those with a known value, when a file without order values adds purchases) */
  readonly averageOrderValue: number;
  /** orders per customer per year, over the last 365 days, among customers who bought in them */
  readonly purchaseFrequencyPerYear: number;
  /** expected lifespan in years: 1 / annual churn, annual churn = 1 − retentionRate^(365 / periodDays) */
  readonly averageLifespanYears: number;
  /** mean net spend to date minus cost where known (over the customers with a known spend) */
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

/** A grouping of customers for `computeKpisByGroups`: customer_id + column of a table, or null for everyone (group `all`). */
export type KpiGrouping = { readonly table: string; readonly column: string } | null;

/** Scratch table of `computeKpisByGroups`: one row per buyer (the per-customer sums every grouping reads), dropped when it returns. */
const KPI_CUSTOMERS = 'clv_kpi_customers';

/** KPIs overall (group `all`) or per group, largest group first. */
export async function computeKpis(warehouse: Warehouse, options: KpiOptions): Promise<KpiRow[]> {
  return (await computeKpisByGroups(warehouse, options, [options.groupBy ?? null]))[0]!;
}

/**
 * The KPIs of several groupings of one window, in their order (each as `computeKpis` with that `groupBy`): the
 * per-customer sums over `transactions` are taken once for all of them (a scratch table when there are two or more),
 * and whether `customers` exists and whether the lines mix order values are asked once.
 *
 * Example: `const [[overall], bySegment] = await computeKpisByGroups(wh, { asOf }, [null, { table: 'customer_rfm', column: 'segment' }])`
 */
export async function computeKpisByGroups(warehouse: Warehouse, options: Omit<KpiOptions, 'groupBy'>, groupings: readonly KpiGrouping[]): Promise<KpiRow[][]> {
  const d = warehouse.dialect;
  const asOf = parseDay(options.asOf, '--as-of');
  const period = options.periodDays ?? 90;
  const ts = (day: string) => d.timestamp(`${day}T00:00:00`);
  const end = ts(addDays(asOf, 1));
  const periodStart = ts(addDays(asOf, 1 - period));
  const previousStart = ts(addDays(asOf, 1 - 2 * period));
  const yearStart = ts(addDays(asOf, 1 - 365));
  const withCost =
    (await tableExists(warehouse, 'customers'))
      ? `SELECT pc.*, c.max_cost AS acquisition_cost FROM per_customer pc
      LEFT JOIN (SELECT customer_id, acquisition_cost AS max_cost FROM ${currentCustomersSql(d, ['acquisition_cost'])} cc) c ON c.customer_id = pc.customer_id`
      : 'SELECT pc.*, CAST(NULL AS DOUBLE) AS acquisition_cost FROM per_customer pc';
  // portable SQL (DuckDB and ClickHouse 18.16): CASE instead of FILTER, no alias naming a column it reads, one JOIN per SELECT
  const purchase = 'NOT is_return';
  const orderKey = orderKeySql(d);
  // files with and without order values: the average order over the orders with a known value (an order of lines
  // without an amount is no order of value 0); counted only then, every order has one otherwise
  const valuedOrders = (options.mixedOrderValues ?? mixesOrderValues(await orderValueLines(warehouse)))
    ? d.countDistinct(`CASE WHEN ${purchase} AND amount IS NOT NULL THEN ${orderKey} END`)
    : `count(DISTINCT CASE WHEN ${purchase} THEN ${orderKey} END)`;
  const perCustomer = `
    WITH per_customer AS (
      SELECT customer_id,
        count(DISTINCT CASE WHEN ${purchase} THEN ${d.dayOf('ts')} END) AS occasions,
        count(DISTINCT CASE WHEN ${purchase} THEN ${orderKey} END) AS orders,
        count(DISTINCT CASE WHEN ${purchase} AND ts >= ${yearStart} THEN ${orderKey} END) AS orders_last_year,
        ${valuedOrders} AS valued_orders,
        ${d.orderFreeSum(`CASE WHEN ${purchase} THEN amount END`)} AS gross,
        ${d.orderFreeSum('amount')} AS net,
        ${d.orderFreeSum('CASE WHEN cost IS NULL THEN 0 WHEN is_return THEN -abs(cost) ELSE cost END')} AS cost_net,
        max(CASE WHEN ${purchase} AND ts >= ${periodStart} THEN 1 ELSE 0 END) AS bought_last_period,
        max(CASE WHEN ${purchase} AND ts >= ${previousStart} AND ts < ${periodStart} THEN 1 ELSE 0 END) AS bought_previous_period
      FROM transactions WHERE ts < ${end}
      GROUP BY customer_id
      HAVING sum(CASE WHEN ${purchase} THEN 1 ELSE 0 END) > 0
    ),
    with_cost AS (${withCost})`;
  // one grouping: the sums in its own statement; several: in a scratch table the groupings read (six groupings of a
  // 300-customer shop took six scans of `transactions`, most of the lifecycle stage's time)
  const shared = groupings.length > 1;
  // the WITH in parentheses: ClickHouse 18.16 has no CTEs, its warehouse inlines those that open a query (inline-ctes.ts)
  if (shared) await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${KPI_CUSTOMERS} AS SELECT * FROM (${perCustomer} SELECT * FROM with_cost) kpi`);
  try {
    const results: KpiRow[][] = [];
    for (const groupBy of groupings) {
      const rows = await warehouse.query(`${shared ? '' : perCustomer}
    ${groupingSql(d, groupBy, shared ? KPI_CUSTOMERS : 'with_cost')}`);
      results.push(kpiRows(rows, period));
    }
    return results;
  } finally {
    if (shared) await warehouse.execute(`DROP TABLE IF EXISTS ${KPI_CUSTOMERS}`);
  }
}

/** The sums of one grouping over the per-customer rows in `source`, largest group first. */
function groupingSql(d: Warehouse['dialect'], groupBy: KpiGrouping, source: string): string {
  // a buyer without the group's row (no profile) or with a NULL there is in '(none)' (a NULL cast keeping NULL: ClickHouse's plain CAST of one fails)
  const groupColumn = `g.${d.identifier(groupBy?.column ?? '')}`;
  const group = groupBy ? `COALESCE(${castKeepingNullSql(d, groupColumn, 'VARCHAR')}, '(none)')` : "'all'";
  // a customer's current profile for `customers` (one row per customer: current-customers.ts)
  const groupSource = groupBy?.table === 'customers' ? currentCustomersSql(d, [groupBy.column as CustomerValueColumn]) : d.identifier(groupBy?.table ?? '');
  const groupJoin = groupBy ? `LEFT JOIN ${groupSource} g ON g.customer_id = p.customer_id` : '';
  return `SELECT ${group} AS grp,
      count(*) AS customers,
      sum(p.bought_last_period) AS active,
      sum(p.bought_previous_period) AS previous_buyers,
      sum(p.bought_previous_period * p.bought_last_period) AS retained,
      sum(CASE WHEN p.occasions >= 2 THEN 1 ELSE 0 END) AS repeaters,
      sum(p.orders) AS orders_sum,
      sum(p.valued_orders) AS valued_orders_sum,
      sum(CASE WHEN p.gross IS NULL THEN 0 ELSE 1 END) AS valued_customers,
      ${d.orderFreeSum('p.gross')} AS gross_sum,
      ${d.orderFreeSum('p.net')} AS net_sum,
      ${d.orderFreeSum('p.net - p.cost_net')} AS historic,
      sum(p.orders_last_year) AS orders_last_year_sum,
      sum(CASE WHEN p.orders_last_year > 0 THEN 1 ELSE 0 END) AS buyers_last_year,
      CASE WHEN count(p.acquisition_cost) = 0 THEN NULL ELSE ${d.orderFreeSum('p.acquisition_cost')} / count(p.acquisition_cost) END AS acquisition_cost_mean
    FROM ${source} p ${groupJoin}
    GROUP BY grp ORDER BY customers DESC, grp`;
}

function kpiRows(rows: Awaited<ReturnType<Warehouse['query']>>, period: number): KpiRow[] {
  return rows.map((r) => {
    const n = (key: string) => (r[key] === null ? Number.NaN : Number(r[key]));
    const customers = n('customers');
    const retentionRate = n('previous_buyers') > 0 ? n('retained') / n('previous_buyers') : Number.NaN;
    const annualRetention = retentionRate ** (365 / period);
    // unknown retention (nobody bought in the previous period) leaves the lifespan unknown, not infinite
    const averageLifespanYears = Number.isNaN(annualRetention) ? Number.NaN : annualRetention < 1 ? 1 / (1 - annualRetention) : Number.POSITIVE_INFINITY;
    const averageOrderValue = n('valued_orders_sum') > 0 ? n('gross_sum') / n('valued_orders_sum') : Number.NaN;
    const purchaseFrequencyPerYear = n('buyers_last_year') > 0 ? n('orders_last_year_sum') / n('buyers_last_year') : Number.NaN;
    const acquisitionCost = n('acquisition_cost_mean');
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
      historicClv: n('valued_customers') > 0 ? n('historic') / n('valued_customers') : Number.NaN,
      simpleClv,
      acquisitionCost,
      profitabilityRatio: n('net_sum') !== 0 ? n('historic') / n('net_sum') : Number.NaN,
      clvToCac: acquisitionCost > 0 ? simpleClv / acquisitionCost : Number.NaN,
    };
  });
}
