/**
 * `waitForMutations` asked every shard again every 100 ms until all were done: a shard done at the first look was asked
 * as often as the slowest (156 of the 2,994 statements of test/server/clickhouse-ingest-group-copy.test.ts were these
 * polls). A shard seen with no mutation of the tables running is now not asked again: what was sent before the wait
 * is done there.
 */
import { describe, expect, it } from 'vitest';
import { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';

/** a warehouse over two shards whose `system.mutations` answers are scripted: shard i answers `open[i]` in turn (then 0) */
function scripted(open: number[][]) {
  const asked = open.map(() => 0);
  const wh = new ClickHouseWarehouse('http://x', 'db', 'c', ['http://s1', 'http://s2'], {} as never, [{}, {}] as never, 1000);
  wh.queryOnShard = async (index: number, sql: string) => {
    expect(sql).toMatch(/FROM system\.mutations WHERE database = 'db' AND table IN \('t_local'\) AND NOT is_done/);
    return String(open[index]![asked[index]!++] ?? 0);
  };
  return { wh, asked };
}

describe('waiting for mutations on the shards', () => {
  it('asks a shard done at the first look once, and the other until it is done', async () => {
    const { wh, asked } = scripted([[0], [2, 1, 1, 0]]);
    await wh.waitForMutations(['t_local']);
    expect(asked).toEqual([1, 4]);
  });

  it('still waits for every shard, and fails naming what runs after the timeout', async () => {
    const { wh, asked } = scripted([[1, 0], [1, 1, 0]]);
    await wh.waitForMutations(['t_local']);
    expect(asked).toEqual([2, 3]);
    const stuck = scripted([[0], Array.from({ length: 1000 }, () => 1)]);
    await expect(stuck.wh.waitForMutations(['t_local'], 0.25)).rejects.toThrow(/^1 ClickHouse mutation\(s\) of db \(t_local\) still running after 0.25 s$/);
    expect(stuck.asked[0]).toBe(1);
  });
});
