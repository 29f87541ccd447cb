import { UserError } from '../../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { deleteCustomerRows } from '../../engine/clickhouse/delete-customer-rows.js';
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
 * `customer_id`, on every shard, and checked gone. Unlike the DuckDB
 * warehouse there is no audit entry on the cluster yet, and ClickHouse
 * rewrites the affected parts itself (no file to compact). Requires `erase` (admin).
 *
 * Example: `await eraseCustomersOnClickHouse(cluster, ['C-1001'], { keyring, role: 'admin' })` → `{ tokens: ['c_…'], rowCounts: { transactions: 12, … }, rows: 13 }`
 */
export async function eraseCustomersOnClickHouse(cluster: ClickHouseWarehouse, customerIds: readonly string[], options: EraseOptions): Promise<ClusterEraseResult> {
  assertCan(resolveAccess(options).role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  const pseudonymise = createPseudonymiser(options.keyring);
  const tokens = [...new Set(customerIds.map((id) => pseudonymise(id)))];
  const rowCounts = await deleteCustomerRows(cluster, tokens);
  return { tokens, rowCounts, rows: Object.values(rowCounts).reduce((a, b) => a + b, 0) };
}
