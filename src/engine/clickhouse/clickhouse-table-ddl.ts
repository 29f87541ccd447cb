/**
 * The portable CREATE TABLE of the schema (VARCHAR, DOUBLE, BIGINT, BOOLEAN,
 * TIMESTAMP, NOT NULL) as ClickHouse tables: on every shard a local
 * MergeTree `<name>_local`, ordered by `(customer_id, ts)` where the table
 * has them, and on the entry node a `Distributed` table `<name>` on top,
 * sharded by `cityHash64(customer_id)` so that every per-customer
 * aggregation is local to a shard. Tables without `customer_id` are spread
 * at random (`rand()`).
 */
import { UserError } from '../../core/errors/user-error.js';

export interface PortableColumn {
  readonly name: string;
  /** the portable type, e.g. `VARCHAR` */
  readonly type: string;
  readonly notNull: boolean;
}

export interface PortableTable {
  readonly name: string;
  readonly columns: readonly PortableColumn[];
}

const TYPES: Record<string, string> = {
  VARCHAR: 'String',
  TEXT: 'String',
  DOUBLE: 'Float64',
  FLOAT: 'Float64',
  BIGINT: 'Int64',
  INTEGER: 'Int32',
  BOOLEAN: 'UInt8',
  TIMESTAMP: 'DateTime',
  DATE: 'Date',
};

/** The ClickHouse type of a portable column type (NOT NULL columns are not Nullable). */
export function clickhouseType(portable: string, notNull: boolean): string {
  const type = TYPES[portable.toUpperCase()];
  if (!type) throw new Error(`no ClickHouse type for the portable column type ${portable}`);
  return notNull ? type : `Nullable(${type})`;
}

/** Parse `CREATE TABLE [IF NOT EXISTS] name (col TYPE [NOT NULL], …)` in the schema's portable subset. */
export function parsePortableCreateTable(sql: string): PortableTable {
  const match = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(sql);
  if (!match) throw new Error(`not a portable CREATE TABLE: ${sql.slice(0, 80)}`);
  const columns = match[2]!
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      // a name may be quoted as a dialect's identifier() quotes it ("x" or `x`)
      const column = /^(?:([A-Za-z_][A-Za-z0-9_]*)|"([A-Za-z_][A-Za-z0-9_]*)"|`([A-Za-z_][A-Za-z0-9_]*)`)\s+([A-Za-z]+)(\s+NOT\s+NULL)?$/i.exec(part);
      if (!column) throw new Error(`not a portable column definition: ${part}`);
      const type = column[4]!.toUpperCase();
      clickhouseType(type, true); // throws for a type outside the portable subset
      return { name: (column[1] ?? column[2] ?? column[3])!, type, notNull: column[5] !== undefined };
    });
  return { name: match[1]!, columns };
}

function checkName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`${name} is not a plain table name`, 'use letters, digits and _');
  return name;
}

/** The local MergeTree table of one shard. */
export function buildLocalTableDdl(table: PortableTable, database: string): string {
  // a `ts` keys and partitions the table only when it is a timestamp (audit_log's is ISO text)
  const timestamped = table.columns.some((c) => c.name === 'ts' && c.notNull && c.type === 'TIMESTAMP');
  const keyColumns = ['customer_id', 'ts'].filter((name) => table.columns.some((c) => c.name === name && c.notNull) && (name !== 'ts' || timestamped));
  const order = keyColumns.length > 0 ? `(${keyColumns.join(', ')})` : 'tuple()';
  const partition = timestamped ? ' PARTITION BY toYYYYMM(ts)' : '';
  const columns = table.columns.map((c) => `  ${c.name} ${clickhouseType(c.type, c.notNull)}`).join(',\n');
  return `CREATE TABLE IF NOT EXISTS ${checkName(database)}.${checkName(table.name)}_local (\n${columns}\n) ENGINE = MergeTree()${partition} ORDER BY ${order}`;
}

/** The Distributed table over the shards' local tables. */
export function buildDistributedTableDdl(table: PortableTable, database: string, cluster: string): string {
  const sharding = table.columns.some((c) => c.name === 'customer_id' && c.notNull) ? 'cityHash64(customer_id)' : 'rand()';
  const name = checkName(table.name);
  return `CREATE TABLE IF NOT EXISTS ${checkName(database)}.${name} AS ${database}.${name}_local ENGINE = Distributed(${checkName(cluster)}, ${database}, ${name}_local, ${sharding})`;
}
