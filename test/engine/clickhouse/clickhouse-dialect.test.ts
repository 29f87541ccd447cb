import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../../../src/engine/sql-dialect.js';
import { clickhouseDialect } from '../../../src/engine/clickhouse/clickhouse-dialect.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';

describe('the ClickHouse dialect, as SQL text', () => {
  it('spells what 18.16 lacks with what it has', () => {
    expect(clickhouseDialect.daysBetween('a', 'b')).toBe('(toRelativeDayNum(b) - toRelativeDayNum(a))');
    expect(clickhouseDialect.timestamp('2024-06-30T12:34:56.789Z')).toBe("toDateTime('2024-06-30 12:34:56')");
    expect(clickhouseDialect.literal("it's \\ fine")).toBe("'it\\'s \\\\ fine'");
    expect(clickhouseDialect.literal(true)).toBe('1');
    expect(clickhouseDialect.identifier('a`b')).toBe('`a\\`b`');
    expect(() => clickhouseDialect.tryTimestamp('x', ['%d/%m/%Y'])).toThrow(/ISO timestamps only/);
    // nor a 12-hour layout: 18.16's parseDateTimeBestEffort reads '12/1/2010 8:26 PM' as 12 January (files are read
    // in a private DuckDB before the cluster sees them: ingest-files-to-clickhouse.ts)
    expect(() => clickhouseDialect.tryTimestamp('x', ['%m/%d/%Y %I:%M %p'])).toThrow(/ISO timestamps only/);
  });

  it('writes an exact sum with its operand and its sum once each (18.16 analyses every copy: 22 sums of 24 copies each took 0.72 s to plan on an empty table)', () => {
    const copies = (sql: string, text: string) => sql.split(text).length - 1;
    const sum = clickhouseDialect.orderFreeSum('if(buy, amount, NULL)');
    expect(copies(sum, 'if(buy, amount, NULL)')).toBe(1);
    expect(copies(sum, 'sum(')).toBe(1);
    expect(sum.length).toBeLessThan(600); // 1,483 characters before
    // the names it gives are the operand's own: two sums of one operand agree, of two operands differ (a query may hold both)
    expect(clickhouseDialect.orderFreeSum('if(buy, amount, NULL)')).toBe(sum);
    expect(clickhouseDialect.orderFreeSum('amount')).not.toMatch(new RegExp(/ AS (\w+)/.exec(sum)![1]!));
  });
});

