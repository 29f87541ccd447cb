/**
 * A person online in the synthetic shop — a buyer, a prospect, or a visitor
 * who never identifies — with their visitor ids (one per device), and the one
 * writer of their sessions (`writeSession`), which also counts what identity
 * stitching can find (`VisitorTally`, truth.json `visitors`).
 *
 * Logins: before the sign-up every event carries the visitor id only. The
 * session in which the person signs up has a login at the sign-up moment.
 * After it, a session starts with a login (`'start'`), or has none
 * (`'none'`: logged out, every event anonymous), or — the last session before
 * an order — logs in at checkout, at the order's time (`'checkout'`, its
 * earlier events anonymous). `loginMode` draws which: a login at the start
 * with probability 1 − `loggedOutShare`. Events after a login carry the
 * customer id.
 *
 * Devices: a buyer or prospect has a second visitor id with probability
 * `multiDeviceShare` (ids `anon-` + 12 hex digits, so never one of the
 * 8-digit profile ids); their first session is on the first device, each
 * later one on either with probability ½ (`pickDevice`). A visitor id is
 * linked by its first login; one that never logs in stays anonymous.
 */
import type { Random } from '../math/random.js';
import type { ProductCatalog } from './build-product-catalog.js';
import { formatTimestamp } from './format-timestamp.js';
import type { ResolvedShopOptions } from './shop-options.js';

export const EVENT_COLUMNS = ['session_id', 'customer_id', 'anonymous_id', 'ts', 'type', 'product_id', 'category', 'query'] as const;

export type EventType = 'view' | 'search' | 'add_to_cart' | 'remove_from_cart' | 'login';

export interface PlannedEvent {
  readonly type: EventType;
  readonly product: number;
  readonly query: string;
}

export const LOGIN: PlannedEvent = { type: 'login', product: -1, query: '' };

/** Sessions and time of signed-up people browsing before a first purchase (buyers) or instead of one (prospects). */
export interface ConsideringTally {
  /** people with time to browse in */
  people: number;
  sessions: number;
  days: number;
}

/** What stitching can find in events.csv, counted as it is written (truth.json `visitors`). */
export interface VisitorTally {
  /** visitor ids written (a second device counts once used) */
  visitorIds: number;
  /** visitor ids with a login: stitching links them to their customer */
  linked: number;
  /** visitors who never sign up, log in or buy (one visitor id each) */
  anonymousVisitors: number;
  /** buyers and prospects given a second device */
  peopleWithSecondDevice: number;
  /** second devices with a session */
  secondDevicesUsed: number;
  /** second devices with a login */
  secondDevicesLinked: number;
  sessions: number;
  /** sessions with an event that carries no customer id */
  sessionsWithAnonymousEvents: number;
  /** of those, sessions on a linked visitor id: stitching gives them their customer */
  sessionsStitchable: number;
  /** customers with a stitchable session */
  customersReachable: number;
  /** sessions of a signed-up person starting after the sign-up */
  sessionsAfterSignup: number;
  /** of those, sessions whose first event is not a login (logged out, or a login at checkout) */
  sessionsLoggedOut: number;
  readonly consideringBuyers: ConsideringTally;
  readonly consideringProspects: ConsideringTally;
}

export function createVisitorTally(): VisitorTally {
  return {
    visitorIds: 0, linked: 0, anonymousVisitors: 0, peopleWithSecondDevice: 0, secondDevicesUsed: 0, secondDevicesLinked: 0, sessions: 0, sessionsWithAnonymousEvents: 0,
    sessionsStitchable: 0, customersReachable: 0, sessionsAfterSignup: 0, sessionsLoggedOut: 0,
    consideringBuyers: { people: 0, sessions: 0, days: 0 }, consideringProspects: { people: 0, sessions: 0, days: 0 },
  };
}

export interface SessionContext {
  readonly catalog: ProductCatalog;
  readonly options: Pick<ResolvedShopOptions, 'loggedOutShare' | 'multiDeviceShare' | 'visitsBeforeSignup' | 'signupLeadDays' | 'browseRate' | 'browseRatio'>;
  readonly tally: VisitorTally;
  /** the window's first moment: no sign-up session starts before it */
  readonly windowStartMs: number;
  /** next session number; advanced by each session */
  nextSession: number;
  writeLine(line: string): void;
}

export interface OnlinePerson {
  /** '' for a visitor who never identifies */
  readonly customerId: string;
  /** Infinity for a visitor who never identifies */
  readonly signupMs: number;
  readonly impulsive: boolean;
  /** visitor ids, the first one the profile's */
  readonly devices: readonly string[];
  /** per device: sessions written on it */
  readonly deviceSessions: number[];
  /** per device: a login was written on it */
  readonly linked: boolean[];
  /** per device: sessions with an event without the customer id */
  readonly anonymousSessions: number[];
  /** sessions written so far */
  sessions: number;
}

