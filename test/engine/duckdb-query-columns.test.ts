import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';

describe('DuckDbWarehouse.queryColumns', () => {
  it('reads DOUBLE columns from the vectors across chunks, NULL as NaN, and converts the other types as before', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    try {
      // 5,000 rows: three DuckDB chunks of up to 2,048 rows
      const result = await warehouse.queryColumns(`
        SELECT CASE WHEN i % 1000 = 7 THEN NULL ELSE i / 4 END::DOUBLE AS d, i::BIGINT AS big, (i / 10)::DECIMAL(10, 1) AS dec,
          'v' || i AS s, i % 2 = 0 AS even
        FROM range(5000) t(i) ORDER BY i`);
      expect(result.rowCount).toBe(5000);
      const d = result.columns.d as Float64Array;
      expect(d).toBeInstanceOf(Float64Array);
      expect(d.length).toBe(5000);
      expect(d[4999]).toBe(4999 / 4);
      expect(d[2049]).toBe(2049 / 4);
      expect(Number.isNaN(d[7]!)).toBe(true);
      expect(Number.isNaN(d[4007]!)).toBe(true);
      expect(Array.from(d).filter(Number.isNaN).length).toBe(5);
      expect((result.columns.big as Float64Array)[4321]).toBe(4321);
      expect((result.columns.dec as Float64Array)[4321]).toBeCloseTo(432.1, 12);
      expect((result.columns.s as unknown[])[4321]).toBe('v4321');
      expect((result.columns.even as unknown[]).slice(0, 3)).toEqual([true, false, true]);
    } finally {
      await warehouse.close();
    }
  });

  it('returns no rows as empty columns', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    try {
      const result = await warehouse.queryColumns('SELECT 1.5::DOUBLE AS d, 1 AS i WHERE false');
      expect(result.rowCount).toBe(0);
      expect((result.columns.d as Float64Array).length).toBe(0);
      expect((result.columns.i as Float64Array).length).toBe(0);
    } finally {
      await warehouse.close();
    }
  });
});
