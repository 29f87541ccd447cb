import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { UserError } from '../../core/errors/user-error.js';
import { QueryError } from '../../core/errors/query-error.js';
import type { AppendColumns, ColumnarResult, Row, SqlValue, Warehouse } from '../warehouse.js';
import { clickhouseDialect } from './clickhouse-dialect.js';
import { inlineCtes } from './inline-ctes.js';
import { baseType, isNumericType, parseClickHouseValue, unescapeTsv } from './parse-clickhouse-value.js';
import { buildDistributedTableDdl, buildLocalTableDdl, parsePortableCreateTable } from './clickhouse-table-ddl.js';
import { discoverShardUrls } from './discover-shard-urls.js';
import { emulateInformationSchema } from './information-schema.js';

export interface ClickHouseWarehouseOptions {
  /** database on every shard (default `clvkit`); created when missing */
  readonly database?: string;
  /** the cluster of `remote_servers` the tables are spread over (default: the only cluster the entry node knows) */
  readonly cluster?: string;
  /** HTTP URLs of the shards, for DDL (default: discovered from `system.clusters`, see discover-shard-urls.ts) */
  readonly shardUrls?: readonly string[];
  /** rows per INSERT batch of `append` (default 100,000) */
  readonly batchRows?: number;
}

/** Settings every statement runs with: SQL-standard NULLs from outer joins; an INSERT into a Distributed table returns once every shard holds its rows. */
const SETTINGS = { join_use_nulls: 1, insert_distributed_sync: 1 } as const;
/** Progress headers keep a long query's HTTP connection alive (the client warns without them). */
const PROGRESS = { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' } as const;

/** ClickHouse 18.16 casts NULL only to a Nullable type: `CAST(NULL AS DOUBLE)` → `CAST(NULL AS Nullable(DOUBLE))`. */
function nullableNullCasts(sql: string): string {
  return sql.replace(/CAST\(\s*NULL\s+AS\s+([A-Za-z0-9_]+)\s*\)/gi, 'CAST(NULL AS Nullable($1))');
}

/** The SQL every engine shares, as ClickHouse 18.16 reads it. */
export function toClickHouseSql(sql: string): string {
  return emulateInformationSchema(nullableNullCasts(inlineCtes(sql)));
}

interface Header {
  readonly names: string[];
  readonly types: string[];
}

/** Split a TabSeparatedWithNamesAndTypes body into its header and raw field rows. */
function splitTsv(text: string): { header: Header; rows: string[][] } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const names = (lines[0] ?? '').split('\t').map(unescapeTsv);
  const types = (lines[1] ?? '').split('\t');
  return { header: { names, types }, rows: lines.slice(2).map((line) => line.split('\t')) };
}

function toRow(fields: readonly string[], header: Header): Row {
  const row: Row = {};
  header.names.forEach((name, i) => (row[name] = parseClickHouseValue(fields[i]!, header.types[i]!)));
  return row;
}

