import { addDays, dayOfValue, daysBetween, parseDay, parseRequestDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { plural } from '../core/plural.js';
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
 * `condition`: only the lines it holds for count (the balance check's pre-period, `groupBalance`).
 *
 * Example: a customer's lines o1, o1, o2 on one day and two lines without an id on another → greatest(2, 2) = 2.
 */
export function responsePurchasesSql(d: SqlDialect, condition?: string): string {
  const purchase = condition === undefined ? 'NOT is_return' : `NOT is_return AND ${condition}`;
  return `greatest(${d.countDistinct(`CASE WHEN ${purchase} THEN order_id END`)}, ${d.countDistinct(`CASE WHEN ${purchase} THEN ${d.dayOf('ts')} END`)})`;
}

/**
 * Margin of a customer's response lines: amount − cost where the line has a cost, else amount × the margin share (an
 * aggregate over `transactions`; an exact sum, as the revenue beside it, so the same whatever the lines' order).
 * `condition`: only the lines it holds for count (the pre-period of the adjusted uplift, `memberOutcomes`).
 */
export function responseMarginSql(d: SqlDialect, marginShare: number, condition?: string): string {
  const margin = `CASE WHEN cost IS NOT NULL THEN amount - cost ELSE amount * ${d.literal(marginShare)} END`;
  return d.orderFreeSum(condition === undefined ? margin : `CASE WHEN ${condition} THEN ${margin} END`);
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

/** A stretch of days inside a response window without any transaction, both days included. */
export interface WindowGap {
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

/** Fewest days without any transaction inside a window that may be a missing file (`windowGaps`). */
export const GAP_DAYS = 14;

/**
 * The stretches inside [from, to] without any transaction that look like missing data: at least `GAP_DAYS` days of the
 * window, and the whole stretch (between the transaction days on either side of it) more than 1.5 times the longest such
 * stretch in the year before the send date — a shop that sells every few days has none of two weeks, one that sells
 * once a month has 30-day stretches all year (one of 30 after one of 29 is not a gap; one of 61 is). Only with
 * transactions after the stretch (a window's quiet tail with nothing after it is the end of the data, warned of as a
 * window cut short), and only with a pace to compare with (two transaction days or more in that year). `days`: the
 * distinct transaction days from a year before the send date to `to`, sorted; `next`: the first day with transactions
 * after `to`, or null.
 *
 * Example: days …, 2023-08-31 and next 2023-10-01, window 2023-09-01 … 2023-10-31, longest stretch before 2 days →
 * `{ gaps: [{ from: '2023-09-01', to: '2023-09-30', days: 30 }], usual: 2 }`.
 */
export function windowGaps(days: readonly string[], next: string | null, sendDate: string, from: string, to: string): { gaps: WindowGap[]; usual: number } {
  let usual = 0;
  const before = days.filter((day) => day < sendDate);
  for (let i = 1; i < before.length; i++) usual = Math.max(usual, daysBetween(before[i - 1]!, before[i]!) - 1);
  const gaps: WindowGap[] = [];
  if (before.length < 2) return { gaps, usual };
  const last = days.filter((day) => day < from).at(-1) ?? addDays(from, -1);
  const sides = [last, ...days.filter((day) => day >= from && day <= to), ...(next ? [next] : [])];
  for (let i = 1; i < sides.length; i++) {
    const whole = daysBetween(sides[i - 1]!, sides[i]!) - 1;
    const start = sides[i - 1]! < from ? from : addDays(sides[i - 1]!, 1);
    const end = sides[i]! > to ? to : addDays(sides[i]!, -1);
    if (end < start) continue;
    const n = daysBetween(start, end) + 1;
    if (n >= GAP_DAYS && whole > 1.5 * usual) gaps.push({ from: start, to: end, days: n });
  }
  return { gaps, usual };
}

/** The response window an evaluation measured (`CampaignEvaluation.window`). */
export interface MeasuredWindow {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly requestedTo?: string;
  readonly lines?: number;
  readonly gaps?: readonly WindowGap[];
}

export interface ResponseWindow {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** the last day the window's data covers: `to` when the warehouse holds transactions after the window, else the day of the window's last transaction */
  readonly lastDay: string;
  /** the audience members' transaction lines (purchases and returns) in [from, to] when it was resolved (`audienceLinesSql`): a stored evaluation's fingerprint of its data */
  readonly lines: number;
  /** stretches of the window without any transaction though data goes on after them (`windowGaps`), each warned of */
  readonly gaps: readonly WindowGap[];
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
  // min and max over no row are NULL on DuckDB and the type's zero (1970-01-01) on ClickHouse: counted, so both read null
  const edgeDay = async (aggregate: 'min' | 'max', where: string): Promise<string | null> => {
    const [row] = await warehouse.query(`SELECT count(*) AS n, ${aggregate}(ts) AS day FROM transactions${where ? ` WHERE ${where}` : ''}`);
    return Number(row!.n) > 0 ? dayOfValue(row!.day) : null;
  };
  const next = await edgeDay('min', `ts >= ${end}`);
  // the warehouse evaluated, by its path (a library caller's in-memory one: --db PATH)
  const ingestFlags = warehouseFlags(warehouse);
  const dataHint = api ? 'send the orders of the response window first: POST /api/orders' : `ingest the transactions of the response window first: clvkit ingest <file> ${ingestFlags}`;
  if (Number(window!.n) === 0) {
    if (next !== null) {
      // the data goes on after the window: the window lies in a gap of the data, not after its end
      const previous = await edgeDay('max', `ts < ${start}`);
      const first = previous === null ? from : addDays(previous, 1);
      throw new UserError(
        `no transactions between ${from} and ${to}, though the data goes on after them: the warehouse holds none from ${first} to ${addDays(next, -1)} (the last before on ${previous ?? '—'}, the next on ${next}) — a file of those days may be missing`,
        api ? 'send the orders of those days first: POST /api/orders' : `ingest the transactions of those days first: clvkit ingest <file> ${ingestFlags}`,
      );
    }
    throw new UserError(`no transactions between ${from} and ${to}: the campaign has no transactions after it (the data ends on ${(await edgeDay('max', '')) ?? '—'})`, dataHint);
  }
  let lastDay = dayOfValue(window!.last)!;
  if (lastDay < to) {
    // the window's last days without a purchase: quiet days when the warehouse holds transactions after the window,
    // the end of the data otherwise (the window measured ends there)
    if (next !== null) lastDay = to;
    else warnings.push(`the data ends on ${lastDay}, before ${toName} ${to}: the window may be cut short; measured over ${from} … ${lastDay} (${plural(daysBetween(from, lastDay) + 1, 'day')}), and ${api ? 'the campaign results (GET /api/campaign-results) mark' : 'campaign compare marks'} the evaluation stale once transactions after ${lastDay} are ${api ? 'sent' : 'ingested'}`);
  }
  const held = await warehouse.query(`SELECT DISTINCT ${d.dayOf('ts')} AS day FROM transactions WHERE ts >= ${d.timestamp(`${addDays(audience.sendDate, -365)}T00:00:00`)} AND ts < ${end}`);
  const heldDays = held.map((r) => dayOfValue(r.day)!).sort();
  const { gaps, usual } = windowGaps(heldDays, next, audience.sendDate, from, to);
  for (const gap of gaps) {
    warnings.push(`no transaction at all from ${gap.from} to ${gap.to} (${plural(gap.days, 'day')}) inside the response window, though the warehouse holds transactions on both sides of it (the longest stretch without one in the year before the send date: ${plural(usual, 'day')}): a file of those days may be missing, and their purchases are not counted; ${api ? 'send them (POST /api/orders)' : 'ingest it'}, then evaluate again`);
  }
  const [members] = await warehouse.query(audienceLinesSql(warehouse, audience.name, from, to));
  return { from, to, days: daysBetween(from, to) + 1, lastDay, lines: Number(members!.n), gaps, start, end, warnings };
}

/**
 * `SELECT count(*) AS n`: the transaction lines (purchases and returns) of audience `name`'s members from `from` to `to`,
 * both days included — what a stored evaluation was measured on; lines of other customers do not change it.
 *
 * Example: `audienceLinesSql(warehouse, 'winback', '2024-01-01', '2024-01-31')`
 */
export function audienceLinesSql(warehouse: Warehouse, name: string, from: string, to: string): string {
  const d = warehouse.dialect;
  return `SELECT count(*) AS n FROM transactions WHERE ts >= ${d.timestamp(`${from}T00:00:00`)} AND ts < ${d.timestamp(`${addDays(to, 1)}T00:00:00`)} AND customer_id IN (SELECT customer_id FROM audience_members WHERE audience = ${d.literal(name)})`;
}
