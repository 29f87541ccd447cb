import { UserError } from '../core/errors/user-error.js';
import { PII_ROLES, type PiiRole } from '../privacy/access/classification.js';
import { mapFlag, matchColumnRoles, normaliseColumnName, requireRoles, type MappingOrigin } from './match-column-roles.js';
import { columnsFound } from './columns-found.js';

export { mapFlag };

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
  | 'discount'
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
  'discount',
  ...PII_COLUMN_ROLES,
];

/**
 * The same roles as shops in Germany, France, Spain, Italy and the Netherlands name them in their own exports
 * (after `normaliseColumnName`: accents folded, so Stückpreis is 'stuckpreis', N° client 'nclient'), tried after the
 * English names. Names that mean other things in English ('data', 'reference') are left out.
 */
const EUROPEAN_SYNONYMS: Readonly<Partial<Record<ColumnRole, readonly string[]>>> = {
  // the generic words only: the id names (CUSTOMER_NUMBER_NAMES) rank above English's generic 'customer', 'client'
  customer_id: ['kunde', 'cliente', 'klant'],
  date: ['bestelldatum', 'rechnungsdatum', 'kaufdatum', 'auftragsdatum', 'belegdatum', 'datum', 'datedecommande', 'datecommande', 'datedefacture', 'fechadepedido', 'fechapedido', 'fechadecompra', 'fechadefactura', 'fechafactura', 'fecha', 'dataordine', 'datadellordine', 'datafattura', 'dataacquisto', 'data', 'besteldatum', 'orderdatum', 'factuurdatum'],
  order_id: ['bestellnummer', 'bestellnr', 'bestellung', 'auftragsnummer', 'auftragsnr', 'rechnungsnummer', 'rechnungsnr', 'rechnung', 'belegnummer', 'belegnr', 'ndecommande', 'ncommande', 'numerodecommande', 'numerocommande', 'commande', 'ndefacture', 'nfacture', 'numerodefacture', 'numerofacture', 'facture', 'numerodepedido', 'numeropedido', 'idpedido', 'pedido', 'numerodefactura', 'numerofactura', 'nfactura', 'factura', 'numeroordine', 'idordine', 'ordine', 'numerofattura', 'nfattura', 'fattura', 'ordernummer', 'bestelnummer', 'bestelling', 'factuurnummer'],
  amount: ['betrag', 'gesamtbetrag', 'bruttobetrag', 'nettobetrag', 'umsatz', 'summe', 'gesamtpreis', 'montant', 'montanttotal', 'importe', 'monto', 'importo', 'totale', 'bedrag', 'totaalbedrag', 'omzet'],
  quantity: ['menge', 'anzahl', 'stuckzahl', 'stueckzahl', 'quantite', 'cantidad', 'quantita', 'aantal'],
  unit_price: ['stuckpreis', 'stueckpreis', 'einzelpreis', 'preis', 'prixunitaire', 'prix', 'preciounitario', 'precio', 'prezzounitario', 'prezzo', 'stukprijs', 'eenheidsprijs', 'prijs'],
  product_id: ['artikelnummer', 'artikelnr', 'artikel', 'produktid', 'produkt', 'codeproduit', 'produit', 'referenceproduit', 'idproducto', 'codigoproducto', 'codigoarticulo', 'producto', 'codiceprodotto', 'codicearticolo', 'prodotto', 'articolo', 'artikelcode'],
  description: ['bezeichnung', 'artikelbezeichnung', 'artikelname', 'produktname', 'beschreibung', 'libelle', 'designation', 'descripcion', 'descrizione', 'omschrijving'],
  category: ['kategorie', 'warengruppe', 'produktkategorie', 'categorie', 'categoria'],
  country: ['land', 'pays', 'pais', 'paese', 'nazione'],
  region: ['bundesland'],
  channel: ['vertriebskanal', 'kanal', 'canal', 'canale', 'kanaal'],
  cost: ['kosten', 'einkaufspreis', 'cout', 'coste', 'costo', 'kostprijs'],
};

/**
 * Names of a customer number, English (Customer No, Customer Number) and of those exports (Kundennummer, N° client,
 * Codice cliente, …): ranked right after 'customerid', above every generic word ('Customer', 'Client', 'Cliente',
 * 'Kunde', often the customer's name), for transaction, event and profile files alike.
 */
