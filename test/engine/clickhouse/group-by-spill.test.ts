import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

// The per-customer summary of 100M lines (2.5M customers per shard) needed 3.8 GiB of aggregation states and failed on
// the loopback cluster's 4 GB per-query limit (Code 241). The warehouse's statements let a GROUP BY spill to disk instead.
describe.skipIf(!CLICKHOUSE_URL)(`GROUP BY spilling on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let wh: ClickHouseWarehouse;
  beforeAll(async () => {
    wh = await clickhouseWarehouse('spill');
  });
  afterAll(() => dropScratchDatabase(wh));

  it('runs every query with a GROUP BY that spills past 2 GB of states, half the loopback limit of 4 GB', async () => {
    const rows = await wh.query("SELECT name, value FROM system.settings WHERE name IN ('max_bytes_before_external_group_by', 'max_memory_usage') ORDER BY name");
    expect(rows).toEqual([
      { name: 'max_bytes_before_external_group_by', value: '2000000000' },
      { name: 'max_memory_usage', value: '4000000000' },
    ]);
  });
});
