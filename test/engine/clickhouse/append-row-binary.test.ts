import { describe, expect, it } from 'vitest';
import { encodeRowBinary, rowBinaryFits } from '../../../src/engine/clickhouse/append-row-binary.js';

describe('RowBinary bodies of numeric appends', () => {
  it('writes each double as its eight little-endian bytes, NULL and NaN as the null flag', () => {
    const body = encodeRowBinary('t', [{ name: 'v', type: 'Nullable(Float64)', data: [20 / 7, null, Number.NaN, -0.1] }], 0, 4);
    expect(body.length).toBe(1 + 8 + 1 + 1 + 1 + 8);
    expect(body[0]).toBe(0);
    expect(body.readDoubleLE(1)).toBe(20 / 7);
    expect([body[9], body[10]]).toEqual([1, 1]);
    expect(body.readDoubleLE(12)).toBe(-0.1);
  });

  it('writes integers, booleans and numeric text as the text path reads them, rows start … end − 1 only', () => {
    const columns = [
      { name: 'k', type: 'Int64', data: [7, 2 ** 40, -3] },
      { name: 'b', type: 'UInt8', data: [true, false, 1] },
      { name: 'x', type: 'Float64', data: ['1.5', 2, 3] },
    ];
    const body = encodeRowBinary('t', columns, 1, 3);
    expect(body.length).toBe(2 * (8 + 1 + 8));
    expect(body.readBigInt64LE(0)).toBe(BigInt(2 ** 40));
    expect(body[8]).toBe(0);
    expect(body.readDoubleLE(9)).toBe(2);
    expect(body.readBigInt64LE(17)).toBe(-3n);
    expect(encodeRowBinary('t', columns, 0, 1).readDoubleLE(9)).toBe(1.5);
  });

  it('refuses NULL in a NOT NULL column, fractions in an integer column and text that is not a number', () => {
    expect(() => encodeRowBinary('t', [{ name: 'w', type: 'Float64', data: [Number.NaN] }], 0, 1)).toThrow('column w is NOT NULL');
    expect(() => encodeRowBinary('t', [{ name: 'k', type: 'Int64', data: [1.5] }], 0, 1)).toThrow('column k holds whole numbers');
    expect(() => encodeRowBinary('t', [{ name: 'x', type: 'Float64', data: ['abc'] }], 0, 1)).toThrow('column x holds numbers');
  });

  it('is taken only when every column is numeric', () => {
    expect(rowBinaryFits([{ name: 'v', type: 'Nullable(Float64)', data: [] }, { name: 'k', type: 'Int64', data: [] }])).toBe(true);
    expect(rowBinaryFits([{ name: 'v', type: 'Float64', data: [] }, { name: 'c', type: 'String', data: [] }])).toBe(false);
    expect(rowBinaryFits([{ name: 'ts', type: 'DateTime', data: [] }])).toBe(false);
  });
});
