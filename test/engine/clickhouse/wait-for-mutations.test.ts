/**
 * `waitForMutations` asked every shard again every 100 ms until all were done: a shard done at the first look was asked
 * as often as the slowest (156 of the 2,994 statements of test/server/clickhouse-ingest-group-copy.test.ts were these
 * polls). A shard seen with no mutation of the tables running is now not asked again: what was sent before the wait
 * is done there. And the looks come after 10, 20, 40 … ms (a small table's mutation ends 8-20 ms after its ALTER),
 * not every 100 ms from the first.
 */
import { describe, expect, it, vi } from 'vitest';
import { ClickHouseWarehouse, MUTATION_WAITS_MS } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';

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

  it('looks first after 10 ms, then waits twice as long each time up to half a second', async () => {
    const { wh, asked } = scripted([[1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]]);
    const waits: number[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return real(fn, 0);
    }) as typeof setTimeout);
    try {
      await wh.waitForMutations(['t_local']);
    } finally {
      spy.mockRestore();
    }
    expect(asked).toEqual([2, 10]);
    expect(MUTATION_WAITS_MS).toEqual([10, 20, 40, 80, 160, 320, 500]);
    expect(waits).toEqual([10, 20, 40, 80, 160, 320, 500, 500, 500, 500]);
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