/** A fresh visitor id: `anon-` and 12 hex digits (48 random bits). */
export function newVisitorId(random: Random): string {
  return `anon-${(random.integer(0x1000000) * 0x1000000 + random.integer(0x1000000)).toString(16).padStart(12, '0')}`;
}

/** A person about to browse; a buyer or prospect (`customerId` not empty) gets a second device with probability `multiDeviceShare`. */
export function openPerson(random: Random, context: SessionContext, customerId: string, anonymousId: string, signupMs: number, impulsive: boolean): OnlinePerson {
  const devices = [anonymousId];
  if (customerId !== '' && random.uniform() < context.options.multiDeviceShare) devices.push(newVisitorId(random));
  return { customerId, signupMs, impulsive, devices, deviceSessions: devices.map(() => 0), linked: devices.map(() => false), anonymousSessions: devices.map(() => 0), sessions: 0 };
}

/** The device of the person's next session: the first for their first session, then either with probability ½. */
export function pickDevice(random: Random, person: OnlinePerson): number {
  if (person.sessions === 0 || person.devices.length === 1) return 0;
  return random.uniform() < 0.5 ? 0 : 1;
}

export type LoginMode = 'start' | 'checkout' | 'none';

/** A login at the start with probability 1 − `loggedOutShare`; else none, or at checkout for the last session before an order. */
export function loginMode(random: Random, context: SessionContext, checkout: boolean): LoginMode {
  if (random.uniform() >= context.options.loggedOutShare) return 'start';
  return checkout ? 'checkout' : 'none';
}

/**
 * Write one session of `person` on `device` from `startMs` to `endMs`: the planned events spread over it (a login
 * first when `mode` is 'start' and the person has signed up), a login at the sign-up when it falls in the session,
 * a login at `endMs` with 'checkout'.
 */
export function writeSession(random: Random, context: SessionContext, person: OnlinePerson, device: number, startMs: number, endMs: number, planned: readonly PlannedEvent[], mode: LoginMode): void {
  const session = `S${context.nextSession++}`;
  const { catalog, tally } = context;
  const anonymousId = person.devices[device];
  const signedUp = startMs >= person.signupMs;
  const events = signedUp && mode === 'start' ? [LOGIN, ...planned] : planned;
  const step = (endMs - startMs) / events.length;
  let signupPending = startMs < person.signupMs && person.signupMs < endMs;
  let loggedIn = false;
  let anonymousEvents = 0;
  const write = (ms: number, event: PlannedEvent) => {
    if (event.type === 'login') loggedIn = true;
    if (!loggedIn) anonymousEvents++;
    const product = event.product >= 0 ? catalog.productId[event.product] : '';
    const category = event.product >= 0 ? catalog.category[event.product] : '';
    context.writeLine(`${session},${loggedIn ? person.customerId : ''},${anonymousId},${formatTimestamp(ms)},${event.type},${product},${category},${event.query}`);
  };
  for (let j = 0; j < events.length; j++) {
    const ms = startMs + (j + 0.8 * random.uniform()) * step;
    if (signupPending && ms >= person.signupMs) {
      write(person.signupMs, LOGIN);
      signupPending = false;
    }
    write(ms, events[j]);
  }
  if (signupPending) write(person.signupMs, LOGIN);
  else if (signedUp && mode === 'checkout') write(endMs, LOGIN);
  tally.sessions++;
  // a session starting at the sign-up moment is the sign-up's own (it logs in there), not one after it
  if (startMs > person.signupMs) {
    tally.sessionsAfterSignup++;
    if (events[0] !== LOGIN) tally.sessionsLoggedOut++;
  }
  if (loggedIn) person.linked[device] = true;
  if (anonymousEvents > 0) person.anonymousSessions[device]++;
  person.deviceSessions[device]++;
  person.sessions++;
}

/** Count the person's visitor ids once they have browsed: linked or not, and the sessions stitching can give them. */
export function closePerson(context: SessionContext, person: OnlinePerson): void {
  const { tally } = context;
  let stitchable = 0;
  person.devices.forEach((_, d) => {
    if (person.deviceSessions[d] === 0) return;
    tally.visitorIds++;
    tally.sessionsWithAnonymousEvents += person.anonymousSessions[d];
    if (!person.linked[d]) return;
    tally.linked++;
    stitchable += person.anonymousSessions[d];
  });
  tally.sessionsStitchable += stitchable;
  if (stitchable > 0) tally.customersReachable++;
  if (person.devices.length > 1) {
    tally.peopleWithSecondDevice++;
    if (person.deviceSessions[1] > 0) tally.secondDevicesUsed++;
    if (person.linked[1]) tally.secondDevicesLinked++;
  }
}
