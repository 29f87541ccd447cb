/**
 * `campaign uplift-model` reads every member's group and purchases from `--db`, and left no entry in the audit log
 * (a QA pass: 34 entries before, 34 after), while every other `--db` read is audited (campaign evaluate, compare,
 * audience list and show, segments, customer). It now records one, as campaign evaluate does.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

describe('campaign uplift-model is audited', () => {
  it('adds one audit entry naming the command, the audience, the window and the members read', async () => {
    const db = await noUpliftCampaign();
    const audit = async () => JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; target: string | null; rowCounts: Record<string, number>; details: Record<string, unknown> }[];
    const before = await audit();
    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const after = await audit();
    expect(after.length).toBe(before.length + 1);
    const added = after.find((e) => e.details.command === 'campaign uplift-model');
    expect(added).toMatchObject({ action: 'analyze', target: 'audience:past', rowCounts: { treatment: 280, control: 120 }, details: { command: 'campaign uplift-model', from: '2024-01-01', to: '2024-01-31', outcome: 'buyers' } });
  }, 120_000);
});
