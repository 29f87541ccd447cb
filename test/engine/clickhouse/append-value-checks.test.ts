import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { AppendColumns, Warehouse } from '../../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../../helpers/clickhouse.js';

// A value a numeric column cannot hold as given: DuckDB rounded 1.5 into a BIGINT, stored text in a DOUBLE as NaN and
// '' as 0; ClickHouse refused them (with the server's parse error on the text path). Both refuse them now, naming the
// column and the value, and add no row.
const engines: Array<[string, () => Promise<Warehouse & { dropDatabase?: () => Promise<void> }>]> = [['duckdb', () => openDuckDbWarehouse(':memory:', { threads: 1 })]];
if (CLICKHOUSE_URL) engines.push(['clickhouse', () => clickhouseWarehouse('append_values') as Promise<ClickHouseWarehouse>]);
if (!CLICKHOUSE_URL) console.warn(`append-value-checks: ClickHouse half skipped — ${CLICKHOUSE_SKIP_REASON}`);

describe.each(engines)('append refuses values a numeric column cannot hold (%s)', (_engine, open) => {
  let wh: Warehouse & { dropDatabase?: () => Promise<void> };
  beforeAll(async () => {
    wh = await open();
    await wh.execute('CREATE TABLE probe (customer_id VARCHAR NOT NULL, amount DOUBLE, n BIGINT)');
    await wh.execute('CREATE TABLE numbers (amount DOUBLE, n BIGINT)');
  }, 60_000);
  afterAll(async () => {
    await wh?.dropDatabase?.();
    await wh?.close();
  });
  const rows = async (table: string) => Number((await wh.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  const cases: Array<[string, string, AppendColumns, RegExp]> = [
    ['a fraction into a BIGINT', 'probe', { customer_id: ['a'], n: [1.5] }, /append to probe: column n holds whole numbers, got 1\.5/],
    ['text into a BIGINT', 'probe', { customer_id: ['a'], n: ['seven'], amount: [1] }, /append to probe: column n holds numbers, got "seven"/],
    ['text into a DOUBLE', 'probe', { customer_id: ['a'], amount: ['12,5'] }, /append to probe: column amount holds numbers, got "12,5"/],
    ['empty text into a DOUBLE', 'probe', { customer_id: ['a'], amount: [''] }, /append to probe: column amount holds numbers, got ""/],
    ['a fraction into a BIGINT, numbers only', 'numbers', { amount: [1], n: Float64Array.from([2.5]) }, /append to numbers: column n holds whole numbers, got 2\.5/],
  ];
  it.each(cases)('%s: fails naming the column and value, adds nothing', async (_name, table, columns, message) => {
    await expect(wh.append(table, columns)).rejects.toThrow(message);
    expect(await rows(table)).toBe(0);
  });

  it('takes whole numbers, numeric text and booleans as numbers, NaN and null as NULL', async () => {
    expect(await wh.append('probe', { customer_id: ['a', 'b', 'c'], amount: ['2.5', Number.NaN, 4], n: [3, true, null] })).toBe(3);
    const got = await wh.query('SELECT customer_id, amount, n FROM probe ORDER BY customer_id');
    expect(got).toEqual([
      { customer_id: 'a', amount: 2.5, n: 3 },
      { customer_id: 'b', amount: null, n: 1 },
      { customer_id: 'c', amount: 4, n: null },
    ]);
  });
});
