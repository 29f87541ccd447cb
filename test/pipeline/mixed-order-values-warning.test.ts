/**
 * analyze on a warehouse mixing files with order values and a file of customer ids and dates only: the run says so,
 * with the lines and the customers whose spend statistics leave days out (a user trial: 686 customers' monetary value
 * halved and no word from analyze).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { mixedOrderValuesWarning } from '../../src/features/mixed-order-values.js';
import { analyze } from '../../src/pipeline/analyze.js';
import { insertMixedLines } from '../helpers/mixed-order-values.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

describe('analyze on a warehouse mixing files with and without order values', () => {
  const MIXED_WARNING =
    "the warehouse mixes files with and without order values: 6 purchase lines (visits.csv) have no amount, beside 10 with one; a purchase day without an amount counts as a purchase, not as a spend of 0: monetary value, the spend model and the average order take the days with a known amount, and revenue and historic CLV count the known amounts only — 3 customers have repeat days without one, 2 of them none with one (their spend per purchase is the population's mean), 1 has no known spend at all (total spend and historic CLV empty)";

  it('warns with the lines and the customers whose spend statistics leave days out (a, c, d; c and d without a valued repeat day; d without any spend)', async () => {
    const dir = scratchDir();
    const db = join(dir, 'mixed.duckdb');
    const warehouse = await openDuckDbWarehouse(db);
    await insertMixedLines(warehouse);
    await warehouse.close();
    const summary = await analyze({ db, outDir: join(dir, 'out'), skipModels: true, skipSegments: true, skipPatterns: true, skipReport: true, skipChurn: true, minGroupSize: 2 });
    expect(summary.warnings.filter((w) => w.startsWith('the warehouse mixes'))).toEqual([MIXED_WARNING]);
    const byOrder = await analyze({ db, outDir: join(dir, 'out-order'), grain: 'order', skipModels: true, skipSegments: true, skipPatterns: true, skipReport: true, skipChurn: true, minGroupSize: 2 });
    // by order, e's line without an amount is an order of its own: a fourth customer with a repeat occasion without one
    const orderWarning = MIXED_WARNING.replace('a purchase day ', 'an order ').replaceAll('days', 'orders').replace('3 customers', '4 customers');
    expect(byOrder.warnings.filter((w) => w.startsWith('the warehouse mixes'))).toEqual([orderWarning]);
  }, 60_000);

  it('says nothing on a warehouse whose purchases all have an order value', async () => {
    const warehouse = await memoryWarehouse();
    try {
      await insertMixedLines(warehouse);
      await warehouse.execute('DELETE FROM transactions WHERE amount IS NULL');
      expect(await mixedOrderValuesWarning(warehouse)).toBeNull();
    } finally {
      await warehouse.close();
    }
  });
});
