import { describe, expect, it } from 'vitest';
import { buildDistributedTableDdl, buildLocalTableDdl, parsePortableCreateTable } from '../../../src/engine/clickhouse/clickhouse-table-ddl.js';
import { SCHEMA_MIGRATIONS } from '../../../src/engine/schema-migrations.js';

describe('ClickHouse tables from the portable schema', () => {
  const transactions = parsePortableCreateTable(SCHEMA_MIGRATIONS[0]!.statements[0]!);

  it('reads the schema’s CREATE TABLE of transactions', () => {
    expect(transactions.name).toBe('transactions');
    expect(transactions.columns.find((c) => c.name === 'customer_id')).toEqual({ name: 'customer_id', type: 'VARCHAR', notNull: true });
    expect(transactions.columns.find((c) => c.name === 'cost')).toEqual({ name: 'cost', type: 'DOUBLE', notNull: false });
  });

  it('makes a local MergeTree ordered by (customer_id, ts) with Nullable optional columns', () => {
    const ddl = buildLocalTableDdl(transactions, 'shop');
    expect(ddl).toMatch(/^CREATE TABLE IF NOT EXISTS shop\.transactions_local \(/);
    expect(ddl).toContain('  customer_id String,');
    expect(ddl).toContain('  ts DateTime,');
    expect(ddl).toContain('  cost Nullable(Float64),');
    expect(ddl).toContain('  is_return UInt8,');
    expect(ddl).toMatch(/ENGINE = MergeTree\(\) PARTITION BY toYYYYMM\(ts\) ORDER BY \(customer_id, ts\)$/);
  });

  it('shards the Distributed table by cityHash64(customer_id), and tables without customers at random', () => {
    expect(buildDistributedTableDdl(transactions, 'shop', 'clvkit')).toBe(
      'CREATE TABLE IF NOT EXISTS shop.transactions AS shop.transactions_local ENGINE = Distributed(clvkit, shop, transactions_local, cityHash64(customer_id))',
    );
    const ingests = parsePortableCreateTable('CREATE TABLE ingests (ingest_id BIGINT NOT NULL, source VARCHAR NOT NULL)');
    expect(buildLocalTableDdl(ingests, 'shop')).toMatch(/ORDER BY tuple\(\)$/);
    expect(buildDistributedTableDdl(ingests, 'shop', 'clvkit')).toMatch(/, rand\(\)\)$/);
  });

  it('refuses what is not the portable subset', () => {
    expect(() => parsePortableCreateTable('CREATE TABLE t (x HUGEINT)')).toThrow(/no ClickHouse type|portable/);
    expect(() => parsePortableCreateTable('CREATE TABLE t AS SELECT 1')).toThrow(/not a portable CREATE TABLE/);
  });
});
