import type { Warehouse } from '../../engine/warehouse.js';
import { countRows, queryOneRowEach } from '../../engine/union-all.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';
import { CUSTOMER_RECORD_TABLES, RETENTION_INHERITED_META_PREFIX, RETENTION_META_PREFIX } from './apply-retention.js';
import { listCustomerTables, listEncryptedColumns } from '../keys/encrypted-columns.js';
import type { Keyring } from '../keys/keyring.js';
import { buildPrivacyReport, privacyReportMarkdown, type HeldTable, type PrivacyReport } from './privacy-report.js';
import { assertCan } from '../access/rbac.js';
import { parseRetention, type RetentionPeriod } from './retention.js';
import { countEnvelopesByKey } from './rotate-warehouse-key.js';
import { readWarehouseRootKeyId } from '../keys/warehouse-key.js';
import { HOLDS_CONTACT_DETAILS_PATTERN } from '../tokens/redact-contact-details.js';

/** One verification the report ran on the data itself. */
export interface PrivacyCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** `buildPrivacyReport` on the warehouse as it is, plus checks of the stored values. */
export interface WarehousePrivacyReport extends PrivacyReport {
  readonly warehouse: string;
  /** the key customer tokens were made with, as recorded in the warehouse */
  readonly recordedRootKeyId: string | null;
  /** envelopes per key id (a key still in use must not be retired) */
  readonly envelopesByKey: Readonly<Record<string, number>>;
  readonly auditEntries: number;
  readonly checks: readonly PrivacyCheck[];
}

export interface WarehousePrivacyReportOptions extends AccessOptions {
  /** adds the key table (ids and dates, never key bytes) and the key check */
  readonly keyring?: Keyring | null;
  readonly now?: Date;
  /**
   * tables held in another DuckDB warehouse (`serve --engine clickhouse`: the
   * server's accounts, runs, ingestion bookkeeping and audit log stay in its
   * local state file): listed, counted and given their retention from there,
   * and the audit entries counted there when `audit_log` is one of them;
   * `alsoHere`: those of them whose rows `warehouse` holds too, counted in
   * both (`server_runs`: the runs of `clvkit analyze --engine clickhouse` are
   * recorded on the cluster)
   */
  readonly heldElsewhere?: { readonly warehouse: Warehouse; readonly tables: readonly string[]; readonly alsoHere?: readonly string[] };
}

const TOKEN_PATTERN = 'c_[a-z2-7]{26}';
const ENVELOPE_PATTERN = 'v1:k[0-9a-f]{10}:[A-Za-z0-9_-]+';

/**
 * "What do we hold and how is it protected", for the real warehouse: every
 * base table and column with its class, protection and masking rule, row
 * counts, the retention policy last applied, the keys — and checks that the
 * data is as declared: every `customer_id` is a token, every encrypted column
 * holds only envelopes, the keyring's root key is the one the warehouse
 * records. Needs `view_aggregates` (every role).
 *
 * Example: `(await buildWarehousePrivacyReport(wh, { keyring })).checks` → `[{ check: 'customer ids are tokens', ok: true, detail: '3 tables, 541,909 values' }, …]`
 */
