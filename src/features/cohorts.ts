/**
 * Acquisition cohorts and tenure.
 *
 * Cohorts: customers grouped by the month of their first purchase. For
 * cohort c and k = 0, 1, … months after acquisition:
 * - retention[k] = customers of c who bought in month c + k ÷ customers of c
 *   (retention[0] = 1 by definition);
 * - revenue[k] = net spend (returns netted) of c's customers in month c + k;
 *   null when they bought that month but no line of it has an amount (a file
 *   without order values beside files with them), not 0;
 * - cumulativeValuePerCustomer[k] = (revenue[0] + … + revenue[k]) ÷ customers of c,
 *   null from a month of unknown revenue on.
 * Months after the as-of month are null (not observed yet); the as-of
 * month itself is counted even when it is cut short (`lastPeriodPartial`).
 *
 * Tenure (new vs established): customers who had bought by the reference
 * day r = asOf − windowDays, grouped by tenure at r (days since their first
 * purchase), and what they did in the next `windowDays` (r, asOf]:
 * spend per customer (net; over the customers whose spend in the window is
 * known: a buyer whose lines have no amount is left out, not counted as 0),
 * repurchase rate (bought at least once) and churn rate = 1 − repurchase rate
 * (no purchase in the window).
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import { addDays, dayOfValue, monthIndex, monthStart, parseDay } from '../core/calendar-days.js';
import { checkTableName } from './table-name.js';

export interface CohortsOptions {
  readonly asOf: string;
  /** tenure comparison window in days (default 90) */
  readonly windowDays?: number;
  /** lower bounds of the tenure buckets in days, ascending from 0 (default 0, 90, 180, 365, 730) */
  readonly tenureBucketDays?: readonly number[];
  readonly transactionsTable?: string;
  /** false for data without order values: revenue, value per customer and spend are null (absent), not 0 */
  readonly orderValues?: boolean;
}

export interface Cohort {
  /** e.g. 2011-01 */
  readonly label: string;
  /** first day of the month */
  readonly start: string;
  readonly customers: number;
  /** index k = months since acquisition; null when month c + k is after the as-of month */
  readonly retention: readonly (number | null)[];
  readonly activeCustomers: readonly (number | null)[];
  readonly revenue: readonly (number | null)[];
  readonly cumulativeValuePerCustomer: readonly (number | null)[];
}

export interface TenureBucket {
  readonly label: string;
  readonly minDays: number;
  /** exclusive; null for the last bucket */
  readonly maxDays: number | null;
  readonly customers: number;
  /** null without order values */
  readonly spendPerCustomer: number | null;
  readonly repurchaseRate: number;
  readonly churnRate: number;
}

export interface Cohorts {
  readonly asOf: string;
  readonly period: 'month';
  readonly lastPeriodPartial: boolean;
  readonly cohorts: readonly Cohort[];
  readonly tenure: {
    readonly referenceDay: string;
    readonly windowDays: number;
    readonly buckets: readonly TenureBucket[];
  };
}

export const DEFAULT_TENURE_BUCKET_DAYS: readonly number[] = [0, 90, 180, 365, 730];

function bucketLabel(lo: number, hi: number | null): string {
  return hi === null ? `${lo}+ days` : `${lo}–${hi - 1} days`;
}

