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
import { countRowsWhere } from '../../engine/union-all.js';

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
  /** count what would be purged (the result's `deleted`) and change nothing: no delete, no policy, no audit entry */
  readonly dryRun?: boolean;
  /** purge even when every transaction, or every customer, would go (else `UserError`, nothing changed: `refuseEmptying`) */
  readonly allowEmpty?: boolean;
}

export interface RetentionResult {
  readonly cutoffs: Readonly<Partial<Record<RetentionTable, string>>>;
  /** rows deleted per table (incl. customers left with nothing within its period) */
  readonly deleted: Readonly<Record<string, number>>;
  readonly rows: number;
  /** true when nothing was changed: `deleted` counts what would have gone */
  readonly dryRun: boolean;
  /** a dry run only: why the same command without --dry-run would be refused (it would empty the warehouse; --allow-empty purges anyway) */
  readonly wouldRefuse?: string;
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
 * Periods count back from `now`: a purge that would take every transaction,
 * or every customer, is refused (`UserError` naming the counts and cut-offs,
 * nothing changed: `refuseEmptying`) unless `allowEmpty`. `dryRun` counts what
 * would go per table (`countRetention`, the result with `dryRun: true`) and
 * changes nothing: no delete, no policy, no audit entry (a count, as the
 * privacy report's, is not audited).
 *
 * Requires `apply_retention` (admin).
 *
 * Example: `await applyRetention(wh, { keyring, role: 'admin', periods: { events: '180d', transactions: '3y' } })` → `{ deleted: { transactions: 1200, quarantine: 40, customers: 7, … }, … }`
 */
export async function applyRetention(warehouse: Warehouse, options: ApplyRetentionOptions): Promise<RetentionResult> {
  const plan = planRetention(options);
  const { access, periods, cutoffs } = plan;
  await assertWarehouseKey(warehouse, options.keyring);
  const d = warehouse.dialect;
  const conditions = pastRetentionConditions(d, cutoffs);
  const profileIngestInPeriod = cutoffs.transactions ? `ingest_id IN (SELECT ingest_id FROM ingests WHERE started_at >= ${d.timestamp(cutoffs.transactions)})` : '';
  const preview = async () => countRetention(warehouse, conditions, customersWithNothingHeld(d, cutoffs, profileIngestInPeriod, true));
  if (options.dryRun) return dryRunResult(plan, await preview(), options.allowEmpty);
  const result = await warehouse.transaction(async () => {
    if (!options.allowEmpty) refuseEmptying(plan, await preview());
    const deleted: Record<string, number> = {};
    const purge = async (table: string, where: string) => {
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM ${d.identifier(table)} WHERE ${where}`);
      deleted[table] = Number(row!.n);
      if (deleted[table]! > 0) await warehouse.execute(`DELETE FROM ${d.identifier(table)} WHERE ${where}`);
    };
    // transactions, events, then the server's bookkeeping (never a customer's data, so nothing derived is emptied for
    // it: a lockout looks back minutes, the shortest period is a day), then quarantine
    for (const [table, where] of conditions) await purge(table, where);
    // Customers with nothing left within its period (no transaction, no event, no profile younger than the
    // transactions cutoff): their contact data and re-identification entry go too.
    const nothingHeld = customersWithNothingHeld(d, cutoffs, profileIngestInPeriod);
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

/**
 * Each table with a period and the condition of its rows past it, in the order they are purged; `quarantine` words the
 * quarantine's (its rows' own time, else their ingest's start, before `cutoff`): by default a correlated subquery on
 * the ingests, which ClickHouse cannot run (applyRetentionOnClickHouse reads the ingests first).
 */
export function pastRetentionConditions(
  d: Warehouse['dialect'],
  cutoffs: RetentionPlan['cutoffs'],
  quarantine: (cutoff: string) => string = (cutoff) => `COALESCE(ts, (SELECT i.started_at FROM ingests i WHERE i.ingest_id = ${d.identifier('quarantine')}.ingest_id)) < ${cutoff}`,
): [string, string][] {
  const conditions: [string, string][] = [];
  if (cutoffs.transactions) conditions.push(['transactions', `ts < ${d.timestamp(cutoffs.transactions)}`]);
  if (cutoffs.events) conditions.push(['events', `ts < ${d.timestamp(cutoffs.events)}`]);
  if (cutoffs.login_attempts) conditions.push(['login_attempts', `ts < ${d.timestamp(cutoffs.login_attempts)}`]);
  if (cutoffs.api_tokens) conditions.push(['api_tokens', `COALESCE(revoked_at, expires_at) < ${d.timestamp(cutoffs.api_tokens)}`]);
  if (cutoffs.quarantine) conditions.push(['quarantine', quarantine(d.timestamp(cutoffs.quarantine))]);
  return conditions;
}

/** Customers' rows held for their transactions and events: a customer in here has something left. */
export const CUSTOMERS_WITH_ROWS = 'SELECT customer_id FROM transactions UNION ALL SELECT customer_id FROM events WHERE customer_id IS NOT NULL';

/** Customers' rows held within their periods: `CUSTOMERS_WITH_ROWS` without the transactions and events a purge by `cutoffs` deletes. */
function rowsWithinPeriods(d: Warehouse['dialect'], cutoffs: RetentionPlan['cutoffs']): string {
  const within = (cutoff: string | undefined) => (cutoff ? ` AND (ts IS NULL OR ts >= ${d.timestamp(cutoff)})` : '');
  return `SELECT customer_id FROM transactions WHERE 1 = 1${within(cutoffs.transactions)} UNION ALL SELECT customer_id FROM events WHERE customer_id IS NOT NULL${within(cutoffs.events)}`;
}

/** The tables whose every row going makes `refuseEmptying` refuse a purge (every transaction, every customer). */
const GUARDED_TABLES: readonly string[] = ['transactions', 'customer_reid', 'customers'];

/** What a purge would take per table (`deleted`), and the rows of the tables `refuseEmptying` guards (`totals`). */
export interface RetentionCounts {
  readonly deleted: Record<string, number>;
  readonly totals: Readonly<Record<string, number>>;
}

/**
 * What a purge takes per table, counted before it and changing nothing (in one query: `countRowsWhere`): the rows of
 * `conditions` (each table with a period and the condition of its rows past it), the customer records of the customers
 * left with nothing (`nothingHeld`, as `customersWithNothingHeld(…, true)` gives it), and the derived per-customer
 * tables — every row once any transaction or event goes, else those customers' rows — in the order the purge goes;
 * with the rows of the guarded tables (transactions, customer_reid, customers) held now.
 */
export async function countRetention(warehouse: Warehouse, conditions: readonly (readonly [string, string])[], nothingHeld: string): Promise<RetentionCounts> {
  const records: [string, string][] = [];
  const derived: string[] = [];
  const tables = await listCustomerTables(warehouse);
  for (const table of tables) {
    if ((RETENTION_TABLES as readonly string[]).includes(table)) continue;
    if (CUSTOMER_RECORD_TABLES.includes(table)) records.push([table, nothingHeld]);
    else derived.push(table);
  }
  const guarded = GUARDED_TABLES.filter((t) => tables.includes(t));
  const checks = [...conditions, ...records, ...derived.map((t) => [t, nothingHeld] as const), ...derived.map((t) => [t, '1 = 1'] as const), ...guarded.map((t) => [t, '1 = 1'] as const)];
  const counts = await countRowsWhere(warehouse, checks);
  const deleted: Record<string, number> = {};
  for (const [i, [table]] of [...conditions, ...records].entries()) deleted[table] = counts[i]!;
  const purgedSource = (deleted.transactions ?? 0) + (deleted.events ?? 0) > 0;
  const first = conditions.length + records.length;
  derived.forEach((table, i) => (deleted[table] = counts[first + (purgedSource ? derived.length : 0) + i]!));
  const totals = Object.fromEntries(guarded.map((t, i) => [t, counts[first + 2 * derived.length + i]!]));
  return { deleted, totals };
}

/** A dry run's result: the counts of `countRetention`, nothing changed. */
export function dryRunResult(plan: RetentionPlan, counts: RetentionCounts, allowEmpty = false): RetentionResult {
  const refusal = allowEmpty ? null : emptyingRefusal(plan, counts);
  return { cutoffs: plan.cutoffs, deleted: counts.deleted, rows: Object.values(counts.deleted).reduce((a, b) => a + b, 0), dryRun: true, ...(refusal ? { wouldRefuse: refusal.message } : {}) };
}

/**
 * Refuses (`UserError`, naming the counts and the cut-offs) a purge that would take every transaction, or every
 * customer (every `customer_reid` row, or every profile), of a warehouse that holds some: periods count back from
 * today, so a historical data set is all past them. `counts`: `countRetention`'s.
 */
export function refuseEmptying(plan: RetentionPlan, counts: RetentionCounts): void {
  const refusal = emptyingRefusal(plan, counts);
  if (refusal) throw refusal;
}

/** The refusal of a purge that would empty the warehouse (refuseEmptying), or null: a dry run says it, apply throws it. */
function emptyingRefusal(plan: RetentionPlan, { deleted, totals }: RetentionCounts): UserError | null {
  const all = (table: string) => (totals[table] ?? 0) > 0 && (deleted[table] ?? 0) >= totals[table]!;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const parts: string[] = [];
  if (all('transactions')) parts.push(`every transaction (${fmt(deleted.transactions!)} of ${fmt(totals.transactions!)})`);
  const customers = all('customer_reid') ? 'customer_reid' : all('customers') ? 'customers' : null;
  if (customers) parts.push(`every customer (${fmt(deleted[customers]!)} of ${fmt(totals[customers]!)})`);
  if (parts.length === 0) return null;
  const cutoffs = (['transactions', 'events'] as const).filter((t) => plan.cutoffs[t]).map((t) => `${t} cut-off ${plan.cutoffs[t]!.slice(0, 10)}`);
  return new UserError(
    `retention would purge ${parts.join(' and ')}: ${cutoffs.join(', ') || 'no transactions or events period'} (periods count back from today; a historical data set is all past them)`,
    'run the same command with --dry-run to see what each period removes, or add --allow-empty to purge everything on purpose',
  );
}

/**
 * The condition (on a table's `customer_id`) of the customers of whom nothing is held within its period: no
 * transaction, no event, and no profile (`customers` row) within the transactions period — a profile's age is its
 * current `signup_ts`, else the start of the ingest of the profile file it last came from (`profileIngestInPeriod`, a
 * condition on `customers.ingest_id`: that ingest started at or after the transactions cutoff); a profile with
 * neither (made from the contact data of a transaction file) is as old as the transactions it came with, which
 * are all gone. Without a transactions period profiles have no period, and every customer with a profile is kept.
 * Customers who never had more than a profile (prospects, a fresh sign-up) are thus kept while it is in the period.
 * `beforePurge`: the same customers counted before the transactions and events past their cutoffs are deleted (only
 * their rows within the periods count as held) — a dry run's, and the guard's, count.
 */
export function customersWithNothingHeld(d: Warehouse['dialect'], cutoffs: RetentionPlan['cutoffs'], profileIngestInPeriod: string, beforePurge = false): string {
  const held = beforePurge ? rowsWithinPeriods(d, cutoffs) : CUSTOMERS_WITH_ROWS;
  const profiles = cutoffs.transactions
    ? `SELECT customer_id FROM ${currentCustomersSql(d, ['signup_ts', 'ingest_id'])} cc WHERE signup_ts >= ${d.timestamp(cutoffs.transactions)} OR (signup_ts IS NULL AND ${profileIngestInPeriod || '1 = 0'})`
    : 'SELECT customer_id FROM customers';
  return `customer_id NOT IN (SELECT customer_id FROM (${held}) k) AND customer_id NOT IN (SELECT customer_id FROM (${profiles}) p)`;
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
  return { cutoffs: plan.cutoffs, deleted, rows, dryRun: false };
}
