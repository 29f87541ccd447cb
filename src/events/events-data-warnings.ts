/**
 * The run warnings of the events step about its input (QA of session 34,
 * findings 1, 2, 9 and 11): what made the funnel's purchases and the buyer
 * types rest on fewer orders than the data hold, or on none, said once each in
 * run.json `warnings`, the report and the CLI summary:
 *
 * - events and orders on different clocks: the shift of the events' clock that
 *   puts the most orders in their sessions (measure-order-placement.ts) is not
 *   0 and places at least twice as many, and at least a tenth of the orders
 *   checked; the hint names the `--timezone` that aligns the files where the
 *   ingests' offsets allow one (`clockFix`);
 * - orders in sessions rare with no shift doing better;
 * - orders without a time of day, placed by day (place-orders.ts);
 * - sessions without any customer or visitor id, and no session of a customer
 *   at all (the purchases then unmeasured: `EventsSummary.unavailable`);
 * - events after the as-of date, left out, when the as-of date was not given
 *   (the last purchase day: a given one leaves later events out on purpose).
 */
import type { RunWords } from '../core/run-words.js';
import type { Warehouse } from '../engine/warehouse.js';
import { parseTimezone, timezoneName } from '../ingest/time-zone-offsets.js';
import { shiftExplainsOrders, type OrderPlacement } from './measure-order-placement.js';
import type { EventsSummary } from './run-events.js';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** The UTC offsets (`timezone` of the ingest reports: `UTC`, `-05:00`, a zone name, `keep`; null: none read) of the ingests holding events and orders. */
export interface IngestZones {
  readonly events: readonly (string | null)[];
  readonly orders: readonly (string | null)[];
}

/** The `timezone` of each ingest that holds rows of `events` and of `transactions` (two small reads and the reports). */
export async function readIngestZones(warehouse: Warehouse): Promise<IngestZones> {
  const reports = new Map<number, string | null>();
  for (const row of await warehouse.query('SELECT ingest_id, report FROM ingests')) {
    let zone: string | null = null;
    try {
      const report = JSON.parse(String(row.report)) as { timezone?: unknown };
      if (typeof report.timezone === 'string') zone = report.timezone;
    } catch {
      // an unreadable report: no offset known
    }
    reports.set(Number(row.ingest_id), zone);
  }
  const zonesOf = async (table: string) =>
    (await warehouse.query(`SELECT DISTINCT ingest_id FROM ${table} WHERE ingest_id IS NOT NULL`)).map((r) => reports.get(Number(r.ingest_id)) ?? null);
  return { events: await zonesOf('events'), orders: await zonesOf('transactions') };
}

/** `5 hours`, `30 minutes`, `5 hours 30 minutes`. */
export function durationWords(minutes: number): string {
  const m = Math.abs(minutes);
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  return [hours > 0 ? plural(hours, 'hour', 'hours') : '', rest > 0 ? plural(rest, 'minute', 'minutes') : ''].filter(Boolean).join(' ');
}

/** True when the orders fall in their sessions far more often with the events' clock shifted (the clock warning's test). */
export function clocksDiffer(p: OrderPlacement): boolean {
  return p.eventsAheadMinutes !== 0 && shiftExplainsOrders(p.timedInSessionShifted, p.timedInSession, p.timedChecked);
}

/** The one offset all `zones` name (minutes east of UTC), 'none' when none carries one, undefined when mixed or a zone name. */
function commonOffset(zones: readonly (string | null)[]): number | 'none' | undefined {
  if (zones.length === 0) return undefined;
  if (zones.every((z) => z === null)) return 'none';
  const offsets = zones.map((z) => {
    try {
      const zone = z === null ? undefined : parseTimezone(z);
      return zone?.kind === 'offset' ? zone.minutes : undefined;
    } catch {
      return undefined;
    }
  });
  return offsets.every((o) => o !== undefined && o === offsets[0]) ? offsets[0] : undefined;
}

/**
 * How to put the events on the orders' clock, given that the events read `ahead` minutes ahead and the offsets the
 * ingests read: `--timezone` converts only dates that carry a UTC offset, so it can move the events when theirs carry
 * one and the orders' none (to the events' offset less `ahead`), the orders in the other case, or both onto the
 * orders' offset when both carry one and the difference is `ahead`.
 */
