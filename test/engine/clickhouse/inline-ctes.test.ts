import { describe, expect, it } from 'vitest';
import { inlineCtes } from '../../../src/engine/clickhouse/inline-ctes.js';

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('inlineCtes', () => {
  it('replaces a CTE read after FROM by its body, keeping the name as alias', () => {
    expect(squash(inlineCtes('WITH a AS (SELECT 1 AS x) SELECT x FROM a'))).toBe('SELECT x FROM (SELECT 1 AS x) AS a');
  });

  it('keeps an alias the query gives, and inlines into later CTEs and joins', () => {
    const sql = 'WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT b.x FROM b LEFT JOIN a q ON q.x = b.x WHERE b.x > 0';
    expect(squash(inlineCtes(sql))).toBe('SELECT b.x FROM (SELECT x FROM (SELECT 1 AS x) AS a) AS b LEFT JOIN (SELECT 1 AS x) q ON q.x = b.x WHERE b.x > 0');
  });

  it('inlines a WITH block nested in parentheses, and leaves columns named like a CTE alone', () => {
    const sql = "SELECT a FROM (WITH a AS (SELECT 'FROM a' AS a) SELECT a.a AS a FROM a) s";
    expect(squash(inlineCtes(sql))).toBe("SELECT a FROM (SELECT a.a AS a FROM (SELECT 'FROM a' AS a) AS a) s");
  });

  it('leaves SQL without CTEs and ClickHouse scalar WITH as they are', () => {
    expect(inlineCtes('SELECT 1 FROM t -- WITH a AS (x)')).toBe('SELECT 1 FROM t -- WITH a AS (x)');
    expect(inlineCtes('WITH 2 AS two SELECT two')).toBe('WITH 2 AS two SELECT two');
  });

  it('rejects unbalanced parentheses', () => {
    expect(() => inlineCtes('WITH a AS (SELECT 1 SELECT 2')).toThrow(/unbalanced/);
  });
});
