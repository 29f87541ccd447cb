/**
 * The verdict evaluate, compare and the report print ("an effect only where the 95% interval excludes 0 and the test
 * rejects": uplift-verdict.ts) is the one the numbers built on an uplift use too (the session's review): the cost per
 * incremental buyer and the playbook's measured lift took an interval excluding 0 as an effect whatever the p-value —
 * Newcombe's interval for 7 of 34 against 1 of 34 is [+1.9, +34.0] points beside Fisher's p = 0.054.
 */
import { describe, expect, it } from 'vitest';
import { estimateShareUplift, type UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import { costPerIncrementalBuyerOf } from '../../src/actions/evaluate-campaign.js';
import { measuredLift } from '../../src/actions/playbook-measured-lift.js';
import { upliftVerdict } from '../../src/actions/uplift-verdict.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

describe('one verdict on an uplift, for the numbers built on it', () => {
  it('cost per incremental buyer: not estimated where the interval excludes 0 but Fisher does not reject', () => {
    const buyers = estimateShareUplift({ n: 34, count: 7 }, { n: 34, count: 1 });
    expect(buyers.absoluteUpliftInterval[0]).toBeGreaterThan(0);
    expect(buyers.pValue).toBeGreaterThan(0.05);
    expect(upliftVerdict(buyers)).toBe('not shown');
    const cost = costPerIncrementalBuyerOf(buyers, 100);
    expect(cost).toEqual({ unavailable: expect.stringMatching(/^not estimable: the buyers' uplift interval \[\+1\.\d, \+3\d\.\d\] points excludes 0 but Fisher's exact test does not reject equal shares \(p = 0\.05\d?\)/) });
    // an effect both agree on is still priced
    const clear = estimateShareUplift({ n: 300, count: 60 }, { n: 300, count: 20 });
    expect(costPerIncrementalBuyerOf(clear, 100)).toEqual({ value: 100 / clear.incremental });
  });

  it("the playbook's measured lift: an interval excluding 0 with p ≥ 0.05 keeps the assumed lift when it holds it", async () => {
    const warehouse = await memoryWarehouse(1);
    try {
      const revenue: UpliftEstimate = { treatment: 12, control: 8, absoluteUplift: 4, absoluteUpliftInterval: [0.3, 9], relativeUplift: 0.5, relativeUpliftInterval: [0.04, 1.4], pValue: 0.08, test: 'permutation', incremental: 400, incrementalInterval: [30, 900] };
      const result = { audience: 'fall', window: { from: '2024-01-01', to: '2024-01-31', days: 31 }, purchases: { ...revenue }, revenue };
      await warehouse.execute(`INSERT INTO audiences (name, created_at, send_date, where_expr, play, holdout, seed, assignment, members, treatment, control) VALUES ('fall', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', 'orders >= 1', 'winback', 0.1, 1, 'x', 100, 90, 10)`);
      await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ('fall', TIMESTAMP '2024-02-01', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-31', '${JSON.stringify(result)}')`);
      // assumed +20%: inside [+4%, +140%], and 0 is not told from the lift by the test — the assumption stays
      const kept = await measuredLift(warehouse, 'winback', 0.2, null);
      expect(kept).toEqual({ lift: 0.2, source: 'playbook (measured: fall 2024-01-01…2024-01-31 +50.0% [+4.0%, +140.0%] holds the assumed +20.0%, and its test does not reject 0 (p = 0.080): too uncertain to replace it)' });
      // assumed +200%: outside the interval, which tells that much — the measured lift replaces it
      expect(await measuredLift(warehouse, 'winback', 2, null)).toEqual({ lift: 0.5, source: 'measured: fall 2024-01-01…2024-01-31' });
    } finally {
      await warehouse.close();
    }
  });
});
