/**
 * `CREATE OR REPLACE TABLE t …` of a table that is sharded on the cluster (a
 * derived table copied there with `copyTableToClickHouse`, as the two-engine
 * tests do, then rebuilt by an analysis) replaces all of it: the shards'
 * `t_local` tables went with the Distributed table. They used to stay behind,
 * hidden from the catalogue (information_schema leaves `_local` tables out),
 * so an erasure never reached the customers' rows they held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`replacing a sharded table on ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let wh: ClickHouseWarehouse;
  beforeAll(async () => {
    wh = await clickhouseWarehouse('replace_sharded');
  });
  afterAll(() => dropScratchDatabase(wh));

  const localTables = async (name: string) => (await wh.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = '${wh.database}' AND name = '${name}_local'`)).map(Number);

  it('CREATE OR REPLACE TABLE … AS over a sharded table leaves no shard-local table of it behind', async () => {
    await wh.execute('CREATE TABLE scores (customer_id VARCHAR NOT NULL, n BIGINT)');
    await wh.append('scores', { customer_id: ['c_1', 'c_2', 'c_3', 'c_4'], n: [1, 2, 3, 4] });
    expect(await wh.isShardedTable('scores')).toBe(true);
    await wh.execute("CREATE OR REPLACE TABLE scores AS SELECT 'c_9' AS customer_id, 9 AS n");
    expect(await wh.isShardedTable('scores')).toBe(false);
    expect(await localTables('scores')).toEqual(wh.shardUrls.map(() => 0));
    expect(await wh.query('SELECT customer_id, n FROM scores')).toEqual([{ customer_id: 'c_9', n: 9 }]);
  });

  it('CREATE OR REPLACE TEMP VIEW over a sharded table of that name leaves none behind either', async () => {
    await wh.execute('CREATE TABLE picks (customer_id VARCHAR NOT NULL)');
    await wh.append('picks', { customer_id: ['c_1', 'c_2'] });
    await wh.execute("CREATE OR REPLACE TEMP VIEW picks AS SELECT 'c_5' AS customer_id");
    expect(await localTables('picks')).toEqual(wh.shardUrls.map(() => 0));
    expect(await wh.query('SELECT customer_id FROM picks')).toEqual([{ customer_id: 'c_5' }]);
  });
});
