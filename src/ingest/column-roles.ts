import { UserError } from '../core/errors/user-error.js';
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';

export type { PiiRole };

/** What an input column means to clvkit. */
export type ColumnRole =
  | 'customer_id'
  | 'date'
  | 'order_id'
  | 'amount'
  | 'quantity'
  | 'unit_price'
  | 'product_id'
  | 'description'
  | 'category'
  | 'country'
  | 'region'
  | 'channel'
  | 'cost'
  | PiiRole;

/**
 * Roles whose values are personal data (`PII_ROLES` of the privacy
 * classification): stored only as AES-256-GCM envelopes in
 * `customers.<role>_enc` (context = the customer token), never in clear.
 * They are mapped only on request (`--map email=client_email`), never by
 * name: what is not needed is not kept.
 */
export const PII_COLUMN_ROLES: readonly PiiRole[] = PII_ROLES;

export const COLUMN_ROLES: readonly ColumnRole[] = [
  'customer_id',
  'date',
  'order_id',
  'amount',
  'quantity',
  'unit_price',
  'product_id',
  'description',
  'category',
  'country',
  'region',
  'channel',
  'cost',
  ...PII_COLUMN_ROLES,
];

/** Common column names per role, compared after lower-casing and dropping everything but letters and digits. */
const ROLE_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  customer_id: ['customerid', 'customer', 'custid', 'cust', 'clientid', 'client', 'userid', 'user', 'memberid', 'buyerid', 'accountid', 'shopperid', 'masterid', 'customerno', 'customernumber', 'membernumber', 'memberno', 'member'],
  date: ['invoicedate', 'date', 'orderdate', 'transactiondate', 'purchasedate', 'timestamp', 'ts', 'datetime', 'time', 'createdat', 'orderedat', 'saledate', 'txdate', 'eventtime'],
  order_id: ['invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'orderid', 'order', 'orderno', 'ordernumber', 'transactionid', 'txid', 'receiptid', 'basketid'],
  amount: ['amount', 'total', 'linetotal', 'revenue', 'sales', 'value', 'spend', 'totalprice', 'totalamount', 'ordervalue', 'netamount', 'dollarvalue', 'price_total'],
  quantity: ['quantity', 'qty', 'units', 'count', 'numberofitems', 'items', 'ncds', 'numberofcds'],
  unit_price: ['unitprice', 'price', 'itemprice', 'priceeach', 'unitcost'],
  product_id: ['stockcode', 'productid', 'product', 'sku', 'itemid', 'item', 'articleid', 'productcode'],
  description: ['description', 'itemdescription', 'productname', 'itemname', 'name', 'title'],
  category: ['category', 'productcategory', 'department', 'categoryname'],
  country: ['country', 'countrycode'],
  region: ['region', 'state', 'province', 'city'],
  channel: ['channel', 'saleschannel', 'source', 'platform'],
  cost: ['cost', 'cogs', 'unitcogs', 'margincost'],
  // personal data: mapped only by --map
  email: [],
  phone: [],
  name: [],
  address: [],
  note: [],
};

/** Column names that look like personal data (after `normalise`), per PII role: for the ingest report's warning. */
const PII_LOOKALIKES: Readonly<Record<PiiRole, readonly string[]>> = {
  email: ['email', 'emailaddress', 'mail', 'customeremail', 'clientemail', 'useremail'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cellphone', 'customerphone'],
  name: ['customername', 'fullname', 'clientname', 'firstname', 'lastname', 'surname', 'givenname', 'contactname', 'username'],
  address: ['address', 'streetaddress', 'postaladdress', 'shippingaddress', 'billingaddress', 'street', 'postcode', 'zipcode', 'zip'],
  note: ['note', 'notes', 'comment', 'comments', 'remarks', 'customernote'],
};

/**
 * Unmapped columns whose names look like personal data, with the role they
 * resemble: the ingest report says they were not stored and how to keep them
 * (encrypted) if they are needed.
 *
 * Example: `piiLookalikeColumns(['CustomerID', 'Email'], { customer_id: 'CustomerID' })` → `[{ column: 'Email', role: 'email' }]`
 */
export function piiLookalikeColumns(columns: readonly string[], mapping: ColumnMapping): { column: string; role: PiiRole }[] {
  const used = new Set(Object.values(mapping));
  const found: { column: string; role: PiiRole }[] = [];
  for (const column of columns) {
    if (used.has(column)) continue;
    const role = PII_COLUMN_ROLES.find((r) => PII_LOOKALIKES[r].includes(normalise(column)));
    if (role) found.push({ column, role });
  }
  return found;
}

/** A resolved mapping: role → column name in the staged source. */
export type ColumnMapping = Partial<Record<ColumnRole, string>>;

/** How each role was decided, for the ingest report. */
export type MappingOrigin = 'flag' | 'name' | 'value';

export interface ResolvedMapping {
  readonly mapping: ColumnMapping;
  readonly origin: Partial<Record<ColumnRole, MappingOrigin>>;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Parse repeated `--map role=column` flags. A column may be a name or a
 * 1-based position (`--map customer_id=1`).
 */
export function parseMapFlags(flags: readonly string[]): Partial<Record<ColumnRole, string>> {
  const result: Partial<Record<ColumnRole, string>> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1) throw new UserError(`--map ${flag} is not role=column`, `e.g. --map customer_id=CustomerID or --map date=2; roles: ${COLUMN_ROLES.join(', ')}`);
    const role = flag.slice(0, eq).trim() as ColumnRole;
    if (!COLUMN_ROLES.includes(role)) throw new UserError(`--map ${flag}: unknown role '${role}'`, `roles are ${COLUMN_ROLES.join(', ')}`);
    const column = flag.slice(eq + 1).trim();
    if (result[role] !== undefined && result[role] !== column) throw new UserError(`--map ${role} is given twice (${result[role]} and ${column})`, `map each role to one column`);
    result[role] = column;
  }
  return result;
}

