/**
 * A campaign evaluation's change of predicted CLV (now − when the audience was drawn) per group was `avg` and
 * `var_samp` over doubles in the order the engine met the members: the same members stored in another order gave
 * other last digits of the means, the variances and so of the interval and p-value. They now come from exact sums.
 */
import { describe, expect, it } from 'vitest';
import { estimateClvChange } from '../../src/actions/evaluate-campaign.js';
import { estimateUplift } from '../../src/actions/estimate-uplift.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../helpers/clickhouse.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

/** The members of audience `spring` (order as given) and their scores now, with an analysis up to 2024-06-30. */
async function fill(warehouse: Warehouse, members: readonly string[], scores: readonly string[]): Promise<void> {
  await warehouse.execute(`INSERT INTO audience_members (audience, customer_id, group_name, predicted_clv_12m) VALUES ${members.join(', ')}`);
  await warehouse.execute(`CREATE TABLE customer_scores AS SELECT * FROM (VALUES ${scores.join(', ')}) t(customer_id, predicted_clv_12m)`);
  await warehouse.execute("CREATE TABLE customer_summary AS SELECT 'k0' AS customer_id, DATE '2024-06-30' AS last_purchase");
}

/** 30 treated and 30 control members, drawn at a CLV of 1, scored now at 1.1, 1.2, 1.3 (treated) and 1.05, 1.1, 1.15 (control). */
function rows(order: 'forward' | 'reversed' | 'sorted'): [string[], string[]] {
  const members: string[] = [];
  const scores: string[] = [];
  for (let i = 0; i < 60; i++) {
    const treated = i < 30;
    members.push(`('spring', 'k${i}', '${treated ? 'treatment' : 'control'}', 1::DOUBLE)`);
    scores.push(`('k${i}', ${(treated ? [1.1, 1.2, 1.3] : [1.05, 1.1, 1.15])[i % 3]}::DOUBLE)`);
  }
  if (order === 'reversed') members.reverse(), scores.reverse();
  if (order === 'sorted') scores.sort((a, b) => a.split(', ')[1]!.localeCompare(b.split(', ')[1]!));
  return [members, scores];
}

async function change(order: 'forward' | 'reversed' | 'sorted') {
  return withMemoryWarehouse(async (warehouse) => {
    await fill(warehouse, ...rows(order));
    return estimateClvChange(warehouse, 'spring', '2024-05-01');
  });
}

describe('the change of predicted CLV in a campaign evaluation', () => {
  it('is the same, to the last bit, from the same members stored in another order (avg and var_samp over doubles were not)', async () => {
    const forward = await change('forward');
    // treated: changes 0.1, 0.2, 0.3 ten times each (mean 0.2, sample variance 20 × 0.1² / 29); control: 0.05, 0.1, 0.15 (0.1, 20 × 0.05² / 29)
    const expected = estimateUplift({ n: 30, mean: 0.2, variance: (20 * 0.01) / 29 }, { n: 30, mean: 0.1, variance: (20 * 0.0025) / 29 });
    expect(forward!.treatment).toBeCloseTo(0.2, 12);
    expect(forward!.control).toBeCloseTo(0.1, 12);
    expect(forward!.absoluteUplift).toBeCloseTo(expected.absoluteUplift, 12);
    expect(forward!.pValue).toBeCloseTo(expected.pValue, 9);
    expect(await change('reversed')).toEqual(forward);
    expect(await change('sorted')).toEqual(forward);
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

describe.skipIf(!CLICKHOUSE_URL)(`the change of predicted CLV on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const engines = useTwoEngines('clv_change', { fill: (duck) => fill(duck, ...rows('forward')), copy: ['audience_members', 'customer_scores', 'customer_summary'], threads: 1 });

  it('is what DuckDB gives (its exact sums are ClickHouse’s nano-unit sums)', async () => {
    const [duck, clickhouse] = [await estimateClvChange(engines.duck, 'spring', '2024-05-01'), await estimateClvChange(engines.clickhouse, 'spring', '2024-05-01')];
    expect(duck).not.toBeNull();
    expect(clickhouse).toEqual(duck);
  });
});
