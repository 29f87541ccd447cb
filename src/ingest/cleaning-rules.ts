import type { SqlDialect } from '../engine/sql-dialect.js';
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';
import { normaliseIdentifierSql } from '../privacy/tokens/normalise-identifier.js';
import { hasOrderValue, type ColumnMapping } from './column-roles.js';
import { numberProblemSql, numberTextSql, type DecimalSeparator } from './decimal-separator.js';
import { parseDateSql, type DateFormat } from './detect-date-format.js';
import { dateOffsetSql, type ShopTimezone } from './time-zone-offsets.js';

/** Why a row was quarantined. Every rejected row carries exactly one, the first that applies in this order. */
export type QuarantineReason =
  | 'malformed_row'
  | 'missing_customer_id'
  | 'missing_date'
  | 'bad_date'
  | 'future_date'
  | 'bad_number'
  | 'zero_quantity'
  | 'nonpositive_price'
  | 'non_product'
  | 'duplicate'
  | 'missing_event_type'
  | 'erased_customer';

export const QUARANTINE_REASONS: readonly QuarantineReason[] = [
  'malformed_row',
  'missing_customer_id',
  'missing_date',
  'bad_date',
  'future_date',
  'bad_number',
  'zero_quantity',
  'nonpositive_price',
  'non_product',
  'duplicate',
  'missing_event_type',
  'erased_customer',
];

/** What each reason means, for reports and --help. */
export const REASON_DESCRIPTIONS: Readonly<Record<QuarantineReason, string>> = {
  malformed_row: 'the reader could not split the line into the file’s columns',
  missing_customer_id: 'customer id empty (or NaN/NULL/None)',
  missing_date: 'date empty',
  bad_date: 'date not readable in the detected format(s)',
  future_date: 'date after the time of ingest',
  bad_number: 'quantity, price or amount present but not a number written with the file’s decimal separator, or no order value at all',
  zero_quantity: 'quantity zero and no amount: neither a purchase nor a return',
  nonpositive_price: 'unit price zero or negative (or, without a unit price, a line amount that is negative and not a return, or zero and not a return in a file without quantities)',
  non_product: 'postage, fees or manual adjustments (configurable list of product codes)',
  duplicate: 'exact copy of an earlier row of the file or of a row already in the warehouse',
  missing_event_type: 'event file: event type empty',
  erased_customer: 'a customer erased before, left out (ingest --leave-out-erased, or a batch sent to the HTTP API); nothing of the row is kept',
};

