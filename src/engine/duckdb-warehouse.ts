import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBTypeId,
  INTEGER,
  JSDuckDBValueConverter,
  TIMESTAMP,
  VARCHAR,
} from './duckdb-node-api.js';
import type { DuckDBAppender, DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { UserError } from '../core/errors/user-error.js';
import { BusyError } from '../core/errors/busy-error.js';
import { duckDbThreads } from './duckdb-threads.js';
import { checkOutputFile } from '../core/output-paths.js';
import { QueryError } from '../core/errors/query-error.js';
import { appendedNumber, checkAppendColumns, isAppendedNull } from './check-append-columns.js';
import { duckdbDialect } from './sql-dialect.js';
import type { AppendColumns, ColumnarResult, Row, SqlValue, Warehouse } from './warehouse.js';
import { migrateWarehouse } from './migrate-warehouse.js';
import { openStatementLog, traceWarehouse } from './trace-warehouse.js';
import { errorMessage } from '../core/errors/error-message.js';
import { holdOwnerOnlyUmask, withOwnerOnlyUmask } from './owner-only-umask.js';
import { freshSpillFolder, ownerOnlySpillFolder, removeFreshSpillFolder, removeSpillFolder } from './owner-only-spill-folder.js';

const NUMERIC_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

export interface DuckDbWarehouseOptions {
  /** DuckDB memory limit, e.g. '8GB' */
  memoryLimit?: string;
  /** worker threads (default: all cores); never more than CLVKIT_DUCKDB_THREADS when that is set (`duckDbThreads`) */
  threads?: number;
  /** apply schema migrations on open (default true) */
  migrate?: boolean;
}

type AppendOne = (appender: DuckDBAppender, value: unknown) => void;

/** The appender call for a declared column type; values are coerced to it (numbers strictly: `appendedNumber`). */
function appendFunction(dataType: string, table: string, column: string): AppendOne {
  const number = (v: unknown, whole: boolean) => appendedNumber(table, column, v, whole)!;
  if (dataType === 'DOUBLE' || dataType === 'FLOAT' || dataType.startsWith('DECIMAL')) return (a, v) => a.appendDouble(number(v, false));
  if (dataType === 'INTEGER') return (a, v) => a.appendInteger(number(v, true));
  if (dataType === 'BIGINT') return (a, v) => a.appendBigInt(BigInt(number(v, true)));
  if (dataType === 'BOOLEAN') return (a, v) => a.appendBoolean(Boolean(v));
  if (dataType === 'VARCHAR') return (a, v) => a.appendVarchar(String(v));
  if (dataType.startsWith('TIMESTAMP')) return (a, v) => a.appendTimestamp(toTimestamp(v));
  return (a, v) => a.appendValue(v as DuckDBValue);
}

/** Rows per data chunk handed to the appender (the engine's vector size). */
const APPEND_CHUNK_ROWS = 2048;

const toTimestamp = (v: unknown) => new DuckDBTimestampValue(BigInt((v instanceof Date ? v.getTime() : Date.parse(String(v))) * 1000));

/** A column type the appender takes in whole data chunks, and how a value is converted for it; null for other types. */
function chunkColumn(dataType: string, table: string, column: string): { type: DuckDBType; convert: (value: unknown) => DuckDBValue } | null {
  const number = (v: unknown, whole: boolean) => appendedNumber(table, column, v, whole)!;
  if (dataType === 'DOUBLE') return { type: DOUBLE, convert: (v) => number(v, false) };
  if (dataType === 'INTEGER') return { type: INTEGER, convert: (v) => number(v, true) };
  if (dataType === 'BIGINT') return { type: BIGINT, convert: (v) => BigInt(number(v, true)) };
  if (dataType === 'BOOLEAN') return { type: BOOLEAN, convert: (v) => Boolean(v) };
  if (dataType === 'VARCHAR') return { type: VARCHAR, convert: (v) => String(v) };
  if (dataType === 'TIMESTAMP') return { type: TIMESTAMP, convert: toTimestamp };
  return null;
}

/** Convert a DuckDB JS value to the warehouse's plain value types. */
function plainValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  return String(value);
}

/**
 * The default warehouse: embedded DuckDB, in memory or in one file.
 *
 * Example: `const wh = await openDuckDbWarehouse('./clvkit.duckdb')`
 */
/** A DuckDB database file carries `DUCK` at byte 8 (after the header checksum). */
function hasDuckDbMagic(path: string): boolean {
  const bytes = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, bytes, 0, 12, 0);
    return read === 12 && bytes.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

