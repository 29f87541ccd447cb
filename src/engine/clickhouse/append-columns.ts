/**
 * `Warehouse.append` on ClickHouse: numeric columns as RowBinary batches
 * (append-row-binary.ts), others as typed batches of TabSeparated text into
 * a table (a Distributed table spreads them over the shards; with
 * `insert_distributed_sync = 1` every shard holds its rows when the insert
 * returns). Doubles go as exact (mantissa, exponent) integer pairs through a
 * Memory table and are rebuilt in one INSERT … SELECT (exact-float.ts:
 * ClickHouse 18.16 parses decimal text without correct rounding).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { QueryError } from '../../core/errors/query-error.js';
import { UserError } from '../../core/errors/user-error.js';
import { appendedNumber, checkAppendColumns, isAppendedNull } from '../check-append-columns.js';
import type { AppendColumns, Row } from '../warehouse.js';
import { encodeRowBinary, rowBinaryCarries, rowBinaryFits, type BinaryColumn } from './append-row-binary.js';
import { joinDoubleSql, splitDouble } from './exact-float.js';
import { baseType } from './parse-clickhouse-value.js';
import { newLeaseId, type ScratchLeases } from './scratch-leases.js';

/** Where the rows go: the warehouse's client and database. */
export interface AppendTarget {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly batchRows: number;
  readonly settings: ClickHouseSettings;
  readonly command: (sql: string) => Promise<void>;
  /** the leases of scratch tables (scratch-leases.ts): the exact table is held while it lives, so a sweep tells it from a dead writer's */
  readonly leases?: Pick<ScratchLeases, 'hold' | 'release'>;
}

interface Writer {
  readonly name: string;
  readonly type: string;
  readonly data: ArrayLike<unknown>;
  readonly convert?: (v: unknown) => unknown;
  /** the TabSeparated field of row i, when the writer makes it itself */
  readonly field?: (i: number) => string;
}

