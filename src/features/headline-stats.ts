import { dayOfValue } from '../core/calendar-days.js';
import type { Warehouse } from '../engine/warehouse.js';

/** The numbers a person wants first about a customer base. Money in the data's currency. */
export interface HeadlineStats {
  readonly customers: number;
  readonly repeatCustomers: number;
  /** share of customers with at least one repeat purchase occasion */
  readonly repeatRate: number;
  /** customers whose only rows in the window are returns (not in the summary) */
  readonly returnOnlyCustomers: number;
  readonly orders: number;
  /** null (here and below) when the data carry no order values: a frequency-only log (customer id and date) */
  readonly netRevenue: number | null;
  readonly returnsValue: number | null;
  /** average order value: gross purchase value / orders (those with a known value, when a file without order values adds purchases) */
  readonly averageOrderValue: number | null;
  readonly meanPurchaseOccasions: number;
  readonly firstPurchase: string | null;
  readonly lastPurchase: string | null;
  /** share of net revenue from the top 20% of customers by net spend */
  readonly top20RevenueShare: number | null;
}

/**
 * Headline statistics from the materialised `customer_summary` table and the
 * transactions up to the as-of date.
 */
export async function computeHeadlineStats(warehouse: Warehouse, summaryTable: string, asOfEndExclusiveIso: string): Promise<HeadlineStats> {
  const d = warehouse.dialect;
  const end = d.timestamp(asOfEndExclusiveIso);
  const [s] = await warehouse.query(`
    SELECT count(*) AS customers,
      count(*) FILTER (WHERE frequency > 0) AS repeat_customers,
      COALESCE(sum(orders), 0) AS orders,
      COALESCE(${d.orderFreeSum('total_spend')}, 0) AS net_revenue,
      count(total_spend) AS valued,
      COALESCE(sum(valued_occasions), 0) AS valued_occasions,
      COALESCE(sum(frequency + 1), 0) AS occasions,
      COALESCE(${d.orderFreeSum('returns')}, 0) AS returns_value,
      COALESCE(avg(frequency + 1), 0) AS mean_occasions,
      min(first_purchase) AS first_purchase,
      max(last_purchase) AS last_purchase
    FROM ${summaryTable}`);
  const [top] = await warehouse.query(`
    SELECT COALESCE(${d.orderFreeSum('CASE WHEN rank_desc <= ceil(0.2 * n) THEN total_spend END')}, 0) AS top_spend, COALESCE(${d.orderFreeSum('total_spend')}, 0) AS all_spend
    FROM (${d.numberRows(`SELECT total_spend, customer_id FROM ${summaryTable}`, 'total_spend DESC, customer_id', 'rank_desc')}) r CROSS JOIN (SELECT count(*) AS n FROM ${summaryTable}) c`);
  const [r] = await warehouse.query(`
    SELECT count(DISTINCT customer_id) AS n FROM transactions t
    WHERE ts < ${end} AND customer_id NOT IN (SELECT customer_id FROM ${summaryTable})`);
  const customers = Number(s!.customers);
  const orders = Number(s!.orders);
  const netRevenue = Number(s!.net_revenue);
  const returnsValue = Number(s!.returns_value);
  // a frequency-only log: every customer's spend is NULL, so money figures are absent, not 0
  const valued = customers === 0 || Number(s!.valued) > 0;
  const money = (value: number): number | null => (valued ? value : null);
  // files with and without order values (an occasion without a known spend): the average order is taken over the orders
  // with a known value — an order of lines without an amount is no order of value 0
  const valuedOrders = valued && Number(s!.valued_occasions) < Number(s!.occasions) ? await ordersWithValue(warehouse, summaryTable, end) : orders;
  return {
    customers,
    repeatCustomers: Number(s!.repeat_customers),
    repeatRate: customers === 0 ? 0 : Number(s!.repeat_customers) / customers,
    returnOnlyCustomers: Number(r!.n),
    orders,
    netRevenue: money(netRevenue),
    returnsValue: money(returnsValue),
    averageOrderValue: money(valuedOrders === 0 ? 0 : (netRevenue - returnsValue) / valuedOrders),
    meanPurchaseOccasions: Number(s!.mean_occasions),
    firstPurchase: dayOfValue(s!.first_purchase),
    lastPurchase: dayOfValue(s!.last_purchase),
    top20RevenueShare: money(Number(top!.all_spend) === 0 ? 0 : Number(top!.top_spend) / Number(top!.all_spend)),
  };
}

/**
 * The orders with a known value, counted as the summary counts a customer's orders (`orders`: order ids, or its
 * occasions where it has more of those): per customer the larger of its distinct order ids among lines with an amount
 * and its occasions with a known spend (`valued_occasions`). One GROUP BY over the window's valued purchase lines.
 */
async function ordersWithValue(warehouse: Warehouse, summaryTable: string, end: string): Promise<number> {
  const d = warehouse.dialect;
  const ids = `SELECT customer_id, ${d.countDistinct('order_id')} AS ids FROM transactions WHERE NOT is_return AND amount IS NOT NULL AND ts < ${end} GROUP BY customer_id`;
  const [row] = await warehouse.query(`SELECT sum(greatest(CAST(COALESCE(v.ids, 0) AS DOUBLE), s.valued_occasions)) AS n FROM ${summaryTable} s LEFT JOIN (${ids}) v ON v.customer_id = s.customer_id`);
  return Number(row?.n ?? 0);
}