export async function computeCohorts(warehouse: Warehouse, options: CohortsOptions): Promise<Cohorts> {
  const d = warehouse.dialect;
  const asOf = parseDay(options.asOf, '--as-of');
  const table = checkTableName(options.transactionsTable ?? 'transactions', 'transactions table');
  const windowDays = options.windowDays ?? 90;
  if (!Number.isInteger(windowDays) || windowDays < 1) throw new UserError(`window of ${windowDays} days is not a positive whole number`, 'e.g. 90');
  const bounds = options.tenureBucketDays ?? DEFAULT_TENURE_BUCKET_DAYS;
  if (bounds.length === 0 || bounds[0] !== 0 || bounds.some((b, i) => !Number.isInteger(b) || (i > 0 && b <= bounds[i - 1]!))) {
    throw new UserError(`tenure buckets ${bounds.join(', ')} must start at 0 and increase`, 'e.g. 0, 90, 180, 365, 730');
  }
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  const money = options.orderValues !== false;

  // cohort × month activity, in SQL
  const month = d.monthOf('ts');
  const rows = await warehouse.query(`
    WITH lines AS (SELECT customer_id, ${month} AS month, amount, is_return FROM ${table} WHERE ts < ${end}),
    firsts AS (SELECT customer_id, min(month) AS cohort FROM lines WHERE NOT is_return GROUP BY customer_id),
    activity AS (
      SELECT customer_id, month, max(CASE WHEN is_return THEN 0 ELSE 1 END) AS bought, ${d.orderFreeSum('amount')} AS net
      FROM lines GROUP BY customer_id, month
    )
    SELECT f.cohort AS cohort, a.month AS month, sum(a.bought) AS active, ${d.orderFreeSum('a.net')} AS revenue
    FROM activity a JOIN firsts f ON f.customer_id = a.customer_id
    WHERE a.month >= f.cohort
    GROUP BY f.cohort, a.month`);
  const sizes = await warehouse.query(`
    SELECT cohort, count(*) AS customers FROM (
      SELECT customer_id, min(${month}) AS cohort FROM ${table} WHERE ts < ${end} AND NOT is_return GROUP BY customer_id
    ) f GROUP BY cohort`);
  const lastMonth = monthIndex(asOf);
  const size = new Map(sizes.map((r) => [monthIndex(dayOfValue(r.cohort)!), Number(r.customers)]));
  // revenue null: the cell's purchases have no amount (not a revenue of 0)
  const cells = new Map<string, { active: number; revenue: number | null }>();
  for (const r of rows) cells.set(`${monthIndex(dayOfValue(r.cohort)!)}:${monthIndex(dayOfValue(r.month)!)}`, { active: Number(r.active), revenue: r.revenue === null ? null : Number(r.revenue) });
  const cohorts: Cohort[] = [...size.keys()]
    .sort((a, b) => a - b)
    .map((c) => {
      const customers = size.get(c)!;
      const length = lastMonth - c + 1;
      const activeCustomers: number[] = [];
      const revenue: (number | null)[] = [];
      const cumulative: (number | null)[] = [];
      let running: number | null = 0;
      for (let k = 0; k < length; k++) {
        const cell = cells.get(`${c}:${c + k}`) ?? { active: 0, revenue: 0 };
        activeCustomers.push(cell.active);
        revenue.push(money ? cell.revenue : null);
        running = running === null || cell.revenue === null ? null : running + cell.revenue;
        cumulative.push(money && running !== null ? running / customers : null);
      }
      return {
        label: monthStart(c).slice(0, 7),
        start: monthStart(c),
        customers,
        retention: activeCustomers.map((a) => a / customers),
        activeCustomers,
        revenue,
        cumulativeValuePerCustomer: cumulative,
      };
    });
  // pad every cohort to the longest horizon with null (not yet observed)
  const horizon = cohorts.reduce((m, c) => Math.max(m, c.retention.length), 0);
  const pad = <T>(values: readonly T[]): (T | null)[] => [...values, ...new Array<null>(horizon - values.length).fill(null)];
  const padded: Cohort[] = cohorts.map((c) => ({
    ...c,
    retention: pad(c.retention),
    activeCustomers: pad(c.activeCustomers),
    revenue: pad(c.revenue),
    cumulativeValuePerCustomer: pad(c.cumulativeValuePerCustomer),
  }));

  // tenure buckets, in SQL
  const referenceDay = addDays(asOf, -windowDays);
  const referenceEnd = d.timestamp(`${addDays(referenceDay, 1)}T00:00:00`);
  const referenceTs = d.timestamp(`${referenceDay}T00:00:00`);
  const bucketCase = `CASE ${bounds
    .slice(1)
    .map((b, i) => `WHEN tenure_days < ${b} THEN ${i}`)
    .join(' ')} ELSE ${bounds.length - 1} END`;
  // a customer not in later (no line in the window) spent 0; one in it whose lines have no amount, an unknown amount
  // (NULL, left out of the spend per customer). Told apart by bought, a column of later that is never NULL (ClickHouse
  // fills an unmatched row's join key from the left side, so the key cannot tell)
  const tenureRows = await warehouse.query(`
    WITH firsts AS (SELECT customer_id, min(ts) AS first_ts FROM ${table} WHERE NOT is_return AND ts < ${referenceEnd} GROUP BY customer_id),
    later AS (
      SELECT customer_id, ${d.orderFreeSum('amount')} AS net, max(CASE WHEN is_return THEN 0 ELSE 1 END) AS bought
      FROM ${table} WHERE ts >= ${referenceEnd} AND ts < ${end} GROUP BY customer_id
    ),
    tenure AS (
      SELECT ${d.daysBetween('f.first_ts', referenceTs)} AS tenure_days, CASE WHEN l.bought IS NULL THEN 0 ELSE l.net END AS net, COALESCE(l.bought, 0) AS bought
      FROM firsts f LEFT JOIN later l ON l.customer_id = f.customer_id
    )
    SELECT bucket, count(*) AS customers, ${d.orderFreeSum('net')} AS net_total, count(net) AS valued, sum(bought) AS bought
    FROM (SELECT ${bucketCase} AS bucket, net, bought FROM tenure) b GROUP BY bucket`);
  const byBucket = new Map(tenureRows.map((r) => [Number(r.bucket), r]));
  const buckets: TenureBucket[] = bounds.map((lo, i) => {
    const hi = i + 1 < bounds.length ? bounds[i + 1]! : null;
    const r = byBucket.get(i);
    const customers = r ? Number(r.customers) : 0;
    const repurchase = customers > 0 ? Number(r!.bought) / customers : NaN;
    return {
      label: bucketLabel(lo, hi),
      minDays: lo,
      maxDays: hi,
      customers,
      spendPerCustomer: !money ? null : r && Number(r.valued) > 0 ? Number(r.net_total) / Number(r.valued) : NaN,
      repurchaseRate: repurchase,
      churnRate: 1 - repurchase,
    };
  });
  const monthEnd = addDays(monthStart(lastMonth + 1), -1);
  return { asOf, period: 'month', lastPeriodPartial: asOf !== monthEnd, cohorts: padded, tenure: { referenceDay, windowDays, buckets } };
}
