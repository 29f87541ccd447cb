/**
 * A customer erased while an analysis ran stays erased in its results. On a
 * ClickHouse cluster `clvkit erase` may run beside an analysis (a CLI
 * `analyze --engine clickhouse`, a server's run): the analysis read the
 * customer's rows before the erasure, and what it wrote after it — a table
 * computed in memory and appended (clusters, lifecycle stages, churn
 * scores), files written before the erasure (customers.csv,
 * recommendations.csv) — kept the token and scores, published by its swap
 * after the erasure said "checked gone". (On DuckDB an erasure cannot run
 * beside an analysis: the file has one writer.)
 *
 * So an analysis, right after its swap and its files, looks in the record of
 * erasures (`erased_customers`): the tokens recorded there that its published
 * derived tables hold (any: an erased customer's rows are refused by every
 * ingest, so there are none otherwise), and those erased since a day before
 * it started (an erasure records its tokens before its first delete and may
 * take minutes; the two machines' clocks may differ), are deleted from the
 * derived tables (`deleteCustomerRowsFrom`, the erasure's delete) and their
 * lines removed from the run's files (`eraseFromRunFile`, what an erasure
 * does to a server's run files). One audit entry per customer
 * (`erase_after_run`: the rows removed per table, the files it left), and one line for the
 * run's warnings. The run's counts still count them: the run then computes
 * its results again without them (pipeline/recompute-without-erased.ts,
 * after `deleteErasedInputRows`).
 */
import type { Warehouse } from '../../engine/warehouse.js';
import { DERIVED_TABLES } from '../../engine/derived-tables.js';
import { anyErased, erasedInTables, erasedSince } from '../../engine/erased-customers.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { countCustomerRows, deleteCustomerRowsFrom, tablesWithRows } from './erase-customers.js';
import { eraseFromRunFile } from './erase-from-run-files.js';
import type { AnalysisPrivacy } from './analysis-privacy.js';
import { basename } from 'node:path';

/** How long before a run's start an erasure may have recorded its tokens and still delete rows the run read. */
export const ERASED_BEFORE_RUN_MS = 24 * 3600_000;

export interface ErasedDuringRun {
  /** customers whose rows or lines were removed */
  readonly customers: number;
  /** their tokens */
  readonly tokens: readonly string[];
  /** rows deleted per published derived table */
  readonly rowCounts: Readonly<Record<string, number>>;
  /** lines removed per file (by its name) */
  readonly lines: Readonly<Record<string, number>>;
  /** the line for the run's warnings */
  readonly warning: string;
}