// Every hook, evaluated by both engines on the same values.
describe.skipIf(!CLICKHOUSE_URL)(`the dialect hooks give the same values on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('dialect');

  const scalar = (d: SqlDialect) => `SELECT
    ${d.daysBetween(d.timestamp('2023-12-31T23:59:59'), d.timestamp('2024-03-01T00:00:01'))} AS days,
    ${d.dayOf(d.timestamp('2024-02-29T13:00:00'))} AS day,
    ${d.addDays(d.timestamp('2024-02-28T06:00:00'), '2')} AS plus_two,
    ${d.monthOf(d.timestamp('2024-02-29T13:00:00'))} AS month,
    ${d.weekOf(d.timestamp('2024-03-03T13:00:00'))} AS week, ${d.hourOf(d.timestamp('2024-03-03T13:45:10'))} AS hour,
    ${d.hoursBetween(d.timestamp('2024-03-03T13:45:10'), d.timestamp('2024-03-04T02:05:00'))} AS hours,
    ${d.monthsBetween(d.timestamp('2023-11-30T23:00:00'), d.timestamp('2024-02-01T00:00:00'))} AS months,
    ${d.tryNumber(d.literal('12.5'))} AS number, ${d.tryNumber(d.literal('x12'))} AS not_a_number,
    ${d.isFinite('1.5')} AS finite,
    ${d.tryTimestamp(d.literal('2024-02-29 13:14:15'), ['%Y-%m-%d %H:%M:%S'])} AS parsed,
    ${d.epochSeconds(d.literal('1700000000'))} AS from_seconds, ${d.epochMilliseconds(d.literal('1700000000000'))} AS from_ms, ${d.epochMilliseconds(d.literal('1700000000999'))} AS from_ms_fraction,
    ${d.epochMicroseconds(d.literal('1700000000000000'))} AS from_us, ${d.epochMicroseconds(d.literal('1700000000999999'))} AS from_us_fraction,
    ${d.md5(d.literal('clvkit'))} AS hash,
    ${d.fullMatch(d.literal('C12345'), 'C[0-9]+')} AS full, ${d.fullMatch(d.literal('xC12345'), 'C[0-9]+')} AS partial,
    CAST(NULL AS DOUBLE) AS null_double`;

  it('scalar hooks', async () => {
    const [d] = await engines.duck.query(scalar(engines.duck.dialect));
    const [c] = await engines.clickhouse.query(scalar(engines.clickhouse.dialect));
    expect(d!).toMatchObject({ days: 61, hours: 13, months: 3, week: new Date('2024-02-26T00:00:00Z') });
    // ClickHouse 18.16 timestamps are whole seconds (DateTime): the milliseconds are dropped, not rounded
    expect((d!.from_ms_fraction as Date).getTime() - (c!.from_ms_fraction as Date).getTime()).toBe(999);
    expect((c!.from_us as Date).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect((d!.from_us_fraction as Date).getTime() - (c!.from_us_fraction as Date).getTime()).toBe(999);
    expect(differences({ ...d, from_ms_fraction: null, from_us_fraction: null }, { ...c, from_ms_fraction: null, from_us_fraction: null })).toEqual([]);
  });

  const aggregate = (d: SqlDialect, values: string) => `SELECT ${d.median('x')} AS median, ${d.mad('x')} AS mad, ${d.argMin('y', 'x')} AS y_at_min
    FROM (SELECT x, y FROM (${values}) v) t`;

  it('aggregate hooks, with NULLs and an even count', async () => {
    const rows = [[1, 'a'], [2, 'b'], [3, 'c'], [10, 'd'], [null, 'e']] as const;
    const values = (d: SqlDialect) => rows.map(([x, y]) => `SELECT ${x === null ? 'CAST(NULL AS DOUBLE)' : `CAST(${x} AS DOUBLE)`} AS x, ${d.literal(y)} AS y`).join(' UNION ALL ');
    const [d] = await engines.duck.query(aggregate(engines.duck.dialect, values(engines.duck.dialect)));
    const [c] = await engines.clickhouse.query(aggregate(engines.clickhouse.dialect, values(engines.clickhouse.dialect)));
    expect(d).toEqual({ median: 2.5, mad: 1, y_at_min: 'a' });
    expect(differences(d, c)).toEqual([]);
  });

  it('countBefore: the running count of the values before each, either order', async () => {
    const source = 'SELECT CAST(x AS DOUBLE) AS value, n FROM (SELECT 3 AS x, 2 AS n UNION ALL SELECT 1, 4 UNION ALL SELECT 2, 1) v';
    for (const [order, expected] of [['ASC', { 1: 0, 2: 4, 3: 5 }], ['DESC', { 3: 0, 2: 2, 1: 3 }]] as const) {
      for (const wh of [engines.duck, engines.clickhouse]) {
        const rows = await wh.query(`SELECT value, before FROM (${wh.dialect.countBefore(source, order)}) c ORDER BY value`);
        expect(Object.fromEntries(rows.map((r) => [r.value, r.before]))).toEqual(expected);
      }
    }
  });

  it('orderFreeSum rounds to 1e-9 steps half away from zero on both engines (ClickHouse toDecimal128 truncates)', async () => {
    const source = 'SELECT CAST(x AS DOUBLE) AS x FROM (SELECT 0.1234567896 AS x UNION ALL SELECT -0.1234567896 UNION ALL SELECT 0.1234567896 UNION ALL SELECT 1234.34) v';
    for (const wh of [engines.duck, engines.clickhouse]) {
      const [row] = await wh.query(`SELECT ${wh.dialect.orderFreeSum('x')} AS s, ${wh.dialect.orderFreeSum('-x')} AS m FROM (${source}) t`);
      expect(row).toEqual({ s: 1234.46345679, m: -1234.46345679 });
    }
  });

  it('numberRows numbers the rows in order; argMax; addDays of NULL days is NULL', async () => {
    const source = "SELECT 'b' AS id, CAST(2 AS DOUBLE) AS v UNION ALL SELECT 'a', CAST(5 AS DOUBLE) UNION ALL SELECT 'c', CAST(2 AS DOUBLE)";
    for (const wh of [engines.duck, engines.clickhouse]) {
      const d = wh.dialect;
      const rows = await wh.query(`SELECT id, k FROM (${d.numberRows(source, 'v DESC, id', 'k')}) n ORDER BY k`);
      expect(rows.map((r) => [r.id, Number(r.k)])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
      const [top] = await wh.query(`SELECT ${d.argMax('id', 'v')} AS id FROM (${source}) s`);
      expect(top!.id).toBe('a');
      const [none] = await wh.query(`SELECT ${d.dayOf(d.addDays(d.timestamp('2024-02-28T00:00:00'), 'CAST(NULL AS DOUBLE)'))} AS day`);
      expect(none!.day).toBeNull();
    }
  });
});