export const CUSTOMER_NUMBER_NAMES: readonly string[] = ['customerno', 'customernumber', 'kundennummer', 'kundennr', 'kundenid', 'nclient', 'numeroclient', 'idclient', 'codeclient', 'idcliente', 'codigocliente', 'numerocliente', 'ncliente', 'codicecliente', 'klantnummer', 'klantid'];

/** Common column names per role, compared after `normaliseColumnName`: English first, then `EUROPEAN_SYNONYMS`. */
const ROLE_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = withEuropeanSynonyms({
  customer_id: ['customerid', 'customer', 'custid', 'cust', 'clientid', 'client', 'userid', 'user', 'memberid', 'buyerid', 'accountid', 'shopperid', 'masterid', 'membernumber', 'memberno', 'member'],
  date: ['invoicedate', 'date', 'orderdate', 'transactiondate', 'purchasedate', 'timestamp', 'ts', 'datetime', 'time', 'createdat', 'orderedat', 'saledate', 'txdate', 'eventtime', 'createdutc', 'createddateutc', 'created', 'createddate'],
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
  // the amount taken off a line (Shopify's Lineitem discount): value = quantity × unit price − discount; never an
  // order-level discount (Shopify's Discount Amount, on the order's first line only)
  discount: ['lineitemdiscount', 'linediscount', 'itemdiscount'],
  // personal data: mapped only by --map
  email: [],
  phone: [],
  name: [],
  address: [],
  note: [],
});

function withEuropeanSynonyms(english: Record<ColumnRole, readonly string[]>): Record<ColumnRole, readonly string[]> {
  const all = { ...english };
  for (const role of Object.keys(EUROPEAN_SYNONYMS) as ColumnRole[]) all[role] = [...english[role], ...EUROPEAN_SYNONYMS[role]!];
  // a customer number beside a generic 'Customer' / 'Cliente' / 'Client' column (often the customer's name: a
  // PrestaShop order list) is the id: the number names come right after English's 'customerid', before every generic word
  all.customer_id = [english.customer_id[0]!, ...CUSTOMER_NUMBER_NAMES, ...all.customer_id.slice(1)];
  return all;
}

/**
 * Column names that look like personal data (after `normalise`), per PII role: for the ingest report's warning. The
 * names' are those that name a person's name in any file — first and last names in the European languages too, and the
 * billing / shipping name of an order export; a bare 'name' only in a file about people (`BARE_NAME_WORDS`).
 */
