import { AsyncLocalStorage } from 'node:async_hooks';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { ClickHouseClient } from '@clickhouse/client';
import { QueryError } from '../../core/errors/query-error.js';
import type { AppendColumns, ColumnarResult, Row, SqlValue, Warehouse } from '../warehouse.js';
import { clickhouseDialect } from './clickhouse-dialect.js';
import { alreadyExists, DroppedNames } from './dropped-names.js';
import { inlineCtes } from './inline-ctes.js';
import { isNumericType, parseClickHouseValue, unescapeTsv } from './parse-clickhouse-value.js';
import { csvField, splitTsv, toRow, type Header } from './tsv-result.js';
import { buildDistributedTableDdl, buildLocalTableDdl, parsePortableCreateTable } from './clickhouse-table-ddl.js';
import { emulateInformationSchema } from './information-schema.js';
import { rewriteStatement } from './rewrite-statement.js';
import { aggregateFilters } from './aggregate-filters.js';
import { materialiseJoinedShards } from './materialise-joined-shards.js';
import { appendColumns } from './append-columns.js';
import { isPerCustomerStatement } from './per-customer-statement.js';
import { rewriteStarJoins } from './star-joins.js';
import { globalIn, nullableNullCasts } from './null-casts-global-in.js';
import { withCatalogRetry } from './catalog-race.js';
import { ScratchLeases, scratchClaimsOf } from './scratch-leases.js';
import { connectCluster, type ClickHouseWarehouseOptions } from './cluster-connection.js';
import { ShardedCatalog } from './sharded-catalog.js';

export type { ClickHouseWarehouseOptions } from './cluster-connection.js';

/**
 * Settings every statement runs with: SQL-standard NULLs from outer joins; an INSERT into a Distributed table returns
 * once every shard holds its rows; a GROUP BY whose states pass 2 GB spills them to the shard's disk instead of failing
 * (the per-customer summary of 100M lines, 2.5M customers per shard, needed 3.8 GiB of states and hit the loopback
 * cluster's 4 GB per-query limit; ClickHouse's advice is half of `max_memory_usage`); and a result is sent only once the
 * query has ended (`wait_end_of_query`, the server buffering it, to a temporary file past its buffer size): a query that
 * fails part-way then answers with an HTTP error. Streamed, such a failure arrived as one more line after the rows
 * already sent, with status 200 — query, queryColumns, stream and exportCsv returned the first 131,073 rows of a query
 * that failed at row 150,000 as if it were the whole result (test/engine/export-csv-failure.test.ts).
 */
const SETTINGS = { join_use_nulls: 1, insert_distributed_sync: 1, max_bytes_before_external_group_by: '2000000000', wait_end_of_query: 1 } as const;

/** Milliseconds `waitForMutations` waits before each look at the shards' mutations (the last repeated while any runs). */
export const MUTATION_WAITS_MS = [10, 20, 40, 80, 160, 320, 500] as const;

/** The SQL every engine shares, as ClickHouse 18.16 reads it; no rewrite edits or reads inside a string literal (sql-literals.ts). */
export function toClickHouseSql(sql: string): string {
  return emulateInformationSchema(globalIn(nullableNullCasts(aggregateFilters(inlineCtes(sql)))));
}

/** `CREATE [OR REPLACE] TEMP[ORARY] TABLE|VIEW name`: the name (a scratch table of a run). */
const TEMPORARY_CREATE = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP|TEMPORARY)\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)/i;

/** `CREATE OR REPLACE [TEMP] TABLE|VIEW name`: the name (rewrite-statement.ts drops it, then creates it on the entry node). */
const REPLACE_CREATE = /^\s*CREATE\s+OR\s+REPLACE\s+(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|VIEW)\s+([A-Za-z_][A-Za-z0-9_]*)/i;

