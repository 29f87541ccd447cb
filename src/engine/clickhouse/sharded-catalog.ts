/**
 * Which tables of the warehouse's database are sharded (Distributed), as a statement with a JOIN or a
 * `CREATE OR REPLACE` needs to know (materialise-joined-shards.ts, per-customer-statement.ts): kept between
 * statements instead of asked of `system.tables` before each (78 times in one small analysis on the cluster).
 *
 * Why a kept answer can be trusted: in clvkit a table name's engine follows from the name. Distributed tables are
 * made only by a portable `CREATE TABLE` (the schema's tables, whose names no statement replaces) and by the
 * staging of an atomic append (`<table>__staging_<ms>_<random>`, one writer's own name); every other table or view
 * (derived, TEMP, scratch) is made on the entry node by `CREATE OR REPLACE` or `ENGINE = …`. So another writer's
 * DDL can make a name appear or vanish, but not turn an entry-node name into a sharded one. Hence:
 * - a statement reading a table the kept catalog does not hold asks again (another writer may have made it); the
 *   target of a `CREATE OR REPLACE` is not read, and when not held it is not sharded (the replacement of a sharded
 *   table drops its shards' tables: the sharded tables replaced are ones this connection made or saw, as a test's
 *   copy of a derived table, which `copyTableToClickHouse` makes sharded, then an analysis replaces);
 * - this warehouse's own DDL (`note`) updates the catalog as it lands; DDL it cannot read drops it (`forget`);
 * - a name dropped by another writer stays listed: the statement fails on the cluster as it did before.
 * A refresh started before a DDL of this connection is not kept (the generation moved on), so concurrent requests
 * on one warehouse (the server's run and its API) never keep an answer older than their own DDL.
 *
 * Whether a table exists (`exists`, for `tableExists`) is answered from the kept catalog only where the answer is known
 * to be current: a sharded table held (the schema's tables: no clvkit statement drops one, and the staging tables of an
 * append are hidden from the question) or a name this connection's own DDL made (its TEMP and staged tables, a swap's
 * targets) and still holds. Any other name — not held, or an entry-node table another writer made and may drop — is
 * asked of `system.tables` again.
 *
 * Example: `await catalog.sharded('SELECT … FROM a JOIN b USING (customer_id)')` → `Set { 'a' }` (a sharded, b not)
 */
import { inlineCtes } from './inline-ctes.js';
import { tablesRead } from './per-customer-statement.js';

