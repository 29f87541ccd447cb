import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { appendAtomically, dropStaleStaging } from '../../../src/engine/clickhouse/append-atomically.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`appendAtomically on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let wh: ClickHouseWarehouse;
  beforeAll(async () => {
    wh = await clickhouseWarehouse('atomic');
    await wh.execute('CREATE TABLE tx (customer_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE NOT NULL, ingest_id BIGINT NOT NULL)');
  });
  afterAll(() => dropScratchDatabase(wh));

  const count = async () => Number((await wh.query('SELECT count(*) AS n FROM tx'))[0]!.n);
  const stagingTables = async () => (await wh.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = '${wh.database}' AND position(name, '__staging_') > 0`)).map(Number);

  it('adds every row of a batch, spread over the shards, across months (partitions)', async () => {
    const n = 1000;
    const customers = Array.from({ length: n }, (_, i) => `c_${i % 97}`);
    const ts = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, i % 5, 1 + (i % 28), 12)));
    const added = await appendAtomically(wh, 'tx', { customer_id: customers, ts, amount: Array.from({ length: n }, (_, i) => i / 4), ingest_id: new Array(n).fill(1) });
    expect(added).toBe(n);
    expect(await count()).toBe(n);
    const [sum] = await wh.query('SELECT sum(amount) AS s, count(DISTINCT customer_id) AS c FROM tx');
    expect(sum).toEqual({ s: (999 * 1000) / 8, c: 97 });
    expect((await wh.rowsPerShard('tx')).every((rows) => rows > 0)).toBe(true);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('adds nothing when the batch fails half-way, and leaves no staging table', async () => {
    const before = await count();
    const n = 250_000; // more than one insert batch: the first batch reaches staging before the bad value fails
    const amount = Array.from({ length: n }, () => 1 as number | string);
    amount[n - 1] = 'not a number';
    await expect(
      appendAtomically(wh, 'tx', { customer_id: new Array(n).fill('c_x'), ts: new Array(n).fill(new Date('2023-02-01T00:00:00Z')), amount, ingest_id: new Array(n).fill(2) }),
    ).rejects.toThrow();
    expect(await count()).toBe(before);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });

  it('drops staging tables a crash left behind', async () => {
    await wh.commandOnEachShard(`CREATE TABLE ${wh.database}.tx__staging_1_x_local AS ${wh.database}.tx_local`);
    expect(await dropStaleStaging(wh)).toBe(1);
    expect(await stagingTables()).toEqual(wh.shardUrls.map(() => 0));
  });
});