function csvField(field: string, type: string): string {
  if (field === '\\N') return '';
  if (isNumericType(type)) return field;
  const text = unescapeTsv(field);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A value for a JSONEachRow insert into a column of ClickHouse type `type`. */
function insertValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  const base = baseType(type);
  if (base === 'UInt8' && typeof value === 'boolean') return value ? 1 : 0;
  if (base.startsWith('DateTime')) {
    const iso = (value instanceof Date ? value : new Date(typeof value === 'number' ? value : Date.parse(String(value)))).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (base === 'Date') return (value instanceof Date ? value.toISOString() : String(value)).slice(0, 10);
  if (base === 'String') return String(value);
  return typeof value === 'boolean' ? Number(value) : value;
}

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
  ) {}

  async execute(sql: string): Promise<void> {
    if (/^\s*CREATE\s+TABLE\b/i.test(sql) && !/\bENGINE\s*=|\bAS\s+SELECT\b/i.test(sql)) return this.createShardedTable(sql);
    const statement = toClickHouseSql(sql);
    try {
      await this.client.command({ query: statement, clickhouse_settings: SETTINGS });
    } catch (error) {
      throw new QueryError(statement, error);
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
      throw new QueryError(distributed, error);
    }
  }

  /** Drop a sharded table: the Distributed table and every shard's local table. */
  async dropShardedTable(name: string): Promise<void> {
    await this.client.command({ query: `DROP TABLE IF EXISTS ${this.database}.${name}` });
    await this.commandOnEachShard(`DROP TABLE IF EXISTS ${this.database}.${name}_local`);
  }

  /** Drop this warehouse's database on every shard (everything it holds). */
  async dropDatabase(): Promise<void> {
    await this.client.command({ query: `DROP DATABASE IF EXISTS ${this.database}` });
    await this.commandOnEachShard(`DROP DATABASE IF EXISTS ${this.database}`);
  }

  /** Run a statement on every shard (DDL of local tables, partition moves), in shard order. */
  async commandOnEachShard(sql: string): Promise<void> {
    for (const shard of this.shardClients) {
      try {
        await shard.command({ query: sql });
      } catch (error) {
        throw new QueryError(sql, error);
      }
    }
  }

  /** Run a statement on shard `index` (0-based, in `shardUrls` order). */
  async commandOnShard(index: number, sql: string): Promise<void> {
    const shard = this.shardClients[index];
    if (!shard) throw new Error(`no shard ${index} (the cluster has ${this.shardClients.length})`);
    try {
      await shard.command({ query: sql });
    } catch (error) {
      throw new QueryError(sql, error);
    }
  }

  /** The text result of a query on each shard (its local tables), in shard order. */
  async queryOnEachShard(sql: string): Promise<string[]> {
    const answers: string[] = [];
    for (const shard of this.shardClients) {
      try {
        answers.push((await (await shard.query({ query: sql, format: 'TabSeparated' })).text()).trim());
      } catch (error) {
        throw new QueryError(sql, error);
      }
    }
    return answers;
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

  private async text(sql: string): Promise<string> {
    const statement = toClickHouseSql(sql);
    try {
      const result = await this.client.query({ query: statement, format: 'TabSeparatedWithNamesAndTypes', clickhouse_settings: SETTINGS });
      return await result.text();
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
    const statement = toClickHouseSql(sql);
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

  async append(table: string, columns: AppendColumns): Promise<number> {
    const names = Object.keys(columns);
    if (names.length === 0) return 0;
    const length = columns[names[0]!]!.length;
    for (const name of names) {
      if (columns[name]!.length !== length) throw new Error(`append to ${table}: column ${name} has ${columns[name]!.length} values, expected ${length}`);
    }
    const declared = await this.query(
      `SELECT name, type FROM system.columns WHERE database = ${this.dialect.literal(this.database)} AND table = ${this.dialect.literal(table)}`,
    );
    if (declared.length === 0) throw new Error(`append: no table ${table}`);
    const writers = declared
      .filter((column) => columns[String(column.name)] !== undefined)
      .map((column) => ({ name: String(column.name), type: String(column.type), data: columns[String(column.name)] as ArrayLike<unknown> }));
    for (let start = 0; start < length; start += this.batchRows) {
      const values: Record<string, unknown>[] = [];
      for (let row = start; row < Math.min(length, start + this.batchRows); row++) {
        const record: Record<string, unknown> = {};
        for (const { name, type, data } of writers) record[name] = insertValue(data[row], type);
        values.push(record);
      }
      try {
        await this.client.insert({ table: `${this.database}.${table}`, values, format: 'JSONEachRow', clickhouse_settings: SETTINGS });
      } catch (error) {
        throw new QueryError(`INSERT INTO ${this.database}.${table} FORMAT JSONEachRow (${values.length} rows from ${start})`, error);
      }
    }
    return length;
  }

  async exportCsv(sql: string, path: string): Promise<number> {
    const out = createWriteStream(path);
    let wroteHeader = false;
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
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    await Promise.all([this.client.close(), ...this.shardClients.map((shard) => shard.close())]);
  }
}

/**
 * Connect to a ClickHouse cluster through its entry node (`url`), create the
 * database on every shard when missing, and return the warehouse.
 */
export async function openClickHouseWarehouse(url: string, options: ClickHouseWarehouseOptions = {}): Promise<ClickHouseWarehouse> {
  const database = options.database ?? 'clvkit';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new UserError(`database name ${database} is not plain`, 'use letters, digits and _');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--clickhouse-url ${url} is not a URL`, 'pass the HTTP URL of the entry node, e.g. http://127.0.0.1:8123');
  }
  const connect = (address: string, db?: string) => createClient({ url: address, request_timeout: 600_000, clickhouse_settings: PROGRESS, ...(db ? { database: db } : {}) });
  const entry = connect(parsed.origin);
  try {
    await entry.query({ query: 'SELECT 1', format: 'TabSeparated' }).then((result) => result.text());
  } catch (error) {
    await entry.close();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(`no ClickHouse server answers at ${parsed.origin} (${reason})`, 'start one (scripts/clickhouse-cluster.sh start DIR prints its URL) or check --clickhouse-url');
  }
  const clusters = (await (await entry.query({ query: 'SELECT DISTINCT cluster FROM system.clusters', format: 'JSONEachRow' })).json<{ cluster: string }>()).map((row) => row.cluster);
  const cluster = options.cluster ?? (clusters.length === 1 ? clusters[0]! : undefined);
  if (!cluster || !clusters.includes(cluster)) {
    await entry.close();
    throw new UserError(
      options.cluster ? `the server at ${parsed.origin} knows no cluster ${options.cluster}` : `the server at ${parsed.origin} knows ${clusters.length} clusters`,
      `pass --cluster NAME, one of: ${clusters.join(', ') || '(none: add a remote_servers entry)'}`,
    );
  }
  const shardUrls = options.shardUrls ?? (await discoverShardUrls(entry, parsed, cluster));
  const shardClients = shardUrls.map((shardUrl) => connect(shardUrl));
  for (const shard of shardClients) await shard.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await entry.close();
  const client = connect(parsed.origin, database);
  return new ClickHouseWarehouse(parsed.origin, database, cluster, shardUrls, client, shardClients, options.batchRows ?? 100_000);
}
