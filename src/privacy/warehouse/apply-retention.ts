import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import type { Keyring } from '../keys/keyring.js';
import { assertCan } from '../access/rbac.js';
import { formatRetention, parseRetention, retentionCutoff, type RetentionPeriod } from './retention.js';
import { recordAudit } from './warehouse-audit.js';
import { assertWarehouseKey, writeWarehouseMetaValues } from '../keys/warehouse-key.js';
import { currentCustomersSql } from '../../engine/current-customers.js';

/** Tables with a retention period of their own. */
/** Per-customer tables that record facts about a customer (contact data, re-identification, audience membership) rather than summarise transactions. */
export const CUSTOMER_RECORD_TABLES: readonly string[] = ['customers', 'customer_reid', 'audience_members'];

export type RetentionTable = 'transactions' | 'events' | 'quarantine' | 'login_attempts' | 'api_tokens';
/** The server's tables with a period: login attempts (user names typed, client addresses) by their time; API tokens once revoked or expired that long ago. */
export const RETENTION_TABLES: readonly RetentionTable[] = ['transactions', 'events', 'quarantine', 'login_attempts', 'api_tokens'];

/** `warehouse_meta` name prefix of the retention policy last applied (`retention.transactions` = `3y`). */
export const RETENTION_META_PREFIX = 'retention.';
/** `warehouse_meta` name prefix of a period last applied that was inherited (`retention_inherited.quarantine` = `transactions`). */
export const RETENTION_INHERITED_META_PREFIX = 'retention_inherited.';

export interface ApplyRetentionOptions extends AccessOptions {
  readonly keyring: Keyring;
  /** per table; quarantine takes the transactions period when it has none */
  readonly periods: Readonly<Partial<Record<RetentionTable, RetentionPeriod | string>>>;
  readonly now?: Date;
}

export interface RetentionResult {
  readonly cutoffs: Readonly<Partial<Record<RetentionTable, string>>>;
  /** rows deleted per table (incl. customers left with nothing within its period) */
  readonly deleted: Readonly<Record<string, number>>;
  readonly rows: number;
}

/**
 * Purges data past its retention period: `transactions` and `events` rows
 * whose `ts` is before the cutoff (`retentionCutoff`), quarantined rows of
 * the same age (their date when it was readable, else the time they were
 * ingested; the quarantine period, or the transactions one), and then the
 * customers of whom nothing is held within its period (`customersWithNothingHeld`:
 * no transaction, no event, no profile younger than the transactions cutoff)
 * from `customers`, `customer_reid` and `audience_members`. The server's `login_attempts` older than their period,
 * and `api_tokens` revoked or expired longer ago than theirs, go too. The derived per-customer tables (`customer_summary`,
 * scores, segments, stages, cohorts…) summarise purged rows — a first
 * purchase date, a total spend — so when any transaction or event went they
 * are emptied (the next `analyze` rebuilds them). Records the policy
 * (for the privacy report) and one audit entry with the counts, then
 * CHECKPOINT; call `compactWarehouseFile` after closing to drop freed pages.
 *
 * Requires `apply_retention` (admin).
 *
 * Example: `await applyRetention(wh, { keyring, role: 'admin', periods: { events: '180d', transactions: '3y' } })` → `{ deleted: { transactions: 1200, quarantine: 40, customers: 7, … }, … }`
 */
