/**
 * `append` of numeric columns as RowBinary: each double is its eight bytes
 * (little-endian), so it arrives bit for bit without the (mantissa,
 * exponent) detour through a Memory table that decimal text needs on 18.16
 * (exact-float.ts), and without building a text field per value in Node.js
 * — for analyze's score tuples (ten doubles per tuple) the text path spent
 * most of the append's time formatting (measured 2026-12-03, 160k tuples at
 * load ~30: 77 s for the append, 11 s of it in the engine).
 *
 * Only tables whose appended columns are all Float64, Float32, Int64, Int32,
 * Int16, UInt8 (Nullable or not) go this way; anything else takes the text
 * path. A value is read as the text path reads it: null, undefined and NaN
 * are NULL (an error for a NOT NULL column), booleans 1 / 0, numeric text
 * its number; an integer column takes whole numbers only.
 *
 * Example: `encodeRowBinary([{ name: 'v', type: 'Nullable(Float64)', data: [1.5, null] }], 0, 2)` → 1 + 8 + 1 bytes
 */
import { appendedNumber } from '../check-append-columns.js';
import { baseType } from './parse-clickhouse-value.js';

export interface BinaryColumn {
  readonly name: string;
  /** the ClickHouse type, e.g. `Nullable(Float64)` */
  readonly type: string;
  readonly data: ArrayLike<unknown>;
}

const WIDTH: Record<string, number> = { Float64: 8, Float32: 4, Int64: 8, Int32: 4, Int16: 2, UInt8: 1 };

/** Whether every column can be sent as RowBinary. */
export function rowBinaryFits(columns: readonly BinaryColumn[]): boolean {
  return columns.length > 0 && columns.every((c) => WIDTH[baseType(c.type)] !== undefined);
}

/** Rows `start` … `end − 1` of `columns` as one RowBinary body. */
export function encodeRowBinary(table: string, columns: readonly BinaryColumn[], start: number, end: number): Buffer {
  const kinds = columns.map((c) => ({ column: c, base: baseType(c.type), nullable: c.type.startsWith('Nullable(') }));
  const rowBytes = kinds.reduce((sum, k) => sum + WIDTH[k.base]! + (k.nullable ? 1 : 0), 0);
  const buffer = Buffer.alloc(rowBytes * (end - start));
  let at = 0;
  for (let row = start; row < end; row++) {
    for (const { column, base, nullable } of kinds) {
      const x = appendedNumber(table, column.name, column.data[row], base !== 'Float64' && base !== 'Float32');
      if (x === null) {
        if (!nullable) throw new Error(`append to ${table}: column ${column.name} is NOT NULL, got ${String(column.data[row])}`);
        buffer[at++] = 1;
        continue;
      }
      if (nullable) buffer[at++] = 0;
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
