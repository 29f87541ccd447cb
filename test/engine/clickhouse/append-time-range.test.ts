import { beforeAll, describe, expect, it } from 'vitest';
import { copyTableToClickHouse } from '../../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../../helpers/clickhouse.js';

// ClickHouse 18.16's DateTime and Date hold 1970 … 2106 only: it stored 1965-05-01 10:00 as 1970-01-01 10:00 and
// 2120-01-01 as 0000-00-00 without a word (DuckDB keeps both). append now refuses such a time, naming the column and the
// value, so a copy fails whole instead of landing changed times.
describe.skipIf(!CLICKHOUSE_URL)(`append to ClickHouse refuses times its DateTime cannot hold${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('time_range', { timeout: 60_000 });
  beforeAll(() => engines.clickhouse.execute('CREATE TABLE times (customer_id VARCHAR NOT NULL, ts TIMESTAMP, day DATE)'));
  const rows = async () => Number((await engines.clickhouse.query('SELECT count(*) AS n FROM times'))[0]!.n);

  it.each([
    ['a time before 1970', { customer_id: ['a', 'b'], ts: [new Date('2023-01-01T00:00:00Z'), new Date('1965-05-01T10:00:00Z')] }, /ts has the time 1965-05-01T10:00:00.000Z: ClickHouse \(DateTime, Date\) holds times from 1970-01-01 to 2105-12-31 only/],
    ['a time after 2105', { customer_id: ['a'], ts: ['2120-01-01 00:00:00'] }, /ts has the time 2120-01-01T00:00:00.000Z: .*holds times from 1970-01-01 to 2105-12-31/],
    ['a day before 1970', { customer_id: ['a'], day: ['1969-12-31'] }, /day has the time 1969-12-31T00:00:00.000Z: .*holds times from 1970-01-01/],
    ['text that is no time', { customer_id: ['a'], ts: ['soon'] }, /column ts holds times, got "soon"/],
  ])('%s: fails, adds nothing', async (_name, columns, message) => {
    await expect(engines.clickhouse.append('times', columns)).rejects.toThrow(message);
    expect(await rows()).toBe(0);
  });

  it('takes times inside the range as before, NULL as NULL', async () => {
    await engines.clickhouse.append('times', { customer_id: ['a', 'b'], ts: [new Date('1999-12-31T23:59:59.999Z'), null], day: ['2023-01-05', null] });
    expect(await engines.clickhouse.query('SELECT customer_id, toString(ts) AS ts, toString(day) AS day FROM times ORDER BY customer_id')).toEqual([
      { customer_id: 'a', ts: '1999-12-31 23:59:59', day: '2023-01-05' },
      { customer_id: 'b', ts: null, day: null },
    ]);
  });

  it('a copy of DuckDB rows with a 1965 order fails whole, naming the time', async () => {
    await engines.duck.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
      VALUES ('o1', 'x', TIMESTAMP '2023-01-01 10:00:00', 5, false, false, 1, 's', 1, 'h1'), ('o2', 'y', TIMESTAMP '1965-05-01 10:00:00', 5, false, false, 1, 's', 2, 'h2')`);
    await expect(copyTableToClickHouse(engines.duck, engines.clickhouse, 'transactions')).rejects.toThrow(/ts has the time 1965-05-01T10:00:00.000Z: .*holds times from 1970-01-01/);
    expect(Number((await engines.clickhouse.query('SELECT count(*) AS n FROM transactions'))[0]!.n)).toBe(0);
  });
});
