import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { selectValueModel } from '../../../src/pipeline/value-step.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../../helpers/clickhouse.js';

// The tracking curve's actual repeat purchases in the holdout count the customers who first bought by the calibration
// end only. On ClickHouse 18.16 the test compared a Date with a DateTime as raw numbers (days against seconds), so it
// always held: customers acquired in the holdout were counted (Online Retail, calibration end 2011-08-31: 12,344
// cumulative purchases at the end against DuckDB's 11,783).
const CALIBRATION_END = '2023-03-31';

async function fill(duck: Warehouse): Promise<void> {
  // 60 customers acquired in January who buy every 10 days to the end of June; 30 acquired in May who buy every 5 days
  const rows: string[] = [];
  let line = 0;
  const add = (customer: string, day: string) => rows.push(`('o${line}', '${customer}', TIMESTAMP '${day} 10:00:00', 20, false, false, 1, 'x.csv', ${line}, 'h${line++}')`);
  const dayAfter = (start: string, days: number) => new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  for (let c = 0; c < 60; c++) for (let k = 0; 10 * k + (c % 9) < 175; k++) if (k < 3 + (c % 7) || k % 2 === 0) add(`early${c}`, dayAfter('2023-01-02', 10 * k + (c % 9)));
  for (let c = 0; c < 30; c++) for (let k = 0; 5 * k < 50; k++) add(`late${c}`, dayAfter('2023-05-01', 5 * k + (c % 4)));
  await duck.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${rows.join(', ')}`);
}

describe.skipIf(!CLICKHOUSE_URL)(`the tracking curve leaves out customers acquired after the calibration end, on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('tracking_late_customers', { fill, copy: ['transactions', 'customers'], timeout: 120_000 });

  it("the same actual repeat purchases on both engines: the early customers' only", async () => {
    const options = { calibrationEnd: CALIBRATION_END, holdoutEnd: '2023-06-30', timeUnit: 'week' as const, grain: 'day' as const, models: ['bgnbd' as const] };
    const actual = async (w: Warehouse) => (await selectValueModel(w, options)).diagnostics.tracking.actualCumulative;
    // every repeat purchase day of the early customers, calibration and holdout (the curve starts at the first purchase)
    const [early] = await engines.duck.query(`SELECT count(*) - count(DISTINCT customer_id) AS n FROM transactions WHERE customer_id LIKE 'early%'`);
    const onDuck = await actual(engines.duck);
    expect(onDuck.at(-1)).toBe(Number(early!.n));
    expect(await actual(engines.clickhouse)).toEqual(onDuck);
  });
});