export function clockFix(ahead: number, zones: IngestZones | undefined, words: RunWords): string {
  const moved = `${durationWords(ahead)} ${ahead > 0 ? 'back' : 'forward'}`;
  if (words.api) return `send the events' times on the orders' clock (moved ${moved}), or the events and orders both with the same UTC offset`;
  const events = zones ? commonOffset(zones.events) : undefined;
  const orders = zones ? commonOffset(zones.orders) : undefined;
  const within = (minutes: number) => Math.abs(minutes) <= 14 * 60;
  if (typeof events === 'number' && orders === 'none' && within(events - ahead)) {
    return `read the event files with --timezone ${timezoneName(events - ahead)}: their dates carry UTC offsets (converted to ${timezoneName(events)}) and the orders' none (shop time as written), so --timezone moves the events alone onto the orders' clock`;
  }
  if (events === 'none' && typeof orders === 'number' && within(orders + ahead)) {
    return `read the order files with --timezone ${timezoneName(orders + ahead)}: their dates carry UTC offsets (converted to ${timezoneName(orders)}) and the events' none (shop time as written), so --timezone moves the orders alone onto the events' clock`;
  }
  if (typeof events === 'number' && typeof orders === 'number' && events - orders === ahead) {
    return `read the files with one --timezone (e.g. --timezone ${timezoneName(orders)}): both carry UTC offsets, converted each to its own (events ${timezoneName(events)}, orders ${timezoneName(orders)})`;
  }
  return `--timezone converts only dates that carry a UTC offset: export the events with theirs (e.g. 2023-05-01T10:00:00Z) and read them with the orders' --timezone, or export them on the orders' clock (moved ${moved})`;
}

export interface EventsWarningContext {
  readonly asOf: string;
  /** true when the as-of date was given (`--as-of`): later events are then left out on purpose */
  readonly asOfGiven: boolean;
  readonly words: RunWords;
  /** the ingests' offsets, for the clock warning's hint (read only when it is given: `clocksDiffer`) */
  readonly zones?: IngestZones;
}

/** The warnings of the events step about its input, in the order of the doc comment. */
export function eventsDataWarnings(summary: Pick<EventsSummary, 'stitching' | 'orderPlacement' | 'unavailable'>, context: EventsWarningContext): string[] {
  const { stitching: s, orderPlacement: p, unavailable } = summary;
  const warnings: string[] = [];
  const window = 'from its first event to 60 minutes after its last';
  if (clocksDiffer(p)) {
    const ahead = p.eventsAheadMinutes;
    warnings.push(
      `events and orders look to be on different clocks: the events read ${durationWords(ahead)} ${ahead > 0 ? 'ahead of' : 'behind'} the orders — of ${plural(p.timedChecked, 'order', 'orders')} by customers with sessions, ${count(p.timedInSession)} fall in one of their sessions (${window}) as recorded, ${count(p.timedInSessionShifted)} with the events moved ${durationWords(ahead)} ${ahead > 0 ? 'back' : 'forward'}; the funnel's purchases and the buyer types are measured on the times as recorded, so they miss most purchases; ${clockFix(ahead, context.zones, context.words)}`,
    );
  } else if (p.timedChecked >= 20 && 20 * p.timedInSession < p.timedChecked) {
    warnings.push(
      `only ${count(p.timedInSession)} of ${plural(p.timedChecked, 'order', 'orders')} by customers with sessions fall in one of their sessions (${window}), and no shift of the events' clock within 14 hours places many more: the funnel's purchases and the buyer types rest on few orders; check that the events and the orders are of the same customers and days`,
    );
  }
  if (p.dated > 0 && 100 * p.dated >= p.orders) {
    const unplaced = p.dated - p.datedPlaced;
    warnings.push(
      `${count(p.dated)} of ${plural(p.orders, 'order', 'orders')} have no time of day (a date only, stored at 00:00), so they cannot be placed in a session by time: each was put in its customer's last session of that day with a view or a cart add (${count(p.datedPlaced)} ${p.datedPlaced === 1 ? 'was' : 'were'}${unplaced > 0 ? `; ${count(unplaced)} had no such session and count in none` : ''}), and the buyer types take it as made at that session's last event; export the orders' times for the funnel and the buyer types to use them`,
    );
  }
  if (unavailable?.purchases) {
    const fix = s.sessionsWithoutIds === s.sessions
      ? (context.words.api ? 'send customer_id or anonymous_id with each event' : 'map the customer or visitor id column (--map customer_id=<column>, --map anonymous_id=<column>)')
      : 'events need a customer id, on every event or on a login or purchase event beside the visitor id';
    warnings.push(`purchases cannot be attributed to sessions: ${unavailable.purchases}; the funnel's purchase step, conversion rate and carts abandoned and the buyer types are not measured (empty in run.json), ${fix}`);
  } else if (s.sessionsWithoutIds > 0 && 100 * s.sessionsWithoutIds >= s.sessions) {
    warnings.push(`${count(s.sessionsWithoutIds)} of ${plural(s.sessions, 'session', 'sessions')} carry no customer or visitor id (a session id only): each counts as one person and none can be matched to an order, so the conversion rate counts them as sessions without a purchase`);
  }
  if (s.eventsAfterAsOf > 0 && !context.asOfGiven) {
    warnings.push(`${plural(s.eventsAfterAsOf, 'event', 'events')} after the as-of date ${context.asOf} (the last purchase day) ${s.eventsAfterAsOf === 1 ? 'was' : 'were'} left out of the sessions, funnels, buyer types and prospects`);
  }
  return warnings;
}
