import { addDays, dayOfValue, daysBetween, parseDay, parseRequestDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import type { SqlDialect } from '../engine/sql-dialect.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { StoredAudience } from './audience-store.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import type { PurchasesCounted } from './purchases-counted.js';

/**
 * Purchases of a customer in a window, as an aggregate over `transactions`, counted as the customer summary counts a
 * customer's orders (its `orders` column at analyze's default grain, the day): distinct order ids, and where the lines
 * have none, distinct purchase days — per customer the larger of the two. A line is not a purchase: an export without
 * order ids has a line per product, and counting lines made 6.05 purchases per customer of what its orders made 0.34
 * (a user trial). Returns are not purchases.
 *
 * Example: a customer's lines o1, o1, o2 on one day and two lines without an id on another → greatest(2, 2) = 2.
 */
export function responsePurchasesSql(d: SqlDialect): string {
  return `greatest(${d.countDistinct('CASE WHEN NOT is_return THEN order_id END')}, ${d.countDistinct(`CASE WHEN NOT is_return THEN ${d.dayOf('ts')} END`)})`;
}

/** The window's purchase lines (`start` ≤ ts < `end`, returns left out): how many, how many with an order id, how many with an amount. */
export interface WindowPurchaseLines {
  readonly purchases: number;
  readonly withOrderId: number;
  readonly valued: number;
}

/** Counts the window's purchase lines (`WindowPurchaseLines`): one scan of the window. */
export async function windowPurchaseLines(warehouse: Warehouse, window: Pick<ResponseWindow, 'start' | 'end'>): Promise<WindowPurchaseLines> {
  const [row] = await warehouse.query(`SELECT count(*) AS n, count(order_id) AS with_id, count(amount) AS valued FROM transactions WHERE NOT is_return AND ts >= ${window.start} AND ts < ${window.end}`);
  return { purchases: Number(row!.n), withOrderId: Number(row!.with_id), valued: Number(row!.valued) };
}

/** What the purchases of the window's lines are counted as (`responsePurchasesSql`). */
export function purchasesCounted(lines: WindowPurchaseLines): PurchasesCounted {
  return lines.withOrderId === lines.purchases ? 'orders' : lines.withOrderId === 0 ? 'purchase days' : 'orders and purchase days';
}

export interface ResponseWindow {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** the last day the window's data covers: `to` when the warehouse holds transactions after the window, else the day of the window's last transaction */
  readonly lastDay: string;
  /** SQL timestamps: ts >= start AND ts < end */
  readonly start: string;
  readonly end: string;
  readonly warnings: readonly string[];
}

/**
 * The response window of a campaign: [from, to], both days included, never
 * before the audience's send date. A window that ends before it is a
 * `UserError`; one that starts before it is moved to it (warning). No
 * transaction at all in the window is a `UserError` (the campaign has no
 * transactions after it); data that ends before `to` (nothing held after
 * the window's last transaction) is a warning. Messages name the CLI's
 * flags (`--from`, `--to`), or with `api` the query fields of
 * `GET /api/campaigns/:audience` (`from`, `to`) and its routes.
 */
export async function resolveResponseWindow(warehouse: Warehouse, audience: StoredAudience, fromText: string, toText: string, api = false): Promise<ResponseWindow> {
  const [fromName, toName] = api ? ['from', 'to'] : ['--from', '--to'];
  const to = api ? parseRequestDay(toText, 'to', 'to=2024-03-01') : parseDay(toText, toName);
  let from = api ? parseRequestDay(fromText, 'from', 'from=2024-03-01') : parseDay(fromText, fromName);
  const warnings: string[] = [];
  if (to < from) throw new UserError(`${toName} ${to} is before ${fromName} ${from}`, `the response window runs from ${fromName} to ${toName}, both days included`);
  if (to < audience.sendDate) {
    throw new UserError(`the window ${from} … ${to} ends before the send date ${audience.sendDate} of audience ${audience.name}`, `responses are purchases from the send date on: ${api ? `send from=${audience.sendDate}` : `pass --from ${audience.sendDate}`} or later`);
  }
  if (from < audience.sendDate) {
    warnings.push(`${fromName} ${from} is before the send date ${audience.sendDate}: purchases before it cannot be responses, the window starts on ${audience.sendDate}`);
    from = audience.sendDate;
  }
  const d = warehouse.dialect;
  const start = d.timestamp(`${from}T00:00:00`);
  const end = d.timestamp(`${addDays(to, 1)}T00:00:00`);
  const [window] = await warehouse.query(`SELECT count(*) AS n, max(ts) AS last FROM transactions WHERE ts >= ${start} AND ts < ${end}`);
  if (Number(window!.n) === 0) {
    const [last] = await warehouse.query('SELECT max(ts) AS last FROM transactions');
    throw new UserError(`no transactions between ${from} and ${to}: the campaign has no transactions after it (the data ends on ${dayOfValue(last!.last) ?? '—'})`, api ? 'send the orders of the response window first: POST /api/orders' : `ingest the transactions of the response window first: clvkit ingest <file> ${warehouseFlags(warehouse, '--db PATH')}`);
  }
  let lastDay = dayOfValue(window!.last)!;
  if (lastDay < to) {
    // the window's last days without a purchase: quiet days when the warehouse holds transactions after the window,
    // the end of the data otherwise
    const [after] = await warehouse.query(`SELECT count(*) AS n FROM transactions WHERE ts >= ${end}`);
    if (Number(after!.n) > 0) lastDay = to;
    else warnings.push(`the data ends on ${lastDay}, before ${toName} ${to}: the window may be cut short`);
  }
  return { from, to, days: daysBetween(from, to) + 1, lastDay, start, end, warnings };
}
