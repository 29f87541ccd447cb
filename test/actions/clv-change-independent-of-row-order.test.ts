/**
 * A campaign evaluation's change of predicted CLV (now − when the audience was drawn) per group was `avg` and
 * `var_samp` over doubles in the order the engine met the members: the same members stored in another order gave
 * other last digits of the means, the variances and so of the interval and p-value. They are now taken over each
 * group's changes in ascending order — which also keeps changes of a millionth (that sums of 10⁻⁹ steps of the squared
 * deviations would count as 0: a variance of 0 and p = 0) and changes of 10¹⁴ (whose squares a DECIMAL(38, 9) refuses).
 */
import { describe, expect, it } from 'vitest';
import { estimateClvChange } from '../../src/actions/evaluate-campaign.js';
import { estimateUplift, type GroupMoments } from '../../src/actions/estimate-uplift.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { createRandom } from '../../src/math/random.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../helpers/clickhouse.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

type Order = 'forward' | 'reversed' | 'sorted';

/** Audience `spring`: each member's CLV when drawn and now (in the given order), with an analysis up to 2024-06-30. */
async function fill(warehouse: Warehouse, drawn: readonly number[], now: readonly number[], order: Order): Promise<void> {
  const members = drawn.map((clv, i) => `('spring', 'k${i}', '${i < drawn.length / 2 ? 'treatment' : 'control'}', CAST(${clv} AS DOUBLE))`);
  const scores = now.map((clv, i) => `('k${i}', CAST(${clv} AS DOUBLE))`);
  if (order === 'reversed') members.reverse(), scores.reverse();
  if (order === 'sorted') scores.sort((a, b) => a.split(', ')[1]!.localeCompare(b.split(', ')[1]!));
  await warehouse.execute(`INSERT INTO audience_members (audience, customer_id, group_name, predicted_clv_12m) VALUES ${members.join(', ')}`);
  await warehouse.execute(`CREATE TABLE customer_scores AS SELECT * FROM (VALUES ${scores.join(', ')}) t(customer_id, predicted_clv_12m)`);
  await warehouse.execute("CREATE TABLE customer_summary AS SELECT 'k0' AS customer_id, DATE '2024-06-30' AS last_purchase");
}

/** 30 treated and 30 control members drawn at `base`, now at base + step × (1, 2, 3) (treated) and base + step × (0.5, 1, 1.5) (control). */
function shop(base: number, step: number): [number[], number[]] {
  const now = Array.from({ length: 60 }, (_, i) => base + step * (i < 30 ? [1, 2, 3] : [0.5, 1, 1.5])[i % 3]!);
  return [now.map(() => base), now];
}

const change = (order: Order, [drawn, now] = shop(1, 0.1)) =>
  withMemoryWarehouse(async (warehouse) => {
    await fill(warehouse, drawn, now, order);
    return estimateClvChange(warehouse, 'spring', '2024-05-01');
  });

/** The estimate from each group's moments taken in JavaScript over the same doubles. */
function expected([drawn, now]: [number[], number[]]) {
  const half = now.length / 2;
  const moments = (from: number): GroupMoments => {
    const values = now.slice(from, from + half).map((v, i) => v - drawn[from + i]!);
    const mean = values.reduce((a, b) => a + b, 0) / half;
    return { n: half, mean, variance: values.reduce((a, v) => a + (v - mean) ** 2, 0) / (half - 1) };
  };
  return estimateUplift(moments(0), moments(half));
}

describe('the change of predicted CLV in a campaign evaluation', () => {
  it('is the same, to the last bit, from the same members stored in another order (avg and var_samp over doubles were not)', async () => {
    const forward = await change('forward');
    // treated: changes 0.1, 0.2, 0.3 ten times each (mean 0.2, sample variance 20 × 0.1² / 29); control: 0.05, 0.1, 0.15
    const exact = estimateUplift({ n: 30, mean: 0.2, variance: (20 * 0.01) / 29 }, { n: 30, mean: 0.1, variance: (20 * 0.0025) / 29 });
    expect(forward!.treatment).toBeCloseTo(0.2, 12);
    expect(forward!.control).toBeCloseTo(0.1, 12);
    expect(forward!.absoluteUplift).toBeCloseTo(exact.absoluteUplift, 12);
    expect(forward!.pValue).toBeCloseTo(exact.pValue, 9);
    expect(await change('reversed')).toEqual(forward);
    expect(await change('sorted')).toEqual(forward);
  });

  it('keeps changes of a millionth and of a hundred million million (their variances, their p-values)', async () => {
    for (const [base, step] of [
      [1, 1e-5],
      [1e14, 4e13],
    ] as const) {
      const estimate = await change('forward', shop(base, step));
      const reference = expected(shop(base, step));
      expect(estimate!.pValue, `step ${step}`).toBeGreaterThan(0);
      expect(estimate!.pValue).toBeCloseTo(reference.pValue, 9);
      expect(estimate!.absoluteUpliftInterval![0]).toBeCloseTo(reference.absoluteUpliftInterval![0], 6);
      expect(await change('reversed', shop(base, step))).toEqual(estimate);
    }
  });

  it('is unavailable before an analysis of data after the send date', async () => {
    await withMemoryWarehouse(async (warehouse) => {
      await warehouse.execute("INSERT INTO audience_members (audience, customer_id, group_name, predicted_clv_12m) VALUES ('spring', 'k1', 'treatment', 1), ('spring', 'k2', 'control', 1)");
      await warehouse.execute("CREATE TABLE customer_scores AS SELECT 'k1' AS customer_id, 2.0 AS predicted_clv_12m");
      await warehouse.execute("CREATE TABLE customer_summary AS SELECT DATE '2024-04-30' AS last_purchase");
      expect(await estimateClvChange(warehouse, 'spring', '2024-05-01')).toBeNull();
    });
  });
});

/** 200 members with CLVs of every digit (seeded): means whose decimal text ClickHouse 18.16 may read as a neighbouring double. */
function awkward(): [number[], number[]] {
  const random = createRandom(26);
  const drawn = Array.from({ length: 200 }, () => 100 * random.uniform());
  return [drawn, drawn.map((v, i) => v + (i < 100 ? 1.2 : 1) * random.uniform() - 0.5)];
}

describe.skipIf(!CLICKHOUSE_URL)(`the change of predicted CLV on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('clv_change', { fill: (duck) => fill(duck, ...awkward(), 'forward'), copy: ['audience_members', 'customer_scores', 'customer_summary'], threads: 1 });

  it('is what DuckDB gives, to the last bit, from its two shards', async () => {
    const [duck, clickhouse] = [await estimateClvChange(engines.duck, 'spring', '2024-05-01'), await estimateClvChange(engines.clickhouse, 'spring', '2024-05-01')];
    const reference = expected(awkward());
    expect(duck!.absoluteUplift).toBeCloseTo(reference.absoluteUplift, 12);
    expect(duck!.absoluteUpliftInterval![0]).toBeCloseTo(reference.absoluteUpliftInterval![0], 12);
    expect(duck!.pValue).toBeCloseTo(reference.pValue, 9);
    expect(duck!.pValue).toBeGreaterThan(0.001); // a p-value of order 1, where its digits show
    expect(clickhouse).toEqual(duck);
  });
});
