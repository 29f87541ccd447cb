/**
 * The SELECT that types and judges every staged row of an event file, as
 * `buildCleanRowsSql` does for transactions, with the same output contract
 * for the shared loaders (quarantine, tokens): `line`, `raw` (rejected rows
 * only), `row_hash`, `customer_id`, `ts`, `reason`, `detail`, plus the event
 * columns.
 *
 * Rules, the first that applies: `missing_customer_id` (no customer, visitor
 * or session id: the event cannot be attributed), `missing_date`, `bad_date`,
 * `future_date`, `missing_event_type`, `duplicate` (an exact copy of an
 * earlier line or of an event already held). Event types are lower-cased,
 * spaces and hyphens turned into `_`, and the names of common vocabularies
 * (Segment, Shopify, GA4, …: `EVENT_TYPE_SYNONYMS`) mapped to the six the
 * analysis reads (`ANALYSED_EVENT_TYPES`); other types are kept as given,
 * lower-cased (the ingest report counts them and warns). A search query is
 * stored with its e-mail addresses and long numbers replaced
 * (`redactContactDetailsSql`), and `query_redacted` says whether it held one.
 */
import type { SqlDialect } from '../engine/sql-dialect.js';
import { normaliseIdentifierSql } from '../privacy/tokens/normalise-identifier.js';
import { redactContactDetailsSql } from '../privacy/tokens/redact-contact-details.js';
import { MISSING_TOKENS, rawLineSql, type CleaningRules } from './cleaning-rules.js';
import type { DecimalSeparator } from './decimal-separator.js';
import { parseDateSql, type DateFormat } from './detect-date-format.js';
import { dateOffsetSql, type ShopTimezone } from './time-zone-offsets.js';
import type { EventRole } from './source-kind.js';

/** The event types the analysis reads (sessions, funnels, buyer types, stitching); others are kept, and count only as events of their session. */
export const ANALYSED_EVENT_TYPES = ['view', 'search', 'add_to_cart', 'remove_from_cart', 'login', 'purchase'] as const;

/**
 * Spellings of event types (after lower-casing and turning spaces and hyphens into `_`) → the type stored. Segment's
 * e-commerce spec (`Product Viewed`, `Product Added`, `Product Removed`, `Order Completed`, `Products Searched`,
 * `Signed In`), Shopify's customer events (`product_viewed`, `product_added_to_cart`, `product_removed_from_cart`,
 * `checkout_completed`, `search_submitted`) and GA4's (`view_item`, `add_to_cart`, `remove_from_cart`, `purchase`,
 * `search`, `view_search_results`, `login`) among them. Not a purchase: starting a checkout (`checkout`,
 * `begin_checkout`, `checkout_started`: kept as given). A page view: `PAGE_VIEW_SPELLINGS`.
 */
export const EVENT_TYPE_SYNONYMS: Readonly<Record<string, string>> = {
  product_view: 'view', view_item: 'view', viewed: 'view', detail: 'view', product_detail: 'view', product_viewed: 'view', item_viewed: 'view',
  add: 'add_to_cart', addtocart: 'add_to_cart', add_to_basket: 'add_to_cart', cart_add: 'add_to_cart', cart: 'add_to_cart', addtocart_event: 'add_to_cart',
  added_to_cart: 'add_to_cart', product_added: 'add_to_cart', product_added_to_cart: 'add_to_cart',
  remove: 'remove_from_cart', removefromcart: 'remove_from_cart', remove_from_basket: 'remove_from_cart', cart_remove: 'remove_from_cart',
  removed_from_cart: 'remove_from_cart', product_removed: 'remove_from_cart', product_removed_from_cart: 'remove_from_cart',
  signin: 'login', sign_in: 'login', log_in: 'login', logged_in: 'login', signed_in: 'login',
  searched: 'search', site_search: 'search', products_searched: 'search', search_submitted: 'search', view_search_results: 'search',
  order: 'purchase', transaction: 'purchase', buy: 'purchase', order_completed: 'purchase', checkout_completed: 'purchase', order_placed: 'purchase', purchased: 'purchase',
};

/**
 * A page view: a product view (`view`) when the event names a product, else `page_view` (kept, not a view). GA4 logs a
 * `page_view` beside each `view_item` (counted as views, the two double-counted them), and most page views (home,
 * category, cart pages) show no product.
 */
export const PAGE_VIEW_SPELLINGS: readonly string[] = ['page_view', 'pageview'];

export interface CleanTableInput<R extends string> {
  readonly dialect: SqlDialect;
  readonly stageTable: string;
  readonly lineSql: string;
  readonly columns: readonly string[];
  readonly mapping: Partial<Record<R, string>>;
  readonly dateFormats: readonly DateFormat[];
  /** see `CleanSqlInput.shopTimezone` */
  readonly shopTimezone?: ShopTimezone;
  /** see `CleanSqlInput.dateOffsets` */
  readonly dateOffsets?: 'full' | 'length';
  /** see `CleanSqlInput.decimalSeparator` (profiles: the acquisition cost) */
  readonly decimalSeparator?: DecimalSeparator;
  readonly rules: Pick<CleaningRules, 'futureDate' | 'duplicate'>;
  /** see `CleanSqlInput.latestDateIso` */
  readonly latestDateIso: string;
  readonly rawSeparator: string;
  readonly rowHashSecret?: string;
}