export async function applyRetention(warehouse: Warehouse, options: ApplyRetentionOptions): Promise<RetentionResult> {
  const { access, periods, cutoffs } = planRetention(options);
  await assertWarehouseKey(warehouse, options.keyring);
  const d = warehouse.dialect;
  const result = await warehouse.transaction(async () => {
    const deleted: Record<string, number> = {};
    const purge = async (table: string, where: string) => {
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${d.identifier(table)} WHERE ${where}`);
      deleted[table] = Number(row!.n);
      if (deleted[table]! > 0) await warehouse.execute(`DELETE FROM ${d.identifier(table)} WHERE ${where}`);
    };
    if (cutoffs.transactions) await purge('transactions', `ts < ${d.timestamp(cutoffs.transactions)}`);
    if (cutoffs.events) await purge('events', `ts < ${d.timestamp(cutoffs.events)}`);
    // the server's bookkeeping: never a customer's data, so nothing derived is emptied for it (a lockout looks back minutes, the shortest period is a day)
    if (cutoffs.login_attempts) await purge('login_attempts', `ts < ${d.timestamp(cutoffs.login_attempts)}`);
    if (cutoffs.api_tokens) await purge('api_tokens', `COALESCE(revoked_at, expires_at) < ${d.timestamp(cutoffs.api_tokens)}`);
    if (cutoffs.quarantine) {
      await purge('quarantine', `COALESCE(ts, (SELECT i.started_at FROM ingests i WHERE i.ingest_id = ${d.identifier('quarantine')}.ingest_id)) < ${d.timestamp(cutoffs.quarantine)}`);
    }
    // Customers with nothing left within its period (no transaction, no event, no profile younger than the
    // transactions cutoff): their contact data and re-identification entry go too.
    const nothingHeld = customersWithNothingHeld(d, cutoffs, cutoffs.transactions ? `ingest_id IN (SELECT ingest_id FROM ingests WHERE started_at >= ${d.timestamp(cutoffs.transactions)})` : '');
    const derived: string[] = [];
    for (const table of await listCustomerTables(warehouse)) {
      if ((RETENTION_TABLES as readonly string[]).includes(table)) continue;
      // records about a customer, not summaries of the purged rows: only the rows of customers with nothing left go
      if (CUSTOMER_RECORD_TABLES.includes(table)) await purge(table, nothingHeld);
      else derived.push(table);
    }
    // Derived per-customer tables (summary, scores, segments, stages, cohorts…) summarise the purged rows
    // (first purchase, spend, cohort): once any row went, they are emptied; the next analyze rebuilds them.
    const purgedSource = (deleted.transactions ?? 0) + (deleted.events ?? 0) > 0;
    for (const table of derived) {
      if (purgedSource) await purge(table, '1 = 1');
      else await purge(table, nothingHeld);
    }
    return recordRetention(warehouse, options.keyring, { access, periods, cutoffs }, deleted, purgedSource ? derived : []);
  });
  await warehouse.execute('CHECKPOINT');
  return result;
}

/** Customers' rows held for their transactions and events: a customer in here has something left. */
export const CUSTOMERS_WITH_ROWS = 'SELECT customer_id FROM transactions UNION ALL SELECT customer_id FROM events WHERE customer_id IS NOT NULL';

/**
 * The condition (on a table's `customer_id`) of the customers of whom nothing is held within its period: no
 * transaction, no event, and no profile (`customers` row) within the transactions period — a profile's age is its
 * current `signup_ts`, else the start of the ingest of the profile file it last came from (`profileIngestInPeriod`, a
 * condition on `customers.ingest_id`: that ingest started at or after the transactions cutoff); a profile with
 * neither (made from the contact data of a transaction file) is as old as the transactions it came with, which
 * are all gone. Without a transactions period profiles have no period, and every customer with a profile is kept.
 * Customers who never had more than a profile (prospects, a fresh sign-up) are thus kept while it is in the period.
 */
export function customersWithNothingHeld(d: Warehouse['dialect'], cutoffs: RetentionPlan['cutoffs'], profileIngestInPeriod: string): string {
  const profiles = cutoffs.transactions
    ? `SELECT customer_id FROM ${currentCustomersSql(d, ['signup_ts', 'ingest_id'])} cc WHERE signup_ts >= ${d.timestamp(cutoffs.transactions)} OR (signup_ts IS NULL AND ${profileIngestInPeriod || '1 = 0'})`
    : 'SELECT customer_id FROM customers';
  return `customer_id NOT IN (SELECT customer_id FROM (${CUSTOMERS_WITH_ROWS}) k) AND customer_id NOT IN (SELECT customer_id FROM (${profiles}) p)`;
}

/** The parts of a retention run every engine shares: the role checked, the periods parsed, the cutoffs. */
export interface RetentionPlan {
  readonly access: ReturnType<typeof resolveAccess>;
  readonly periods: Readonly<Partial<Record<RetentionTable, RetentionPeriod>>>;
  readonly cutoffs: Readonly<Partial<Record<RetentionTable, string>>>;
}

/** Checks the role (`apply_retention`) and the periods (UserError with a hint), and computes each table's cutoff. */
export function planRetention(options: ApplyRetentionOptions): RetentionPlan {
  const access = resolveAccess(options);
  assertCan(access.role, 'apply_retention');
  const periods: Partial<Record<RetentionTable, RetentionPeriod>> = {};
  for (const [table, period] of Object.entries(options.periods)) {
    if (!(RETENTION_TABLES as readonly string[]).includes(table)) throw new UserError(`no retention period for table ${table}`, `tables with a period: ${RETENTION_TABLES.join(', ')}`);
    if (period !== undefined) periods[table as RetentionTable] = typeof period === 'string' ? parseRetention(period) : period;
  }
  if (Object.keys(periods).length === 0) throw new UserError('no retention period given', 'pass e.g. --transactions 3y, --events 180d or --login-attempts 90d');
  const now = options.now ?? new Date();
  const quarantinePeriod = periods.quarantine ?? periods.transactions;
  const cutoffs: Partial<Record<RetentionTable, string>> = {};
  for (const table of RETENTION_TABLES) {
    const period = table === 'quarantine' ? quarantinePeriod : periods[table];
    if (period) cutoffs[table] = retentionCutoff(period, now).toISOString();
  }
  return { access, periods, cutoffs };
}

/**
 * Records its audit entry (with `more` details: a cluster's rounds, what is left) and, when the run `completed` (nothing
 * past the periods left, no failure), the policy as applied (`warehouse_meta`, for the privacy report) — the quarantine
 * period inherited from the transactions one too, marked inherited (`retention_inherited.quarantine`); the result.
 */
export async function recordRetention(warehouse: Warehouse, keyring: Keyring, plan: RetentionPlan, deleted: Record<string, number>, derivedEmptied: readonly string[], more: Readonly<Record<string, unknown>> = {}, completed = true): Promise<RetentionResult> {
  if (completed) {
    const values: [string, string][] = Object.entries(plan.periods).map(([table, period]) => [RETENTION_META_PREFIX + table, `${period.amount}${period.unit[0]}`]);
    // the quarantine period applied is the transactions one when it had none of its own: recorded as such (the privacy report shows it inherited)
    const inherited = !plan.periods.quarantine && plan.periods.transactions ? plan.periods.transactions : undefined;
    if (inherited) values.push([RETENTION_META_PREFIX + 'quarantine', `${inherited.amount}${inherited.unit[0]}`], [RETENTION_INHERITED_META_PREFIX + 'quarantine', 'transactions']);
    // every name in one write (on a cluster one mutation, not one per name)
    await writeWarehouseMetaValues(warehouse, values, plan.periods.quarantine ? [RETENTION_INHERITED_META_PREFIX + 'quarantine'] : []);
  }
  const rows = Object.values(deleted).reduce((a, b) => a + b, 0);
  await recordAudit(warehouse, keyring, plan.access, {
    action: 'apply_retention',
    target: 'warehouse',
    rowCounts: deleted,
    details: {
      periods: Object.fromEntries(Object.entries(plan.periods).map(([t, p]) => [t, formatRetention(p)])),
      cutoffs: { ...plan.cutoffs },
      derived_tables_emptied: [...derivedEmptied],
      ...more,
    },
  });
  return { cutoffs: plan.cutoffs, deleted, rows };
}