/**
 * Resolve roles to columns: flags first (by name, case-insensitive, or by
 * 1-based position), then common names, then (for files without a header)
 * the value-based guesses. Throws a one-line UserError listing the columns
 * found when customer_id, date, or an amount (amount, or quantity × unit_price)
 * stay unmapped.
 */
export function resolveColumnRoles(
  columns: readonly string[],
  flags: Partial<Record<ColumnRole, string>>,
  guesses: ColumnMapping = {},
): ResolvedMapping {
  const mapping: ColumnMapping = {};
  const origin: Partial<Record<ColumnRole, MappingOrigin>> = {};
  const used = new Set<string>();
  for (const [role, wanted] of Object.entries(flags) as [ColumnRole, string][]) {
    let column: string | undefined;
    if (/^\d+$/.test(wanted)) {
      const position = Number(wanted);
      if (position < 1 || position > columns.length) {
        throw new UserError(`--map ${role}=${wanted}: the file has ${columns.length} columns`, `positions are 1..${columns.length}; columns found: ${columns.join(', ')}`);
      }
      column = columns[position - 1];
    } else {
      column = columns.find((c) => c === wanted) ?? columns.find((c) => c.toLowerCase() === wanted.toLowerCase());
    }
    if (column === undefined) throw new UserError(`--map ${role}=${wanted}: no such column`, `columns found: ${columns.join(', ')}`);
    mapping[role] = column;
    origin[role] = 'flag';
    used.add(column);
  }
  for (const role of COLUMN_ROLES) {
    if (mapping[role] !== undefined) continue;
    const synonyms = ROLE_SYNONYMS[role];
    // Prefer the earliest synonym (most specific) over column order.
    let best: string | undefined;
    let bestRank = Infinity;
    for (const column of columns) {
      if (used.has(column)) continue;
      const rank = synonyms.indexOf(normalise(column));
      if (rank >= 0 && rank < bestRank) {
        best = column;
        bestRank = rank;
      }
    }
    if (best !== undefined) {
      mapping[role] = best;
      origin[role] = 'name';
      used.add(best);
    }
  }
  for (const [role, column] of Object.entries(guesses) as [ColumnRole, string][]) {
    if (mapping[role] !== undefined || used.has(column)) continue;
    mapping[role] = column;
    origin[role] = 'value';
    used.add(column);
  }
  const found = columns.map((c, i) => `${i + 1}:${c}`).join(', ');
  for (const role of ['customer_id', 'date'] as const) {
    if (mapping[role] === undefined) {
      throw new UserError(`no column for required role '${role}' (columns found: ${found})`, `pass --map ${role}=<column name or 1-based position>`);
    }
  }
  // neither amount nor unit_price: a frequency-only log (customer and date, e.g. BTYDplus `cust,date`); amounts stay NULL
  if (mapping.amount === undefined && mapping.unit_price !== undefined && mapping.quantity === undefined) {
    throw new UserError(
      `no column for the quantity: a unit price needs 'quantity' (or give the line total as 'amount') (columns found: ${found})`,
      'pass --map quantity=<column>, or --map amount=<column> for a line total',
    );
  }
  return { mapping, origin };
}

/** True when the mapping has an order value (amount, or quantity × unit price); false for a frequency-only log. */
export function hasOrderValue(mapping: Partial<Record<ColumnRole, string>>): boolean {
  return mapping.amount !== undefined || mapping.unit_price !== undefined;
}
