/**
 * The kept catalog of sharded tables (sharded-catalog.ts) on a cluster: a connection asks system.tables once for many
 * statements with a JOIN (it asked before each: 102 times in serve-on-clickhouse.test.ts, 53 now), and a sharded
 * table another connection makes after that is still read whole by a JOIN (it is not held, so it is asked for).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`the kept catalog of sharded tables on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let other: ClickHouseWarehouse;
  let reader: ClickHouseWarehouse;
  let catalogReads = 0;
  beforeAll(async () => {
    other = await clickhouseWarehouse('sharded_catalog');
    const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;
    reader = await openClickHouseWarehouse(CLICKHOUSE_URL, {
      database: other.database,
      ...(cluster ? { cluster } : {}),
      onStatement: (entry) => {
        if (entry.node === 'entry' && /FROM system\.tables/.test(entry.sql) && /engine/i.test(entry.sql)) catalogReads += 1;
      },
    });
  });
  afterAll(async () => {
    await reader?.close();
    await dropScratchDatabase(other);
  });

  it('asks once for many JOINs over tables it holds, and asks again for a sharded table another connection made since', async () => {
    await reader.execute('CREATE TABLE orders_held (customer_id VARCHAR NOT NULL, amount DOUBLE)');
    await reader.append('orders_held', { customer_id: ['c_1', 'c_2', 'c_3', 'c_4', 'c_5', 'c_6'], amount: [1, 2, 3, 4, 5, 6] });
    await reader.execute("CREATE OR REPLACE TABLE picked AS SELECT 'c_1' AS customer_id UNION ALL SELECT 'c_2' UNION ALL SELECT 'c_3' UNION ALL SELECT 'c_4' UNION ALL SELECT 'c_5' UNION ALL SELECT 'c_6'");
    const joined = 'SELECT count(*) AS n, sum(o.amount) AS total FROM picked p JOIN orders_held o ON o.customer_id = p.customer_id';
    for (let i = 0; i < 5; i++) expect(await reader.query(joined)).toEqual([{ n: 6, total: 21 }]); // every shard's rows
    expect(catalogReads).toBe(1);

    // another writer makes a sharded table after this connection last asked: a JOIN over it asks again and reads every shard
    await other.execute('CREATE TABLE late_orders (customer_id VARCHAR NOT NULL, amount DOUBLE)');
    await other.append('late_orders', { customer_id: ['c_1', 'c_2', 'c_3', 'c_4', 'c_5', 'c_6'], amount: [10, 20, 30, 40, 50, 60] });
    expect((await other.rowsPerShard('late_orders')).every((n) => n > 0)).toBe(true); // on more than one shard
    expect(await reader.query('SELECT count(*) AS n, sum(l.amount) AS total FROM picked p JOIN late_orders l ON l.customer_id = p.customer_id')).toEqual([{ n: 6, total: 210 }]);
    expect(catalogReads).toBe(2);
  }, 60_000);
});