function ownerOnlyFile(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch {
    // a file system without modes (FAT, some network mounts): nothing to set
  }
}

export async function openDuckDbWarehouse(location = ':memory:', options: DuckDbWarehouseOptions = {}): Promise<Warehouse> {
  if (location !== ':memory:') {
    // a folder, a missing folder, a file on the way, no permission to write it or its folder: refused before DuckDB says it its way
    checkOutputFile(location, '--db', './clvkit.duckdb');
    if (existsSync(location) && statSync(location).size > 0 && !hasDuckDbMagic(location)) {
      throw new UserError(`--db ${location} is not a clvkit warehouse (DuckDB file)`, 'pass the warehouse file, e.g. --db ./clvkit.duckdb; input files are given without --db');
    }
  }
  // CLVKIT_DUCKDB_LOG=FILE: every statement timed, one JSON line each (trace-warehouse.ts); a FILE that cannot be written
  // is refused before the warehouse is opened (or made)
  const log = process.env.CLVKIT_DUCKDB_LOG ? openStatementLog(process.env.CLVKIT_DUCKDB_LOG, 'CLVKIT_DUCKDB_LOG') : undefined;
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
  };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const threads = duckDbThreads(options.threads);
  if (threads) config.threads = String(threads);
  let instance: DuckDBInstance;
  const existed = location === ':memory:' || existsSync(location);
  // what DuckDB spills beside a warehouse file (<db>.tmp) is the owner's only, as the file itself (below)
  const spill = location === ':memory:' ? null : `${location}.tmp`;
  const spillMade = spill !== null && ownerOnlySpillFolder(spill);
  try {
    // what DuckDB makes beside the file while it opens it (a write-ahead log it replays) is the owner's only, as in every call (below)
    instance = await withOwnerOnlyUmask(() => DuckDBInstance.create(location, config));
    // A warehouse file holds personal data in clear (password hashes, gender, birth years, search queries) beside the
    // envelopes: a new one is made its owner's only as soon as DuckDB has created it (with the default mode: a process
    // that opens it in that instant keeps its descriptor), before any table is written. An existing file keeps the mode
    // its owner gave it.
    if (!existed) ownerOnlyFile(location);
  } catch (error) {
    if (spillMade) removeSpillFolder(spill);
    const message = errorMessage(error);
    if (/lock|Conflicting lock/i.test(message)) {
      throw new BusyError(`the database ${location} is in use by another process`, 'close the other clvkit run or use another --db');
    }
    // a permission or disk that changed since the check above is not a question of the file's format
    const access = /Permission denied|Read-only file system|No space left/i.test(message);
    if (access) throw new UserError(`cannot open database ${location}: ${message.split('\n')[0]}`, `check who may write ${location} and its folder (ls -ld ${dirname(location) || '.'}), or use another --db`);
    // a new file its folder would not take (/proc, a folder the permission check passes but the file system refuses): not a question of a format
    if (!existed && !existsSync(location)) {
      throw new UserError(`cannot create database ${location}: ${message.split('\n')[0]}`, `${location} did not exist and the folder ${dirname(location) || '.'} took no new file (a system or read-only folder?): choose another --db in a folder you may create files in`);
    }
    throw new UserError(`cannot open database ${location}: ${message.split('\n')[0]}`, 'is it a DuckDB file written by clvkit?');
  }
  const connection = await instance.connect();
  const opened = new DuckDbWarehouse(location, instance, connection, spillMade ? spill : null);
  const warehouse: Warehouse = log ? traceWarehouse(opened, 'duckdb', log) : opened;
  if (options.migrate !== false) await migrateWarehouse(warehouse);
  return warehouse;
}

/**
 * DuckDB's calls on a file warehouse run with the umask narrowed to owner-only (`holdOwnerOnlyUmask`): the write-ahead
 * log `<db>.wal` a commit makes beside the file (anew after each checkpoint) takes the process's umask, and holds the
 * rows of the latest commits — tokens, envelopes, amounts and what the warehouse keeps in clear — until a checkpoint.
 * Not `exportCsv`: a read-only COPY writes no log, and the file it writes is the caller's (the mode it chose).
 */
class DuckDbWarehouse implements Warehouse {
  readonly dialect = duckdbDialect;
  private inTransaction = false;
  /** the fresh folder `spillToFreshFolder` gave the engine: removed on close */
  private freshSpill: string | null = null;

  constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly spillFolder: string | null = null,
  ) {}

  /** Narrows the umask for a call on a file warehouse (`holdOwnerOnlyUmask`); an in-memory one writes no file beside it. */
  private ownerOnly(): () => void {
    return this.location === ':memory:' ? () => undefined : holdOwnerOnlyUmask();
  }

  async execute(sql: string): Promise<void> {
    const release = this.ownerOnly();
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new QueryError(sql, error);
    } finally {
      release();
    }
  }

  async query(sql: string): Promise<Row[]> {
    const release = this.ownerOnly();
    try {
      const reader = await this.connection.runAndReadAll(sql);
      const names = reader.deduplicatedColumnNames();
      return reader.getRowsJS().map((values) => {
        const row: Row = {};
        names.forEach((name, i) => (row[name] = plainValue(values[i])));
        return row;
      });
    } catch (error) {
      throw new QueryError(sql, error);
    } finally {
      release();
    }
  }

  async queryColumns(sql: string): Promise<ColumnarResult> {
    const release = this.ownerOnly();
    try {
      const result = await this.connection.run(sql);
      const names = result.deduplicatedColumnNames();
      const types = result.columnTypes();
      const chunks: DuckDBDataChunk[] = [];
      const chunkRows: number[] = []; // chunk.rowCount is a native call: read it once per chunk
      let rowCount = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        const rows = chunk ? chunk.rowCount : 0;
        if (!chunk || rows === 0) break;
        chunks.push(chunk);
        chunkRows.push(rows);
        rowCount += rows;
      }
      const columns: Record<string, Float64Array | SqlValue[]> = {};
      names.forEach((name, i) => {
        const typeId = types[i]!.typeId;
        if (typeId === DuckDBTypeId.DOUBLE) {
          // straight from the vectors: no per-value conversion (a 219k-row, 4-column result took ~0.5 s through getColumnsJS)
          const numbers = new Float64Array(rowCount);
          let offset = 0;
          chunks.forEach((chunk, c) => {
            const vector = chunk.getColumnVector(i);
            const rows = chunkRows[c]!;
            for (let j = 0; j < rows; j++) {
              const v = vector.getItem(j) as number | null;
              numbers[offset + j] = v === null ? Number.NaN : v;
            }
            offset += rows;
          });
          columns[name] = numbers;
          return;
        }
        const values: unknown[] = [];
        for (const chunk of chunks) {
          const converted = chunk.convertColumnValues(i, JSDuckDBValueConverter);
          for (let j = 0; j < converted.length; j++) values.push(converted[j]);
        }
        if (NUMERIC_TYPES.has(typeId)) {
          const numbers = new Float64Array(values.length);
          for (let j = 0; j < values.length; j++) {
            const v = values[j];
            numbers[j] = v === null || v === undefined ? Number.NaN : Number(v);
          }
          columns[name] = numbers;
        } else {
          columns[name] = values.map(plainValue);
        }
      });
      return { names, rowCount, columns };
    } catch (error) {
      throw new QueryError(sql, error);
    } finally {
      release();
    }
  }

  async stream(sql: string, onRows: (rows: Row[]) => void | Promise<void>): Promise<number> {
    let total = 0;
    // narrowed while DuckDB works, not while the reader's onRows does (it writes files of its own)
    const native = <T>(work: () => Promise<T>): Promise<T> => (this.location === ':memory:' ? work() : withOwnerOnlyUmask(work));
    try {
      const result = await native(() => this.connection.stream(sql));
      const names = result.deduplicatedColumnNames();
      for (;;) {
        const chunk = await native(() => result.fetchChunk());
        if (!chunk || chunk.rowCount === 0) break;
        const rows = chunk.convertRows(JSDuckDBValueConverter).map((values) => {
          const row: Row = {};
          names.forEach((name, i) => (row[name] = plainValue(values[i])));
          return row;
        });
        total += rows.length;
        await onRows(rows);
      }
    } catch (error) {
      if (error instanceof QueryError) throw error;
      throw new QueryError(sql, error);
    }
    return total;
  }

  async append(table: string, columns: AppendColumns): Promise<number> {
    if (Object.keys(columns).length === 0) return 0;
    // Order the columns as the table declares them; missing ones are appended as NULL, undeclared ones refused.
    const declared = await this.query(
      // duckdb_columns() itself, not information_schema.columns (a view over it with 40 columns): 3.2 -> 1.6 ms a call
      `SELECT column_name, data_type, CASE WHEN is_nullable THEN 'YES' ELSE 'NO' END AS is_nullable FROM duckdb_columns() WHERE table_name = ${duckdbDialect.literal(table)} ORDER BY column_index`,
    );
    if (declared.length === 0) throw new Error(`append: no table ${table}`);
    const length = checkAppendColumns(table, columns, declared.map((c) => ({ name: String(c.column_name), nullable: c.is_nullable !== 'NO' })));
    const writers = declared.map(({ column_name, data_type }) => ({
      data: columns[column_name as string] as ArrayLike<unknown> | undefined,
      write: appendFunction(String(data_type), table, String(column_name)),
      chunk: chunkColumn(String(data_type), table, String(column_name)),
    }));
    const release = this.ownerOnly();
    let appender: DuckDBAppender;
    try {
      appender = await this.connection.createAppender(table);
    } catch (error) {
      release();
      throw error;
    }
    try {
      if (writers.every((w) => w.chunk !== null)) {
        // Whole data chunks: one call per column and chunk instead of one per value.
        const types = writers.map((w) => w.chunk!.type);
        for (let start = 0; start < length; start += APPEND_CHUNK_ROWS) {
          const end = Math.min(length, start + APPEND_CHUNK_ROWS);
          const chunk = DuckDBDataChunk.create(types, end - start);
          writers.forEach(({ data, chunk: column }, c) => {
            const values: DuckDBValue[] = new Array(end - start);
            for (let row = start; row < end; row++) {
              const value = data === undefined ? null : data[row];
              values[row - start] = isAppendedNull(value) ? null : column!.convert(value);
            }
            chunk.setColumnValues(c, values);
          });
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
        return length;
      }
      for (let row = 0; row < length; row++) {
        for (const { data, write } of writers) {
          const value = data === undefined ? null : data[row];
          if (isAppendedNull(value)) appender.appendNull();
          else write(appender, value);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
      release();
    }
    return length;
  }

  /**
   * Booleans are written as 1 and 0, as on ClickHouse, whose 18.16 has no boolean type: a BOOLEAN column and a
   * comparison come back from it as UInt8, which cannot be told from a small integer (toMonth is UInt8 too), so the
   * cluster cannot write true / false; COPY wrote them here, and the two engines' files differed. The format is named:
   * COPY takes it from the file's extension otherwise (`--out summary.json` failed on JSON's want of HEADER, a
   * `.xlsx` name on DuckDB's missing excel extension).
   */
  async exportCsv(sql: string, path: string): Promise<number> {
    let copy = `COPY (${sql}) TO ${duckdbDialect.literal(path)} (FORMAT CSV, HEADER, DELIMITER ',')`;
    try {
      const columns = (await this.connection.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjectsJS();
      const booleans = columns.filter((c) => c.column_type === 'BOOLEAN').map((c) => duckdbDialect.identifier(String(c.column_name)));
      if (booleans.length > 0) copy = `COPY (SELECT * REPLACE (${booleans.map((c) => `CAST(${c} AS TINYINT) AS ${c}`).join(', ')}) FROM (${sql}) exported) TO ${duckdbDialect.literal(path)} (FORMAT CSV, HEADER, DELIMITER ',')`;
      const result = await this.connection.run(copy);
      return result.rowsChanged;
    } catch (error) {
      throw new QueryError(copy, error);
    }
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return work();
    await this.execute('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await work();
      await this.execute('COMMIT');
      return result;
    } catch (error) {
      await this.execute('ROLLBACK');
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  interrupt(): void {
    this.connection.interrupt();
  }

  async spillToFreshFolder(): Promise<void> {
    if (this.freshSpill !== null) return;
    // the spilled scratch tables hold ids and contact data in clear: a fresh folder only this user may enter, under a
    // name nobody can guess or make first (mkdtemp), removed when the warehouse closes (or the process exits)
    const spill = freshSpillFolder();
    try {
      await this.execute(`SET temp_directory = ${duckdbDialect.literal(spill)}`);
      this.freshSpill = spill;
    } catch {
      // the engine has used its directory already: keep it
      removeFreshSpillFolder(spill);
    }
  }

  async close(): Promise<void> {
    const release = this.ownerOnly(); // the checkpoint on closing
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } finally {
      release();
    }
    if (this.spillFolder) removeSpillFolder(this.spillFolder);
    // the fresh folder an in-memory warehouse was given to spill into (spillToFreshFolder): removed with it
    if (this.freshSpill) removeFreshSpillFolder(this.freshSpill);
  }
}
