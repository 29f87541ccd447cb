/**
 * The balance check's one query (`groupBalanceSql`: members left-joined to their history before the send date, summed
 * per group) on both engines: the same sums and the same balance for the tiny audience of test/actions/group-balance
 * (orders and purchase days, a prospect, a purchase after the send date, one on the pre-period's first instant).
 */
import { describe, expect, it } from 'vitest';
import { groupBalance, groupBalanceSql } from '../../../src/actions/group-balance.js';
import { fillTinyAudience } from '../../helpers/tiny-balance-audience.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, expectSameRows, useTwoEngines } from '../../helpers/clickhouse.js';

describe.skipIf(!CLICKHOUSE_URL)(`the balance of a control draw, on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('group_balance', { fill: fillTinyAudience, copy: ['transactions', 'audience_members'], threads: 1 });
  const options = { audience: 'tiny', sendDate: '2024-01-01', preDays: 10, minGroupSize: 3 };

  it('the same sums per group, and the same balance', async () => {
    const [duck, cluster] = await Promise.all([engines.duck.query(groupBalanceSql(engines.duck, options)), engines.clickhouse.query(groupBalanceSql(engines.clickhouse, options))]);
    expect(duck.map((r) => [r.g_group, Number(r.g_n), r.g_all, r.g_rev, Number(r.g_hist), r.g_days])).toEqual(
      expect.arrayContaining([
        ['treatment', 5, 6, 55, 4, 378],
        ['control', 5, 8, 128, 5, 89],
      ]),
    );
    // counts as numbers: DuckDB's count is a BIGINT, ClickHouse's a UInt64
    const counts = (rows: typeof duck) => rows.map((r) => ({ ...r, g_n: Number(r.g_n), g_hist: Number(r.g_hist) }));
    expectSameRows(counts(duck), counts(cluster), ['g_group']);
    const [d, c] = [await groupBalance(engines.duck, options), await groupBalance(engines.clickhouse, options)];
    expect(d.covariates).toHaveLength(5);
    // k = 3: every covariate measured (3 pre-period buyers and 4 members with a history in the treatment group), the 1 without one not published
    expect(d.covariates.every((x) => x.withheld === undefined)).toBe(true);
    expect(d.withoutHistory).toEqual({ treatment: null, control: 0 });
    expect(differences(d, c)).toEqual([]);
  }, 120_000);
});
