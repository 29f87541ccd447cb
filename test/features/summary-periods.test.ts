/**
 * Issue 20 items 4 and 5: summaries by calendar week / month (pandas' "W" and
 * "M" periods, as `lifetimes`' summary_data_from_transaction_data counts
 * them) and by the hour, next to today's fractional days / unit. Expected
 * values: `lifetimes`' own test expectations (tests/test_utils.py, version
 * 0.11.3) where it has them; otherwise worked out by hand in the comments.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql, type CustomerSummaryOptions } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// lifetimes' `large_transaction_level_data_with_monetary_value` fixture
const LIFETIMES_LOG = [
  [1, '2015-01-01', 1], [1, '2015-02-06', 2],
  [2, '2015-01-01', 2],
  [3, '2015-01-01', 3], [3, '2015-01-02', 1], [3, '2015-01-05', 5],
  [4, '2015-01-16', 6], [4, '2015-02-02', 3], [4, '2015-02-05', 3],
  [5, '2015-01-16', 3], [5, '2015-01-17', 1], [5, '2015-01-18', 8],
  [6, '2015-02-02', 5],
  // not in lifetimes' fixture: a purchase on Sunday 8 February, the day after every as-of date below and in
  // the as-of day's calendar week and month; it never counts (no row for customer 7 anywhere)
  [7, '2015-02-08', 9],
] as const;

// an hourly log: customer h buys twice within 09:00–09:59 (one occasion), at 17:05 and two days later at 08:00
const HOURLY_LOG = [
  ['h', '2015-01-01 09:15:00', 4], ['h', '2015-01-01 09:45:00', 6], ['h', '2015-01-01 17:05:00', 7], ['h', '2015-01-03 08:00:00', 9],
  ['k', '2015-01-04 22:30:00', 1], ['k', '2015-01-06 01:10:00', 2],
] as const;

async function load(warehouse: Warehouse, name: string, rows: readonly (readonly [string | number, string, number])[]): Promise<void> {
  const path = join(scratchDir(), `${name}.csv`);
  writeFileSync(path, ['customer_id,date,amount', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  await ingestFiles(warehouse, [path], { keepCustomerIds: true });
}

async function summary(warehouse: Warehouse, options: CustomerSummaryOptions, columns = 'frequency, recency, T, monetary_value'): Promise<number[][]> {
  const rows = await warehouse.query(`SELECT customer_id, ${columns} FROM (${buildCustomerSummarySql(warehouse.dialect, options)}) s ORDER BY customer_id`);
  return rows.map((r) => Object.entries(r).map(([k, v]) => (k === 'customer_id' ? (Number.isNaN(Number(v)) ? v : Number(v)) : Number(v)) as number));
}

describe('summaries by calendar period (lifetimes freq="W" / "M")', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await load(warehouse, 'lifetimes', LIFETIMES_LOG);
  });
  afterAll(() => warehouse.close());

  it('by day: lifetimes test_summary_date_from_transaction_with_monetary_values', async () => {
    expect(await summary(warehouse, { asOf: '2015-02-07', timeUnit: 'day' })).toEqual([
      [1, 1, 36, 37, 2], [2, 0, 0, 37, 0], [3, 2, 4, 37, 3], [4, 2, 20, 22, 3], [5, 2, 2, 22, 4.5], [6, 0, 0, 5, 0],
    ]);
  });

  it('by calendar week: lifetimes test_summary_date_from_transaction_data_with_specific_non_daily_frequency', async () => {
    // monetary_value: the weekly sums of lifetimes' _find_first_transactions (freq="W") without the first week
    expect(await summary(warehouse, { asOf: '2015-02-07', timeUnit: 'week', period: 'calendar-week' })).toEqual([
      [1, 1, 5, 5, 2], [2, 0, 0, 5, 0], [3, 1, 1, 5, 5], [4, 1, 3, 3, 6], [5, 0, 0, 3, 0], [6, 0, 0, 0, 0],
    ]);
  });

  it('by calendar week differs from fractional weeks (days / 7) on the same log', async () => {
    const fractional = await summary(warehouse, { asOf: '2015-02-07', timeUnit: 'week' }, 'frequency, recency, T');
    // customer 3 bought on Thu 1, Fri 2 and Mon 5 January: three purchase days, two calendar weeks
    expect(fractional[2]![1]).toBe(2);
    expect(fractional[2]![2]).toBeCloseTo(4 / 7, 12);
    expect(fractional[2]![3]).toBeCloseTo(37 / 7, 12);
  });

  it('calibration / holdout by calendar week: lifetimes test_calibration_and_holdout_data_works_with_specific_frequency', async () => {
    // customer 6 first bought in the holdout: no row (lifetimes: KeyError)
    expect(await summary(warehouse, { asOf: '2015-02-01', holdoutEnd: '2015-02-07', timeUnit: 'week', period: 'calendar-week' }, 'frequency, recency, T, frequency_holdout, duration_holdout')).toEqual([
      [1, 0, 0, 4, 1, 1], [2, 0, 0, 4, 0, 1], [3, 1, 1, 4, 0, 1], [4, 0, 0, 2, 1, 1], [5, 0, 0, 2, 0, 1],
    ]);
  });

  it('by calendar month, by hand', async () => {
    // 1: Jan, Feb → x 1, t_x 1, T 1 (Jan → Feb), repeat spend 2 · 3: all in January → x 0, T 1
    // 4: Jan 16; Feb 2 + Feb 5 = one occasion of 6 · 6: first bought in February → T 0
    expect(await summary(warehouse, { asOf: '2015-02-07', timeUnit: 'month', period: 'calendar-month' })).toEqual([
      [1, 1, 1, 1, 2], [2, 0, 0, 1, 0], [3, 0, 0, 1, 0], [4, 1, 1, 1, 6], [5, 0, 0, 1, 0], [6, 0, 0, 0, 0],
    ]);
    // holdout February–March after a January calibration: two months long; 1 and 4 buy in one month of it
    expect(await summary(warehouse, { asOf: '2015-01-31', holdoutEnd: '2015-03-31', timeUnit: 'month', period: 'calendar-month' }, 'frequency, T, frequency_holdout, duration_holdout')).toEqual([
      [1, 0, 0, 1, 2], [2, 0, 0, 0, 2], [3, 0, 0, 0, 2], [4, 0, 0, 1, 2], [5, 0, 0, 0, 2],
    ]);
  });

  it('refuses a calendar period in another unit, and orders as occasions, with a user error', () => {
    expect(() => buildCustomerSummarySql(warehouse.dialect, { asOf: '2015-02-07', timeUnit: 'day', period: 'calendar-week' })).toThrow(
      expect.objectContaining({ name: 'UserError', message: '--period calendar-week counts whole weeks, but the time unit is day', hint: 'pass --time-unit week with --period calendar-week' }),
    );
    expect(() => buildCustomerSummarySql(warehouse.dialect, { asOf: '2015-02-07', timeUnit: 'month', period: 'calendar-month', grain: 'order' })).toThrow(
      expect.objectContaining({ name: 'UserError', message: '--grain order does not go with --period calendar-month' }),
    );
  });
});

describe('summaries by the hour (lifetimes freq="h")', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await load(warehouse, 'hourly', HOURLY_LOG);
  });
  afterAll(() => warehouse.close());

  it('counts clock hours as occasions and measures whole hours to the last hour of the as-of day', async () => {
    // h: occasions 01-01 09h (4 + 6), 01-01 17h (7), 01-03 08h (9) → x 2, t_x 47 h, T = 01-05 23h − 01-01 09h = 110 h, m̄ (7 + 9) / 2
    // k: 01-04 22h (01-06 01h is past the as-of day) → x 0, T = 01-05 23h − 01-04 22h = 25 h
    expect(await summary(warehouse, { asOf: '2015-01-05', timeUnit: 'hour' })).toEqual([
      ['h', 2, 47, 110, 8],
      ['k', 0, 0, 25, 0],
    ] as unknown as number[][]);
    // the same log by day: h bought on two days
    expect(await summary(warehouse, { asOf: '2015-01-05', timeUnit: 'day' })).toEqual([
      ['h', 1, 2, 4, 9],
      ['k', 0, 0, 1, 0],
    ] as unknown as number[][]);
  });

  it('with a holdout: occasions after the as-of day, a holdout as long as its days × 24', async () => {
    expect(await summary(warehouse, { asOf: '2015-01-05', holdoutEnd: '2015-01-07', timeUnit: 'hour' }, 'frequency_holdout, duration_holdout')).toEqual([
      ['h', 0, 48],
      ['k', 1, 48],
    ] as unknown as number[][]);
  });
});