export async function buildWarehousePrivacyReport(warehouse: Warehouse, options: WarehousePrivacyReportOptions = {}): Promise<WarehousePrivacyReport> {
  const access = resolveAccess(options);
  assertCan(access.role, 'view_aggregates');
  const d = warehouse.dialect;
  const elsewhere = options.heldElsewhere;
  const moved = new Set(elsewhere?.tables ?? []);
  const shared = new Set(elsewhere?.alsoHere ?? []);
  const tables = await readHeldTables(warehouse, (table) => !moved.has(table) || shared.has(table));
  const { retention, inheritedFrom } = await readRetention(warehouse);
  if (elsewhere) {
    for (const [table, held] of Object.entries(await readHeldTables(elsewhere.warehouse, (table) => moved.has(table)))) {
      tables[table] = shared.has(table) && tables[table] ? { columns: held.columns, rowCount: held.rowCount + tables[table].rowCount } : held;
    }
    const theirs = await readRetention(elsewhere.warehouse);
    for (const table of moved) {
      delete retention[table];
      delete inheritedFrom[table];
      if (theirs.retention[table]) retention[table] = theirs.retention[table];
      if (theirs.inheritedFrom[table]) inheritedFrom[table] = theirs.inheritedFrom[table];
    }
  }
  const keyring = options.keyring ?? undefined;
  const base = buildPrivacyReport({ tables: tables as Record<string, HeldTable>, retention, retentionInheritedFrom: inheritedFrom, engine: d.name, ...(keyring ? { keyring } : {}), ...(options.now ? { now: options.now } : {}) });
  const checks: PrivacyCheck[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');

  const customerTables = await listCustomerTables(warehouse);
  let tokens = 0;
  const clear: string[] = [];
  // one query for every table (queryOneRowEach): on a cluster each query is a request
  const tokenRows = await queryOneRowEach(
    warehouse,
    customerTables.map((table) => `SELECT count(customer_id) AS n, count(*) FILTER (WHERE customer_id IS NOT NULL AND NOT ${d.fullMatch('customer_id', TOKEN_PATTERN)}) AS clear FROM ${d.identifier(table)}`),
    ['n', 'clear'],
  );
  for (const [i, table] of customerTables.entries()) {
    const row = tokenRows[i];
    tokens += Number(row!.n);
    if (Number(row!.clear) > 0) clear.push(`${table}: ${fmt(Number(row!.clear))}`);
  }
  checks.push({
    check: 'customer ids are tokens',
    ok: clear.length === 0,
    detail: clear.length === 0 ? `${customerTables.length} tables, ${fmt(tokens)} values, all HMAC tokens` : `values that are not tokens — ${clear.join('; ')}`,
  });

  let envelopes = 0;
  const notEncrypted: string[] = [];
  const encrypted = await listEncryptedColumns(warehouse);
  const envelopeRows = await queryOneRowEach(
    warehouse,
    encrypted.map(({ table, column }) => {
      const c = d.identifier(column);
      return `SELECT count(${c}) AS n, count(*) FILTER (WHERE ${c} IS NOT NULL AND NOT ${d.fullMatch(c, ENVELOPE_PATTERN)}) AS clear FROM ${d.identifier(table)}`;
    }),
    ['n', 'clear'],
  );
  for (const [i, { table, column }] of encrypted.entries()) {
    const row = envelopeRows[i];
    envelopes += Number(row!.n);
    if (Number(row!.clear) > 0) notEncrypted.push(`${table}.${column}: ${fmt(Number(row!.clear))}`);
  }
  checks.push({
    check: 'encrypted columns hold only envelopes',
    ok: notEncrypted.length === 0,
    detail: notEncrypted.length === 0 ? `${fmt(envelopes)} values, all AES-256-GCM envelopes` : `values in clear — ${notEncrypted.join('; ')}`,
  });

  if (tables.events?.columns.includes('query')) {
    // queries ingested before the ingest replaced their contact details (redact-contact-details.ts) may hold some
    const [queries] = await warehouse.query(`SELECT count(query) AS n, count(*) FILTER (WHERE query IS NOT NULL AND ${d.fullMatch('query', HOLDS_CONTACT_DETAILS_PATTERN)}) AS held FROM events`);
    const [n, held] = [Number(queries!.n), Number(queries!.held)];
    checks.push({
      check: 'search queries hold no contact details',
      ok: held === 0,
      detail: held === 0
        ? `${fmt(n)} queries, none with an e-mail address or a long number (replaced at ingest)`
        : `${fmt(held)} of ${fmt(n)} queries in events.query hold an e-mail address or a long number (7+ digits), in clear: ingested before queries were cleaned; drop those ingests and ingest their files again (clvkit ingests list, clvkit ingests drop ID --role admin) to store them cleaned`,
    });
  }

  const recordedRootKeyId = await readWarehouseRootKeyId(warehouse);
  const envelopesByKey = await countEnvelopesByKey(warehouse);
  if (keyring) {
    const missing = Object.keys(envelopesByKey).filter((id) => !keyring.has(id));
    const rootOk = recordedRootKeyId === null || recordedRootKeyId === keyring.rootKeyId;
    checks.push({
      check: 'the key reads the warehouse',
      ok: rootOk && missing.length === 0,
      detail: !rootOk
        ? `the warehouse was written with root key ${recordedRootKeyId}, the keyring's root key is ${keyring.rootKeyId}`
        : missing.length > 0
          ? `envelopes under keys not in the keyring: ${missing.join(', ')}`
          : `root key ${keyring.rootKeyId}; envelopes under ${Object.keys(envelopesByKey).join(', ') || 'no key yet'}`,
    });
  }
  const [audit] = await (moved.has('audit_log') ? elsewhere!.warehouse : warehouse).query('SELECT count(*) AS n FROM audit_log');
  return { ...base, warehouse: warehouse.location, recordedRootKeyId, envelopesByKey, auditEntries: Number(audit!.n), checks };
}

/** The base tables of `warehouse` (those `include` keeps), their columns and row counts, ordered by name. */
async function readHeldTables(warehouse: Warehouse, include: (table: string) => boolean): Promise<Record<string, { columns: string[]; rowCount: number }>> {
  const columns = await warehouse.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema AND t.table_catalog = c.table_catalog
     WHERE c.table_schema = 'main' AND c.table_catalog = current_database() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables: Record<string, { columns: string[]; rowCount: number }> = {};
  for (const row of columns) {
    const table = String(row.table_name);
    if (include(table)) (tables[table] ??= { columns: [], rowCount: 0 }).columns.push(String(row.column_name));
  }
  // every table's count in one query (a UNION ALL: union-all.ts), not one request per table on a cluster
  const names = Object.keys(tables);
  const counts = await countRows(warehouse, names);
  for (const [i, table] of names.entries()) tables[table]!.rowCount = counts[i]!;
  return tables;
}

/** The retention periods last applied, by table (`warehouse_meta`), and the tables whose period was inherited from another's. */
async function readRetention(warehouse: Warehouse): Promise<{ retention: Record<string, RetentionPeriod>; inheritedFrom: Record<string, string> }> {
  const d = warehouse.dialect;
  const retention: Record<string, RetentionPeriod> = {};
  for (const row of await warehouse.query(`SELECT name, value FROM warehouse_meta WHERE substr(name, 1, ${RETENTION_META_PREFIX.length}) = ${d.literal(RETENTION_META_PREFIX)}`)) {
    retention[String(row.name).slice(RETENTION_META_PREFIX.length)] = parseRetention(String(row.value));
  }
  const inheritedFrom: Record<string, string> = {};
  for (const row of await warehouse.query(`SELECT name, value FROM warehouse_meta WHERE substr(name, 1, ${RETENTION_INHERITED_META_PREFIX.length}) = ${d.literal(RETENTION_INHERITED_META_PREFIX)}`)) {
    const table = String(row.name).slice(RETENTION_INHERITED_META_PREFIX.length);
    if (retention[table]) inheritedFrom[table] = String(row.value);
  }
  // a customer's records (contact data, re-identification entry, audience memberships) go with the transactions period
  // once nothing else of theirs is held within it (apply-retention.ts customersWithNothingHeld): that is their period
  const transactions = retention.transactions;
  if (transactions) {
    for (const table of CUSTOMER_RECORD_TABLES) {
      if (retention[table]) continue;
      retention[table] = transactions;
      inheritedFrom[table] = 'transactions, once nothing else of the customer is held within it';
    }
  }
  return { retention, inheritedFrom };
}

/**
 * The report as Markdown: `privacyReportMarkdown` plus the checks. `warehouseFlags`: the flags that name the warehouse
 * reported on (`--db PATH`, or `--engine clickhouse --clickhouse-url URL --clickhouse-database DB`, and `--key-file`
 * when one was given), put in the `audit verify` command it suggests — without them, followed as written, that command
 * checks ./clvkit.duckdb.
 */
export function warehousePrivacyReportMarkdown(report: WarehousePrivacyReport, warehouseFlags?: string): string {
  const lines = [
    privacyReportMarkdown(report).trimEnd(),
    '',
    '## Checks',
    '',
    ...report.checks.map((c) => `- ${c.ok ? 'ok' : 'FAILED'} — ${c.check}: ${c.detail}`),
    `- audit log: ${report.auditEntries.toLocaleString('en-US')} entries (verify with \`clvkit audit verify ${warehouseFlags ? `${warehouseFlags} ` : ''}--role admin\`)`,
    '',
  ];
  return lines.join('\n');
}
