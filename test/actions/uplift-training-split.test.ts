/**
 * The uplift learners' training/validation split and the audience's control draw both shuffled the sorted member
 * tokens with the seeded generator: with the same seed (the playbook passes its one --seed to both, default 1) the
 * validation half began with the control group, and with a holdout below ½ the training half had no control customer.
 * A user trial's playbook --budget tried five past campaigns and learnt from none: 'the training half of
 * playbook-2024-05-01-last-offer has 992 treated and 0 control customers'. The split is now made within each group.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

describe('campaign uplift-model splits each group in halves', () => {
  it('on an audience drawn with the same seed: half the treated and half the control customers train, half validate', async () => {
    const db = await noUpliftCampaign();
    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '1', '--json']);
    // it was: the training half of past has 200 treated and 0 control customers, fewer than 5
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.validation).toEqual({ treatment: 140, control: 60 });
    expect(report.train).toEqual({ treatment: 140, control: 60 });
  }, 120_000);
});
