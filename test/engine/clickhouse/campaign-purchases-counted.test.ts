import { describe, expect, it } from 'vitest';
import { purchasesCounted, responsePurchasesSql, windowPurchaseLines } from '../../../src/actions/response-window.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { insertMixedLines } from '../../helpers/mixed-order-values.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, differences, useTwoEngines } from '../../helpers/clickhouse.js';

// campaign evaluate's purchases per customer on lines with and without order ids (the summary's way of counting a
// customer's orders): before, every line without an order id was a purchase
describe.skipIf(!CLICKHOUSE_URL)(`campaign purchases on lines with and without order ids, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('campaign_purchases', { fill: insertMixedLines, copy: ['transactions'], timeout: 120_000 });

  it("campaign evaluate's purchases: order ids, and purchase days where the lines have none, the same on both engines", async () => {
    const sql = (w: Warehouse) => `SELECT customer_id, ${responsePurchasesSql(w.dialect)} AS purchases FROM transactions GROUP BY customer_id ORDER BY customer_id`;
    const clickhouseRows = await engines.clickhouse.query(sql(engines.clickhouse));
    // a: 2 orders on 3 days; b: 2 orders on 3 days; c: 1 order on 2 days; d: 2 days without ids; e: 2 orders on 2 days; f: 3 orders
    expect(clickhouseRows.map((r) => [r.customer_id, Number(r.purchases)])).toEqual([['a', 3], ['b', 3], ['c', 2], ['d', 2], ['e', 2], ['f', 3]]);
    expect(differences(await engines.duck.query(sql(engines.duck)), clickhouseRows)).toEqual([]);
    const window = { start: engines.clickhouse.dialect.timestamp('2023-01-01T00:00:00'), end: engines.clickhouse.dialect.timestamp('2023-02-01T00:00:00') };
    const lines = await windowPurchaseLines(engines.clickhouse, window);
    expect(lines).toEqual({ purchases: 16, withOrderId: 10, valued: 10 });
    expect(purchasesCounted(lines)).toBe('orders and purchase days');
  });

});
