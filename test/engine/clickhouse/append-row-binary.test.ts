import { describe, expect, it } from 'vitest';
import { encodeRowBinary, rowBinaryCarries, rowBinaryFits } from '../../../src/engine/clickhouse/append-row-binary.js';

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

  it('writes a string as its UTF-8 bytes after their LEB128 count, a time as whole seconds (DateTime) or days (Date) from its column\'s check', () => {
    const long = 'x'.repeat(200);
    const time = (v: unknown) => (v === null ? null : new Date(String(v)));
    const body = encodeRowBinary(
      't',
      [
        { name: 's', type: 'Nullable(String)', data: ['ü', null, long] },
        { name: 'ts', type: 'DateTime', data: ['2024-01-02T03:04:05.999Z', '1970-01-01T00:00:00Z', '2024-01-02T00:00:00Z'], time },
        { name: 'd', type: 'Nullable(Date)', data: ['2024-01-02T23:59:59Z', null, '1970-01-02T00:00:00Z'], time },
      ],
      0,
      3,
    );
    // row 1: flag, length 2, 'ü' (2 bytes), seconds, flag, days
    expect([...body.subarray(0, 4)]).toEqual([0, 2, 0xc3, 0xbc]);
    expect(body.readUInt32LE(4)).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) / 1000);
    expect([body[8], body.readUInt16LE(9)]).toEqual([0, Date.UTC(2024, 0, 2) / 86_400_000]);
    // row 2: NULL string, second 0, NULL date
    expect([body[11], body.readUInt32LE(12), body[16]]).toEqual([1, 0, 1]);
    // row 3: 200 as LEB128 is 0xc8 0x01
    expect([body[17], body[18], body[19]]).toEqual([0, 0xc8, 0x01]);
    expect(body.subarray(20, 220).toString()).toBe(long);
    expect(body.length).toBe(220 + 4 + 1 + 2);
    expect(() => encodeRowBinary('t', [{ name: 's', type: 'String', data: [null] }], 0, 1)).toThrow('column s is NOT NULL');
    expect(() => encodeRowBinary('t', [{ name: 'ts', type: 'DateTime', data: [null], time }], 0, 1)).toThrow('column ts is NOT NULL');
  });

  it('carries strings and times beside numbers, a time column only with its check', () => {
    const time = () => null;
    expect(rowBinaryCarries([{ name: 'v', type: 'Float64', data: [] }, { name: 'c', type: 'Nullable(String)', data: [] }, { name: 'ts', type: 'DateTime', data: [], time }])).toBe(true);
    expect(rowBinaryCarries([{ name: 'ts', type: 'DateTime', data: [] }])).toBe(false);
    expect(rowBinaryCarries([{ name: 'a', type: 'Array(String)', data: [] }])).toBe(false);
  });

  it('is taken only when every column is numeric', () => {
    expect(rowBinaryFits([{ name: 'v', type: 'Nullable(Float64)', data: [] }, { name: 'k', type: 'Int64', data: [] }])).toBe(true);
    expect(rowBinaryFits([{ name: 'v', type: 'Float64', data: [] }, { name: 'c', type: 'String', data: [] }])).toBe(false);
    expect(rowBinaryFits([{ name: 'ts', type: 'DateTime', data: [] }])).toBe(false);
  });
});