const NAME = '(?:[A-Za-z_][A-Za-z0-9_]*\\.)?([A-Za-z_][A-Za-z0-9_]*)';
const CREATE = new RegExp(`^\\s*CREATE\\s+(TABLE|VIEW)\\s+(IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i');
const DROP = new RegExp(`^\\s*DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?${NAME}\\s*;?\\s*$`, 'i');
const RENAME = /^\s*RENAME\s+TABLE\s+([\s\S]+?)\s*;?\s*$/i;
const RENAME_PAIR = new RegExp(`^\\s*${NAME}\\s+TO\\s+${NAME}\\s*$`, 'i');
const REPLACE_AS = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)\s+[A-Za-z_][A-Za-z0-9_]*\s+AS\s+/i;
const OTHER_DDL = /^\s*(?:CREATE|DROP|RENAME|ATTACH|DETACH|EXCHANGE)\b/i;
/** `CREATE TABLE [db.]name (columns) ENGINE = …`: a table whose columns the statement declares */
const CREATE_COLUMNS = /^\s*CREATE\s+TABLE\s+(?:[A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)\s*ENGINE\s*=/i;
const COLUMN = /^([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z][A-Za-z0-9]*(?:\([A-Za-z0-9_, ']*\))?)$/;

/** The columns (name, type) of `CREATE TABLE name (a Nullable(Float64), b String) ENGINE = …`, null for any other statement or column form. */
function declaredColumns(statement: string): { readonly table: string; readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }> } | null {
  const create = CREATE_COLUMNS.exec(statement);
  if (!create) return null;
  const parts: string[] = [''];
  let depth = 0;
  for (const c of create[2]!) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (c === ',' && depth === 0) parts.push('');
    else parts[parts.length - 1] += c;
  }
  const columns = parts.map((part) => COLUMN.exec(part.trim()));
  return columns.every((column) => column !== null) ? { table: create[1]!.toLowerCase(), columns: columns.map((column) => ({ name: column![1]!, type: column![2]! })) } : null;
}

export class ShardedCatalog {
  /** table name (lower case) → engine; null when not known */
  #engines: Map<string, string> | null = null;
  #generation = 0;
  /** names (lower case) this connection's own CREATE or RENAME made, while the catalog knows of no DDL of theirs since */
  readonly #own = new Set<string>();
  /** table name (lower case) → the columns this connection's own CREATE declared, while no later DDL names the table */
  readonly #columns = new Map<string, ReadonlyArray<{ readonly name: string; readonly type: string }>>();

  /** `load` lists the database's tables as [name, engine] pairs (one query of system.tables). */
  constructor(private readonly load: () => Promise<Array<readonly [string, string]>>) {}

  /** The sharded tables, lower case, as `sql` needs them: asked again when it names a table (or replaces one) not held. */
  async sharded(sql: string): Promise<Set<string>> {
    // `EXTRACT(MONTH FROM ts)` reads no table ts; the target of a CREATE OR REPLACE is not asked for: a name not held
    // when last asked is not a sharded one (only the schema's tables, never replaced, and one writer's staging are)
    // nor does information_schema.columns or system.tables name a table of this database
    // nor a CTE of a CREATE OR REPLACE … AS WITH … (its query's CTEs inlined: the names read are its bodies'), nor what
    // ARRAY JOIN or a table function (`FROM numbers(10)`) names
    const named = tablesRead(
      inlineCtes(sql.replace(REPLACE_AS, ''))
        .replace(/\bEXTRACT\s*\(\s*[A-Za-z]+\s+FROM\b/gi, 'EXTRACT(')
        .replace(/\b(FROM|JOIN)\s+(?:information_schema|system)\.[A-Za-z_][A-Za-z0-9_]*/gi, '$1 (SELECT 1)')
        .replace(/\bARRAY\s+JOIN\b/gi, 'ARRAY_JOIN')
        .replace(/\b(FROM|JOIN)\s+[A-Za-z_][A-Za-z0-9_]*\s*\(/gi, '$1 (SELECT 1) ('),
    );
    const engines = await this.#holding(named);
    return new Set([...engines].filter(([, engine]) => engine === 'Distributed').map(([name]) => name));
  }

  /** The engine of `table` (`Distributed` when sharded), null when the database has no such table: asked when not held. */
  async engineOf(table: string): Promise<string | null> {
    return (await this.#holding([table.toLowerCase()])).get(table.toLowerCase()) ?? null;
  }

  /**
   * The engine of `table` as the kept catalog has it, asked only when nothing is kept: null when this connection's
   * view of the database holds no such table (it dropped it, or never saw it made). For the drop of a connection's
   * own scratch tables (`ClickHouseWarehouse.dropTemporaryTablesAfter`), where a name not held is one already gone.
   */
  async keptEngineOf(table: string): Promise<string | null> {
    return (await this.#holding([])).get(table.toLowerCase()) ?? null;
  }

  /** Whether the database has `table` (a table or view): from the kept catalog where that is current (see above), else asked again. */
  async exists(table: string): Promise<boolean> {
    const name = table.toLowerCase();
    const kept = this.#engines?.get(name);
    if (kept !== undefined && (kept === 'Distributed' || this.#own.has(name))) return true;
    return (await this.#reload()).has(name);
  }

  /** The catalog, asked again when it is not known or does not hold one of `names`. */
  async #holding(names: readonly string[]): Promise<Map<string, string>> {
    const engines = this.#engines;
    return engines && names.every((name) => engines.has(name)) ? engines : this.#reload();
  }

  /** The catalog asked again (system.tables), kept unless a DDL of this connection ran meanwhile (the generation moved on). */
  async #reload(): Promise<Map<string, string>> {
    const generation = this.#generation;
    const engines = new Map((await this.load()).map(([name, engine]) => [name.toLowerCase(), engine]));
    if (generation === this.#generation) this.#engines = engines;
    return engines;
  }

  /** A statement this warehouse ran on the entry node (or a shard, which may be the entry node): what it did to the catalog. */
  note(statement: string): void {
    this.#noteColumns(statement);
    if (!OTHER_DDL.test(statement)) return;
    this.#generation += 1;
    const engines = this.#engines;
    if (!engines) return;
    const create = CREATE.exec(statement);
    if (create) {
      const name = create[3]!.toLowerCase();
      const engine = create[1]!.toUpperCase() === 'VIEW' ? 'View' : /\bENGINE\s*=\s*([A-Za-z]+)/i.exec(statement)?.[1];
      if (!engine || (create[2] && engines.has(name) && engines.get(name) !== engine)) return this.forget();
      if (!create[2] || !engines.has(name)) this.#own.add(name); // IF NOT EXISTS of a held name made nothing
      engines.set(name, engine);
      return;
    }
    const drop = DROP.exec(statement);
    if (drop) {
      engines.delete(drop[1]!.toLowerCase());
      this.#own.delete(drop[1]!.toLowerCase());
      return;
    }
    const rename = RENAME.exec(statement);
    if (rename) {
      const pairs = rename[1]!.split(',').map((pair) => RENAME_PAIR.exec(pair));
      if (pairs.some((pair) => !pair)) return this.forget();
      // one statement: every source is read before any target is written (a swap of two names works)
      const moved = pairs.map((pair) => [pair![2]!.toLowerCase(), engines.get(pair![1]!.toLowerCase())] as const);
      for (const pair of pairs) {
        engines.delete(pair![1]!.toLowerCase());
        this.#own.delete(pair![1]!.toLowerCase());
      }
      for (const [target, engine] of moved) {
        if (engine === undefined) return this.forget();
        engines.set(target, engine);
        this.#own.add(target);
      }
      return;
    }
    this.forget();
  }

  /** A statement that failed: if it was DDL, what it did is not known. */
  failed(statement: string): void {
    if (OTHER_DDL.test(statement)) this.forget();
  }

  /** Not known any more: the next statement that needs it asks again. */
  forget(): void {
    this.#generation += 1;
    this.#engines = null;
    this.#columns.clear();
    this.#own.clear();
  }

  /**
   * The columns (name, type as system.columns shows them) of a table this connection made with a column list, while
   * no DDL of it (ALTER, DROP, RENAME, another CREATE) has run since; null when not known (ask system.columns). An
   * append to a scratch table right after its CREATE needs no question (10 in one small analysis on the cluster).
   */
  columnsOf(table: string): Array<{ name: string; type: string }> | null {
    return this.#columns.get(table.toLowerCase())?.map((column) => ({ ...column })) ?? null;
  }

  #noteColumns(statement: string): void {
    if (!OTHER_DDL.test(statement) && !/^\s*ALTER\b/i.test(statement)) return;
    const declared = declaredColumns(statement);
    for (const table of [...this.#columns.keys()]) if (new RegExp(`\\b${table}\\b`, 'i').test(statement)) this.#columns.delete(table);
    if (declared) this.#columns.set(declared.table, declared.columns);
  }
}