/** Stock codes of the demo data that are not products: postage, fees, manual adjustments, samples. */
export const DEFAULT_NON_PRODUCT_CODES: readonly string[] = ['POST', 'DOT', 'M', 'D', 'C2', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS', 'B', 'S'];

/** The cleaning rules; each on by default and switchable. */
export interface CleaningRules {
  futureDate: boolean;
  /**
   * quarantine lines of no (or negative) value: a unit price of zero or less, or, without a unit price, a line amount
   * that is negative, or zero in a file without quantities, and is not a return (`nonpositive_price`); and a quantity
   * of zero (`zero_quantity`). False keeps all of them (one switch for both reasons; no CLI flag turns it off)
   */
  nonpositivePrice: boolean;
  nonProduct: boolean;
  duplicate: boolean;
  /** product codes that are not products (compared case-insensitively) */
  nonProductCodes: readonly string[];
  /** order ids matching this (full match) are cancellations/returns; default `C` followed by digits */
  returnOrderPattern: string;
  /** a line is flagged (never dropped) as an outlier when its robust z-score of log |amount| exceeds this */
  outlierZ: number;
}

export const DEFAULT_CLEANING_RULES: CleaningRules = {
  futureDate: true,
  nonpositivePrice: true,
  nonProduct: true,
  duplicate: true,
  nonProductCodes: DEFAULT_NON_PRODUCT_CODES,
  returnOrderPattern: '[Cc][0-9]+',
  outlierZ: 6,
};

export interface CleanSqlInput {
  readonly dialect: SqlDialect;
  /** where the rows are read from, in file order: the staging table or the engine's reader (an SQL FROM-item) */
  readonly stageTable: string;
  /** SQL expression of a row's line in the file; null when the source gives none (the line then follows from the row's position, see `StagedSource`) */
  readonly lineSql: string | null;
  readonly columns: readonly string[];
  readonly mapping: ColumnMapping;
  readonly dateFormats: readonly DateFormat[];
  /** the shop's time zone: ISO dates with a UTC offset are moved to it (`detectShopTimezone`); absent: offsets are not read */
  readonly shopTimezone?: ShopTimezone;
  /** keep each date's UTC offset as `date_offset` (minutes, NULL without: `dateOffsetSql`; `length`: its cheaper test), to count the offsets the file carries */
  readonly dateOffsets?: 'full' | 'length';
  /** how the file writes decimals (`detectDecimalSeparator`); absent: no decimals in the sampled rows, each value read by the separator it fits (see `numberTextSql`) */
  readonly decimalSeparator?: DecimalSeparator;
  readonly rules: CleaningRules;
  /** the latest date accepted, in shop time (the ingest's time on the shop clock: `latestShopTimeIso`): later dates are `future_date` */
  readonly latestDateIso: string;
  /** raw text separator used to rebuild the quarantined line */
  readonly rawSeparator: string;
  /**
   * secret mixed into `row_hash` (hex text derived from the warehouse key), so
   * the hash of a row cannot be confirmed by someone who guesses its fields;
   * absent: plain MD5 of the fields
   */
  readonly rowHashSecret?: string;
}

/** The roles of a transaction file read as numbers: their sampled texts decide the file's decimal separator; a `bad_number` row's detail names the first of them that does not read. */
export const NUMBER_ROLES = ['quantity', 'unit_price', 'amount', 'cost', 'discount'] as const;

/** Texts that mean "no value" in an id column (compared lower-cased). */
export const MISSING_TOKENS = ['', 'nan', 'null', 'none', 'na', 'n/a', '#n/a', '-'];

/**
 * A source row as one line of text: its fields joined by `separator` (the
 * text of a quarantined row). `fields` are SQL expressions of the row's text
 * fields, in file order.
 */
export function rawLineSql(d: SqlDialect, fields: readonly string[], separator: string): string {
  return `concat_ws(${d.literal(separator)}, ${fields.map((f) => `COALESCE(${f}, '')`).join(', ')})`;
}

/** The columns of the judging pass that hold a value only when the file maps their role (NULL throughout otherwise). */
const OPTIONAL_JUDGED_COLUMNS: readonly (readonly [string, keyof ColumnMapping, 'VARCHAR' | 'DOUBLE'])[] = [
  ['order_id', 'order_id', 'VARCHAR'],
  ['product_id', 'product_id', 'VARCHAR'],
  ['description', 'description', 'VARCHAR'],
  ['category', 'category', 'VARCHAR'],
  ['channel', 'channel', 'VARCHAR'],
  ['region', 'region', 'VARCHAR'],
  ['country', 'country', 'VARCHAR'],
  ['cost', 'cost', 'DOUBLE'],
  ...PII_ROLES.map((role) => [`pii_${role}`, role, 'VARCHAR'] as const),
];

/**
 * The columns of the file's role mapping leaves empty, as `CAST(NULL AS …) AS name`: the judging pass does not
 * store them (a column of NULLs still costs 16 bytes a row for text), the clean view puts them back.
 */
export function absentJudgedColumnsSql(mapping: ColumnMapping): string[] {
  return OPTIONAL_JUDGED_COLUMNS.filter(([, role]) => mapping[role] === undefined).map(([name, , type]) => `CAST(NULL AS ${type}) AS ${name}`);
}

/** The columns the judging pass writes, after `raw`. */
function judgedColumns(mapping: ColumnMapping): string[] {
  const absent = new Set(OPTIONAL_JUDGED_COLUMNS.filter(([, role]) => mapping[role] === undefined).map(([name]) => name));
  const all = ['row_hash', 'customer_id', 'ts', 'order_id', 'product_id', 'description', 'category', 'channel', 'region', 'country', 'quantity', 'unit_price', 'amount', 'cost', ...PII_ROLES.map((role) => `pii_${role}`), 'is_return', 'reason', 'detail'];
  return all.filter((name) => !absent.has(name));
}

/**
 * The SELECT that types and judges every row in one pass over the source:
 * parsed fields, the row hash (MD5 of all raw fields, so re-ingesting the
 * same row is detected across files), `reason` (NULL when the row is
 * accepted) and `raw`, the line rebuilt from its fields for rejected rows
 * only (NULL when accepted: the accepted rows of a large file never pay for,
 * or hold, their text twice). Every rule but `duplicate` is applied here;
 * duplicates need the whole file and the warehouse, and are marked after it
 * (`buildDuplicateRowsSql`). Columns of roles the file does not map are left
 * out (`absentJudgedColumnsSql` gives them back as NULLs). Nothing in it reorders rows (no join: value
 * lists are scalar tests, `SqlDialect.oneOf`): read straight from a reader,
 * the result keeps the file's order, which gives each row its line.
 */
export function buildCleanRowsSql(input: CleanSqlInput): string {
  const { dialect: d, mapping, rules } = input;
  const col = (role: keyof ColumnMapping) => (mapping[role] === undefined ? 'CAST(NULL AS VARCHAR)' : `trim(${d.identifier(mapping[role]!)})`);
  // a plain cast first; a currency sign and the file's separators only for the texts it does not read
  const number = (role: keyof ColumnMapping) => numberTextSql(d, col(role), input.decimalSeparator);
  const present = (role: keyof ColumnMapping) => `(${col(role)} IS NOT NULL AND ${col(role)} <> '')`;
  const rawFields = input.columns.map((c) => `COALESCE(${d.identifier(c)}, '')`);
  const hashedFields = input.rowHashSecret === undefined ? rawFields : [d.literal(input.rowHashSecret), ...rawFields];
  const pii = (role: PiiRole) => (mapping[role] === undefined ? 'CAST(NULL AS VARCHAR)' : `NULLIF(${col(role)}, '')`);
  const hasAmount = mapping.amount !== undefined;
  const hasPrice = mapping.unit_price !== undefined;
  const hasQuantity = mapping.quantity !== undefined;
  // a frequency-only log (no amount, no unit price) keeps amount and unit_price NULL: the purchase count is known, its value is not
  const hasValue = hasOrderValue(mapping);
  // a line discount (only with a unit price and without a line total: resolveColumnRoles) is taken off the list value: its size, toward zero
  // (written 10 or -10 it lowers 2 × 15 to 20; a returned line, -1 × 15 less 5, refunds 10), never more than the value
  const hasDiscount = mapping.discount !== undefined;
  const lineValue = hasDiscount ? 'quantity * unit_price_value - sign(quantity) * abs(COALESCE(discount_value, 0))' : 'quantity * unit_price_value';
  const discountAboveValue = hasDiscount ? 'abs(COALESCE(discount_value, 0)) > abs(quantity * unit_price_value)' : 'FALSE';
  const grossAmount = hasAmount ? 'amount_value' : hasValue ? lineValue : 'CAST(NULL AS DOUBLE)';
  const isReturn = [
    // an empty order id (a line without one beside lines with one) is no return: NULL would fail transactions' NOT NULL
    mapping.order_id !== undefined ? `COALESCE(${d.fullMatch('order_id', rules.returnOrderPattern)}, FALSE)` : 'FALSE',
    hasQuantity ? 'COALESCE(quantity < 0, FALSE)' : 'FALSE',
    hasAmount ? 'COALESCE(amount_value < 0, FALSE)' : 'FALSE',
  ].join(' OR ');
  // Evaluated on the raw text inside the first subquery, where source columns are in scope.
  const unreadable = (role: keyof ColumnMapping) => `(${present(role)} AND ${number(role)} IS NULL)`;
  // the first number text the file's separator does not read, and why (a bad_number row's detail); NULL when all read.
  // Its tests are the expressions the typed columns compute already (the engine evaluates each once).
  const problems = NUMBER_ROLES.filter((role) => mapping[role] !== undefined).map(
    (role) => `WHEN ${unreadable(role)} THEN ${d.literal(`${mapping[role]}: `)} || ${col(role)} || ${numberProblemSql(d, col(role), input.decimalSeparator)}`,
  );
  const numberProblem = problems.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${problems.join(' ')} END`;
  // without a unit price: a negative amount that is not a return; an amount of 0 too when no quantity says an item was
  // bought (with one, 1 × 0.00 is a free item, an order still: CDNOW's $0.00 first purchases, counted in its published summary)
  const nonPositivePrice = hasPrice ? 'unit_price_value <= 0' : hasAmount ? `amount_value ${hasQuantity ? '<' : '<='} 0 AND NOT is_return` : 'FALSE';
  // quantity 0 and no money either way: a line that carries an amount is a purchase (a fee, a service) or, negative, a
  // return (a partial refund) — judged as any other line
  const zeroQuantity = hasAmount ? 'quantity = 0 AND COALESCE(amount_value, 0) = 0' : 'quantity = 0';
  const badValue = hasValue ? `(${grossAmount}) IS NULL OR NOT ${d.isFinite(grossAmount)} OR ${hasDiscount ? `${discountAboveValue} OR ` : ''}` : '';
  const when = (enabled: boolean, condition: string, reason: QuarantineReason) => (enabled ? `WHEN ${condition} THEN '${reason}'` : '');
  const rawColumns = input.columns.map((_, i) => `__raw_${i}`);
  const line = input.lineSql === null ? '' : 'line, ';
  const numberDetail = hasDiscount ? 'COALESCE(number_problem, discount_problem)' : 'number_problem';
  const detail = `CASE WHEN reason = 'bad_number' AND detail IS NULL THEN ${numberDetail} ELSE detail END AS detail`;
  return `
SELECT
  ${line}
  -- the raw line is rebuilt for rejected rows only (accepted rows never need it)
  CASE WHEN reason IS NOT NULL THEN ${rawLineSql(d, rawColumns, input.rawSeparator)} END AS raw,
  ${judgedColumns(mapping).map((name) => (name === 'detail' ? detail : name)).join(', ')}${input.dateOffsets ? ', date_offset' : ''}
FROM (
SELECT
  ${line}${rawColumns.join(', ')}, row_hash, customer_id, ts, order_id, product_id, description, category, channel, region, country,
  quantity,
  COALESCE(unit_price_value, CASE WHEN quantity <> 0 THEN abs(amount_value / quantity) END) AS unit_price,
  CASE WHEN is_return THEN -abs(${grossAmount}) ELSE ${grossAmount} END AS amount,
  cost,
  ${PII_ROLES.map((role) => `pii_${role}`).join(', ')},
  is_return,${input.dateOffsets ? ' date_offset,' : ''}
  CASE
    WHEN customer_id IS NULL OR ${d.oneOf('lower(customer_id)', MISSING_TOKENS)} THEN 'missing_customer_id'
    WHEN date_text IS NULL OR date_text = '' THEN 'missing_date'
    WHEN ts IS NULL THEN 'bad_date'
    ${when(rules.futureDate, `ts > ${d.timestamp(input.latestDateIso)}`, 'future_date')}
    WHEN number_problem IS NOT NULL OR ${badValue}NOT COALESCE(${d.isFinite('cost')}, TRUE) THEN 'bad_number'
    ${when(rules.nonpositivePrice && hasQuantity, zeroQuantity, 'zero_quantity')}
    ${when(rules.nonpositivePrice, nonPositivePrice, 'nonpositive_price')}
    ${when(rules.nonProduct && rules.nonProductCodes.length > 0, d.oneOf('upper(product_id)', rules.nonProductCodes.map((c) => c.toUpperCase())), 'non_product')}
  END AS reason,
  CASE WHEN ts IS NULL THEN 'date: ' || COALESCE(date_text, '') END AS detail,
  number_problem${hasDiscount ? `,
  CASE WHEN ${discountAboveValue} THEN ${d.literal(`${mapping.discount}: `)} || discount_text || ' (more than quantity × unit price)' END AS discount_problem` : ''}
FROM (
  SELECT typed.*,
    ${normaliseIdentifierSql(d, 'customer_id_text')} AS customer_id,
    (${isReturn}) AS is_return
  FROM (
    SELECT
      ${input.lineSql === null ? '' : `${input.lineSql} AS line,`}
      ${input.columns.map((c, i) => `${d.identifier(c)} AS __raw_${i}`).join(', ')},
      ${d.md5(`concat_ws(chr(31), ${hashedFields.join(', ')})`)} AS row_hash,
      CASE WHEN contains(${col('customer_id')}, '.') THEN regexp_replace(${col('customer_id')}, '^([0-9]+)\\.0+$', '\\1') ELSE ${col('customer_id')} END AS customer_id_text,
      ${col('date')} AS date_text,
      ${parseDateSql(d, col('date'), input.dateFormats, input.shopTimezone)} AS ts,
      ${input.dateOffsets ? `${dateOffsetSql(col('date'), input.dateOffsets === 'length')} AS date_offset,` : ''}
      NULLIF(${col('order_id')}, '') AS order_id,
      NULLIF(${col('product_id')}, '') AS product_id,
      NULLIF(${col('description')}, '') AS description,
      NULLIF(${col('category')}, '') AS category,
      NULLIF(${col('channel')}, '') AS channel,
      NULLIF(${col('region')}, '') AS region,
      NULLIF(${col('country')}, '') AS country,
      ${hasQuantity ? number('quantity') : '1.0'} AS quantity,
      ${hasPrice ? number('unit_price') : 'CAST(NULL AS DOUBLE)'} AS unit_price_value,
      ${hasAmount ? number('amount') : 'CAST(NULL AS DOUBLE)'} AS amount_value,
      ${mapping.cost !== undefined ? number('cost') : 'CAST(NULL AS DOUBLE)'} AS cost,
      ${hasDiscount ? `${number('discount')} AS discount_value, ${col('discount')} AS discount_text,` : ''}
      ${PII_ROLES.map((role) => `${pii(role)} AS pii_${role}`).join(', ')},
      ${numberProblem} AS number_problem
    FROM ${input.stageTable}
  ) typed
) judged
) judged_rows`;
}

export interface DuplicateRowsInput {
  /** the judged rows (with `rid`, the row's id for an update, and `line`) */
  readonly cleanTable: string;
  readonly rules: Pick<CleaningRules, 'duplicate'>;
  /** false when the warehouse holds no transactions yet: no row can be held already (default: look) */
  readonly warehouseHoldsRows?: boolean;
  /** the table whose `row_hash`es count as held already (default `transactions`; `events` for event files) */
  readonly heldTable?: string;
  /** a table of `row_hash`es another store holds (a cluster the file goes to: `stageHeldRowHashes`), held too */
  readonly alsoHeldTable?: string;
}

/**
 * The rows the `duplicate` rule applies to, after the judging pass: every
 * exact copy of an earlier row of the same file (`first_line` = the line it
 * copies; reported in its detail, and its reason unless an earlier rule
 * already gave one), and, when the rule is on, every otherwise accepted row
 * whose hash the warehouse (or, `alsoHeldTable`, another store) already
 * holds (`first_line` NULL). A copy is
 * found by its row hash among all rows of the file, accepted or not.
 */
export function buildDuplicateRowsSql(input: DuplicateRowsInput): string {
  const heldIn = [...(input.warehouseHoldsRows !== false ? [input.heldTable ?? 'transactions'] : []), ...(input.alsoHeldTable ? [input.alsoHeldTable] : [])].map((table) => `c.row_hash IN (SELECT row_hash FROM ${table})`);
  const held = input.rules.duplicate && heldIn.length > 0 ? ` OR (c.reason IS NULL AND ${heldIn.length === 1 ? heldIn[0] : `(${heldIn.join(' OR ')})`})` : '';
  // Copies are looked for by a 64-bit hash of the row hash first (an integer GROUP BY over every row instead of one
  // over 32-character texts); only the few rows whose integer repeats are then grouped by their row hash itself.
  return `
WITH repeated AS (
  SELECT hash(row_hash) AS h FROM ${input.cleanTable} GROUP BY 1 HAVING count(*) > 1
), copies AS (
  SELECT row_hash, min(line) AS first_line FROM ${input.cleanTable} WHERE hash(row_hash) IN (SELECT h FROM repeated) GROUP BY row_hash HAVING count(*) > 1
)
SELECT c.rid, CASE WHEN c.line > copies.first_line THEN copies.first_line END AS first_line
FROM ${input.cleanTable} c LEFT JOIN copies ON copies.row_hash = c.row_hash
WHERE c.line > copies.first_line${held}`;
}
