import type { Warehouse } from '../../engine/warehouse.js';
import { forEachChunk, textColumn } from '../../engine/read-chunks.js';
import type { Access } from './access.js';
import { classifyColumn, PII_ROLE_COLUMNS, PII_ROLES, type PiiRole } from './classification.js';
import { decryptValue } from '../keys/encryption.js';
import { KeyError } from '../../core/errors/key-error.js';
import type { Keyring } from '../keys/keyring.js';
import { maskValue } from './mask.js';
import { reidentify } from '../tokens/pseudonymise.js';
import { assertCan, permittedAction, presentColumn, type Action, type Presentation } from './rbac.js';
import { currentCustomersSql, type CustomerValueColumn } from '../../engine/current-customers.js';

/** Scratch table joined into a customer export: token → original id and PII as the role may see them. */
export const EXPORT_IDENTITY_TABLE = 'clv_export_identity';

export interface CustomerExportOptions {
  readonly keyring: Keyring | null;
  readonly access: Access;
  /** add `original_id` (requires `reidentify`: admin; audited by the caller) */
  readonly revealIds?: boolean;
  /** the per-customer table being exported (its `customer_id` are tokens) */
  readonly customerTable?: string;
  /** its alias in the caller's SELECT */
  readonly alias?: string;
  /** the PII columns that may appear at all (default: every one held); e.g. only `email` for an audience file */
  readonly piiRoles?: readonly PiiRole[];
  /** the permission the export needs (default `export_customers`; an audience file needs `export_audience` or `export_customers`) */
  readonly actions?: readonly Action[];
}

export interface CustomerExport {
  /** `, p.original_id, p.email, …` to append to the caller's select list ('' when nothing is added) */
  readonly selectSql: string;
  /** `LEFT JOIN clv_export_identity p ON …` ('' when nothing is added) */
  readonly joinSql: string;
  /** columns added, in order */
  readonly columns: readonly string[];
  /** customers whose original id was revealed */
  readonly revealed: number;
  /** how each PII column held in `customers` is shown to the role (hidden ones are left out) */
  readonly pii: Readonly<Partial<Record<PiiRole, Presentation>>>;
}

/**
 * Prepares the identity columns of a customer-level export for a role:
 * customer ids stay tokens; with `revealIds` (admin, `reidentify`) an
 * `original_id` column is added, each id decrypted from `customer_reid` and
 * checked to hash back to its token; PII columns held in `customers` appear
 * as `presentColumn` says for the role — raw for admins, masked for analysts
 * (`z***@example.com`), not at all when hidden (a note for anyone but an
 * admin). Decrypted values live only in an in-memory scratch table and the
 * export file. Requires `export_customers` (or one of `options.actions`).
 *
 * Example: analyst, e-mails held → `{ selectSql: ', p.email AS email', columns: ['email'], pii: { email: 'masked' }, revealed: 0, … }`
 */
export async function prepareCustomerExport(warehouse: Warehouse, options: CustomerExportOptions): Promise<CustomerExport> {
  const { access, keyring } = options;
  permittedAction(access.role, options.actions ?? ['export_customers']);
  if (options.revealIds) assertCan(access.role, 'reidentify');
  const table = options.customerTable ?? 'customer_summary';
  const alias = options.alias ?? 's';
  const d = warehouse.dialect;
  const present = new Set((await warehouse.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' AND table_catalog = current_database()`)).map((r) => String(r.column_name)));
  const pii: Partial<Record<PiiRole, Presentation>> = {};
  const shown: PiiRole[] = [];
  for (const role of options.piiRoles ?? PII_ROLES) {
    const column = PII_ROLE_COLUMNS[role];
    if (!present.has(column)) continue;
    const [held] = await warehouse.query(`SELECT count(*) AS n FROM ${currentCustomersSql(d, [column as CustomerValueColumn])} c JOIN ${d.identifier(table)} s ON s.customer_id = c.customer_id WHERE c.${d.identifier(column)} IS NOT NULL`);
    if (Number(held!.n) === 0) continue;
    pii[role] = presentColumn(access.role, classifyColumn('customers', column).class);
    if (pii[role] === 'raw' || pii[role] === 'masked') shown.push(role);
  }
  if (!options.revealIds && shown.length === 0) return { selectSql: '', joinSql: '', columns: [], revealed: 0, pii };
  if (!keyring) throw new KeyError('decrypting customer data needs the warehouse key', 'pass --key-file <path> or set CLVKIT_KEY');
  const columns = [...(options.revealIds ? ['original_id'] : []), ...shown];
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${EXPORT_IDENTITY_TABLE} (customer_id VARCHAR NOT NULL, ${columns.map((c) => `${d.identifier(c)} VARCHAR`).join(', ')})`);
  let revealed = 0;
  await forEachChunk(
    warehouse,
    'clv_export_identity_source',
    `SELECT s.customer_id, ${options.revealIds ? 'r.original_id_enc' : 'CAST(NULL AS VARCHAR) AS original_id_enc'}${shown.map((role) => `, c.${PII_ROLE_COLUMNS[role]} AS ${role}`).join('')}
     FROM (SELECT DISTINCT customer_id FROM ${d.identifier(table)}) s
     ${options.revealIds ? 'LEFT JOIN (SELECT customer_id, min(original_id_enc) AS original_id_enc FROM customer_reid GROUP BY customer_id) r ON r.customer_id = s.customer_id' : ''}
     ${shown.length > 0 ? `LEFT JOIN ${currentCustomersSql(d, shown.map((role) => PII_ROLE_COLUMNS[role] as CustomerValueColumn))} c ON c.customer_id = s.customer_id` : ''}`,
    async (chunk) => {
      const tokens = textColumn(chunk, 'customer_id') as string[];
      const data: Record<string, (string | null)[]> = { customer_id: tokens };
      if (options.revealIds) {
        data.original_id = textColumn(chunk, 'original_id_enc').map((envelope, i) => {
          if (envelope === null) return null;
          revealed++;
          return reidentify({ token: tokens[i]!, idEnc: envelope }, keyring);
        });
      }
      for (const role of shown) {
        const rule = classifyColumn('customers', PII_ROLE_COLUMNS[role]).mask;
        data[role] = textColumn(chunk, role).map((envelope, i) => {
          if (envelope === null) return null;
          const value = decryptValue(envelope, keyring, { context: tokens[i] });
          return pii[role] === 'raw' ? value : (maskValue(value, rule) as string);
        });
      }
      await warehouse.append(EXPORT_IDENTITY_TABLE, data);
    },
  );
  return {
    // named again: on ClickHouse the star-join rewrite renames p.column to p__column (star-joins.ts)
    selectSql: columns.map((c) => `, p.${d.identifier(c)} AS ${d.identifier(c)}`).join(''),
    joinSql: ` LEFT JOIN ${EXPORT_IDENTITY_TABLE} p ON p.customer_id = ${alias}.customer_id`,
    columns,
    revealed,
    pii,
  };
}