export interface RemoveErasedOptions {
  /** when the run started (ISO) */
  readonly startedAt: string;
  /** the run's files holding customer tokens in their first column (customers.csv, recommendations.csv); missing ones are skipped */
  readonly files: readonly string[];
  /** the run's privacy: its audit entries */
  readonly privacy: AnalysisPrivacy;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Removes from the published derived tables and from the run's `files` every customer recorded in `erased_customers`
 * that they hold (see the file header); null when there is none — always on DuckDB, where no erasure runs beside an
 * analysis. Call it after the swap and after the files are written.
 *
 * Example: `await removeErasedFromResults(wh, { startedAt, files: ['out/customers.csv'], privacy })` → `{ customers: 1, tokens: ['c_…'], rowCounts: { customer_clusters: 1 }, lines: { 'customers.csv': 1 }, warning: '1 customer erased while the run went on: removed from its results (…)' }`
 */
export async function removeErasedFromResults(warehouse: Warehouse, options: RemoveErasedOptions): Promise<ErasedDuringRun | null> {
  if (!(await anyErased(warehouse))) return null; // nobody was ever erased: one look
  const derived = new Set(DERIVED_TABLES.map((t) => t.name));
  const tables = (await listCustomerTables(warehouse)).filter((table) => derived.has(table));
  // the recorded tokens the tables hold, found by a join in the engine (no list of every token erased sent back)
  const held = await erasedInTables(warehouse, tables, 'customer_id');
  const found = held.size === 0 ? [] : (await countCustomerRows(warehouse, [...held], tables)).filter((c) => c.rows > 0);
  // the files: those tokens, and every one erased since a day before the run started (its files were written before the look)
  const tokens = new Set([...held, ...(await erasedSince(warehouse, new Date(Date.parse(options.startedAt) - ERASED_BEFORE_RUN_MS)))]);
  if (tokens.size === 0) return null;
  await deleteCustomerRowsFrom(warehouse, found.map((c) => c.token), tablesWithRows(found, tables));
  const removed = new Map(found.map((c) => [c.token, { rowCounts: c.rowCounts, files: new Set<string>() }]));
  const lines: Record<string, number> = {};
  for (const file of options.files) {
    const erased = await eraseFromRunFile(file, tokens);
    if (!erased || erased.lines === 0) continue;
    lines[basename(file)] = (lines[basename(file)] ?? 0) + erased.lines;
    for (const token of erased.tokens) {
      const entry = removed.get(token) ?? { rowCounts: {}, files: new Set<string>() };
      entry.files.add(basename(file));
      removed.set(token, entry);
    }
  }
  if (removed.size === 0) return null;
  const rowCounts: Record<string, number> = {};
  for (const c of found) for (const [table, n] of Object.entries(c.rowCounts)) rowCounts[table] = (rowCounts[table] ?? 0) + n;
  for (const [token, entry] of removed) {
    await options.privacy.record(warehouse, { action: 'erase_after_run', target: { customerToken: token }, rowCounts: entry.rowCounts, details: { run_started_at: options.startedAt, files: [...entry.files] } });
  }
  const perTable = Object.entries(rowCounts);
  const rows = perTable.reduce((sum, [, n]) => sum + n, 0);
  const what = [
    ...(perTable.length <= 3 ? perTable.map(([table, n]) => `${table} ${plural(n, 'row')}`) : [`${plural(rows, 'row')} in ${perTable.length} tables`]),
    ...Object.entries(lines).map(([file, n]) => `${file} ${plural(n, 'line')}`),
  ];
  return { customers: removed.size, tokens: [...removed.keys()], rowCounts, lines, warning: `${plural(removed.size, 'customer')} erased while the run went on: removed from its results (${what.join(', ')})` };
}

/**
 * Deletes the rows `tokens` still have in the warehouse's input tables (transactions, customers, events, quarantine,
 * customer_reid: every table with a customer_id that is neither derived nor a scratch table), before an analysis
 * computes its results again without them (recompute-without-erased.ts). Their erasure records them before its first
 * delete and may still be deleting: what it has not reached yet would be read again. The erasure's delete, audited as
 * `erase_after_run` per customer (the rows per table, `details.input_rows`); the rows found, per table.
 *
 * Example: `await deleteErasedInputRows(wh, ['c_…'], { startedAt, privacy })` → `{ transactions: 12 }` (`{}`: the erasure had deleted them)
 */
export async function deleteErasedInputRows(warehouse: Warehouse, tokens: readonly string[], options: Pick<RemoveErasedOptions, 'startedAt' | 'privacy'>): Promise<Record<string, number>> {
  if (tokens.length === 0) return {};
  const derived = new Set(DERIVED_TABLES.map((t) => t.name));
  const tables = (await listCustomerTables(warehouse)).filter((table) => !derived.has(table) && !table.startsWith('clv_'));
  const found = (await countCustomerRows(warehouse, tokens, tables)).filter((c) => c.rows > 0);
  if (found.length === 0) return {};
  await deleteCustomerRowsFrom(warehouse, found.map((c) => c.token), tablesWithRows(found, tables));
  const rowCounts: Record<string, number> = {};
  for (const c of found) {
    for (const [table, n] of Object.entries(c.rowCounts)) rowCounts[table] = (rowCounts[table] ?? 0) + n;
    await options.privacy.record(warehouse, { action: 'erase_after_run', target: { customerToken: c.token }, rowCounts: c.rowCounts, details: { run_started_at: options.startedAt, files: [], input_rows: true } });
  }
  return rowCounts;
}
