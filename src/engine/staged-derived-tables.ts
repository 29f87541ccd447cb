/**
 * An analysis writes its derived tables (the catalogue of derived-tables.ts)
 * under staging names and swaps them in at its end, so that the warehouse
 * holds one analysis whole at every moment: an analysis that fails, is
 * cancelled or is interrupted (Ctrl-C) leaves the previous one untouched,
 * and a reader beside a running analysis (the server's routes) reads the
 * previous one until the swap.
 *
 * `stageDerivedTables(warehouse)` gives the run its own view of the
 * warehouse: every statement it sends names `clv_staged_<table>` wherever it
 * names a derived table (outside string literals), and its catalog queries
 * (`information_schema.tables` / `.columns`) show the staged tables under
 * their own names and hide the live ones. The stages' SQL is unchanged, and
 * a run sees only what it wrote itself — never a table an earlier analysis
 * left and it skipped. `commit` then swaps the staged tables in:
 *
 * - DuckDB: one transaction drops every live derived table and renames the
 *   staged ones into their place (a table the run did not write goes: the
 *   derived tables are all of one analysis), and runs `alongside` (the
 *   analysis' `warehouse_meta` records) in the same transaction.
 * - ClickHouse has no transactions: one `RENAME TABLE` statement moves the
 *   live tables aside and the staged ones into their place (18.16 renames
 *   them under one global lock, so no query sees a mix), then `alongside`
 *   runs and the old tables are dropped. A failure between the rename and
 *   `alongside` leaves the new tables with the previous records.
 *
 * A run that fails, is cancelled or interrupted (`StagedRunOptions.signal`), and
 * a commit that fails, drop the run's staged tables; leftovers of a process
 * that ended before it could (killed, a second Ctrl-C), staged or moved-aside
 * tables, are dropped when the next run starts (on ClickHouse already by the
 * next command on the cluster, once the killed process's lease has lapsed:
 * clickhouse/scratch-leases.ts). Runs on one warehouse go one at a time
 * (pipeline/staged-analysis.ts queues them in a process; the DuckDB file is
 * locked to one process; two processes on one ClickHouse database would
 * write the same staged tables).
 *
 * Example: `const staged = await stageDerivedTables(wh); await runStages(stages, createAnalysisContext({ warehouse: staged.warehouse, … })); await staged.commit()`
 */
import { DERIVED_TABLES } from './derived-tables.js';
import { outsideLiterals } from './clickhouse/sql-literals.js';
import type { AppendColumns, Warehouse } from './warehouse.js';
import { InterruptedError } from '../core/errors/interrupted-error.js';

/** Prefix of a derived table written by a run that has not been swapped in yet. */
export const STAGED_PREFIX = 'clv_staged_';
/** Prefix of a live derived table moved aside by the ClickHouse swap, dropped right after it. */
export const REPLACED_PREFIX = 'clv_replaced_';
/** Prefix of the derived tables a read command builds for itself (`withScratchDerivedTables`), dropped after it. */
export const SCRATCH_PREFIX = 'clv_scratch_';

const NAMES = DERIVED_TABLES.map((t) => t.name);
const NAME_PATTERN = new RegExp(`\\b(${NAMES.join('|')})\\b`, 'g');

/** The staged name of a derived table: `customer_summary` → `clv_staged_customer_summary`. */
export function stagedTableName(table: string): string {
  return `${STAGED_PREFIX}${table}`;
}

/**
 * The derived table a staged table stands for (or, on ClickHouse, a live one
 * the swap moved aside, or a read command's scratch copy); null for any other
 * name. Such tables are what their derived table is to the privacy report
 * and to an erasure.
 *
 * Example: `stagedTableOf('clv_staged_customer_rfm')` → `'customer_rfm'`
 */
export function stagedTableOf(table: string): string | null {
  for (const prefix of [STAGED_PREFIX, REPLACED_PREFIX, SCRATCH_PREFIX]) {
    if (table.startsWith(prefix) && NAMES.includes(table.slice(prefix.length))) return table.slice(prefix.length);
  }
  return null;
}

/** `sql` with `edit` applied outside DuckDB's string literals and comments (`'…'` with `''` for a quote; a backslash is a character). */
function outsideDuckDbLiterals(sql: string, edit: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of sql.matchAll(/'(?:[^']|'')*'?|--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g)) {
    out += edit(sql.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + edit(sql.slice(last));
}

const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

