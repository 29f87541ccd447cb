/**
 * Data engineer's trial (session 42, D12): `campaign evaluate --json` did not say when the evaluation was made, which
 * `campaign compare` gives as `evaluatedAt`. It is the instant stored with the evaluation (UTC), the same compare then
 * shows; null with --no-store, which stores none.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

describe('campaign evaluate --json: evaluatedAt', () => {
  it('is the instant stored with the evaluation, as campaign compare gives it; null when not stored', async () => {
    const db = await noUpliftCampaign();
    const before = Date.now();
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--cost-per-contact', '0.5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const evaluation = JSON.parse(run.stdout) as { evaluatedAt: string | null };
    expect(evaluation.evaluatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(evaluation.evaluatedAt!)).toBeGreaterThanOrEqual(before);
    const compared = JSON.parse((await cli(['campaign', 'compare', '--db', db, '--json'])).stdout) as { campaigns: { audience: string; evaluatedAt: string }[] };
    expect(compared.campaigns.find((c) => c.audience === 'past')!.evaluatedAt).toBe(evaluation.evaluatedAt);

    const read = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--no-store', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toHaveProperty('evaluatedAt', null);
  }, 120_000);
});
