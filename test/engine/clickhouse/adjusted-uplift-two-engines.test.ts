/**
 * The adjusted uplift's one query (`memberOutcomes`: each member's purchases, revenue and margin in the window and in the
 * pre-period) on both engines: the same members and values, and the same adjusted uplifts, for the tiny audience of
 * test/actions/group-balance (orders and purchase days, a purchase after the send date, one on the pre-period's first instant).
 */
import { describe, expect, it } from 'vitest';
import { adjustedUplifts, memberOutcomes, prePeriod } from '../../../src/actions/adjusted-uplift.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { fillTinyAudience } from '../../helpers/tiny-balance-audience.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`the adjusted uplift's members, on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('adjusted_uplift', { fill: fillTinyAudience, copy: ['transactions', 'audience_members'], threads: 1 });
  const read = async (warehouse: Warehouse) => {
    const d = warehouse.dialect;
    const outcomes = await memberOutcomes(warehouse, d.literal('tiny'), { ...prePeriod(d, '2024-01-01', 10), start: d.timestamp('2024-01-01T00:00:00'), end: d.timestamp('2024-01-11T00:00:00') }, 0.5);
    // rows in the engine's order: sorted to compare
    const rows = (g: 'treatment' | 'control') => Array.from(outcomes.periods[g].x[0]!, (_, i) => [...outcomes.periods[g].x.map((c) => c[i]!), ...outcomes.periods[g].y.map((c) => c[i]!)]).sort((a, b) => a.join().localeCompare(b.join()));
    return { rows: { treatment: rows('treatment'), control: rows('control') }, window: outcomes.window, adjusted: adjustedUplifts(outcomes.periods, { treatment: 5, control: 5 }, true, '2024-01-01', 10) };
  };

  it('the same members and outcomes per group, and the same adjusted uplifts', async () => {
    const [duck, cluster] = [await read(engines.duck), await read(engines.clickhouse)];
    expect(duck.rows.treatment).toHaveLength(3);
    // T1: one purchase of 10 before (margin ½ of it), one of 99 in the window
    expect(duck.rows.treatment).toContainEqual([1, 10, 5, 1, 99, 49.5]);
    expect(cluster.rows).toEqual(duck.rows);
    expect(cluster.window).toEqual(duck.window);
    expect(cluster.adjusted).toEqual(duck.adjusted);
  }, 120_000);
});
