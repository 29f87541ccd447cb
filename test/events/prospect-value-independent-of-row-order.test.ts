/**
 * A prospect's expected first-year value rests on the mean first-year spend of earlier new customers (of the same
 * acquisition channel when it has 20 of them). Those sums and means were taken over doubles in row order (`sum`,
 * `avg`), so the same orders stored in another order gave another last digit; they are now exact sums of the amounts
 * (`orderFreeSum`, as the KPIs' money sums), whatever the order.
 */
import { describe, expect, it } from 'vitest';
import { duckdbProspectSql } from '../../src/events/score-prospects.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

/** 30 new customers of channel `ads` with first-year orders of 0.1, 0.2 and 0.3 (each ten times), in the given order. */
function orders(reversed: boolean): string[] {
  const rows: string[] = [];
  for (let c = 1; c <= 30; c++) rows.push(`('o${c}', 'k${c}', TIMESTAMP '2022-01-0${1 + (c % 9)} 10:00:00', ${[0.1, 0.2, 0.3][c % 3]}, false, false, 1, 's', ${c}, 'h${c}')`);
  return reversed ? rows.reverse() : rows;
}

async function newCustomerValue(reversed: boolean): Promise<number> {
  const warehouse = await memoryWarehouse(1);
  try {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${orders(reversed).join(', ')}`);
    const people = Array.from({ length: 31 }, (_, i) => `('k${i + 1}', 'ads')`);
    await warehouse.execute(`CREATE TEMP TABLE clv_people AS SELECT * FROM (VALUES ${(reversed ? people.reverse() : people).join(', ')}) t(customer_id, acquisition_channel)`);
    const values = await duckdbProspectSql.newCustomerValues(warehouse, "TIMESTAMP '2023-12-31 23:59:59'", 1);
    return values.byChannel.get('ads')!.mean;
  } finally {
    await warehouse.close();
  }
}

describe('a prospect’s expected first-year value', () => {
  it('is the same, to the last bit, from the same orders stored in another order: the exact mean first-year spend', async () => {
    const forward = await newCustomerValue(false);
    expect(forward).toBe(6 / 30); // 10 × (0.1 + 0.2 + 0.3), exactly, over 30 customers
    expect(await newCustomerValue(true)).toBe(forward);
  });
});
