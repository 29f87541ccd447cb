import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doubleCsvText } from '../../src/engine/csv-number-text.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

/** Doubles of every kind: seeded random bit patterns, decimals of 1–17 digits at every scale, rounded money, counts, the notation boundaries. */
function doubles(): number[] {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const view = new DataView(new ArrayBuffer(8));
  const values: number[] = [0, -0, 1, -1, 0.5, 56, 9e-6, 1e-4, 1e-5, 0.00012345, 1e15, 1e16, 1e21, 1e-7, 0.1, 1 / 3, 2 / 3, 20 / 7, 1e100, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, 123456789012345680, 9999999999999998, 0.00009999999999999999];
  for (let i = 0; i < 4000; i++) {
    view.setUint32(0, (next() * 2 ** 32) >>> 0);
    view.setUint32(4, (next() * 2 ** 32) >>> 0);
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) values.push(x);
  }
  for (let i = 0; i < 4000; i++) {
    const digits = 1 + Math.floor(next() * 17);
    const exponent = Math.floor(next() * 44) - 22;
    values.push((next() < 0.5 ? -1 : 1) * Number(`${Math.floor(next() * 10 ** digits)}e${exponent}`));
  }
  for (let i = 0; i < 2000; i++) values.push(Math.round(next() * 1e8) / 1e4, Math.floor(next() * 1000), Math.round(next() * 1e6) / 1e6);
  return values;
}

// Issue 18 item 4: DuckDB's COPY writes a double in this form; the ClickHouse engine writes each of its doubles
// through doubleCsvText, so the two engines' CSV files are the same bytes only while the two agree on every double.
describe('doubleCsvText', () => {
  it('writes every double as DuckDB’s COPY writes it', async () => {
    const values = doubles();
    const warehouse = await memoryWarehouse();
    const path = join(scratchDir('clvkit-csv-number-'), 'doubles.csv');
    try {
      await warehouse.execute('CREATE TABLE doubles (i BIGINT, x DOUBLE)');
      await warehouse.append('doubles', { i: Float64Array.from(values, (_, i) => i), x: Float64Array.from(values) });
      await warehouse.exportCsv('SELECT x FROM doubles ORDER BY i', path);
    } finally {
      await warehouse.close();
    }
    const written = readFileSync(path, 'utf8').split('\n').slice(1, -1);
    expect(written.length).toBe(values.length);
    const differing = values.map((x, i) => [doubleCsvText(x), written[i]!]).filter(([ours, duckdb]) => ours !== duckdb);
    expect(differing.slice(0, 10)).toEqual([]);
    // and the text reads back as the same double
    expect(values.filter((x) => !Object.is(Number(doubleCsvText(x)), x))).toEqual([]);
  });

  it('lays digits out as Python’s repr: plain from 1e-4 up to 1e16 with one decimal at least, else an exponent of two digits and a sign', () => {
    expect([56, 1, 0, -0, 0.5, 1e-4, 1e15, 123.456].map(doubleCsvText)).toEqual(['56.0', '1.0', '0.0', '-0.0', '0.5', '0.0001', '1000000000000000.0', '123.456']);
    expect([9e-6, 1e-5, 1.5e-7, 1e16, 1e21, 1.2345678901234568e17, 1e100, 5e-324, -2.5e-5].map(doubleCsvText)).toEqual(['9e-06', '1e-05', '1.5e-07', '1e+16', '1e+21', '1.2345678901234568e+17', '1e+100', '5e-324', '-2.5e-05']);
    expect([Number.NaN, Infinity, -Infinity].map(doubleCsvText)).toEqual(['nan', 'inf', '-inf']);
  });
});