/** A value of `insertValue` as a TabSeparated field (NULL as \\N; backslash, tab and newline escaped). */
function tsvField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return String(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const isFloatType = (type: string) => /^Float(32|64)$/.test(baseType(type));

/**
 * The instants a ClickHouse 18.16 DateTime or Date holds as written (a UInt32 of seconds, a UInt16 of days from
 * 1970-01-01; 0 reads back as 0000-00-00): outside them the server stored 1965-05-01 10:00 as 1970-01-01 10:00 and
 * 2120-01-01 as 0000-00-00 without a word. Kept to whole days inside both ranges; 1970-01-01 00:00:00 itself is
 * taken (a placeholder time, e.g. of staged tokens: tokensHeldOnCluster) though the server shows it as 0000-00-00.
 */
const TIME_RANGE = { from: Date.UTC(1970, 0, 1), to: Date.UTC(2106, 0, 1), text: '1970-01-01 to 2105-12-31' };

/** A Date, time text or epoch milliseconds for a DateTime or Date column: a time inside TIME_RANGE, or an error naming the column. */
function checkedTime(table: string, column: string, value: unknown): Date {
  const time = value instanceof Date ? value : new Date(typeof value === 'number' ? value : Date.parse(String(value)));
  if (Number.isNaN(time.getTime())) throw new Error(`append to ${table}: column ${column} holds times, got ${JSON.stringify(value)}`);
  if (time.getTime() < TIME_RANGE.from || time.getTime() >= TIME_RANGE.to) {
    throw new UserError(
      `${table.replace(/__staging_.*$/, '')}.${column} has the time ${time.toISOString()}: ClickHouse (DateTime, Date) holds times from ${TIME_RANGE.text} only; nothing was added`,
      'correct or remove the rows with that time (e.g. a placeholder date), or keep this data on DuckDB (no --engine clickhouse)',
    );
  }
  return time;
}

/** A value for an insert into a column of ClickHouse type `type`. */
function insertValue(value: unknown, type: string): unknown {
  if (isAppendedNull(value)) return null;
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
 * TabSeparated INSERTs of `batchRows` rows each, the text built column by
 * column (a JSON object per row cost ~3× as much in Node.js: 41k score
 * tuples of 20 integer columns took 3.1 s as JSONEachRow under load).
 */
async function insertBatches(target: AppendTarget, table: string, writers: readonly Writer[], length: number): Promise<void> {
  const columns = writers.map((w) => w.name) as [string, ...string[]];
  for (let start = 0; start < length; start += target.batchRows) {
    const end = Math.min(length, start + target.batchRows);
    const fields = writers.map(({ type, data, convert, field }) => {
      const out = new Array<string>(end - start);
      if (field) for (let row = start; row < end; row++) out[row - start] = field(row);
      else for (let row = start; row < end; row++) out[row - start] = tsvField(convert ? convert(data[row]) : insertValue(data[row], type));
      return out;
    });
    let text = '';
    for (let i = 0; i < end - start; i++) {
      text += fields[0]![i]!;
      for (let c = 1; c < fields.length; c++) text += `\t${fields[c]![i]!}`;
      text += '\n';
    }
    try {
      await target.client.insert({ table: `${target.database}.${table}`, values: Readable.from([Buffer.from(text)], { objectMode: false }), format: 'TabSeparated', columns, clickhouse_settings: target.settings });
    } catch (error) {
      throw new QueryError(`INSERT INTO ${target.database}.${table} FORMAT TabSeparated (${end - start} rows from ${start})`, error);
    }
  }
}

/** Append `columns` to `table`, whose declared columns (name, type) `declare` reads; returns the rows appended. */
export async function appendColumns(target: AppendTarget, table: string, columns: AppendColumns, declare: () => Promise<Row[]>): Promise<number> {
  if (Object.keys(columns).length === 0) return 0;
  const declared = await declare();
  if (declared.length === 0) throw new Error(`append: no table ${table}`);
  // refused, as on DuckDB: a column the table does not declare (it was dropped without a word), a NOT NULL one left out (it was filled with '' or 0)
  const length = checkAppendColumns(table, columns, declared.map((c) => ({ name: String(c.name), nullable: String(c.type).startsWith('Nullable(') })));
  const writers: Writer[] = declared
    .filter((column) => columns[String(column.name)] !== undefined)
    .map((column) => {
      const [name, type] = [String(column.name), String(column.type)];
      // whole numbers read as on DuckDB (a fraction or text fails here, not as the server's parse error); times checked against TIME_RANGE
      const base = baseType(type);
      const whole = /^U?Int(8|16|32|64)$/.test(base);
      const time = base.startsWith('DateTime') || base === 'Date';
      const convert = whole
        ? (v: unknown) => appendedNumber(table, name, v, true)
        : time
          ? (v: unknown) => (isAppendedNull(v) ? null : insertValue(checkedTime(table, name, v), type))
          : undefined;
      return { name, type, data: columns[name] as ArrayLike<unknown>, ...(convert ? { convert } : {}) };
    });
  // a time column's instant for RowBinary, checked as the text path checks it
  const binary: BinaryColumn[] = writers.map((w) => {
    const base = baseType(w.type);
    return base.startsWith('DateTime') || base === 'Date' ? { ...w, time: (v: unknown) => (isAppendedNull(v) ? null : checkedTime(table, w.name, v)) } : w;
  });
  if (rowBinaryFits(binary) || (binary.some((w) => isFloatType(w.type)) && rowBinaryCarries(binary))) {
    // numbers only, or doubles among text and times: their bytes, no text, no Memory table for the doubles (append-row-binary.ts)
    const columnList = writers.map((w) => w.name).join(', ');
    for (let start = 0; start < length; start += target.batchRows) {
      const end = Math.min(length, start + target.batchRows);
      const body = encodeRowBinary(table, binary, start, end);
      const query = `INSERT INTO ${target.database}.${table} (${columnList}) FORMAT RowBinary`;
      try {
        const result = await target.client.exec({ query, values: Readable.from([body], { objectMode: false }), clickhouse_settings: target.settings });
        result.stream.resume();
        await once(result.stream, 'end');
      } catch (error) {
        throw new QueryError(`${query} (${end - start} rows from ${start})`, error);
      }
    }
    return length;
  }
  if (!writers.some((w) => isFloatType(w.type))) {
    await insertBatches(target, table, writers, length);
    return length;
  }
  // doubles as exact (mantissa, exponent) pairs through a Memory table (exact-float.ts), rebuilt in one INSERT … SELECT
  // a scratch table (scratch-leases.ts): leased while it lives; one a killed process left is dropped by the next writer's sweep
  const exact = `${table}__exact_${newLeaseId(randomBytes(4).toString('hex'))}`;
  const staged = writers.flatMap((w): Writer[] => {
    if (!isFloatType(w.type)) return [{ ...w, convert: w.convert ?? ((v: unknown) => insertValue(v, w.type)) }];
    const nullable = w.type.startsWith('Nullable(');
    const wrap = (type: string) => (nullable ? `Nullable(${type})` : type);
    // each double split once, into typed arrays (no object per value: the garbage collector was most of append's time)
    const mantissas = new Float64Array(length);
    const exponents = new Int16Array(length);
    const isNull = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const v = w.data[i];
      if (isAppendedNull(v)) {
        if (!nullable) throw new Error(`append to ${table}: column ${w.name} is NOT NULL, got ${String(v)}`);
        isNull[i] = 1;
        continue;
      }
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      if (Number.isNaN(x)) throw new Error(`append to ${table}: column ${w.name} holds numbers, got ${JSON.stringify(v)}`);
      const split = splitDouble(x);
      mantissas[i] = split.mantissa;
      exponents[i] = split.exponent;
    }
    const column = (values: Float64Array | Int16Array): Writer => ({
      name: '',
      type: '',
      data: values,
      field: (i: number) => (isNull[i] ? '\\N' : String(values[i]!)),
    });
    return [
      { ...column(mantissas), name: `${w.name}__m`, type: wrap('Int64') },
      { ...column(exponents), name: `${w.name}__e`, type: wrap('Int16') },
    ];
  });
  await target.leases?.hold(exact);
  try {
    await target.command(`CREATE TABLE ${target.database}.${exact} (${staged.map((c) => `${c.name} ${c.type}`).join(', ')}) ENGINE = Memory`);
    await insertBatches(target, exact, staged, length);
    const select = writers.map((w) => (isFloatType(w.type) ? joinDoubleSql(`${w.name}__m`, `${w.name}__e`, w.type.startsWith('Nullable(')) : w.name));
    await target.command(`INSERT INTO ${target.database}.${table} (${writers.map((w) => w.name).join(', ')}) SELECT ${select.join(', ')} FROM ${target.database}.${exact}`);
  } finally {
    try {
      await target.command(`DROP TABLE IF EXISTS ${target.database}.${exact}`);
    } finally {
      target.leases?.release(exact);
    }
  }
  return length;
}