/** The SQL pieces every judged table of a staged file shares: a role's trimmed text, the row hash, the rebuilt raw line, an id. */
export function stagedRowSql<R extends string>(input: CleanTableInput<R>) {
  const d = input.dialect;
  const col = (role: R) => (input.mapping[role] === undefined ? 'CAST(NULL AS VARCHAR)' : `trim(${d.identifier(input.mapping[role]!)})`);
  const rawFields = input.columns.map((c) => `COALESCE(${d.identifier(c)}, '')`);
  const hashed = input.rowHashSecret === undefined ? rawFields : [d.literal(input.rowHashSecret), ...rawFields];
  return {
    col,
    rowHash: d.md5(`concat_ws(chr(31), ${hashed.join(', ')})`),
    raw: rawLineSql(d, input.columns.map((c) => d.identifier(c)), input.rawSeparator),
    /** the source's columns passed through a projection as `__raw_0`, … (for `rawPassedSql`, so that only rejected rows rebuild their line) */
    rawPassed: input.columns.map((c, i) => `${d.identifier(c)} AS __raw_${i}`).join(', '),
    /** the raw line rebuilt from the columns `rawPassed` passed through */
    rawPassedSql: rawLineSql(d, input.columns.map((_, i) => `__raw_${i}`), input.rawSeparator),
    /** an identifier column normalised, NULL when empty or a missing-value token (a scalar test of the tokens: an IN list is planned as a join) */
    id: (role: R) => `CASE WHEN ${d.oneOf(`lower(${col(role)})`, MISSING_TOKENS)} THEN NULL ELSE NULLIF(${normaliseIdentifierSql(d, col(role))}, '') END`,
    text: (role: R) => `NULLIF(${col(role)}, '')`,
    ts: (role: R) => parseDateSql(d, col(role), input.dateFormats, input.shopTimezone),
    /** `, <the date's offset> AS date_offset` when the offsets are counted (`CleanSqlInput.dateOffsets`), else nothing */
    dateOffset: (role: R) => (input.dateOffsets ? `, ${dateOffsetSql(col(role), input.dateOffsets === 'length')} AS date_offset` : ''),
  };
}

/**
 * One pass over the staged rows: every rule but `duplicate`, which needs the whole file and the warehouse and is
 * applied afterwards to the rows no other rule rejected (`markStagedDuplicates`, as `judgeRows` does for
 * transactions). The raw line is rebuilt for rejected rows only.
 */
export function buildCleanEventsSql(input: CleanTableInput<EventRole>): string {
  const d = input.dialect;
  const { col, rowHash, rawPassed, rawPassedSql, id, text, ts, dateOffset } = stagedRowSql(input);
  // spaces and hyphens become '_' (runs of them one '_'): the regular expression only for a type holding one
  const lowered = `lower(${col('type')})`;
  const typeText = `CASE WHEN contains(${lowered}, ' ') OR contains(${lowered}, '-') THEN regexp_replace(${lowered}, '[ -]+', '_', 'g') ELSE ${lowered} END`;
  const synonyms = [
    ...Object.entries(EVENT_TYPE_SYNONYMS).map(([from, to]) => `WHEN ${d.literal(from)} THEN ${d.literal(to)}`),
    ...PAGE_VIEW_SPELLINGS.map((from) => `WHEN ${d.literal(from)} THEN CASE WHEN product_id IS NOT NULL THEN 'view' ELSE 'page_view' END`),
  ].join(' ');
  const when = (enabled: boolean, condition: string, reason: string) => (enabled ? `WHEN ${condition} THEN '${reason}'` : '');
  return `
SELECT line, CASE WHEN reason IS NOT NULL THEN ${rawPassedSql} END AS raw, row_hash, customer_id, anonymous_id, session_id, ts,${input.dateOffsets ? ' date_offset,' : ''} type, product_id, category, query, query IS DISTINCT FROM query_given AS query_redacted, reason,
  CASE WHEN reason = 'bad_date' THEN 'date: ' || COALESCE(date_text, '') END AS detail
FROM (
  SELECT typed.*,
    CASE
      WHEN customer_id IS NULL AND anonymous_id IS NULL AND session_id IS NULL THEN 'missing_customer_id'
      WHEN date_text IS NULL OR date_text = '' THEN 'missing_date'
      WHEN ts IS NULL THEN 'bad_date'
      ${when(input.rules.futureDate, `ts > ${d.timestamp(input.latestDateIso)}`, 'future_date')}
      WHEN type IS NULL THEN 'missing_event_type'
    END AS reason
  FROM (
    SELECT read_rows.*, CASE type_text ${synonyms} ELSE NULLIF(type_text, '') END AS type, ${redactContactDetailsSql(d, 'query_given')} AS query
    FROM (
      SELECT ${input.lineSql} AS line, ${rawPassed}, ${rowHash} AS row_hash,
        ${id('customer_id')} AS customer_id, ${id('anonymous_id')} AS anonymous_id, ${id('session_id')} AS session_id,
        ${col('ts')} AS date_text, ${ts('ts')} AS ts${dateOffset('ts')}, ${typeText} AS type_text,
        ${text('product_id')} AS product_id, ${text('category')} AS category, ${text('query')} AS query_given
      FROM ${input.stageTable}
    ) read_rows
  ) typed
) judged`;
}
