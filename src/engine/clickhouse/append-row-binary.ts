/**
 * `append` of numeric columns as RowBinary: each double is its eight bytes
 * (little-endian), so it arrives bit for bit without the (mantissa,
 * exponent) detour through a Memory table that decimal text needs on 18.16
 * (exact-float.ts), and without building a text field per value in Node.js
 * — for analyze's score tuples (ten doubles per tuple) the text path spent
 * most of the append's time formatting (measured 2026-12-03, 160k tuples at
 * load ~30: 77 s for the append, 11 s of it in the engine).
 *
 * Tables whose appended columns are all Float64, Float32, Int64, Int32,
 * Int16, UInt8 (Nullable or not) go this way (`rowBinaryFits`); so do those
 * with a double among String, DateTime and Date columns too
 * (`rowBinaryCarries`: an ingest copy's transactions, whose doubles took the
 * Memory-table detour — a lease, CREATE, INSERT, INSERT … SELECT and DROP,
 * six statements instead of one per batch). A value is read as the text path
 * reads it: null, undefined and NaN are NULL (an error for a NOT NULL
 * column), booleans 1 / 0, numeric text its number; an integer column takes
 * whole numbers only; a string is `String(value)`, as UTF-8 after its length
 * (LEB128); a time (`time` of its column: the text path's check) its whole
 * seconds since 1970 (DateTime, UInt32) or days (Date, UInt16), as the UTC
 * server reads the text path's `YYYY-MM-DD HH:MM:SS`.
 *
 * Example: `encodeRowBinary([{ name: 'v', type: 'Nullable(Float64)', data: [1.5, null] }], 0, 2)` → 1 + 8 + 1 bytes
 */
import { appendedNumber, isAppendedNull } from '../check-append-columns.js';
import { baseType } from './parse-clickhouse-value.js';

export interface BinaryColumn {
  readonly name: string;
  /** the ClickHouse type, e.g. `Nullable(Float64)` */
  readonly type: string;
  readonly data: ArrayLike<unknown>;
  /** a DateTime or Date column's value as an instant (null: NULL), checked as the text path checks it */
  readonly time?: (value: unknown) => Date | null;
}

const WIDTH: Record<string, number> = { Float64: 8, Float32: 4, Int64: 8, Int32: 4, Int16: 2, UInt8: 1 };

/** Whether every column is numeric (sent as RowBinary always). */
export function rowBinaryFits(columns: readonly BinaryColumn[]): boolean {
  return columns.length > 0 && columns.every((c) => WIDTH[baseType(c.type)] !== undefined);
}

/** Widths of the types `rowBinaryCarries` adds (a String's is its length's bytes plus its own). */
const MORE_WIDTH: Record<string, number> = { DateTime: 4, Date: 2 };

/** Whether every column is numeric, String, DateTime or Date, with a time column's `time` given. */
export function rowBinaryCarries(columns: readonly BinaryColumn[]): boolean {
  return (
    columns.length > 0 &&
    columns.every((c) => {
      const base = baseType(c.type);
      return WIDTH[base] !== undefined || base === 'String' || (MORE_WIDTH[base] !== undefined && c.time !== undefined);
    })
  );
}

/** `n`'s LEB128 bytes (a RowBinary string's length). */
function varintLength(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes += 1;
  }
  return bytes;
}

function writeVarint(buffer: Buffer, n: number, at: number): number {
  while (n >= 0x80) {
    buffer[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buffer[at++] = n;
  return at;
}

/** A String column's value as the text path sends it: null for NULL, else `String(value)`. */
function stringValue(value: unknown): string | null {
  return isAppendedNull(value) ? null : String(value);
}

/** Rows `start` … `end − 1` of `columns` as one RowBinary body. */
export function encodeRowBinary(table: string, columns: readonly BinaryColumn[], start: number, end: number): Buffer {
  const kinds = columns.map((c) => ({ column: c, base: baseType(c.type), nullable: c.type.startsWith('Nullable(') }));
  const rowBytes = kinds.reduce((sum, k) => sum + (WIDTH[k.base] ?? MORE_WIDTH[k.base] ?? 0) + (k.nullable ? 1 : 0), 0);
  // the strings' bytes on top of the fixed widths
  let stringBytes = 0;
  for (const { column, base } of kinds) {
    if (base !== 'String') continue;
    for (let row = start; row < end; row++) {
      const text = stringValue(column.data[row]);
      if (text !== null) {
        const n = Buffer.byteLength(text, 'utf8');
        stringBytes += varintLength(n) + n;
      }
    }
  }
  const buffer = Buffer.alloc(rowBytes * (end - start) + stringBytes);
  let at = 0;
  const nullFlag = (isNull: boolean, nullable: boolean, column: BinaryColumn, value: unknown) => {
    if (isNull && !nullable) throw new Error(`append to ${table}: column ${column.name} is NOT NULL, got ${String(value)}`);
    if (nullable) buffer[at++] = isNull ? 1 : 0;
  };
  for (let row = start; row < end; row++) {
    for (const { column, base, nullable } of kinds) {
      const value = column.data[row];
      if (base === 'String') {
        const text = stringValue(value);
        nullFlag(text === null, nullable, column, value);
        if (text === null) continue;
        const n = Buffer.byteLength(text, 'utf8');
        at = writeVarint(buffer, n, at);
        at += buffer.write(text, at, n, 'utf8');
        continue;
      }
      if (base === 'DateTime' || base === 'Date') {
        const time = column.time!(value);
        nullFlag(time === null, nullable, column, value);
        if (time === null) continue;
        if (base === 'DateTime') at = buffer.writeUInt32LE(Math.floor(time.getTime() / 1000), at);
        else at = buffer.writeUInt16LE(Math.floor(time.getTime() / 86_400_000), at);
        continue;
      }
      const x = appendedNumber(table, column.name, value, base !== 'Float64' && base !== 'Float32');
      nullFlag(x === null, nullable, column, value);
      if (x === null) continue;
      if (base === 'Float64') at = buffer.writeDoubleLE(x, at);
      else if (base === 'Float32') at = buffer.writeFloatLE(x, at);
      else {
        if (base === 'Int64') at = buffer.writeBigInt64LE(BigInt(x), at);
        else if (base === 'Int32') at = buffer.writeInt32LE(x, at);
        else if (base === 'Int16') at = buffer.writeInt16LE(x, at);
        else at = buffer.writeUInt8(x, at);
      }
    }
  }
  return at === buffer.length ? buffer : buffer.subarray(0, at);
}
