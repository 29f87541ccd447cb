/**
 * The next-order dates of customer_scores (`buildCustomerScoresSql`): as-of + ceil(days), NULL where the order may
 * never come — and NULL too after NEXT_ORDER_LAST_DAY (2105-12-31, the last day ClickHouse 18.16's Date holds), so
 * both engines give the same date or the same NULL. Before, a quantile 32,000 days after 2024-06-30 gave 2112-02-10
 * on DuckDB and 1970-01-01 on ClickHouse, and audience filters on next_order_p50 picked different customers.
 */
import { describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerScoresSql } from '../../src/pipeline/customer-scores-sql.js';
import { CLV_TUPLE_SCORES_TABLE } from '../../src/pipeline/value-clv-columns.js';
import { NEXT_ORDER_LAST_DAY, NEXT_ORDER_MAX_DAYS } from '../../src/models/value/next-order-days.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../helpers/clickhouse.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const AS_OF = '2024-06-30';
/** 2024-06-30 + 29,768 days = 2105-12-31 */
const DAYS_TO_LAST_DAY = 29_768;

/** customer → (next_p50_days, next_p90_days): one tuple (frequency = its index) per customer */
const CASES: Record<string, [number | null, number | null]> = {
  soon: [29.2, 120],
  last_day: [DAYS_TO_LAST_DAY - 0.5, DAYS_TO_LAST_DAY],
  past_last_day: [DAYS_TO_LAST_DAY + 0.5, 32_000],
  never: [null, null],
};

async function fillSummary(warehouse: Warehouse): Promise<void> {
  // an entry-node table on ClickHouse, as the summary step makes it (a copied, sharded one is read differently)
  await warehouse.execute('CREATE OR REPLACE TEMP TABLE customer_summary (customer_id VARCHAR, frequency DOUBLE, recency DOUBLE, T DOUBLE, monetary_frequency DOUBLE, monetary_value DOUBLE)');
  const ids = Object.keys(CASES);
  await warehouse.append('customer_summary', {
    customer_id: ids,
    frequency: ids.map((_, i) => i),
    recency: ids.map(() => 10),
    T: ids.map(() => 20),
    monetary_frequency: ids.map((_, i) => i),
    monetary_value: ids.map(() => 0),
  });
}

async function nextOrders(warehouse: Warehouse, asOf = AS_OF, cases = CASES): Promise<Record<string, [string | null, string | null]>> {
  const ids = Object.keys(cases);
  await warehouse.execute(CLV_TUPLE_SCORES_TABLE);
  await warehouse.append('clv_tuple_scores', {
    frequency: ids.map((_, i) => i),
    recency: ids.map(() => 10),
    T: ids.map(() => 20),
    p_alive: ids.map(() => 0.5),
    e30: ids.map(() => 0.1),
    e90: ids.map(() => 0.3),
    e365: ids.map(() => 1),
    discounted_purchases: ids.map(() => 1),
    discounted_purchases_h: ids.map(() => null),
    next_p50_days: ids.map((id) => cases[id]![0]),
    next_p90_days: ids.map((id) => cases[id]![1]),
  });
  // as the value step makes it: CREATE … AS the scoring join
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_scores AS ${buildCustomerScoresSql(warehouse.dialect, { asOf, spend: false, margin: 1 })}`);
  const rows = await warehouse.query('SELECT customer_id, next_order_p50, next_order_p90 FROM customer_scores');
  const day = (value: Row[string]): string | null => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));
  return Object.fromEntries(rows.map((r) => [String(r.customer_id), [day(r.next_order_p50), day(r.next_order_p90)]]));
}

const EXPECTED = {
  soon: ['2024-07-30', '2024-10-28'],
  last_day: ['2105-12-31', '2105-12-31'],
  past_last_day: [null, null],
  never: [null, null],
};

describe('next-order dates on DuckDB', () => {
  const scratch = useScratchWarehouse();
  it('are as-of + ceil(days), NULL after NEXT_ORDER_LAST_DAY (2105-12-31), which DuckDB could hold', async () => {
    expect(NEXT_ORDER_LAST_DAY).toBe('2105-12-31');
    await fillSummary(scratch.warehouse);
    expect(await nextOrders(scratch.warehouse)).toEqual(EXPECTED);
  });

  it('keep the century cap (NEXT_ORDER_MAX_DAYS) for an early as-of date', async () => {
    await fillSummary(scratch.warehouse);
    // 1990-01-01 + 36,525 days = 2090-01-01; the cap applies to ceil(days), as the date does
    const cases: Record<string, [number | null, number | null]> = { soon: [NEXT_ORDER_MAX_DAYS, NEXT_ORDER_MAX_DAYS - 0.5], last_day: [NEXT_ORDER_MAX_DAYS + 0.5, null], past_last_day: [1, 2], never: [null, null] };
    expect(await nextOrders(scratch.warehouse, '1990-01-01', cases)).toEqual({
      soon: ['2090-01-01', '2090-01-01'],
      last_day: [null, null],
      past_last_day: ['1990-01-02', '1990-01-03'],
      never: [null, null],
    });
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`next-order dates on ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('next_order_dates', { threads: 1, timeout: 60_000 });
  it('are the dates (and NULLs) DuckDB gives, also for an order expected after 2105-12-31', async () => {
    for (const warehouse of [engines.duck, engines.clickhouse]) await fillSummary(warehouse);
    const duck = await nextOrders(engines.duck);
    expect(await nextOrders(engines.clickhouse)).toEqual(duck);
    expect(duck).toEqual(EXPECTED);
  });
});