/** A catalog view as the run sees it: its staged tables under their own names, the live derived tables hidden. */
function stagedCatalog(view: 'tables' | 'columns', prefix: string): string {
  const columns = view === 'tables' ? ['table_schema', 'table_catalog', 'table_type'] : ['column_name', 'data_type', 'is_nullable', 'table_schema', 'table_catalog', 'ordinal_position'];
  const staged = list(NAMES.map((n) => `${prefix}${n}`));
  // the name is mapped in an outer query: ClickHouse would read an alias named table_name in the WHERE of the same SELECT
  return `(SELECT CASE WHEN clv_name IN (${staged}) THEN substr(clv_name, ${prefix.length + 1}, 200) ELSE clv_name END AS table_name, ${columns.join(', ')} FROM (SELECT table_name AS clv_name, ${columns.join(', ')} FROM information_schema.${view} WHERE table_name NOT IN (${list(NAMES)})) clv_catalog)`;
}

/**
 * A statement as a staged run sends it: derived-table names (bare or quoted,
 * outside string literals and comments) become their staged names, and the
 * catalog views show the staged tables under their own names.
 *
 * Example: `stageStatement('SELECT count(*) FROM customer_summary', 'duckdb')` → `'SELECT count(*) FROM clv_staged_customer_summary'`
 */
export function stageStatement(sql: string, dialect: 'duckdb' | 'clickhouse', prefix = STAGED_PREFIX): string {
  const edit = (part: string) =>
    part
      .replace(NAME_PATTERN, (name) => `${prefix}${name}`)
      .replace(/\binformation_schema\.(tables|columns)\b/gi, (_match, view: string) => stagedCatalog(view.toLowerCase() as 'tables' | 'columns', prefix));
  return dialect === 'clickhouse' ? outsideLiterals(sql, edit) : outsideDuckDbLiterals(sql, edit);
}

export interface StagedDerivedTables {
  /** the run's warehouse: derived tables read and written under their staged names */
  readonly warehouse: Warehouse;
  /**
   * Swap the staged tables in as the warehouse's derived tables (the live
   * ones the run did not write are dropped), with `alongside` (given the
   * live warehouse and the tables swapped in) in the same transaction on
   * DuckDB, right after the rename on ClickHouse. Returns the tables
   * swapped in. When it fails, the staged tables it did not swap in are
   * dropped before the error is thrown.
   */
  commit(alongside?: (live: Warehouse, tables: readonly string[]) => Promise<void>): Promise<string[]>;
  /** Drop the staged tables (a run that failed or was cancelled); the live ones are untouched. */
  discard(): Promise<void>;
}

/** The derived tables of the catalogue that exist in the warehouse, with the given prefix ('' for the live ones). */
export async function heldWithPrefix(warehouse: Warehouse, prefix: string): Promise<string[]> {
  const rows = await warehouse.query(`SELECT table_name FROM information_schema.tables WHERE table_name IN (${list(NAMES.map((n) => `${prefix}${n}`))})`);
  const held = new Set(rows.map((r) => String(r.table_name)));
  return NAMES.filter((n) => held.has(`${prefix}${n}`));
}

async function dropWithPrefix(warehouse: Warehouse, prefix: string): Promise<void> {
  for (const name of await heldWithPrefix(warehouse, prefix)) await warehouse.execute(`DROP TABLE IF EXISTS ${prefix}${name}`);
}

/**
 * The warehouse as a run sees it: derived tables under `prefix` (see `stageStatement`). Once `signal` is aborted,
 * every statement it is sent fails with an `InterruptedError` before it reaches the engine.
 */
function prefixedView(warehouse: Warehouse, prefix: string, signal?: AbortSignal): Warehouse {
  const go = () => {
    if (signal?.aborted) throw new InterruptedError('analysis interrupted');
  };
  const stage = (sql: string) => (go(), stageStatement(sql, warehouse.dialect.name, prefix));
  // a cluster's database and cluster name go with the view: hints and messages name them (warehouse-flags.ts)
  const { database, cluster } = warehouse as Warehouse & { readonly database?: string; readonly cluster?: string };
  const named = { ...(database !== undefined ? { database } : {}), ...(cluster !== undefined ? { cluster } : {}) };
  const view: Warehouse = {
    dialect: warehouse.dialect,
    location: warehouse.location,
    execute: async (sql) => warehouse.execute(stage(sql)),
    query: async (sql) => warehouse.query(stage(sql)),
    queryColumns: async (sql) => warehouse.queryColumns(stage(sql)),
    stream: async (sql, onRows) => warehouse.stream(stage(sql), onRows),
    append: async (table: string, columns: AppendColumns) => (go(), warehouse.append(NAMES.includes(table) ? `${prefix}${table}` : table, columns)),
    exportCsv: async (sql, path) => warehouse.exportCsv(stage(sql), path),
    transaction: (work) => warehouse.transaction(work),
    close: () => warehouse.close(),
    ...(warehouse.interrupt ? { interrupt: () => warehouse.interrupt!() } : {}),
    ...(warehouse.spillToFreshFolder ? { spillToFreshFolder: () => warehouse.spillToFreshFolder!() } : {}),
    // as the view's catalog shows them (stagedCatalog): a derived table is its staged table, a staged name is not shown
    ...(warehouse.tableExists
      ? { tableExists: async (name: string) => (go(), NAMES.includes(name) ? warehouse.tableExists!(`${prefix}${name}`) : NAMES.some((n) => `${prefix}${n}` === name) ? false : warehouse.tableExists!(name)) }
      : {}),
  };
  return Object.assign(view, named);
}

