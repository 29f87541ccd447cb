/**
 * A QA pass: the ROI interval of the one channel '(unknown)', which holds every member of the audience, differed from
 * the campaign's own ([−82.8, 79.3] against [−74.0, 78.9]). The channel resampled the margins alone, of the customers
 * with a nonzero margin, sorted by margin; the campaign resamples purchases, revenue and margin together, of the
 * customers with any of them nonzero, sorted by all three — the same seed, other draws. The channels now resample as
 * the campaign does, so one channel holding every member gives the campaign's interval exactly.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

describe("a campaign's only acquisition channel", () => {
  it("has the campaign's ROI and incremental margin intervals, to the bit", async () => {
    const db = await noUpliftCampaign();
    // second and third purchases of small amounts, and a free one (margin 0): purchases no longer rank buyers as margins do
    const extra = ['order_id,customer_id,date,amount,cost'];
    for (let c = 1; c <= 400; c += 3) extra.push(`X${c},K${c},2024-01-${String(1 + (c % 28)).padStart(2, '0')},${(1 + (c % 7)).toFixed(2)},${c % 9 === 0 ? (1 + (c % 7)).toFixed(2) : ''}`);
    for (let c = 2; c <= 400; c += 11) extra.push(`Y${c},K${c},2024-01-20,3.00,`);
    writeFileSync(join(dirname(db), 'extra.csv'), extra.join('\n') + '\n');
    expect((await cli(['ingest', join(dirname(db), 'extra.csv'), '--db', db])).code).toBe(0);
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--cost-per-contact', '0.5', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const e = JSON.parse(evaluated.stdout);
    const compared = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(compared.code, compared.stderr).toBe(0);
    const [campaign] = JSON.parse(compared.stdout).campaigns;
    expect(campaign.channels).toHaveLength(1);
    const [channel] = campaign.channels;
    expect(channel.channel).toBe('(unknown)');
    expect(channel.groups).toEqual(e.groups);
    expect(channel.incrementalMargin).toBe(e.margin.incremental);
    expect(channel.incrementalMarginInterval).toEqual(e.margin.incrementalInterval);
    expect(channel.roiInterval).toEqual(e.roiInterval);
  }, 120_000);
});
