/**
 * `campaign uplift-model` refuses a campaign whose treated or control group has fewer than MIN_UPLIFT_RESPONDERS
 * buyers (or non-buyers) in a half, and printed the counts: "its control group 3 buyers of 52" — a count between 1 and
 * k − 1 (the privacy k-floor, --min-group-size, default 5) that singles out the few customers who bought. Counts below k
 * are now said as "fewer than k", as the rest of clvkit words a suppressed small group; 0 describes nobody and is
 * shown. The playbook budget's reason, which carries the refusal, words it with the run's k, not with the 50 customers
 * a half must hold there.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { trainUpliftModel } from '../../src/actions/train-uplift-model.js';
import { findUpliftTargeting } from '../../src/actions/uplift-targeting.js';
import { UserError } from '../../src/core/errors/user-error.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { createRandom } from '../../src/math/random.js';
import { campaignOf, day, forgetCampaigns, insertCampaigns, population, purchases } from '../helpers/uplift-campaigns.js';

const access = { actor: 'test', role: 'admin' as const };
const SEND = '2024-02-05';

/** The refusal's message and hint (a UserError), or the report's reason when it trains. */
async function refusal(warehouse: Warehouse, k: number): Promise<{ message: string; hint: string | undefined }> {
  try {
    const report = await trainUpliftModel(warehouse, { audience: 'few', from: SEND, to: day(SEND, 29), seed: 1, minGroupSize: k, access });
    return { message: `trained: ${report.reason}`, hint: undefined };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { message: error.message, hint: error.hint };
  }
}

describe('the uplift refusal never prints a count of buyers between 1 and k − 1', () => {
  let warehouse: Warehouse;
  const random = createRandom(11);
  beforeAll(async () => {
    ({ warehouse } = await population(random));
    // 100 customers who bought in 2023 only, and 30 who also bought once in the campaign's window
    const rows: (readonly [string, string])[] = [];
    for (let q = 1; q <= 100; q++) rows.push([`Q${q}`, day('2023-01-01', random.integer(365))]);
    for (let b = 1; b <= 30; b++) rows.push([`B${b}`, day('2023-01-01', random.integer(365))], [`B${b}`, day(SEND, random.integer(30))]);
    await purchases(warehouse, rows, random);
  });
  /** Campaign `few`: every K customer treated; the control group the 100 quiet customers and the first `buyers` B customers. */
  const few = async (buyers: number) => {
    await forgetCampaigns(warehouse);
    await insertCampaigns(warehouse, [
      campaignOf('few', SEND, '2024-06-01 00:00:00', [
        ...Array.from({ length: 240 }, (_, c) => [`K${c + 1}`, 'treatment'] as const),
        ...Array.from({ length: 100 }, (_, q) => [`Q${q + 1}`, 'control'] as const),
        ...Array.from({ length: buyers }, (_, b) => [`B${b + 1}`, 'control'] as const),
      ]),
    ]);
  };

  it('campaign uplift-model (k = 5): a half’s 1–4 control buyers are “fewer than 5”, and the hint stays', async () => {
    await few(6);
    const { message, hint } = await refusal(warehouse, 5);
    expect(message).toMatch(/^the training half of few has too few buyers in the window 2024-02-05 … 2024-03-05 to learn uplift from: its control group fewer than 5 buyers of 53 — fewer than 10 in a group/);
    expect(message).not.toMatch(/ [1-4] buyers/);
    expect(hint).toBe('uplift needs 10 buyers and 10 non-buyers in the treated and the control group of each half: train on a campaign with a larger control group or a longer response window (campaign evaluate counts its buyers)');
    // at k = 2 the same count is shown: it is not below the floor
    expect((await refusal(warehouse, 2)).message).toMatch(/: its control group [2-4] buyers of 53 — /);
  });

  it('playbook --budget (k = 20): the refusal in its reason hides counts below 20, not below the 50 customers a half needs', async () => {
    await few(22);
    const found = await findUpliftTargeting(warehouse, { access, minGroupSize: 20, seed: 1 });
    expect(found.model).toBeNull();
    expect(found.reason).toMatch(/^no past campaign gives an uplift model better than random targeting: few: the (training|validation) half of few has too few buyers in the window 2024-02-05 … 2024-03-05 to learn uplift from: its control group fewer than 20 buyers of 61 — fewer than 10 in a group/);
  });
});