/**
 * `work` on a view of `warehouse` whose derived tables are scratch copies of
 * its own (`clv_scratch_customer_summary`, …), dropped after it: a read
 * command that builds a summary, segments or stages for its as-of date
 * (`clvkit segments --db`, `lifecycle --db`) leaves the stored analysis
 * alone. Scratch tables an interrupted command left are dropped first.
 */
export async function withScratchDerivedTables<T>(warehouse: Warehouse, work: (view: Warehouse) => Promise<T>): Promise<T> {
  await dropWithPrefix(warehouse, SCRATCH_PREFIX);
  let result: T;
  try {
    result = await work(prefixedView(warehouse, SCRATCH_PREFIX));
  } catch (error) {
    await dropWithPrefix(warehouse, SCRATCH_PREFIX).catch(() => undefined); // the work's failure is the one to report
    throw error;
  }
  await dropWithPrefix(warehouse, SCRATCH_PREFIX);
  return result;
}

export interface StagedRunOptions {
  /**
   * Stops the run (the CLI's Ctrl-C): from the abort on, every statement sent
   * to the run's view fails with an `InterruptedError` before it reaches the
   * engine, so that the run ends at its next statement and can `discard`
   * what it staged. `commit` and `discard` go to the warehouse itself.
   */
  readonly signal?: AbortSignal;
}

/**
 * Start a staged run on `warehouse`: leftovers of an interrupted one are
 * dropped, and the returned view writes and reads the derived tables under
 * their staged names until `commit` swaps them in. A `commit` that fails
 * drops the staged tables it did not swap in (the live ones are as they
 * were on DuckDB), so that no run leaves staged tables behind but a process
 * that ends before its `commit` or `discard`.
 */
export async function stageDerivedTables(warehouse: Warehouse, options: StagedRunOptions = {}): Promise<StagedDerivedTables> {
  const dialect = warehouse.dialect.name;
  await dropWithPrefix(warehouse, STAGED_PREFIX);
  await dropWithPrefix(warehouse, REPLACED_PREFIX);
  const discard = () => dropWithPrefix(warehouse, STAGED_PREFIX);
  const swap = async (alongside: Parameters<StagedDerivedTables['commit']>[0]) => {
    const staged = await heldWithPrefix(warehouse, STAGED_PREFIX);
    if (dialect === 'clickhouse') {
      const live = await heldWithPrefix(warehouse, '');
      const renames = [...live.map((n) => `${n} TO ${REPLACED_PREFIX}${n}`), ...staged.map((n) => `${stagedTableName(n)} TO ${n}`)];
      if (renames.length > 0) await warehouse.execute(`RENAME TABLE ${renames.join(', ')}`);
      await alongside?.(warehouse, staged);
      await dropWithPrefix(warehouse, REPLACED_PREFIX);
      return staged;
    }
    await warehouse.transaction(async () => {
      for (const name of NAMES) await warehouse.execute(`DROP TABLE IF EXISTS ${name}`);
      for (const name of staged) await warehouse.execute(`ALTER TABLE ${stagedTableName(name)} RENAME TO ${name}`);
      await alongside?.(warehouse, staged);
    });
    return staged;
  };
  return {
    warehouse: prefixedView(warehouse, STAGED_PREFIX, options.signal),
    async commit(alongside) {
      try {
        return await swap(alongside);
      } catch (error) {
        // DuckDB rolled the swap back; on ClickHouse a table the RENAME moved is no longer staged (the moved-aside live
        // ones are kept: after a RENAME that failed half-way they may be all there is of the previous analysis)
        await discard().catch(() => undefined); // the commit's failure is the one to report
        throw error;
      }
    },
    discard,
  };
}
