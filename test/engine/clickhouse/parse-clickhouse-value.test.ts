import { describe, expect, it } from 'vitest';
import { isNumericType, parseClickHouseValue } from '../../../src/engine/clickhouse/parse-clickhouse-value.js';

describe('parseClickHouseValue', () => {
  it('reads TabSeparated fields by their ClickHouse type', () => {
    expect(parseClickHouseValue('\\N', 'Nullable(Float64)')).toBeNull();
    expect(parseClickHouseValue('12345678901', 'UInt64')).toBe(12345678901);
    expect(parseClickHouseValue('-1.5', 'Float64')).toBe(-1.5);
    expect(parseClickHouseValue('nan', 'Float64')).toBeNaN();
    expect(parseClickHouseValue('-inf', 'Nullable(Float64)')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseClickHouseValue('2023-01-05', 'Date')).toEqual(new Date('2023-01-05T00:00:00Z'));
    expect(parseClickHouseValue('2023-01-05 10:11:12', 'DateTime')).toEqual(new Date('2023-01-05T10:11:12Z'));
    expect(parseClickHouseValue('a\\tb\\\\c\\nd', 'String')).toBe('a\tb\\c\nd');
  });

  it('reads the epoch, which ClickHouse 18.16 prints as zeros, as 1970-01-01 (it read back as an invalid date)', () => {
    expect(parseClickHouseValue('0000-00-00 00:00:00', 'DateTime')).toEqual(new Date('1970-01-01T00:00:00Z'));
    expect(parseClickHouseValue('0000-00-00', 'Nullable(Date)')).toEqual(new Date('1970-01-01T00:00:00Z'));
  });

  it('tells numeric column types', () => {
    expect(['UInt8', 'Int64', 'Float32', 'Nullable(Float64)', 'Decimal(10, 2)'].map(isNumericType)).toEqual([true, true, true, true, true]);
    expect(['String', 'Date', 'Nullable(DateTime)', 'Array(Float64)'].map(isNumericType)).toEqual([false, false, false, false]);
  });
});
