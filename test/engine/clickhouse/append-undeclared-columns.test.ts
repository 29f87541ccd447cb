import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { AppendColumns, Warehouse } from '../../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse } from '../../helpers/clickhouse.js';

// append must not drop a column the table does not declare, nor fill a NOT NULL one left out: the call fails, naming the column(s), and adds no row
const engines: Array<[string, () => Promise<Warehouse & { dropDatabase?: () => Promise<void> }>]> = [['duckdb', () => openDuckDbWarehouse(':memory:', { threads: 1 })]];
if (CLICKHOUSE_URL) engines.push(['clickhouse', () => clickhouseWarehouse('undeclared') as Promise<ClickHouseWarehouse>]);
if (!CLICKHOUSE_URL) console.warn(`append-undeclared-columns: ClickHouse half skipped — ${CLICKHOUSE_SKIP_REASON}`);

describe.each(engines)('append refuses columns the table does not declare (%s)', (_engine, open) => {
  let wh: Warehouse & { dropDatabase?: () => Promise<void> };
  beforeAll(async () => {
    wh = await open();
    await wh.execute('CREATE TABLE probe (customer_id VARCHAR NOT NULL, amount DOUBLE, n BIGINT)');
  }, 60_000);
  afterAll(async () => {
    await wh?.dropDatabase?.();
    await wh?.close();
  });
  const rows = async () => Number((await wh.query('SELECT count(*) AS n FROM probe'))[0]!.n);

  const cases: Array<[string, AppendColumns, RegExp]> = [
    ['text and numbers', { customer_id: ['a', 'b'], amount: [1.5, 2.5], amont: [3, 4] }, /probe: column amont not declared by the table \(it declares customer_id, amount, n\)/],
    ['numbers only (the binary path)', { customer_id: ['a', 'b'], n: Int32Array.from([1, 2]), extra_a: Float64Array.from([1, 2]), extra_b: Float64Array.from([3, 4]) }, /probe: columns extra_a, extra_b not declared/],
    // ClickHouse filled a NOT NULL column left out with '' (DuckDB refused it): both refuse it now
    ['a NOT NULL column left out', { amount: Float64Array.from([1, 2]), n: Int32Array.from([1, 2]) }, /probe: NOT NULL column customer_id not given/],
  ];
  it.each(cases)('%s: fails naming the column(s), adds nothing', async (_name, columns, message) => {
    await expect(wh.append('probe', columns)).rejects.toThrow(message);
    expect(await rows()).toBe(0);
  });

  it('still appends the declared columns, leaving undeclared-by-the-call ones NULL', async () => {
    expect(await wh.append('probe', { customer_id: ['a', 'b'], amount: [1.5, 2.5] })).toBe(2);
    const got = await wh.query('SELECT customer_id, amount, n FROM probe ORDER BY customer_id');
    expect(got).toEqual([
      { customer_id: 'a', amount: 1.5, n: null },
      { customer_id: 'b', amount: 2.5, n: null },
    ]);
  });
});