/**
 * The warehouse on a ClickHouse cluster (18.16 or later), over HTTP.
 *
 * Promises of `Warehouse` and how they are met:
 * - `execute` of a portable `CREATE TABLE` (the schema's) creates a local
 *   MergeTree on every shard and a Distributed table over them, sharded by
 *   `cityHash64(customer_id)` (clickhouse-table-ddl.ts); other statements
 *   run on the entry node as they are, after `toClickHouseSql`.
 * - `append` inserts batches (JSONEachRow) into the Distributed table with
 *   `insert_distributed_sync = 1`: when it returns, every shard holds its
 *   rows; the count is verified by the caller (`appendAtomically` does so).
 * - Values: BOOLEAN columns are `UInt8` and come back as 0 / 1 (test them
 *   with `Boolean(v)` or in SQL); timestamps are whole seconds, UTC.
 * - `transaction` is **not** atomic: ClickHouse has no multi-statement
 *   transactions. It runs `work` and rethrows its failure; steps that need
 *   all-or-nothing use `appendAtomically` (staging table, count check,
 *   then a move into place).
 * - `TEMP` tables and views are ordinary tables here (no session ends
 *   them): a run's are dropped at its end (`dropTemporaryTablesAfter`: the
 *   value step's `clv_tuple_scores`, `clv_spend_scores`, `clv_intervals`…),
 *   the rest at `close`; a killed process's by the next command's sweep
 *   (`execute` claims them: scratch-leases.ts).
 *
 * Example: `const wh = await openClickHouseWarehouse('http://127.0.0.1:18621', { cluster: 'clvkit' })`
 */
export class ClickHouseWarehouse implements Warehouse {
  readonly dialect = clickhouseDialect;

  constructor(
    readonly location: string,
    readonly database: string,
    readonly cluster: string,
    readonly shardUrls: readonly string[],
    private readonly client: ClickHouseClient,
    private readonly shardClients: readonly ClickHouseClient[],
    private readonly batchRows: number,
    /** whether opening it created the database (a command that loads nothing removes it again: clickhouse-commands.ts) */
    readonly createdDatabase = false,
  ) {}

  /** the leases of the scratch tables this connection holds (staging, exact; a run's TEMP and staged tables, claimed), renewed while held (scratch-leases.ts) */
  readonly scratchLeases = new ScratchLeases(this);

  /** plain names this connection's last statement on them dropped: not dropped again by a CREATE OR REPLACE (dropped-names.ts) */
  readonly #dropped = new DroppedNames();

