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

/** Common column names per event role (compared after `normaliseColumnName`), most specific first. */
export const EVENT_ROLE_SYNONYMS: Readonly<Record<EventRole, readonly string[]>> = {
  session_id: ['sessionid', 'session', 'visitid', 'sid'],
  customer_id: CUSTOMER_ID_SYNONYMS,
  anonymous_id: ['anonymousid', 'anonid', 'visitorid', 'visitor', 'deviceid', 'cookieid', 'cookie', 'clientcookie'],
  ts: ['ts', 'timestamp', 'eventtime', 'eventts', 'eventtimestamp', 'time', 'datetime', 'date', 'createdat', 'occurredat'],
  type: ['type', 'eventtype', 'event', 'eventname', 'action', 'kind'],
  product_id: ['productid', 'product', 'sku', 'itemid', 'item', 'stockcode'],
  category: ['category', 'productcategory', 'categoryname', 'department'],
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

/**
 * The kind of a file from its column names (see the file comment).
 *
 * Example: `detectSourceKind(['session_id', 'anonymous_id', 'ts', 'type'])` → `'events'`
 */
export function detectSourceKind(columns: readonly string[]): SourceKind {
  const names = new Set(columns.map(normaliseColumnName));
  const has = (synonyms: readonly string[]) => synonyms.some((s) => names.has(s));
  if (has(EVENT_ROLE_SYNONYMS.type.slice(0, 4)) && (has(EVENT_ROLE_SYNONYMS.session_id) || has(EVENT_ROLE_SYNONYMS.anonymous_id))) return 'events';
  if (!has(ORDER_COLUMNS) && has([...PROFILE_ROLE_SYNONYMS.signup_date, 'acquisitionchannel', 'acquisitioncost', 'birthyear'])) return 'customers';
  return 'transactions';
}

/** `--kind` checked: a UserError with the choices for anything else. */
export function parseSourceKind(value: string): SourceKind {
  if ((SOURCE_KINDS as readonly string[]).includes(value)) return value as SourceKind;
  throw new UserError(`--kind ${value} is not a file kind`, `use one of ${SOURCE_KINDS.join(', ')} (or leave it out: the kind is detected from the columns)`);
}
