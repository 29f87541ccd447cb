/**
 * The warnings of an order file's map step (`ingestFiles`): what the report says of the columns once their roles are
 * resolved — cells beyond the header, roles guessed from the values, a repeated header name, columns that look like
 * personal data (a bare 'name' column of people's names among them), no product column, no order value, customer
 * ids that look like names.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { bareNameColumns, hasOrderValue, mapFlag, personalDataLead, personalDataLeftOut, personalDataWarning, piiLookalikeColumns, type ColumnMapping, type ColumnRole, type MappingOrigin } from './column-roles.js';
import type { RoleGuess } from './guess-column-roles.js';
import { unreadColumns } from './ingest-report.js';
import { normaliseColumnName } from './match-column-roles.js';
import { NAME_SAMPLE_ROWS, nameLikeCustomerIdWarning } from './name-like-customer-ids.js';
import { personalNameEvidence } from './personal-name-values.js';
import type { StagedSource } from './stage-tables.js';
import { cellsBeyondHeaderWarning } from './stage-xlsx.js';

export interface ResolvedOrderColumns {
  /** the roles resolved: a bare 'name' column taken as the description that holds people's names is deleted from both */
  readonly mapping: ColumnMapping;
  readonly origin: Partial<Record<ColumnRole, MappingOrigin>>;
  /** what the values suggested (a headerless file), and its doubts */
  readonly guess: RoleGuess;
}

/**
 * The map step's warnings of an order file, in the order the report lists them. A bare 'name' column taken as the
 * description by its name whose values are people's names is left out: deleted from `columns.mapping` and
 * `columns.origin` (the warning says how to keep it, encrypted). `keepsFiles` false: personal data is said to be
 * left out, without the `--map` that would keep it (a warehouse thrown away after the run).
 */
export async function orderFileMappingWarnings(warehouse: Warehouse, staged: StagedSource, columns: ResolvedOrderColumns, keepsFiles: boolean | undefined): Promise<string[]> {
  const { mapping, origin, guess } = columns;
  const warnings: string[] = [];
  const beyondHeader = cellsBeyondHeaderWarning(staged, mapping);
  if (beyondHeader) warnings.push(beyondHeader);
  const guessed = (Object.keys(origin) as ColumnRole[]).filter((role) => origin[role] === 'value');
  if (guessed.length > 0) {
    const position = (r: ColumnRole) => staged.columns.indexOf(mapping[r]!) + 1;
    warnings.push(`no header: guessed ${guessed.sort((a, b) => position(a) - position(b)).map((r) => `${r}=${position(r)}`).join(', ')} from the values; override with --map role=position`);
    // a doubt about the customer guessed (one date per value, as an order id's), unless --map chose the customer
    if (origin.customer_id === 'value' && mapping.customer_id === guess.mapping.customer_id) warnings.push(...guess.doubts);
  }
  // The reader renames a repeated header name (customer_id, customer_id_1): say which one a role uses.
  for (const column of staged.columns) {
    const base = /^(.+)_(\d+)$/.exec(column)?.[1];
    if (base && staged.hasHeader && staged.columns.includes(base) && Object.values(mapping).includes(base)) {
      warnings.push(`the header names column '${base}' more than once: the first is used; the repeat is read as '${column}' (map it with --map role=${column} if that is the one)`);
    }
  }
  // a file read into memory is not stored: no --map keeps its personal data
  const notKept = keepsFiles === false ? personalDataLeftOut : personalDataWarning;
  for (const { column, role } of piiLookalikeColumns(staged.columns, mapping)) warnings.push(notKept(column, role));
  // a bare 'name' column: personal data when its values are people's names (personal-name-values.ts)
  const namesIn = async (column: string) => personalNameEvidence(warehouse, await staged.sampleFor(NAME_SAMPLE_ROWS, [column, mapping.customer_id!]), column, mapping.customer_id!);
  for (const column of staged.hasRows ? bareNameColumns(staged.columns, mapping) : []) {
    const names = await namesIn(column);
    if (names) warnings.push(notKept(column, 'name', names));
  }
  // a bare 'name' column read as the product description (a synonym): people's names would be stored as descriptions,
  // unencrypted. Taken by its name, it is left out (the warning says how to keep it, encrypted); mapped by --map, it is
  // stored as asked, and the warning says what that means
  const described = mapping.description;
  if (described !== undefined && staged.hasRows && bareNameColumns([described], {}).length === 1) {
    const names = await namesIn(described);
    if (names && origin.description === 'flag') {
      warnings.push(`${personalDataLead(described, 'name', names)}: mapped as the description by --map, it is stored as one, unencrypted; to keep it encrypted pass ${mapFlag('name', described)} instead`);
    } else if (names) {
      delete mapping.description;
      delete origin.description;
      warnings.push(notKept(described, 'name', names, 'the product description'));
    }
  }
  const productless = noProductColumnWarning(staged, mapping);
  if (productless) warnings.push(productless);
  if (!hasOrderValue(mapping)) {
    warnings.push('no order value (amount, or quantity and unit_price): its amounts stay empty, and its purchases count as purchases (purchase counts, P(alive), expected purchases, stages), not as spends; a warehouse of such files only (a frequency-only log) has no spend and no CLV');
  }
  if (origin.customer_id === 'name' && staged.hasRows) {
    const names = await nameLikeCustomerIdWarning(warehouse, await staged.sampleFor(NAME_SAMPLE_ROWS), mapping.customer_id!);
    if (names) warnings.push(names);
  }
  return warnings;
}

/**
 * The warning for an order file with values but no product column recognised while some of its columns went unread:
 * the non_product rule (postage, fees, manual adjustments) reads product codes, so such lines were accepted as
 * purchases, and cross-sell has no products. One of the unread columns is often the product code under a name not
 * known (a user trial: 'Référence', 'Código'). Null when a product is mapped, the file has no values, or no unread
 * column's name could be one.
 */
function noProductColumnWarning(staged: { readonly columns: readonly string[]; readonly hasHeader: boolean }, mapping: ColumnMapping): string | null {
  if (mapping.product_id !== undefined || !hasOrderValue(mapping) || !staged.hasHeader) return null;
  // names that may be a product code in some language (Référence, Código, Codice articolo, Item no., EAN), not every
  // unread column: a payments export's ids and statuses, a worksheet's unnamed notes, are no product
  const productLike = (column: string) => /ref|cod|art|sku|item|prod|stock|ean|gtin|upc/.test(normaliseColumnName(column));
  const unread = unreadColumns(staged.columns, mapping).filter((column) => productLike(column) && piiLookalikeColumns([column], mapping).length === 0);
  if (unread.length === 0) return null;
  return `no product column recognised (not read: ${unread.join(', ')}): the non_product rule (postage, fees, manual adjustments) could not be applied and cross-sell has no products; if one of them is the product code, pass ${mapFlag('product_id', unread[0]!)}`;
}
