import { describe, expect, it } from 'vitest';
import { rewriteStatement } from '../../../src/engine/clickhouse/rewrite-statement.js';
import { aggregateFilters } from '../../../src/engine/clickhouse/aggregate-filters.js';
import { materialiseJoinedShards } from '../../../src/engine/clickhouse/materialise-joined-shards.js';
import { joinDoubleSql, splitDouble } from '../../../src/engine/clickhouse/exact-float.js';

describe('DuckDB-only statements as ClickHouse runs them', () => {
  it('CREATE OR REPLACE [TEMP] TABLE … AS / (columns) become a drop and an entry-node MergeTree table', () => {
    expect(rewriteStatement('CREATE OR REPLACE TABLE s AS SELECT 1 AS x', (q) => `<${q}>`)).toEqual({
      statements: ['DROP TABLE IF EXISTS s', 'CREATE TABLE s ENGINE = MergeTree ORDER BY tuple() AS <SELECT 1 AS x>'],
    });
    expect(rewriteStatement('CREATE OR REPLACE TEMP TABLE t (customer_id VARCHAR NOT NULL, "p" DOUBLE)')).toEqual({
      statements: ['DROP TABLE IF EXISTS t', 'CREATE TABLE t (customer_id String, p Nullable(Float64)) ENGINE = MergeTree ORDER BY tuple()'],
    });
    expect(rewriteStatement('CREATE OR REPLACE TEMP VIEW v AS SELECT 1')).toEqual({ statements: ['DROP TABLE IF EXISTS v', 'CREATE VIEW v AS SELECT 1'] });
  });

  it('DELETE becomes a mutation to wait for; anything else is only translated', () => {
    expect(rewriteStatement("DELETE FROM warehouse_meta WHERE name = 'k'")).toEqual({ delete: { table: 'warehouse_meta', where: "name = 'k'" } });
    expect(rewriteStatement('DELETE FROM clv_playbook_picks')).toEqual({ delete: { table: 'clv_playbook_picks', where: '1 = 1' } }); // every row: ClickHouse's ALTER … DELETE needs a WHERE
    expect(rewriteStatement('INSERT INTO t VALUES (1)', (q) => q.toLowerCase())).toEqual({ statements: ['insert into t values (1)'] });
  });

  it('FILTER (WHERE …) becomes an -If combinator, also nested and beside strings with parentheses', () => {
    expect(aggregateFilters('SELECT count(*) FILTER (WHERE x > 0) AS n FROM t')).toBe('SELECT countIf(x > 0) AS n FROM t');
    expect(aggregateFilters("SELECT sum(abs(a)) FILTER (WHERE b = ')') / count(*) FILTER (WHERE (c)) FROM t")).toBe("SELECT sumIf(abs(a), b = ')') / countIf((c)) FROM t");
  });

  it('an aliased sharded table in a JOIN is read as a subquery; other tables and statements without JOIN are left alone', () => {
    const sharded = new Set(['customers', 'transactions']);
    expect(materialiseJoinedShards('SELECT count(*) FROM customers c JOIN s_tab s ON s.customer_id = c.customer_id', sharded)).toBe(
      'SELECT count(*) FROM (SELECT * FROM customers) c JOIN s_tab s ON s.customer_id = c.customer_id',
    );
    expect(materialiseJoinedShards('SELECT * FROM transactions t WHERE x', sharded)).toBe('SELECT * FROM transactions t WHERE x');
    expect(materialiseJoinedShards('SELECT * FROM a JOIN transactions USING (customer_id)', sharded)).toBe('SELECT * FROM a JOIN transactions USING (customer_id)');
  });
});

describe('doubles sent exactly (ClickHouse 18.16 parses decimal text one ulp off)', () => {
  it('splits a double into a whole mantissa and a power of two that rebuild it exactly', () => {
    for (const value of [20 / 7, 2.8571428571428568, 12.34, -0.1, 1e300, 5e-324, 0, 123456789]) {
      const { mantissa, exponent } = splitDouble(value);
      expect(Number.isInteger(mantissa)).toBe(true);
      expect(Math.abs(mantissa)).toBeLessThan(2 ** 53);
      expect(mantissa * 2 ** exponent).toBe(value);
    }
    expect(splitDouble(20 / 7)).toEqual({ mantissa: 6433713753386423, exponent: -51 });
    expect(splitDouble(-Infinity)).toEqual({ mantissa: -1, exponent: 1024 });
    expect(joinDoubleSql('m', 'e', false)).toBe('toFloat64(m) * exp2(e)');
  });
});
