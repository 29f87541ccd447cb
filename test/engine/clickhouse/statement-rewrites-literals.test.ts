/**
 * The statement rewrites read SQL text as ClickHouse lexes it: a string
 * literal may hold `\'` and `''` (an escaped quote) and `\\` (a backslash, so
 * `'C:\\'` ends after it), and nothing inside a literal is rewritten. The
 * literals here are written by the ClickHouse dialect (`literal`), as the
 * engine-neutral code writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateFilters } from '../../../src/engine/clickhouse/aggregate-filters.js';
import { clickhouseDialect } from '../../../src/engine/clickhouse/clickhouse-dialect.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { toClickHouseSql } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { materialiseJoinedShards } from '../../../src/engine/clickhouse/materialise-joined-shards.js';
import { tablesRead } from '../../../src/engine/clickhouse/per-customer-statement.js';
import { rewriteStarJoins } from '../../../src/engine/clickhouse/star-joins.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

const literal = clickhouseDialect.literal;
const OBRIEN = literal("O'Brien"); // 'O\'Brien'
const ENDS_IN_BACKSLASH = literal('C:\\'); // 'C:\\'
/** text that reads as SQL the rewrites look for, after an escaped quote */
const SQL_LOOKALIKE = "it's in (select 1) FILTER (WHERE x) CAST(NULL AS DOUBLE) information_schema.tables FROM customers c JOIN s.stage";

describe('statement rewrites and backslash-escaped quotes in string literals', () => {
  it('the literals are what ClickHouse reads', () => {
    expect(OBRIEN).toBe("'O\\'Brien'");
    expect(ENDS_IN_BACKSLASH).toBe("'C:\\\\'");
  });

  it('aggregateFilters matches the parentheses around literals with \\\' and ending in \\\\', () => {
    expect(aggregateFilters(`SELECT sum(CASE WHEN name = ${OBRIEN} THEN 1 ELSE 0 END) FILTER (WHERE path = ${ENDS_IN_BACKSLASH}) AS n FROM t`)).toBe(
      `SELECT sumIf(CASE WHEN name = ${OBRIEN} THEN 1 ELSE 0 END, path = ${ENDS_IN_BACKSLASH}) AS n FROM t`,
    );
    expect(aggregateFilters(`SELECT count(*) FILTER (WHERE path = ${ENDS_IN_BACKSLASH} OR name = ')') AS n FROM t`)).toBe(`SELECT countIf(path = ${ENDS_IN_BACKSLASH} OR name = ')') AS n FROM t`);
    expect(aggregateFilters(`SELECT ${literal("a) FILTER (WHERE b")}, ${literal("it's) FILTER (WHERE b")} FROM t`)).toBe(`SELECT ${literal("a) FILTER (WHERE b")}, ${literal("it's) FILTER (WHERE b")} FROM t`);
  });

  it('toClickHouseSql (GLOBAL IN, NULL casts, information_schema) rewrites nothing inside a literal', () => {
    const text = literal(SQL_LOOKALIKE);
    expect(toClickHouseSql(`SELECT ${text} AS v, x IN (SELECT y FROM u) AS w FROM t`)).toBe(`SELECT ${text} AS v, x GLOBAL IN (SELECT y FROM u) AS w FROM t`);
    expect(toClickHouseSql(`SELECT ${literal("'' in (select")}, ${ENDS_IN_BACKSLASH}, CAST(NULL AS DOUBLE) AS d`)).toBe(`SELECT ${literal("'' in (select")}, ${ENDS_IN_BACKSLASH}, CAST(NULL AS Nullable(DOUBLE)) AS d`);
  });

  it('materialiseJoinedShards, tablesRead and rewriteStarJoins leave literals alone', () => {
    const text = literal(SQL_LOOKALIKE);
    const sharded = new Set(['customers']);
    expect(materialiseJoinedShards(`SELECT ${text} AS v FROM customers c JOIN s ON s.customer_id = c.customer_id`, sharded)).toBe(
      `SELECT ${text} AS v FROM (SELECT * FROM customers) c JOIN s ON s.customer_id = c.customer_id`,
    );
    expect(tablesRead(`SELECT ${text} FROM t`)).toEqual(['t']);
    const star = rewriteStarJoins(`SELECT s.customer_id, ${text} AS v FROM customer_summary s LEFT JOIN customer_stages g ON g.customer_id = s.customer_id WHERE g.stage = ${OBRIEN}`);
    expect(star).toContain(`${text} AS v`);
    expect(star).toContain(`\`g__stage\` = ${OBRIEN}`);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`literals with escaped quotes on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('literals');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a query with such literals answers with them as written and counts by them', async () => {
    const rows = await cluster.query(
      `SELECT ${literal(SQL_LOOKALIKE)} AS v, count(*) FILTER (WHERE s = ${OBRIEN}) AS n, count(*) FILTER (WHERE s = ${ENDS_IN_BACKSLASH}) AS m, count(*) AS all_rows
       FROM (SELECT arrayJoin([${OBRIEN}, ${ENDS_IN_BACKSLASH}, ${ENDS_IN_BACKSLASH}, 'x']) AS s)`,
    );
    expect(rows).toEqual([{ v: SQL_LOOKALIKE, n: 1, m: 2, all_rows: 4 }]);
  });
});
