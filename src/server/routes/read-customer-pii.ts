/**
 * Personal data next to customer tokens, as the role may see it: each PII
 * column of `customers` is shown as `presentColumn` says (the CLI's matrix) —
 * masked by its column's mask rule (`maskValue`), raw only for a role with
 * `view_raw_pii` that asked for it (`reveal`, audited by the caller), hidden
 * otherwise. Original ids only with `reveal` and `reidentify`.
 */
import type { Warehouse } from '../../engine/warehouse.js';
import { classifyColumn, PII_ROLE_COLUMNS, PII_ROLES, type PiiRole } from '../../privacy/access/classification.js';
import { maskValue } from '../../privacy/access/mask.js';
import { can, presentColumn, type Presentation, type Role } from '../../privacy/access/rbac.js';
import { decryptValue } from '../../privacy/keys/encryption.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { reidentify } from '../../privacy/tokens/pseudonymise.js';
import { tableExists } from '../../features/table-exists.js';
import { currentCustomersSql, type CustomerValueColumn } from '../../engine/current-customers.js';
import type { JsonValue } from '../../privacy/warehouse/canonical-json.js';
import type { WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';

export interface CustomerPii {
  /** how each PII column held is shown (hidden ones included, so the page can say so) */
  readonly shown: Partial<Record<PiiRole, Presentation>>;
  /** token → the shown values */
  readonly values: ReadonlyMap<string, Partial<Record<PiiRole, string | null>>>;
  /** token → original id (reveal only) */
  readonly originalIds: ReadonlyMap<string, string | null> | null;
  /** raw values or ids were shown (the caller audits it) */
  readonly revealed: boolean;
}

/**
 * One customer's identity as a customer read shows it (the API's customer 360, `clvkit customer <id>`): the token, the
 * original id when revealed, whether raw values were shown, the personal data as shown and how each column was shown.
 */
export function shownCustomer(pii: CustomerPii, token: string) {
  return {
    customer: token,
    ...(pii.originalIds ? { originalId: pii.originalIds.get(token) ?? null } : {}),
    revealed: pii.revealed,
    pii: pii.values.get(token) ?? {},
    piiShown: pii.shown,
  };
}

/** How a PII column is shown to `role`: raw only when revealing; a role allowed raw values sees them masked otherwise. */
export function piiPresentation(role: Role, column: string, reveal: boolean): Presentation {
  const presentation = presentColumn(role, classifyColumn('customers', column).class);
  return presentation === 'raw' && !reveal ? 'masked' : presentation;
}

/** The PII of these customers (tokens as stored) for `role`; nothing is decrypted without a keyring or for a role that sees none. */
export async function readCustomerPii(warehouse: Warehouse, keyring: Keyring | null, role: Role, tokens: readonly string[], reveal: boolean): Promise<CustomerPii> {
  const d = warehouse.dialect;
  const revealIds = reveal && can(role, 'reidentify');
  const empty: CustomerPii = { shown: {}, values: new Map(), originalIds: null, revealed: false };
  if (tokens.length === 0 || !(await tableExists(warehouse, 'customers'))) return empty;
  const present = new Set(
    (await warehouse.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' AND table_catalog = current_database()")).map((r) => String(r.column_name)),
  );
  const shown: Partial<Record<PiiRole, Presentation>> = {};
  const readable: PiiRole[] = [];
  for (const pii of PII_ROLES) {
    const column = PII_ROLE_COLUMNS[pii];
    if (!present.has(column)) continue;
    shown[pii] = keyring ? piiPresentation(role, column, reveal) : 'hidden';
    if (shown[pii] === 'raw' || shown[pii] === 'masked') readable.push(pii);
  }
  const list = tokens.map((t) => d.literal(t)).join(', ');
  const values = new Map<string, Partial<Record<PiiRole, string | null>>>();
  if (keyring && readable.length > 0) {
    // the latest value per customer and column (a cluster holds a row per file: current-customers.ts)
    const current = currentCustomersSql(d, readable.map((p) => PII_ROLE_COLUMNS[p] as CustomerValueColumn), `customer_id IN (${list})`);
    const rows = await warehouse.query(`SELECT customer_id, ${readable.map((p) => PII_ROLE_COLUMNS[p]).join(', ')} FROM ${current} cc`);
    for (const row of rows) {
      const token = String(row.customer_id);
      const entry: Partial<Record<PiiRole, string | null>> = {};
      for (const pii of readable) {
        const envelope = row[PII_ROLE_COLUMNS[pii]];
        if (envelope === null || envelope === undefined) {
          entry[pii] = null;
          continue;
        }
        const value = decryptValue(String(envelope), keyring, { context: token });
        entry[pii] = shown[pii] === 'raw' ? value : (maskValue(value, classifyColumn('customers', PII_ROLE_COLUMNS[pii]).mask) as string | null);
      }
      values.set(token, entry);
    }
  }
  let originalIds: Map<string, string | null> | null = null;
  if (revealIds && keyring && (await tableExists(warehouse, 'customer_reid'))) {
    originalIds = new Map(tokens.map((t) => [t, null]));
    const rows = await warehouse.query(`SELECT customer_id, min(original_id_enc) AS original_id_enc FROM customer_reid WHERE customer_id IN (${list}) GROUP BY customer_id`);
    for (const row of rows) {
      const token = String(row.customer_id);
      if (row.original_id_enc !== null && row.original_id_enc !== undefined) originalIds.set(token, reidentify({ token, idEnc: String(row.original_id_enc) }, keyring));
    }
  }
  const revealed = Object.values(shown).some((p) => p === 'raw') || originalIds !== null;
  return { shown, values, originalIds, revealed };
}

/** The fields of `pii` shown as `as` with a value for at least one customer (a field held for nobody showed nothing). */
function fieldsShown(pii: CustomerPii, as: Presentation): PiiRole[] {
  return PII_ROLES.filter((field) => pii.shown[field] === as && [...pii.values.values()].some((entry) => entry[field] !== null && entry[field] !== undefined));
}

/**
 * The audit entries of a customer read (the API's list and 360, the CLI's `customer <id> --db`), saying what it
 * showed: the read — `view_raw_pii` when raw personal values were shown, else `view_tokens` — with `details.pii` the
 * fields shown raw and `details.piiMasked` those shown masked (a field hidden from the role, or held for none of the
 * customers, in neither); and, when original ids were shown, a `reidentify` entry counting the customers whose id was.
 *
 * Example: an admin's `reveal=1` read of one customer with an e-mail → `view_raw_pii` `{ pii: ['email'], piiMasked: [] }`, then `reidentify` `{ customers: 1 }`
 */
export function customerReadAudits(pii: CustomerPii, read: { readonly target: WarehouseAuditRecord['target']; readonly rowCounts: Readonly<Record<string, number>>; readonly details: { readonly [key: string]: JsonValue } }): WarehouseAuditRecord[] {
  const raw = fieldsShown(pii, 'raw');
  const entries: WarehouseAuditRecord[] = [{ action: raw.length > 0 ? 'view_raw_pii' : 'view_tokens', target: read.target, rowCounts: read.rowCounts, details: { ...read.details, pii: raw, piiMasked: fieldsShown(pii, 'masked') } }];
  if (pii.originalIds) {
    const shown = [...pii.originalIds.values()].filter((id) => id !== null).length;
    entries.push({ action: 'reidentify', target: read.target, rowCounts: { customers: shown }, details: read.details });
  }
  return entries;
}
