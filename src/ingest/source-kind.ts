/**
 * What an input file holds: `transactions` (order lines), `events`
 * (browsing, search, cart and login events) or `customers` (customer
 * profiles). Given with `--kind`, or decided from the file's column names:
 * an event type column beside a session or visitor id makes an event file; a
 * sign-up date or acquisition column without any order column makes a
 * profile file; anything else is read as transactions.
 */
import { UserError } from '../core/errors/user-error.js';
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';
import { normaliseColumnName } from './match-column-roles.js';
import { CUSTOMER_NUMBER_NAMES } from './column-roles.js';

export const SOURCE_KINDS = ['transactions', 'events', 'customers'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type EventRole = 'session_id' | 'customer_id' | 'anonymous_id' | 'ts' | 'type' | 'product_id' | 'category' | 'query';
export const EVENT_ROLES: readonly EventRole[] = ['session_id', 'customer_id', 'anonymous_id', 'ts', 'type', 'product_id', 'category', 'query'];

export type ProfileRole = 'customer_id' | 'signup_date' | 'acquisition_channel' | 'acquisition_cost' | 'region' | 'country' | 'gender' | 'birth_year' | PiiRole;
export const PROFILE_ROLES: readonly ProfileRole[] = ['customer_id', 'signup_date', 'acquisition_channel', 'acquisition_cost', 'region', 'country', 'gender', 'birth_year', ...PII_ROLES];

// the customer-number names (column-roles.ts) right after 'customerid', before the generic words
const CUSTOMER_ID_SYNONYMS = ['customerid', ...CUSTOMER_NUMBER_NAMES, 'customer', 'custid', 'clientid', 'client', 'userid', 'user', 'memberid', 'accountid', 'shopperid', 'kunde', 'cliente', 'klant'];

/**
 * An event file's customer id: not `client_id`, which in web analytics (Google Analytics' client id) is a cookie, a
 * visitor id (`anonymous_id`); a login's `user_id` before the generic French `client`. A QA pass read UA's client_id
 * as the customer and left user_id unread: every cookie a prospect, nothing stitched.
 */
const EVENT_CUSTOMER_ID_SYNONYMS = ['customerid', ...CUSTOMER_NUMBER_NAMES, 'customer', 'custid', 'userid', 'user', 'memberid', 'accountid', 'shopperid', 'client', 'kunde', 'cliente', 'klant'];

/**
 * Common column names per event role (compared after `normaliseColumnName`), most specific first. GA4's BigQuery
 * export, flattened, is read by its own names: event_name, event_timestamp (microseconds: `epoch_us`), user_pseudo_id
 * (the visitor), user_id, ga_session_id, item_id, item_category, search_term; Universal Analytics' client_id is the visitor.
 */
export const EVENT_ROLE_SYNONYMS: Readonly<Record<EventRole, readonly string[]>> = {
  session_id: ['sessionid', 'session', 'visitid', 'sid', 'gasessionid'],
  customer_id: EVENT_CUSTOMER_ID_SYNONYMS,
  anonymous_id: ['anonymousid', 'anonid', 'visitorid', 'visitor', 'userpseudoid', 'clientid', 'deviceid', 'cookieid', 'cookie', 'clientcookie'],
  ts: ['ts', 'timestamp', 'eventtime', 'eventts', 'eventtimestamp', 'time', 'datetime', 'date', 'createdat', 'occurredat'],
  type: ['type', 'eventtype', 'event', 'eventname', 'action', 'kind'],
  product_id: ['productid', 'product', 'sku', 'itemid', 'item', 'stockcode'],
  category: ['category', 'productcategory', 'categoryname', 'itemcategory', 'department'],
  query: ['query', 'searchquery', 'searchterm', 'search', 'keyword', 'q'],
};

/** Common column names per profile role; personal data is matched only by `--map`, as in transaction files. */
export const PROFILE_ROLE_SYNONYMS: Readonly<Record<ProfileRole, readonly string[]>> = {
  customer_id: CUSTOMER_ID_SYNONYMS,
  signup_date: ['signupdate', 'signupts', 'signup', 'signedup', 'registrationdate', 'registeredat', 'createdat', 'joindate', 'joined', 'firstseen'],
  acquisition_channel: ['acquisitionchannel', 'channel', 'source', 'utmsource', 'acquisitionsource', 'referrer'],
  acquisition_cost: ['acquisitioncost', 'cac', 'cost', 'costofacquisition'],
  region: ['region', 'state', 'province'],
  country: ['country', 'countrycode'],
  gender: ['gender', 'sex'],
  birth_year: ['birthyear', 'yearofbirth', 'yob'],
  email: [],
  phone: [],
  name: [],
  address: [],
  note: [],
};

const ORDER_COLUMNS = ['orderid', 'invoiceno', 'invoice', 'orderdate', 'invoicedate', 'quantity', 'qty', 'unitprice', 'price', 'amount', 'total', 'revenue',
  // the same in German, French, Spanish, Italian and Dutch exports (column-roles.ts)
  'bestellnummer', 'rechnungsnummer', 'menge', 'betrag', 'preis', 'commande', 'quantite', 'montant', 'prix', 'pedido', 'cantidad', 'importe', 'precio', 'ordine', 'importo', 'quantita', 'prezzo', 'ordernummer', 'bedrag', 'aantal', 'prijs'];

const PROFILE_COLUMNS = [...PROFILE_ROLE_SYNONYMS.signup_date, 'acquisitionchannel', 'acquisitioncost', ...PROFILE_ROLE_SYNONYMS.birth_year];

/** What a file of each kind is called in messages. */
export const KIND_FILES: Readonly<Record<SourceKind, string>> = { transactions: 'transaction file', events: 'event file', customers: 'customer profile file' };

/**
 * The columns of a file that show a kind, per kind that shows (names as the file writes them): an event type column
 * beside a session or visitor id column (events), a sign-up date, acquisition or birth-year column (customers), an
 * order, invoice, quantity, price or amount column (transactions). A file may show several kinds, or none.
 *
 * Example: `kindEvidence(['session_id', 'customer_id', 'ts', 'type'])` → `{ events: ['session_id', 'type'] }`
 */
export function kindEvidence(columns: readonly string[]): Partial<Record<SourceKind, string[]>> {
  const among = (synonyms: readonly string[]) => columns.filter((column) => synonyms.includes(normaliseColumnName(column)));
  const types = among(EVENT_ROLE_SYNONYMS.type.slice(0, 4));
  const visits = among([...EVENT_ROLE_SYNONYMS.session_id, ...EVENT_ROLE_SYNONYMS.anonymous_id]);
  const evidence: Partial<Record<SourceKind, string[]>> = {};
  if (types.length > 0 && visits.length > 0) evidence.events = columns.filter((column) => types.includes(column) || visits.includes(column));
  const profile = among(PROFILE_COLUMNS);
  if (profile.length > 0) evidence.customers = profile;
  const orders = among(ORDER_COLUMNS);
  if (orders.length > 0) evidence.transactions = orders;
  return evidence;
}

/**
 * The kind of a file from its column names (see the file comment).
 *
 * Example: `detectSourceKind(['session_id', 'anonymous_id', 'ts', 'type'])` → `'events'`
 */
export function detectSourceKind(columns: readonly string[]): SourceKind {
  const evidence = kindEvidence(columns);
  if (evidence.events) return 'events';
  if (evidence.customers && !evidence.transactions) return 'customers';
  return 'transactions';
}

/**
 * The kind a file given as `kind` shows instead — the kind its columns show when they show none of `kind` (in
 * `detectSourceKind`'s order: events, customers, transactions) — with the columns that show it; null when it fits:
 * its columns show `kind`, or no kind (a file without a header, a file of other names: read as given).
 *
 * Example: `otherKindShown(['session_id', 'customer_id', 'ts', 'type'], 'customers')` → `{ kind: 'events', columns: ['session_id', 'type'] }`
 */
export function otherKindShown(columns: readonly string[], kind: SourceKind): { readonly kind: SourceKind; readonly columns: readonly string[] } | null {
  const evidence = kindEvidence(columns);
  if (evidence[kind]) return null;
  const shown = (['events', 'customers', 'transactions'] as const).find((other) => evidence[other] !== undefined);
  return shown === undefined ? null : { kind: shown, columns: evidence[shown]! };
}

/** `a transaction file`, `an event file`. */
export function aKindFile(kind: SourceKind): string {
  return `${kind === 'events' ? 'an' : 'a'} ${KIND_FILES[kind]}`;
}

/**
 * How the library says to read a file of another kind (`IngestOptions.kindHints` gives a command's words): the option
 * that reads it.
 */
const LIBRARY_KIND_HINTS: Readonly<Record<SourceKind, string>> = {
  transactions: "read it as a transaction file (kind: 'transactions'; clvkit ingest --kind transactions, or an argument of clvkit analyze)",
  events: "read it as an event file (kind: 'events'; clvkit ingest --kind events, or clvkit analyze --events)",
  customers: "read it as a customer profile file (kind: 'customers'; clvkit ingest --kind customers, or clvkit analyze --customers)",
};

/**
 * The refusal of a file given as `kind` whose columns show another kind (`otherKindShown`), or nothing: an event file
 * passed as profiles had every line stored as a profile (its session, visitor, time and type columns unread), a
 * transaction file passed as events was taken for events already held. `hints`: what to do, per kind shown, in the
 * words of the command that read it.
 *
 * Example: `assertKindFits('events.csv', ['session_id', 'customer_id', 'ts', 'type'], 'customers')` throws `events.csv looks like an event file (columns session_id, type), not a customer profile file`
 */
export function assertKindFits(path: string, columns: readonly string[], kind: SourceKind, hints: Readonly<Partial<Record<SourceKind, string>>> = {}): void {
  const shown = otherKindShown(columns, kind);
  if (shown === null) return;
  throw new UserError(`${path} looks like ${aKindFile(shown.kind)} (columns ${shown.columns.join(', ')}), not ${aKindFile(kind)}`, hints[shown.kind] ?? LIBRARY_KIND_HINTS[shown.kind]);
}

/**
 * The hint of a file read as transactions that failed (no date column, no date format) while its columns name an event
 * type (`event_name`, `event_type`, …) and no order column — a GA4 export without a visitor column, detected as
 * transactions — extended with how to read it as events (`hints.events`, the command's words, else the library's);
 * undefined when its columns do not look so.
 *
 * Example: `eventFileHint(['event_name', 'event_timestamp', 'user_id'], 'pass --map date=<column>')` → `pass --map date=<column>; column event_name suggests an event file: read it as an event file (kind: 'events'; …)`
 */
export function eventFileHint(columns: readonly string[], hint: string | undefined, hints: Readonly<Partial<Record<SourceKind, string>>> = {}): string | undefined {
  const types = columns.filter((column) => EVENT_ROLE_SYNONYMS.type.slice(0, 4).includes(normaliseColumnName(column)));
  if (types.length === 0 || kindEvidence(columns).transactions !== undefined) return undefined;
  const read = `column${types.length === 1 ? '' : 's'} ${types.join(', ')} suggest${types.length === 1 ? 's' : ''} an event file: ${hints.events ?? LIBRARY_KIND_HINTS.events}`;
  return hint === undefined ? read : `${hint}; ${read}`;
}

/** `error` (of a file read as transactions) with `eventFileHint`'s hint when its columns look like events; else itself. */
export function withEventFileHint(error: UserError, columns: readonly string[], hints?: Readonly<Partial<Record<SourceKind, string>>>): UserError {
  const hint = eventFileHint(columns, error.hint, hints);
  return hint === undefined ? error : new UserError(error.message, hint);
}

/** `--kind` checked: a UserError with the choices for anything else. */
export function parseSourceKind(value: string): SourceKind {
  if ((SOURCE_KINDS as readonly string[]).includes(value)) return value as SourceKind;
  throw new UserError(`--kind ${value} is not a file kind`, `use one of ${SOURCE_KINDS.join(', ')} (or leave it out: the kind is detected from the columns)`);
}
