/**
 * A campaign's revenue and margin per customer over its window (the evaluation's permutation test and bootstrap), the
 * members' historic value and the channels' CLV and acquisition cost (CLV:CAC) were sums of doubles in the order the
 * engine met the lines and members: the same lines stored in another order gave other last digits. They are now
 * exact sums (`orderFreeSum`).
 */
import { describe, expect, it } from 'vitest';
import { campaignChannelKpis } from '../../src/actions/campaign-channels.js';
import { responseValues, type CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

type Order = 'forward' | 'reversed' | 'sorted';

/**
 * Audience `spring` (sent 2024-03-01, window March): 12 members, half treated, each with three lines of 0.1, 0.2 and 0.3
 * (cost 0.01 on the second) in 2023 and the same in the window; acquisition costs 0.1, 0.2, 0.3 by member.
 */
async function campaign(order: Order) {
  const lines: string[] = [];
  const members: string[] = [];
  const profiles: string[] = [];
  let n = 0;
  for (let c = 0; c < 12; c++) {
    members.push(`('spring', 'k${c}', '${c % 2 ? 'control' : 'treatment'}', ${[0.1, 0.2, 0.3][c % 3]}::DOUBLE)`);
    profiles.push(`('k${c}', 'ads', ${[0.1, 0.2, 0.3][c % 3]}::DOUBLE, 1, ${c + 1})`);
    for (const day of ['2023-06-01', '2024-03-10'])
      for (const [i, amount] of [0.1, 0.2, 0.3].entries()) {
        n++;
        lines.push(`('o${n}', 'k${c}', TIMESTAMP '${day} 1${i}:00:00', ${amount}::DOUBLE, ${i === 1 ? '0.01::DOUBLE' : 'NULL'}, false, false, 1, 's', ${n}, 'h${n}')`);
      }
  }
  if (order === 'reversed') lines.reverse(), members.reverse(), profiles.reverse();
  if (order === 'sorted') lines.sort((a, b) => a.split(', ')[3]!.localeCompare(b.split(', ')[3]!));
  return withMemoryWarehouse(async (warehouse) => {
    await warehouse.execute(`INSERT INTO transactions (order_id, customer_id, ts, amount, cost, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${lines.join(', ')}`);
    await warehouse.execute(`INSERT INTO audience_members (audience, customer_id, group_name, predicted_clv_12m) VALUES ${members.join(', ')}`);
    await warehouse.execute(`INSERT INTO customers (customer_id, acquisition_channel, acquisition_cost, ingest_id, write_seq) VALUES ${profiles.join(', ')}`);
    const active = await responseValues(warehouse, "'spring'", "TIMESTAMP '2024-03-01 00:00:00'", "TIMESTAMP '2024-04-01 00:00:00'", 0.5);
    const evaluation = { audience: 'spring', sendDate: '2024-03-01', window: { from: '2024-03-01', to: '2024-03-31', days: 31 }, marginShare: 0.5, cost: null, revenue: {} } as unknown as CampaignEvaluation;
    const channels = await campaignChannelKpis(warehouse, evaluation, 1);
    // each group's values in a fixed order (the estimates sort them; the order of the rows is not what is compared)
    const sorted = (groups: Record<'treatment' | 'control', Float64Array[]>) => Object.fromEntries(Object.entries(groups).map(([g, columns]) => [g, columns.map((c) => [...c].sort((x, y) => x - y))]));
    return { active: sorted(active), clv: channels.clv, acquisitionCost: channels.acquisitionCost, channel: channels.channels[0]!.clv };
  });
}

describe('a campaign’s sums', () => {
  it('are the same, to the last bit, from the same lines and members stored in another order (sums of doubles were not)', async () => {
    const forward = await campaign('forward');
    // revenue 0.1 + 0.2 + 0.3 per member; margin 0.05 + (0.2 − 0.01) + 0.15; historic value 0.6 − 0.01 (+ the CLV drawn)
    expect(forward.active.treatment![1]).toEqual(Array(6).fill(0.6));
    expect(forward.active.treatment![2]).toEqual(Array(6).fill(0.39));
    expect(forward.acquisitionCost).toBeCloseTo(0.2, 12);
    expect(forward.clv).toBeCloseTo(0.59 + 0.2, 12);
    expect(await campaign('reversed')).toEqual(forward);
    expect(await campaign('sorted')).toEqual(forward);
  });
});