const PII_LOOKALIKES: Readonly<Record<PiiRole, readonly string[]>> = {
  email: ['email', 'emailaddress', 'mail', 'customeremail', 'clientemail', 'useremail'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cellphone', 'customerphone'],
  name: [
    'customername', 'fullname', 'clientname', 'firstname', 'lastname', 'surname', 'givenname', 'contactname', 'username',
    'billingname', 'shippingname', 'recipientname', 'buyername',
    'vorname', 'nachname', 'familienname', 'prenom', 'nomdefamille', 'apellido', 'apellidos', 'cognome', 'voornaam', 'achternaam',
  ],
  address: ['address', 'streetaddress', 'postaladdress', 'shippingaddress', 'billingaddress', 'street', 'postcode', 'zipcode', 'zip'],
  note: ['note', 'notes', 'comment', 'comments', 'remarks', 'customernote'],
};

/**
 * A bare 'name' (English, German), 'nom', 'nombre', 'nome', 'naam': a person's name in a file about people (a customer
 * profile), but in an order or event file as often a product's or an order's (Shopify's 'Name' is the order number):
 * there it counts only when its values look like people's names (`personalNameEvidence`).
 */
export const BARE_NAME_WORDS: readonly string[] = ['name', 'nom', 'nombre', 'nome', 'naam'];

/**
 * Unmapped columns whose names look like personal data, with the role they
 * resemble: the ingest report says they were not stored and how to keep them
 * (encrypted) if they are needed. In a file about people (`aboutPeople`: a
 * customer profile file) a bare 'name' column (`BARE_NAME_WORDS`) is a
 * person's name too.
 *
 * Example: `piiLookalikeColumns(['CustomerID', 'Email'], { customer_id: 'CustomerID' })` → `[{ column: 'Email', role: 'email' }]`
 */
export function piiLookalikeColumns(columns: readonly string[], mapping: ColumnMapping, options: { readonly aboutPeople?: boolean } = {}): { column: string; role: PiiRole }[] {
  const used = new Set(Object.values(mapping));
  const found: { column: string; role: PiiRole }[] = [];
  for (const column of columns) {
    if (used.has(column)) continue;
    const role = PII_COLUMN_ROLES.find((r) => PII_LOOKALIKES[r].includes(normalise(column))) ?? (options.aboutPeople && BARE_NAME_WORDS.includes(normalise(column)) ? 'name' : undefined);
    if (role) found.push({ column, role });
  }
  return found;
}

/** Unmapped columns named a bare 'name' (`BARE_NAME_WORDS`): in an order file, personal data only if their values say so. */
export function bareNameColumns(columns: readonly string[], mapping: ColumnMapping): string[] {
  const used = new Set(Object.values(mapping));
  return columns.filter((column) => !used.has(column) && BARE_NAME_WORDS.includes(normalise(column)));
}

/**
 * The ingest report's warning about an unmapped column that looks like personal data (`why`: what in its values
 * says so, when its name alone does not; `notStoredAs`: the role it was not stored as, when it was taken for one), with
 * the `--map` flag that keeps it, quoted for a shell when it needs to be.
 *
 * Example: `personalDataWarning('Phone Number', 'phone')` → `column 'Phone Number' looks like personal data (phone) and was not stored; to keep it (encrypted) pass --map 'phone=Phone Number'`
 */
export function personalDataWarning(column: string, role: PiiRole, why?: string, notStoredAs?: string): string {
  return `${personalDataLead(column, role, why)} and was not stored${notStoredAs ? ` as ${notStoredAs}` : ''}; to keep it (encrypted) pass ${mapFlag(role, column)}`;
}

/**
 * The same warning for a file read into memory (summarize, validate, segments orders.csv, analyze without --db): nothing
 * is stored, so there is nothing to keep and no `--map` to advise.
 *
 * Example: `personalDataLeftOut('Email', 'email')` → `column 'Email' looks like personal data (email) and was left out (a file read in memory is not stored)`
 */
export function personalDataLeftOut(column: string, role: PiiRole, why?: string, notReadAs?: string): string {
  return `${personalDataLead(column, role, why)} and was left out${notReadAs ? ` (not read as ${notReadAs})` : ''} (a file read in memory is not stored)`;
}

/** `column 'X' looks like personal data (role: why)`: how every personal-data warning of the ingest report begins. */
export function personalDataLead(column: string, role: PiiRole, why?: string): string {
  return `column '${column}' looks like personal data (${role}${why ? `: ${why}` : ''})`;
}

/**
 * The same warning for an event file, which keeps no personal data: the column can be kept, encrypted, from a customer
 * profile file only (`--kind customers`).
 *
 * Example: `eventPersonalDataWarning('email', 'email')` → `column 'email' looks like personal data (email) and was not stored: an event file keeps none; …`
 */
export function eventPersonalDataWarning(column: string, role: PiiRole): string {
  return `${personalDataLead(column, role)} and was not stored: an event file keeps none; to keep it (encrypted), ingest it with the customer ids in a customer profile file (--kind customers)`;
}

/** Without a customer id, an email column (Shopify's order export has no other) can serve as one: the hint says how. */
function emailAsIdHint(columns: readonly string[]): string | undefined {
  const email = columns.find((column) => PII_LOOKALIKES.email.includes(normalise(column)));
  return email === undefined ? undefined : `the file has no customer id column but an email column: pass --map customer_id=${email} to use it as the customer id (pseudonymised like any id)`;
}

/** A resolved mapping: role → column name in the staged source. */
export type ColumnMapping = Partial<Record<ColumnRole, string>>;

export type { MappingOrigin };

export interface ResolvedMapping {
  readonly mapping: ColumnMapping;
  readonly origin: Partial<Record<ColumnRole, MappingOrigin>>;
  /** what the report should say about the mapping: a `--map` flag it left unused, and why */
  readonly warnings: readonly string[];
}

const normalise = normaliseColumnName;

/**
 * Shopify's order export (one row per line item: Name, Email, …, Total, Created at, Lineitem quantity, Lineitem
 * name, Lineitem price, Lineitem sku, …) read by the common names went wrong: 'Total' (the whole order, with shipping
 * and taxes, on its first line only) became every line's amount, so an order's other lines were quarantined
 * bad_number, and 'Name' (the order number, #1001) became the description. Recognised by its line-item columns,
 * such a file is read as lines: the order is Name, the value Lineitem quantity × Lineitem price.
 */
function isShopifyOrderExport(columns: readonly string[]): boolean {
  const names = new Set(columns.map(normalise));
  return names.has('lineitemquantity') && names.has('lineitemprice') && names.has('name');
}

const SHOPIFY_SYNONYMS: Readonly<Record<ColumnRole, readonly string[]>> = {
  ...ROLE_SYNONYMS,
  order_id: ['name', ...ROLE_SYNONYMS.order_id],
  amount: [],
  quantity: ['lineitemquantity'],
  unit_price: ['lineitemprice'],
  product_id: ['lineitemsku', ...ROLE_SYNONYMS.product_id],
  description: ['lineitemname'],
};

/**
 * Parse repeated `--map role=column` flags. A column may be a name or a
 * 1-based position (`--map customer_id=1`).
 */
export function parseMapFlags(flags: readonly string[], knownRoles: readonly string[] = COLUMN_ROLES): Partial<Record<ColumnRole, string>> {
  const result: Partial<Record<string, string>> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1) throw new UserError(`--map ${flag} is not role=column`, `e.g. --map customer_id=CustomerID or --map date=2; roles: ${knownRoles.join(', ')}`);
    const role = flag.slice(0, eq).trim();
    if (!knownRoles.includes(role)) throw new UserError(`--map ${flag}: unknown role '${role}'`, `roles are ${knownRoles.join(', ')}`);
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
 * stay unmapped. A line discount is kept only where it applies (a unit
 * price, no line total): beside a line total it is unmapped, or refused when
 * asked for; without a unit price unmapped, with a warning when asked for.
 */
export function resolveColumnRoles(
  columns: readonly string[],
  flags: Partial<Record<ColumnRole, string>>,
  guesses: ColumnMapping = {},
): ResolvedMapping {
  // a flag taking a required column, or the unit price of a file whose only order value it is, is refused (one column,
  // two roles); other roles a flag's column leaves without a column stay unmatched, as the flag asks
  const needed = (role: ColumnRole, matched: Partial<Record<ColumnRole, string>>) => role === 'customer_id' || role === 'date' || (role === 'unit_price' && matched.amount === undefined);
  const { mapping, origin } = matchColumnRoles(columns, flags, COLUMN_ROLES, isShopifyOrderExport(columns) ? SHOPIFY_SYNONYMS : ROLE_SYNONYMS, guesses, needed);
  requireRoles(mapping, ['customer_id', 'date'], columns, '', (role) => (role === 'customer_id' ? emailAsIdHint(columns) : undefined));
  const found = columnsFound(columns, true).text; // masked when the names are a data row
  // a line discount is taken off quantity × unit price; a line total (amount) is already net of it
  if (mapping.discount !== undefined && mapping.amount !== undefined) {
    if (origin.discount === 'flag') throw new UserError(`--map discount=${mapping.discount}: a discount is taken off quantity × unit price, and this file's value is its amount column ${mapping.amount}, a line total`, 'leave --map discount out (the line total is used as it is), or map quantity and unit_price instead of amount');
    delete mapping.discount;
    delete origin.discount;
  }
  // nor without a unit price (a frequency-only log): it lowers no value, and a value of it that did not read would
  // quarantine its row for nothing; unmapped (the report lists the column as not read), with a warning when asked for
  const warnings: string[] = [];
  if (mapping.discount !== undefined && mapping.unit_price === undefined) {
    if (origin.discount === 'flag') warnings.push(`--map discount=${mapping.discount} was not used: a discount is taken off quantity × unit price, and this file has no unit price`);
    delete mapping.discount;
    delete origin.discount;
  }
  // neither amount nor unit_price: a frequency-only log (customer and date, e.g. BTYDplus `cust,date`); amounts stay NULL
  if (mapping.amount === undefined && mapping.unit_price !== undefined && mapping.quantity === undefined) {
    throw new UserError(
      `no column for the quantity: a unit price needs 'quantity' (or give the line total as 'amount') (columns found: ${found})`,
      'pass --map quantity=<column>, or --map amount=<column> for a line total',
    );
  }
  return { mapping, origin, warnings };
}

/** True when the mapping has an order value (amount, or quantity × unit price); false for a frequency-only log. */
export function hasOrderValue(mapping: Partial<Record<ColumnRole, string>>): boolean {
  return mapping.amount !== undefined || mapping.unit_price !== undefined;
}
