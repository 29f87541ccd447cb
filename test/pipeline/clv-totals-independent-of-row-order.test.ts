/**
 * The predicted CLV in all (run.json's valueModel.clv.totalPredicted, the run's summary line, and the totals of a
 * tournament winner that rewrote customer_scores) was a `sum` of doubles in the order the engine met the rows: the same
 * scores stored in another order — or read by several DuckDB threads, or from two shards — gave other last digits.
 * They are now exact sums (`orderFreeSum`).
 */
import { describe, expect, it } from 'vitest';
import { derivedTable } from '../../src/engine/derived-tables.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { customerScoresTotals, rewriteCustomerScores } from '../../src/pipeline/rewrite-customer-scores.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

type Order = 'forward' | 'reversed' | 'sorted';

/** customer_scores with its declared columns (NULL but the id and the CLV) for 30 customers of CLV 0.1, 0.2, 0.3 (ten each), in the given order. */
async function scores(warehouse: Warehouse, order: Order): Promise<void> {
  const ids = Array.from({ length: 30 }, (_, i) => i);
  if (order === 'reversed') ids.reverse();
  if (order === 'sorted') ids.sort((a, b) => (a % 3) - (b % 3) || a - b);
  const clv = (i: number) => [0.1, 0.2, 0.3][i % 3]!;
  const columns = derivedTable('customer_scores').columns.map((c) =>
    c.name === 'customer_id' ? 'customer_id' : c.name === 'predicted_clv_12m' ? 'CAST(clv AS DOUBLE) AS predicted_clv_12m' : `CAST(NULL AS ${c.type}) AS ${warehouse.dialect.identifier(c.name)}`,
  );
  await warehouse.execute(`CREATE TABLE customer_scores AS SELECT ${columns.join(', ')} FROM (VALUES ${ids.map((i) => `('k${i}', ${clv(i)})`).join(', ')}) t(customer_id, clv)`);
  // a winner that scores every customer at 7.3 times M's CLV
  await warehouse.execute(`CREATE TABLE winner AS SELECT * FROM (VALUES ${ids.map((i) => `('k${i}', CAST(${clv(i) * 7.3} AS DOUBLE))`).join(', ')}) t(customer_id, clv)`);
}

async function totals(order: Order) {
  return withMemoryWarehouse(async (warehouse) => {
    await scores(warehouse, order);
    const before = await customerScoresTotals(warehouse);
    const rewritten = await rewriteCustomerScores(warehouse, 'winner', { predicted_clv_12m: 'l.clv' });
    return { before, rewritten, after: await customerScoresTotals(warehouse) };
  });
}

describe('the predicted CLV in all', () => {
  it('is the same, to the last bit, from the same scores stored in another order (a sum of doubles was not)', async () => {
    const forward = await totals('forward');
    // 10 × (0.1 + 0.2 + 0.3) and 7.3 × 6, as exact decimals (`sum` over the doubles missed them in the last digit)
    // (no --horizon-months other than 12: predicted_clv_horizon is NULL, its total NaN)
    expect(forward).toEqual({ before: { customers: 30, predictedClv: 6, horizonClv: NaN }, rewritten: { btyd: 6, rewritten: 43.8, horizonRewritten: NaN }, after: { customers: 30, predictedClv: 43.8, horizonClv: NaN } });
    expect(await totals('reversed')).toEqual(forward);
    expect(await totals('sorted')).toEqual(forward);
  });

  it('is NaN without order values (a column of NULLs)', async () => {
    await withMemoryWarehouse(async (warehouse) => {
      await warehouse.execute("CREATE TABLE customer_scores AS SELECT 'k1' AS customer_id, CAST(NULL AS DOUBLE) AS predicted_clv_12m, CAST(NULL AS DOUBLE) AS predicted_clv_horizon");
      expect(await customerScoresTotals(warehouse)).toEqual({ customers: 1, predictedClv: Number.NaN, horizonClv: Number.NaN });
    });
  });
});
