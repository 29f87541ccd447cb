/**
 * KPIs by a profile column (analyze's acquisition channels) where some buyers
 * have no profile, or one without the column: on ClickHouse 18.16 the group
 * key's CAST of their NULL to a text failed ("Cannot convert NULL value to
 * non-Nullable type") and with it every `analyze --engine clickhouse` of
 * transactions beside a profile file that does not cover every buyer. Both
 * engines now put them in the group '(none)', with the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse } from '../../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { computeKpis, computeKpisByGroups } from '../../../src/features/kpis.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences } from '../../helpers/clickhouse.js';
import { memoryWarehouse } from '../../helpers/warehouse.js';
import { insertMixedLines } from '../../helpers/mixed-order-values.js';

describe.skipIf(!CLICKHOUSE_URL)(`KPIs by acquisition channel with buyers without a profile, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let duck: Warehouse;
  let clickhouse: ClickHouseWarehouse;
  beforeAll(async () => {
    duck = await memoryWarehouse();
    await insertMixedLines(duck); // buyers a … f
    // a and b by e-mail, c with a profile without a channel; d, e and f have none
    await duck.execute("INSERT INTO customers (customer_id, acquisition_channel, acquisition_cost) VALUES ('a', 'email', 2), ('b', 'email', 4), ('c', NULL, NULL)");
    clickhouse = await clickhouseWarehouse('kpis_by_profile');
    for (const table of ['transactions', 'customers']) await copyTableToClickHouse(duck, clickhouse, table);
  }, 120_000);
  afterAll(async () => {
    await clickhouse?.dropDatabase();
    await clickhouse?.close();
    await duck?.close();
  });

  it("puts the buyers without a channel in '(none)', with the figures DuckDB gives", async () => {
    const kpis = (w: Warehouse) => computeKpis(w, { asOf: '2023-03-31', periodDays: 30, groupBy: { table: 'customers', column: 'acquisition_channel' } });
    const onClickHouse = await kpis(clickhouse);
    expect(onClickHouse.map((row) => [row.group, row.customers, row.acquisitionCost])).toEqual([
      ['(none)', 4, Number.NaN],
      ['email', 2, 3],
    ]);
    expect(differences(await kpis(duck), onClickHouse)).toEqual([]);
  });

  it('gives the same figures for several groupings at once (their per-customer sums in one scratch table) as for each alone', async () => {
    const options = { asOf: '2023-03-31', periodDays: 30 };
    const [overall, byChannel] = await computeKpisByGroups(clickhouse, options, [null, { table: 'customers', column: 'acquisition_channel' }]);
    expect(byChannel!.map((row) => [row.group, row.customers])).toEqual([
      ['(none)', 4],
      ['email', 2],
    ]);
    expect(differences(overall!, await computeKpis(clickhouse, options))).toEqual([]);
    expect(differences(byChannel!, await computeKpis(clickhouse, { ...options, groupBy: { table: 'customers', column: 'acquisition_channel' } }))).toEqual([]);
    expect(differences(overall!, await computeKpis(duck, options))).toEqual([]);
  });
});