  /** Tables and views made by `CREATE [OR REPLACE] TEMP …` statements: session-scoped on DuckDB, lasting here until `dropTemporaryTablesAfter` or `close` drops them. */
  readonly #temporary = new Set<string>();
  /** the TEMP names made inside the current `dropTemporaryTablesAfter` (per async context: a run's, not a concurrent request's) */
  readonly #scope = new AsyncLocalStorage<Set<string>>();
  /** which tables are sharded, kept between statements and updated by this connection's own DDL (sharded-catalog.ts) */
  readonly #catalog = new ShardedCatalog(async () => {
    const sql = `SELECT name, engine FROM system.tables WHERE database = '${this.database}'`;
    const text = await withCatalogRetry(sql, async () => (await this.client.query({ query: sql, format: 'TabSeparated' })).text());
    return text.split('\n').filter(Boolean).map((line) => line.split('\t') as [string, string]);
  });

  async execute(sql: string): Promise<void> {
    // a run's scratch table (TEMP, clv_staged_…) is claimed before it is made: a sweep keeps it while this connection lives
    const claims = scratchClaimsOf(sql);
    await this.scratchLeases.claim(...claims.claim);
    await this.#execute(sql);
    for (const name of claims.release) this.scratchLeases.release(name);
  }

  async #execute(sql: string): Promise<void> {
    const temporary = TEMPORARY_CREATE.exec(sql);
    if (temporary) {
      this.#temporary.add(temporary[1]!);
      this.#scope.getStore()?.add(temporary[1]!);
    }
    if (/^\s*CREATE\s+TABLE\b/i.test(sql) && !/\bENGINE\s*=|\bAS\s+SELECT\b/i.test(sql)) return this.createShardedTable(sql);
    const sharded = /^\s*CREATE\s+OR\s+REPLACE\b/i.test(sql) || /\bJOIN\b/i.test(sql) ? await this.#catalog.sharded(sql) : new Set<string>();
    const starred = rewriteStarJoins(sql);
    const rewritten = rewriteStatement(/\bJOIN\b/i.test(starred) ? materialiseJoinedShards(starred, sharded) : starred, toClickHouseSql);
    if ('delete' in rewritten) return this.deleteRows(rewritten.delete.table, rewritten.delete.where);
    // a sharded table replaced by an entry-node one: its shards' local tables go too (the rewrite drops the Distributed table only)
    const replaced = REPLACE_CREATE.exec(sql)?.[1];
    if (replaced && sharded.has(replaced.toLowerCase())) await this.dropShardedTable(replaced);
    // a per-customer table over sharded inputs: the shards' rows are final (per-customer-statement.ts)
    const settings = isPerCustomerStatement(sql, sharded) ? { ...SETTINGS, distributed_group_by_no_merge: '1' } : SETTINGS;
    // a name this connection dropped and has not made since is not dropped again (cross-sell remakes six TEMP tables
    // five times); made by another writer meanwhile, the CREATE fails before it reads anything: DROP and CREATE then
    const run = async (statements: readonly string[]) => {
      for (const statement of statements) await this.command(statement, settings).then(() => this.#dropped.note(statement));
    };
    const withoutDrop = replaced ? this.#dropped.withoutDrop(replaced, rewritten.statements) : null;
    if (withoutDrop) {
      try {
        return await run(withoutDrop);
      } catch (error) {
        if (!alreadyExists(error)) throw error;
      }
    }
    await run(rewritten.statements);
  }

  /**
   * `DELETE FROM table WHERE condition` as ClickHouse does it: a mutation
   * (`ALTER TABLE … DELETE`) on each shard's local table of a sharded table,
   * or on the entry node's table; returns when that mutation is done.
   */
  async deleteRows(table: string, where: string): Promise<void> {
    await this.waitForMutations([await this.alterWhereHeld(table, `DELETE WHERE ${where}`)]);
  }

  /** Whether `table` is sharded (a Distributed table over every shard's `<table>_local`); null when this database has no such table. */
  async isShardedTable(table: string): Promise<boolean | null> {
    const engine = await this.#catalog.engineOf(table); // asked of system.tables when not held (sharded-catalog.ts)
    return engine === null ? null : engine === 'Distributed';
  }

  /**
   * `ALTER TABLE … <clause>` (a mutation: `DELETE WHERE …`, `UPDATE … WHERE …`) where the table's rows are: on each
   * shard's local table of a sharded table, on the entry node's table otherwise. Not waited for: returns the name the
   * mutation runs on, for `waitForMutations`.
   */
  async alterWhereHeld(table: string, clause: string): Promise<string> {
    const sharded = await this.isShardedTable(table);
    if (sharded === null) throw new QueryError(`ALTER TABLE ${table} ${clause}`, new Error(`no table ${table}`));
    if (sharded) {
      await this.commandOnEachShard(`ALTER TABLE ${this.database}.${table}_local ${clause}`);
      return `${table}_local`;
    }
    await this.client.command({ query: `ALTER TABLE ${this.database}.${table} ${clause}`, clickhouse_settings: SETTINGS }).catch((error: unknown) => {
      throw new QueryError(`ALTER TABLE ${table} ${clause}`, error);
    });
    return table;
  }

  /**
   * Wait until no mutation of `tables` (names as `alterWhereHeld` returns them) runs on any shard (ClickHouse mutations
   * are asynchronous; 18.16 has no `mutations_sync`). Only those: another writer's mutation, long or stuck, neither
   * holds this one up nor fails it. A shard seen with none running is not asked again: the mutations sent before the
   * wait are done there. The shards are first asked after `MUTATION_WAITS_MS[0]`, then after each next wait (the last
   * repeated): a small table's mutation ends 8-20 ms after its ALTER returns, and a fixed 100 ms between looks held
   * most waits for 100 ms.
   */
  async waitForMutations(tables: readonly string[], timeoutSeconds = 300): Promise<void> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const names = tables.map((t) => this.dialect.literal(t)).join(', ');
    const running = new Set(this.shardClients.keys());
    for (let look = 0; ; look++) {
      await new Promise((resolve) => setTimeout(resolve, MUTATION_WAITS_MS[Math.min(look, MUTATION_WAITS_MS.length - 1)]));
      let open = 0;
      for (const shard of [...running]) {
        const n = Number(await this.queryOnShard(shard, `SELECT count() FROM system.mutations WHERE database = '${this.database}' AND table IN (${names}) AND NOT is_done`));
        if (n === 0) running.delete(shard);
        open += n;
      }
      if (open === 0) return;
      if (Date.now() > deadline) throw new Error(`${open} ClickHouse mutation(s) of ${this.database} (${tables.join(', ')}) still running after ${timeoutSeconds} s`);
    }
  }

  /** A portable CREATE TABLE as a local MergeTree on every shard plus the Distributed table over them. */
  async createShardedTable(portableSql: string): Promise<void> {
    const table = parsePortableCreateTable(portableSql);
    await this.commandOnEachShard(buildLocalTableDdl(table, this.database));
    const distributed = buildDistributedTableDdl(table, this.database, this.cluster);
    try {
      await this.client.command({ query: distributed });
    } catch (error) {
      this.#catalog.failed(distributed);
      throw new QueryError(distributed, error);
    }
    this.#catalog.note(distributed);
  }

  /**
   * Whether a table or view `name` exists, as `information_schema.tables` says (`tableExists`): from the kept catalog
   * where it is current (sharded-catalog.ts), else one question of `system.tables`; the names that view hides (a shard's
   * `_local`, a staging or `__exact_` table, `scratch_leases`) and names not in lower case are asked through it.
   */
  async tableExists(name: string): Promise<boolean> {
    if (name !== name.toLowerCase() || /_local$|__staging_|__exact_|^scratch_leases$/.test(name)) {
      return Number((await this.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ${this.dialect.literal(name)}`))[0]!.n) > 0;
    }
    return this.#catalog.exists(name);
  }

  /**
   * `work` (a run), then the tables and views its `TEMP` statements made
   * dropped — also when `work` fails (its failure is the one thrown). Only
   * what `work` made (in its async context) is dropped: a request running
   * beside it keeps its scratch tables. Returns `work`'s result.
   *
   * Example: `await cluster.dropTemporaryTablesAfter(() => runAnalysis(cluster, options))`
   */
  async dropTemporaryTablesAfter<T>(work: () => Promise<T>): Promise<T> {
    const made = new Set<string>();
    let result: T;
    try {
      result = await this.#scope.run(made, work);
    } catch (error) {
      await this.#dropTemporary(made).catch(() => undefined);
      throw error;
    }
    await this.#dropTemporary(made);
    return result;
  }

  /**
   * Drop the TEMP tables and views `names`: where this connection's catalog holds them (a name it dropped itself is not
   * dropped again), the shards' tables only when one is sharded (sharded-catalog.ts: a TEMP table lives on the entry node).
   */
  async #dropTemporary(names: ReadonlySet<string>): Promise<void> {
    for (const name of [...names].sort()) {
      const engine = await this.#catalog.keptEngineOf(name);
      if (engine === 'Distributed') await this.dropShardedTable(name);
      else if (engine !== null) await this.command(`DROP TABLE IF EXISTS ${this.database}.${name}`);
      this.scratchLeases.release(name);
      this.#temporary.delete(name);
    }
  }

  /** Drop a sharded table: the Distributed table and every shard's local table. */
  async dropShardedTable(name: string): Promise<void> {
    await this.command(`DROP TABLE IF EXISTS ${this.database}.${name}`);
    await this.commandOnEachShard(`DROP TABLE IF EXISTS ${this.database}.${name}_local`);
    this.scratchLeases.release(name); // a scratch table's lease (scratch-leases.ts) is renewed no more once it is gone
  }

  /** Drop this warehouse's database on every shard (everything it holds). */
  async dropDatabase(): Promise<void> {
    this.#temporary.clear();
    this.#catalog.forget();
    await this.client.command({ query: `DROP DATABASE IF EXISTS ${this.database}` });
    await this.commandOnEachShard(`DROP DATABASE IF EXISTS ${this.database}`);
  }

  /** Run a statement on every shard (DDL of local tables, partition moves), in shard order. */
  async commandOnEachShard(sql: string): Promise<void> {
    for (const [index, shard] of this.shardClients.entries()) {
      try {
        await shard.command({ query: sql });
      } catch (error) {
        this.#catalog.failed(sql);
        throw new QueryError(sql, error, index);
      }
      this.#catalog.note(sql); // a shard may be the entry node
    }
  }

  /** Run a statement on shard `index` (0-based, in `shardUrls` order). */
  async commandOnShard(index: number, sql: string): Promise<void> {
    const shard = this.shardClients[index];
    if (!shard) throw new Error(`no shard ${index} (the cluster has ${this.shardClients.length})`);
    try {
      await shard.command({ query: sql });
    } catch (error) {
      this.#catalog.failed(sql);
      throw new QueryError(sql, error, index);
    }
    this.#catalog.note(sql); // a shard may be the entry node
  }

  /** The text result of a query on each shard (its local tables), in shard order. */
  async queryOnEachShard(sql: string): Promise<string[]> {
    const answers: string[] = [];
    for (const shard of this.shardClients) {
      try {
        answers.push((await withCatalogRetry(sql, async () => (await shard.query({ query: sql, format: 'TabSeparated' })).text())).trim());
      } catch (error) {
        throw new QueryError(sql, error);
      }
    }
    return answers;
  }

  /** The text result of a query on shard `index` (0-based, in `shardUrls` order). */
  async queryOnShard(index: number, sql: string): Promise<string> {
    const shard = this.shardClients[index];
    if (!shard) throw new Error(`no shard ${index} (the cluster has ${this.shardClients.length})`);
    try {
      return (await withCatalogRetry(sql, async () => (await shard.query({ query: sql, format: 'TabSeparated' })).text())).trim();
    } catch (error) {
      throw new QueryError(sql, error, index);
    }
  }

  /** A number from one query on each shard's local table, in shard order. */
  private async perShard(sql: string): Promise<number[]> {
    return (await this.queryOnEachShard(sql)).map(Number);
  }

  /** Rows of a sharded table held by each shard. */
  rowsPerShard(table: string): Promise<number[]> {
    return this.perShard(`SELECT count() FROM ${this.database}.${table}_local`);
  }

  /** Distinct customers of a sharded table held by each shard (they add up to the total when no customer spans shards). */
  customersPerShard(table: string): Promise<number[]> {
    return this.perShard(`SELECT uniqExact(customer_id) FROM ${this.database}.${table}_local`);
  }

  private async translateJoins(sql: string): Promise<string> {
    return materialiseJoinedShards(sql, await this.#catalog.sharded(sql));
  }

  /** `sql` as ClickHouse reads it: a star of derived tables as a chain of single joins (star-joins.ts), the sharded tables of a JOIN read as subqueries (materialise-joined-shards.ts). */
  private async translate(sql: string): Promise<string> {
    const starred = rewriteStarJoins(sql);
    return toClickHouseSql(/\bJOIN\b/i.test(starred) ? await this.translateJoins(starred) : starred);
  }

  private async text(sql: string): Promise<string> {
    const statement = await this.translate(sql);
    try {
      return await withCatalogRetry(statement, async () => (await this.client.query({ query: statement, format: 'TabSeparatedWithNamesAndTypes', clickhouse_settings: SETTINGS })).text());
    } catch (error) {
      throw new QueryError(statement, error);
    }
  }

  async query(sql: string): Promise<Row[]> {
    const { header, rows } = splitTsv(await this.text(sql));
    return rows.map((fields) => toRow(fields, header));
  }

  async queryColumns(sql: string): Promise<ColumnarResult> {
    const { header, rows } = splitTsv(await this.text(sql));
    const columns: Record<string, Float64Array | SqlValue[]> = {};
    header.names.forEach((name, i) => {
      const type = header.types[i]!;
      if (isNumericType(type)) {
        const numbers = new Float64Array(rows.length);
        rows.forEach((fields, j) => {
          const value = parseClickHouseValue(fields[i]!, type);
          numbers[j] = value === null ? Number.NaN : (value as number);
        });
        columns[name] = numbers;
      } else {
        columns[name] = rows.map((fields) => parseClickHouseValue(fields[i]!, type));
      }
    });
    return { names: header.names, rowCount: rows.length, columns };
  }

  /** Hand the raw TSV lines of a query to `onLines` chunk by chunk (after the two header lines). */
  private async streamLines(sql: string, onLines: (lines: string[], header: Header) => void | Promise<void>): Promise<number> {
    const statement = await this.translate(sql);
    let header: Header | undefined;
    const pending: string[] = [];
    let total = 0;
    try {
      const result = await this.client.query({ query: statement, format: 'TabSeparatedWithNamesAndTypes', clickhouse_settings: SETTINGS });
      for await (const rows of result.stream()) {
        for (const row of rows) {
          if (!header && pending.length < 2) {
            pending.push(row.text);
            if (pending.length === 2) header = { names: pending[0]!.split('\t').map(unescapeTsv), types: pending[1]!.split('\t') };
            continue;
          }
          pending.push(row.text);
        }
        if (header && pending.length > 2) {
          const lines = pending.splice(2);
          total += lines.length;
          await onLines(lines, header);
        }
      }
    } catch (error) {
      if (error instanceof QueryError) throw error;
      throw new QueryError(statement, error);
    }
    return total;
  }

  stream(sql: string, onRows: (rows: Row[]) => void | Promise<void>): Promise<number> {
    return this.streamLines(sql, (lines, header) => onRows(lines.map((line) => toRow(line.split('\t'), header))));
  }

  append(table: string, columns: AppendColumns): Promise<number> {
    // the columns of a table this connection just made with a column list are those it declared (sharded-catalog.ts)
    const declare = async () => this.#catalog.columnsOf(table) ?? this.query(`SELECT name, type FROM system.columns WHERE database = ${this.dialect.literal(this.database)} AND table = ${this.dialect.literal(table)}`);
    return appendColumns({ client: this.client, database: this.database, batchRows: this.batchRows, settings: SETTINGS, command: (sql) => this.command(sql), leases: this.scratchLeases }, table, columns, declare);
  }

  private async command(statement: string, settings = SETTINGS): Promise<void> {
    try {
      await this.client.command({ query: statement, clickhouse_settings: settings });
    } catch (error) {
      this.#catalog.failed(statement);
      throw new QueryError(statement, error);
    }
    this.#catalog.note(statement);
  }

  async exportCsv(sql: string, path: string): Promise<number> {
    const out = createWriteStream(path);
    let wroteHeader = false;
    try {
      const rows = await this.streamLines(sql, async (lines, header) => {
        const text: string[] = [];
        if (!wroteHeader) {
          text.push(header.names.map((name) => csvField(name, 'String')).join(','));
          wroteHeader = true;
        }
        for (const line of lines) text.push(line.split('\t').map((field, i) => csvField(field, header.types[i]!)).join(','));
        if (!out.write(`${text.join('\n')}\n`)) await once(out, 'drain');
      });
      if (!wroteHeader) {
        const { header } = splitTsv(await this.text(`SELECT * FROM (${sql}) LIMIT 0`));
        out.write(`${header.names.map((name) => csvField(name, 'String')).join(',')}\n`);
      }
      out.end();
      await once(out, 'finish');
      return rows;
    } catch (error) {
      // no half-written file: it would look finished to whoever picks it up (DuckDB's COPY leaves none either)
      if (!out.closed) {
        out.destroy();
        await once(out, 'close'); // the file may still be opening: remove it once the stream is done with it
      }
      await rm(path, { force: true });
      throw error;
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  /**
   * Drops every table and view `TEMP` statements made and nothing dropped yet (DuckDB drops them when its session
   * ends; ClickHouse has no such session; a cluster that does not answer is not waited for), then closes the connections.
   */
  async close(): Promise<void> {
    this.scratchLeases.stop();
    if (this.#temporary.size > 0) await this.#dropTemporary(this.#temporary).catch(() => undefined);
    await Promise.all([this.client.close(), ...this.shardClients.map((shard) => shard.close())]);
  }
}

/**
 * Connect to a ClickHouse cluster through its entry node (`url`), create the
 * database on every shard when missing (or refuse it: `createDatabase`), and
 * return the warehouse.
 */
export async function openClickHouseWarehouse(url: string, options: ClickHouseWarehouseOptions = {}): Promise<ClickHouseWarehouse> {
  const { origin, database, cluster, shardUrls, client, shardClients, createdDatabase } = await connectCluster(url, options);
  return new ClickHouseWarehouse(origin, database, cluster, shardUrls, client, shardClients, options.batchRows ?? 100_000, createdDatabase);
}
