import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { migrateWarehouse } from '../../src/engine/migrate-warehouse.js';
import { SCHEMA_MIGRATIONS } from '../../src/engine/schema-migrations.js';
import { countingStatements } from '../helpers/warehouse.js';

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

describe('migrations applied in one script', () => {
  const schema = async (warehouse: Awaited<ReturnType<typeof openDuckDbWarehouse>>) =>
    (await warehouse.query("SELECT table_name, column_index, column_name, data_type, is_nullable FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY table_name, column_index")).map((r) => Object.values(r).join(' '));

  it('gives a new warehouse the same tables and columns as applying them one version at a time', async () => {
    const all = await openDuckDbWarehouse(':memory:');
    const stepwise = await openDuckDbWarehouse(':memory:', { migrate: false });
    for (const migration of SCHEMA_MIGRATIONS) expect(await migrateWarehouse(stepwise, [migration])).toEqual([migration.version]);
    const columns = await schema(all);
    expect(columns).toContain('transactions 9 amount DOUBLE true'); // migration 3 applied after migration 1 in the same script
    expect(columns).toContain('customers 16 write_seq BIGINT true');
    expect(columns).toContain('ingest_batches 9 body_sha256 VARCHAR true'); // the last migration
    expect(columns).toEqual(await schema(stepwise));
    const versions = async (w: typeof all) => (await w.query('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));
    expect(await versions(all)).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version));
    expect(await versions(stepwise)).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version));
    await all.close();
    await stepwise.close();
  });

  it('leaves the warehouse as it was when one of them fails', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    const broken = { version: 99, name: 'broken', statements: ['CREATE TABLE extra (x BIGINT)', 'ALTER TABLE no_such_table ADD COLUMN y BIGINT'] };
    await expect(migrateWarehouse(warehouse, [...SCHEMA_MIGRATIONS, broken])).rejects.toThrow(/no_such_table/);
    expect(await warehouse.query('SELECT version FROM schema_migrations')).toEqual([]);
    expect(await warehouse.query("SELECT table_name FROM duckdb_tables() WHERE table_name IN ('transactions', 'extra')")).toEqual([]);
    expect(await migrateWarehouse(warehouse)).toEqual(SCHEMA_MIGRATIONS.map((m) => m.version));
    await warehouse.close();
  });

  it('takes five statements for a new warehouse (one transaction) and two for one that is up to date', async () => {
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    const { counted, statements } = countingStatements(warehouse);
    // CREATE schema_migrations IF NOT EXISTS, its versions, BEGIN, the script, COMMIT; a call per statement and per
    // migration's row before: 2 + 36 + 13, and 13 transactions
    await migrateWarehouse(counted);
    expect(statements.length).toBe(5);
    expect(statements.filter((sql) => /^(BEGIN|COMMIT)/i.test(sql.trim())).length).toBe(2);
    statements.length = 0;
    expect(await migrateWarehouse(counted)).toEqual([]);
    expect(statements.length).toBe(2);
    await warehouse.close();
  });
});
