import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { migrateWarehouse } from '../../src/engine/migrate-warehouse.js';
import { SCHEMA_MIGRATIONS } from '../../src/engine/schema-migrations.js';

describe('migration 3 (frequency-only logs)', () => {
  it('lets an existing warehouse with rows store a transaction without an amount', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    expect(await migrateWarehouse(warehouse, SCHEMA_MIGRATIONS.filter((m) => m.version < 3))).toEqual([1, 2]);
    const row = (amount: string) =>
      `INSERT INTO transactions (order_id, customer_id, ts, quantity, unit_price, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ('1', 'c1', TIMESTAMP '2024-01-01', 1, NULL, ${amount}, FALSE, FALSE, 1, 'f.csv', 2, 'h')`;
    await warehouse.execute(row('2.5'));
    await expect(warehouse.execute(row('NULL'))).rejects.toThrow(/NOT NULL/);
    expect(await migrateWarehouse(warehouse)).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version).filter((v) => v >= 3));
    await warehouse.execute(row('NULL'));
    const [counts] = await warehouse.query('SELECT count(*) AS n, count(amount) AS valued FROM transactions');
    expect([Number(counts!.n), Number(counts!.valued)]).toEqual([2, 1]);
    await warehouse.close();
  });
});
