import { UserError } from '../../core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { deleteCustomerRows } from '../../engine/clickhouse/delete-customer-rows.js';
import { STALE_STAGING_MS } from '../../engine/clickhouse/append-atomically.js';
import { runningCopies } from '../../engine/clickhouse/copy-ingest-to-clickhouse.js';
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

export interface ClusterEraseOptions extends EraseOptions {
  /** how long to wait for ingest copies running when the rows are gone (default 300 s) */
  readonly copyWaitSeconds?: number;
}

/** The sum of two counts of the same customers (`countCustomerRows`, same order). */
function addCounts(a: readonly ErasedCustomer[], b: readonly ErasedCustomer[]): ErasedCustomer[] {
  return a.map((customer, i) => {
    const rowCounts: Record<string, number> = { ...customer.rowCounts };
    for (const [table, n] of Object.entries(b[i]!.rowCounts)) rowCounts[table] = (rowCounts[table] ?? 0) + n;
    return { token: customer.token, rowCounts, rows: customer.rows + b[i]!.rows };
  });
}

/**
 * The rows of `tokens` that ingest copies running when they were deleted
 * attach after (their rows were staged before: not data yet, not erased):
 * waits until those copies have ended (up to `waitSeconds`), then counts and
 * deletes what landed. A copy marked running for more than an hour
 * (`STALE_STAGING_MS`, the bound on a staging table's life) is one that
 * stopped: it attaches nothing more, and the next ingest discards it.
 * Returns the rows deleted and the copies still running at the end.
 */
async function eraseWhatRunningCopiesAttach(cluster: ClickHouseWarehouse, tokens: readonly string[], waitSeconds: number): Promise<{ customers: ErasedCustomer[] | null; stillRunning: number[] }> {
  const started = Date.now();
  let open = (await runningCopies(cluster)).filter((copy) => started - copy.since.getTime() <= STALE_STAGING_MS).map((copy) => copy.ingestId);
  if (open.length === 0) return { customers: null, stillRunning: [] };
  while (open.length > 0 && Date.now() - started < waitSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const running = new Set((await runningCopies(cluster)).map((copy) => copy.ingestId));
    open = open.filter((id) => running.has(id));
  }
  const tables = await listCustomerTables(cluster); // a copy may have made a table
  const landed = await countCustomerRows(cluster, tokens, tables);
  const held = tablesWithRows(landed, tables);
  if (held.length > 0) await deleteCustomerRows(cluster, tokens, held);
  return { customers: landed, stillRunning: open };
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
export async function eraseCustomersOnClickHouse(cluster: ClickHouseWarehouse, customerIds: readonly string[], options: ClusterEraseOptions): Promise<ClusterEraseResult> {
  const access = resolveAccess(options);
  assertCan(access.role, 'erase');
  if (customerIds.length === 0) throw new UserError('no customer id given', 'pass the id as it appears in the input files, e.g. clvkit erase 17850');
  await ensureClusterSchema(cluster); // the audit log
  await assertWarehouseKey(cluster, options.keyring);
  const pseudonymise = createPseudonymiser(options.keyring);
  const tokens = [...new Set(customerIds.map((id) => pseudonymise(id)))];
  const tables = await listCustomerTables(cluster);
  let customers = await countCustomerRows(cluster, tokens, tables);
  const held = tablesWithRows(customers, tables);
  await deleteCustomerRows(cluster, tokens, held);
  // an ingest copy running now may attach rows of these customers staged before the deletion: waited for, and deleted too
  const late = await eraseWhatRunningCopiesAttach(cluster, tokens, options.copyWaitSeconds ?? 300);
  if (late.customers) customers = addCounts(customers, late.customers);
  for (const { token, rowCounts } of customers) {
    await recordAudit(cluster, options.keyring, access, { action: 'erase', target: { customerToken: token }, rowCounts, details: { tables_searched: tables.length } });
  }
  const erasedFrom = tablesWithRows(customers, [...new Set([...tables, ...customers.flatMap((c) => Object.keys(c.rowCounts))])]);
  const rowCounts = Object.fromEntries(erasedFrom.map((table) => [table, customers.reduce((sum, c) => sum + (c.rowCounts[table] ?? 0), 0)]));
  if (late.stillRunning.length > 0) {
    const rows = customers.reduce((sum, c) => sum + c.rows, 0);
    throw new UserError(
      `erased ${rows} rows (audited), but ingest cop${late.stillRunning.length === 1 ? 'y' : 'ies'} ${late.stillRunning.join(', ')} still ran after ${options.copyWaitSeconds ?? 300} s: rows of these customers staged there before the erasure may land after it`,
      'run the same erase again once that ingest has ended (a copy that stopped is discarded by the next ingest and adds nothing)',
    );
  }
  return { tokens, customers, tables, rowCounts, rows: customers.reduce((sum, c) => sum + c.rows, 0) };
}
