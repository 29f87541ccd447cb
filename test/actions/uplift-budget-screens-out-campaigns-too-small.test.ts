/**
 * playbook --budget tries up to five past evaluated campaigns for an uplift model (`findUpliftTargeting`). A campaign
 * whose treated or control group cannot give each half MIN_UPLIFT_RESPONDERS buyers and non-buyers (or
 * MIN_UPLIFT_TRAINING_GROUP customers) can never give a model: training refuses it. It was not counted in Holm's
 * family, but it took one of the five places, so a newer campaign too small to learn from pushed out an older one
 * that could have been tested. Such campaigns are now screened out from their counts before the five are chosen (no
 * training), and the plan's note counts and names them, in words that print no count below the k-floor.
 */
import { describe, expect, it } from 'vitest';
import { MIN_UPLIFT_RESPONDERS } from '../../src/actions/train-uplift-model.js';
import { findUpliftTargeting, MIN_UPLIFT_TRAINING_GROUP, tooSmallToLearnFrom } from '../../src/actions/uplift-targeting.js';
import { createRandom } from '../../src/math/random.js';
import { campaignOf, campaignRows, day, insertCampaigns, population, purchases, sendDate } from '../helpers/uplift-campaigns.js';

const access = { actor: 'test', role: 'admin' as const };

describe('the uplift search screens out campaigns too small to learn from before it picks the five to test', () => {
  it('two newer campaigns too small (a control group without buyers, groups of 20) leave all five that can be tested in, and the note names them', async () => {
    const random = createRandom(5);
    const { warehouse } = await population(random);
    try {
      // 150 customers with a 2023 history and nothing in 2024: a control group of them has no buyer in any window
      await purchases(warehouse, Array.from({ length: 150 }, (_, q) => [`Q${q + 1}`, day('2023-01-01', random.integer(365))] as const), random);
      const testable = Array.from({ length: 5 }, (_, i) => campaignRows(`c${i}`, sendDate(i), `2024-06-01 00:00:0${i}`, random));
      const tiny = campaignOf('tiny', sendDate(5), '2024-06-01 00:00:06', Array.from({ length: 40 }, (_, c) => [`K${c + 1}`, c % 2 === 0 ? 'treatment' : 'control'] as const));
      const quiet = campaignOf('quiet', sendDate(6), '2024-06-01 00:00:07', [
        ...Array.from({ length: 240 }, (_, c) => [`K${c + 1}`, 'treatment'] as const),
        ...Array.from({ length: 150 }, (_, q) => [`Q${q + 1}`, 'control'] as const),
      ]);
      await insertCampaigns(warehouse, [...testable, tiny, quiet]);

      const found = await findUpliftTargeting(warehouse, { access, minGroupSize: 5, seed: 1 });
      expect(found.model).toBeNull();
      // the five that can be tested were tested, newest first, and Holm's family is those five
      const tried = [...found.reason.matchAll(/(?:: |; )(c\d|tiny|quiet): /g)].map((m) => m[1]);
      expect(tried).toEqual(['c4', 'c3', 'c2', 'c1', 'c0']);
      expect(found.reason).toContain('Holm-adjusted over the 5 past campaigns tested');
      expect(found.reason).toMatch(
        /; 2 past campaigns too small to learn from: quiet \(its control group has fewer than 20 buyers in 2024-02-12 … 2024-03-12\), tiny \(its control group has fewer than 100 customers, its treatment group has fewer than 100 customers\) — an uplift model needs 10 buyers, 10 non-buyers and 50 customers in the treated and the control group of each half$/,
      );
    } finally {
      await warehouse.close();
    }
  }, 60_000);

  it('the screen is exact at its edges: a group of 100 with 20 buyers and 20 non-buyers may qualify, one fewer of any cannot', () => {
    const rule = { minGroupSize: MIN_UPLIFT_TRAINING_GROUP, minResponders: MIN_UPLIFT_RESPONDERS };
    const group = (members: number, buyers: number) => ({ members, buyers });
    const fine = { control: group(100, 20), treatment: group(100, 80) };
    expect(tooSmallToLearnFrom(fine, rule)).toBeNull();
    expect(tooSmallToLearnFrom({ ...fine, control: group(99, 20) }, rule)).toBe('its control group has fewer than 100 customers');
    expect(tooSmallToLearnFrom({ ...fine, control: group(100, 19) }, rule)).toBe('its control group has fewer than 20 buyers');
    expect(tooSmallToLearnFrom({ ...fine, treatment: group(100, 81) }, rule)).toBe('its treatment group has fewer than 20 non-buyers');
    expect(tooSmallToLearnFrom({ control: group(0, 0), treatment: group(300, 3) }, rule)).toBe('its control group has fewer than 100 customers, its treatment group has fewer than 20 buyers');
  });
});
