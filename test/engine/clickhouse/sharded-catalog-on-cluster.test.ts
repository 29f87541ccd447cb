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

  // regression (docs/scaling.md, session 25): an append asked system.columns for the columns of a table this connection
  // had just made with a column list (10 times in one small analysis); what it declared is taken, as the server shows it
  it('appends to a table it made with a column list without asking its columns, and asks again after an ALTER', async () => {
    const asked: string[] = [];
    const cluster = process.env.CLVKIT_CLICKHOUSE_CLUSTER;
    const writer = await openClickHouseWarehouse(CLICKHOUSE_URL, {
      database: other.database,
      ...(cluster ? { cluster } : {}),
      onStatement: (entry) => {
        if (/FROM system\.columns/.test(entry.sql)) asked.push(entry.sql);
      },
    });
    try {
      await writer.execute('CREATE OR REPLACE TEMP TABLE typed_scratch (a DOUBLE, b VARCHAR NOT NULL, c BIGINT, d TIMESTAMP, e DATE, f BOOLEAN, g INTEGER, h TEXT)');
      const shown = await other.query(`SELECT name, type FROM system.columns WHERE database = '${other.database}' AND table = 'typed_scratch'`);
      expect(shown.map((row) => `${row.name} ${row.type}`)).toEqual([
        'a Nullable(Float64)', 'b String', 'c Nullable(Int64)', 'd Nullable(DateTime)', 'e Nullable(Date)', 'f Nullable(UInt8)', 'g Nullable(Int32)', 'h Nullable(String)',
      ]);
      asked.length = 0;
      const columns = { a: [0.1, null], b: ['x', 'y'], c: [3, null], d: ['2024-01-02T03:04:05Z', null], e: ['2024-01-02', null], f: [true, null], g: [7, null], h: ['t', null] };
      expect(await writer.append('typed_scratch', columns)).toBe(2);
      expect(asked).toEqual([]);
      expect(await writer.query("SELECT a, b, c, toString(d) AS d, toString(e) AS e, f, g, h FROM typed_scratch ORDER BY b")).toEqual([
        { a: 0.1, b: 'x', c: 3, d: '2024-01-02 03:04:05', e: '2024-01-02', f: 1, g: 7, h: 't' },
        { a: null, b: 'y', c: null, d: null, e: null, f: null, g: null, h: null },
      ]);
      await writer.execute('ALTER TABLE typed_scratch ADD COLUMN i VARCHAR');
      expect(await writer.append('typed_scratch', { b: ['z'], i: ['new'] })).toBe(1);
      expect(asked).toHaveLength(1);
      expect(await writer.query("SELECT i FROM typed_scratch WHERE b = 'z'")).toEqual([{ i: 'new' }]);
    } finally {
      await writer.close();
    }
  });
});
