import { UserError } from '../../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { deleteCustomerRows } from '../../engine/clickhouse/delete-customer-rows.js';
import { ensureClusterSchema } from '../../engine/clickhouse/ensure-cluster-schema.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { assertWarehouseKey } from '../keys/warehouse-key.js';
import { recordAudit } from './warehouse-audit.js';
import { resolveAccess } from '../access/access.js';
import { assertCan } from '../access/rbac.js';
import { createPseudonymiser } from '../tokens/pseudonymise.js';
import type { EraseOptions } from './erase-customers.js';

export interface ClusterEraseResult {
  /** the tokens of the ids given */
  readonly tokens: readonly string[];
  /** rows deleted per table, checked gone */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
}

/**
 * Right to erasure on a ClickHouse cluster: the ids' tokens (recomputed with
 * the key, as `eraseCustomers` does) are deleted from every table with a
 * `customer_id`, on every shard, and checked gone. As on DuckDB the key
 * must be the warehouse's, and one audit entry per customer (`erase`,
 * `customer:<token>`, rows per table) goes to the cluster's `audit_log`
 * once the rows are gone; ClickHouse rewrites the affected parts itself (no
 * file to compact). Requires `erase` (admin).
 *
 * Example: `await eraseCustomersOnClickHouse(cluster, ['C-1001'], { keyring, role: 'admin' })` → `{ tokens: ['c_…'], rowCounts: { transactions: 12, … }, rows: 13 }`
 */
export async function eraseCustomersOnClickHouse(cluster: ClickHouseWarehouse, customerIds: readonly string[], options: EraseOptions): Promise<ClusterEraseResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  await ensureClusterSchema(cluster); // the audit log
  await assertWarehouseKey(cluster, options.keyring);
  const pseudonymise = createPseudonymiser(options.keyring);
  const tokens = [...new Set(customerIds.map((id) => pseudonymise(id)))];
  // rows per customer and table, for the audit entries (deleteCustomerRows counts them all together)
  const list = tokens.map((t) => cluster.dialect.literal(t)).join(', ');
  const perCustomer = new Map<string, Record<string, number>>(tokens.map((t) => [t, {}]));
  const tables = await listCustomerTables(cluster);
  for (const table of tables) {
    for (const row of await cluster.query(`SELECT customer_id, count(*) AS n FROM ${table} WHERE customer_id IN (${list}) GROUP BY customer_id`)) perCustomer.get(String(row.customer_id))![table] = Number(row.n);
  }
  const rowCounts = await deleteCustomerRows(cluster, tokens);
  for (const token of tokens) {
    await recordAudit(cluster, options.keyring, access, { action: 'erase', target: { customerToken: token }, rowCounts: perCustomer.get(token)!, details: { tables_searched: tables.length } });
  }
  return { tokens, rowCounts, rows: Object.values(rowCounts).reduce((a, b) => a + b, 0) };
}
