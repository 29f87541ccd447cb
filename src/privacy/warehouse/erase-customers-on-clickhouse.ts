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
import { countCustomerRows, tablesWithRows, type EraseOptions, type ErasedCustomer } from './erase-customers.js';

export interface ClusterEraseResult {
  /** the tokens of the ids given */
  readonly tokens: readonly string[];
  /** rows deleted per customer and table, as `eraseCustomers` reports them */
  readonly customers: readonly ErasedCustomer[];
  /** tables searched: every base table with a customer_id column */
  readonly tables: readonly string[];
  /** rows deleted per table (all customers), checked gone */
  readonly rowCounts: Readonly<Record<string, number>>;
  readonly rows: number;
}

/**
 * Right to erasure on a ClickHouse cluster: the ids' tokens (recomputed with
 * the key, as `eraseCustomers` does) are deleted from every base table with a
 * `customer_id` (the tables `eraseCustomers` searches), on every shard, and
 * checked gone. The rows are counted once, per customer and table, before the
 * deletion: those counts are the report, its totals and the audit entries. As
 * on DuckDB the key must be the warehouse's, and one audit entry per customer
 * (`erase`, `customer:<token>`, rows per table) goes to the cluster's
 * `audit_log` once the rows are gone; ClickHouse rewrites the affected parts
 * itself (no file to compact). Requires `erase` (admin).
 *
 * Example: `await eraseCustomersOnClickHouse(cluster, ['C-1001'], { keyring, role: 'admin' })` → `{ tokens: ['c_…'], rowCounts: { transactions: 12, … }, rows: 13, … }`
 */
export async function eraseCustomersOnClickHouse(cluster: ClickHouseWarehouse, customerIds: readonly string[], options: EraseOptions): Promise<ClusterEraseResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  await ensureClusterSchema(cluster); // the audit log
  await assertWarehouseKey(cluster, options.keyring);
  const pseudonymise = createPseudonymiser(options.keyring);
  const tokens = [...new Set(customerIds.map((id) => pseudonymise(id)))];
  const tables = await listCustomerTables(cluster);
  const customers = await countCustomerRows(cluster, tokens, tables);
  const held = tablesWithRows(customers, tables);
  await deleteCustomerRows(cluster, tokens, held);
  for (const { token, rowCounts } of customers) {
    await recordAudit(cluster, options.keyring, access, { action: 'erase', target: { customerToken: token }, rowCounts, details: { tables_searched: tables.length } });
  }
  const rowCounts = Object.fromEntries(held.map((table) => [table, customers.reduce((sum, c) => sum + (c.rowCounts[table] ?? 0), 0)]));
  return { tokens, customers, tables, rowCounts, rows: customers.reduce((sum, c) => sum + c.rows, 0) };
}
