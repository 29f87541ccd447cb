import {
  classifyColumn,
  isPersonalClass,
  SENSITIVITY_CLASSES,
  tableClassification,
  WAREHOUSE_CLASSIFICATION,
  type Protection,
  type SensitivityClass,
} from '../access/classification.js';
import type { KeyInfo, Keyring, KeySource } from '../keys/keyring.js';
import type { MaskRule } from '../access/classification.js';
import { formatRetention, type RetentionPeriod } from './retention.js';

/** What the warehouse actually holds, as the caller found it. */
export interface HeldTable {
  readonly columns: readonly string[];
  readonly rowCount?: number;
}

export interface PrivacyReportOptions {
  /**
   * Tables and columns present in the warehouse. Without it the report
   * describes the declared schema (`WAREHOUSE_CLASSIFICATION`).
   */
  readonly tables?: Readonly<Record<string, HeldTable>>;
  /** adds key ids, sources and dates (never key bytes) */
  readonly keyring?: Keyring;
  /** retention periods per table */
  readonly retention?: Readonly<Record<string, RetentionPeriod>>;
  /** tables whose period was inherited, and the table it came from (`quarantine` → `transactions` when it had none of its own) */
  readonly retentionInheritedFrom?: Readonly<Record<string, string>>;
  readonly now?: Date;
  /** the engine the tables are held on: a table's description adds what it holds on a cluster where that differs (`onClickHouse`) */
  readonly engine?: 'duckdb' | 'clickhouse';
}

export interface PrivacyReportColumn {
  readonly column: string;
  readonly class: SensitivityClass;
  readonly protection: Protection;
  readonly mask: MaskRule;
  readonly description: string;
  readonly declared: boolean;
}

export interface PrivacyReportTable {
  readonly table: string;
  readonly description: string;
  readonly rowCount: number | null;
  /** e.g. `'3 years'`, `'3 years (inherited from transactions)'`; null when no retention period is set */
  readonly retention: string | null;
  readonly columns: readonly PrivacyReportColumn[];
}

export interface PrivacyReport {
  readonly generatedAt: string;
  readonly tables: readonly PrivacyReportTable[];
  /** columns per class over all tables */
  readonly columnsByClass: Readonly<Record<SensitivityClass, number>>;
  readonly keys: { readonly source: KeySource; readonly path: string | null; readonly activeKeyId: string; readonly rootKeyId: string; readonly keys: readonly KeyInfo[] } | null;
  /** things a data-protection officer should act on */
  readonly warnings: readonly string[];
}

/** A table's description; on a cluster with what it holds there where that differs from a warehouse file. */
function describeTable(table: string, engine: PrivacyReportOptions['engine']): string {
  const spec = tableClassification(table);
  if (!spec) return 'undeclared table';
  return engine === 'clickhouse' && spec.onClickHouse ? `${spec.description} (${spec.onClickHouse})` : spec.description;
}

/** Tables kept as long as what they describe is in use (no period: no warning), and what ends them. */
const KEPT_WHILE_IN_USE: Readonly<Record<string, string>> = {
  users: 'while the account exists (an admin removes it: clvkit users remove, DELETE /api/users/:name)',
};

/**
 * The data behind "what personal data do we hold and how is it protected":
 * every table and column with its class, protection and masking rule, row
 * counts, retention, and the keys in use (ids and dates only). Warns about
 * undeclared columns (reported as their default class), personal columns
 * stored in clear, and personal tables without a retention period.
 *
 * Example: `buildPrivacyReport({ tables: { customers: { columns: ['customer_id', 'email_enc'], rowCount: 2 } } }).tables[0].columns[1]`
 * → `{ column: 'email_enc', class: 'personal', protection: 'encrypted', mask: 'email', … }`
 */
export function buildPrivacyReport(options: PrivacyReportOptions = {}): PrivacyReport {
  const held: Record<string, HeldTable> =
    options.tables ??
    Object.fromEntries(Object.entries(WAREHOUSE_CLASSIFICATION).map(([table, spec]) => [table, { columns: Object.keys(spec.columns) }]));
  const warnings: string[] = [];
  const columnsByClass = Object.fromEntries(SENSITIVITY_CLASSES.map((c) => [c, 0])) as Record<SensitivityClass, number>;
  const tables = Object.keys(held)
    .sort()
    .map((table): PrivacyReportTable => {
      const columns = held[table].columns.map((name): PrivacyReportColumn => {
        const c = classifyColumn(table, name);
        columnsByClass[c.class]++;
        if (!c.declared) warnings.push(`${table}.${name} is not declared; treated as ${c.class} (${c.protection})`);
        if (isPersonalClass(c.class) && c.protection === 'none') warnings.push(`${table}.${name} is ${c.class} and stored without protection`);
        return { column: name, class: c.class, protection: c.protection, mask: c.mask, description: c.description, declared: c.declared };
      });
      const period = options.retention?.[table];
      const kept = KEPT_WHILE_IN_USE[table];
      if (!period && !kept && columns.some((c) => isPersonalClass(c.class)) && (held[table].rowCount ?? 1) > 0) {
        warnings.push(`${table} holds personal data and has no retention period`);
      }
      return {
        table,
        description: describeTable(table, options.engine),
        rowCount: held[table].rowCount ?? null,
        retention: period ? formatRetention(period) + (options.retentionInheritedFrom?.[table] ? ` (inherited from ${options.retentionInheritedFrom[table]})` : '') : (kept ?? null),
        columns,
      };
    });
  const keyring = options.keyring;
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    tables,
    columnsByClass,
    keys: keyring
      ? { source: keyring.source, path: keyring.path ?? null, activeKeyId: keyring.activeKeyId, rootKeyId: keyring.rootKeyId, keys: keyring.info() }
      : null,
    warnings,
  };
}

/** The report as Markdown: one table per warehouse table, then keys and warnings. */
export function privacyReportMarkdown(report: PrivacyReport): string {
  const lines: string[] = [`# Privacy report`, '', `Generated ${report.generatedAt}.`, ''];
  lines.push(
    'Columns by class: ' +
      SENSITIVITY_CLASSES.map((c) => `${c} ${report.columnsByClass[c]}`).join(', ') +
      '.',
    '',
  );
  for (const t of report.tables) {
    const rows = t.rowCount === null ? '' : `, ${t.rowCount} rows`;
    lines.push(`## ${t.table}`, '', `${t.description}${rows}; retention: ${t.retention ?? 'not set'}.`, '');
    lines.push('| column | class | protection | masked as | what |', '| --- | --- | --- | --- | --- |');
    for (const c of t.columns) lines.push(`| ${c.column} | ${c.class}${c.declared ? '' : ' (undeclared)'} | ${c.protection} | ${c.mask} | ${c.description} |`);
    lines.push('');
  }
  if (report.keys) {
    lines.push('## Keys', '', `Source: ${report.keys.source}${report.keys.path ? ` (${report.keys.path})` : ''}.`, '');
    lines.push('| key id | created | active | root |', '| --- | --- | --- | --- |');
    for (const k of report.keys.keys) lines.push(`| ${k.id} | ${k.createdAt ?? 'unknown'} | ${k.active ? 'yes' : ''} | ${k.root ? 'yes' : ''} |`);
    lines.push('');
  }
  if (report.warnings.length > 0) {
    lines.push('## Warnings', '', ...report.warnings.map((w) => `- ${w}`), '');
  }
  return lines.join('\n');
}
