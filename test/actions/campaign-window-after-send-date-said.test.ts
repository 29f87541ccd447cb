import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

// A user trial (session 40): `campaign evaluate --from 2011-09-15 --to 2011-09-30` of an audience sent on 2011-09-01
// printed "2011-09-15 … 2011-09-30 (16 days from the send date 2011-09-01)", which reads as the first 16 days after the
// send: the window starts 14 days after it, and the header now says so.
describe('campaign evaluate’s header', () => {
  it('says how long after the send date a later window starts', async () => {
    const db = await noUpliftCampaign();
    const later = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-15', '--to', '2024-01-31', '--no-store']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout.split('\n')[0]).toMatch(/^campaign past: 2024-01-15 … 2024-01-31 \(17 days, starting 14 days after the send date 2024-01-01\); \d+ treated, \d+ control$/);
    const fromSend = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--no-store']);
    expect(fromSend.stdout.split('\n')[0]).toMatch(/^campaign past: 2024-01-01 … 2024-01-31 \(31 days from the send date 2024-01-01\); \d+ treated, \d+ control$/);
    const oneDayLater = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-02', '--to', '2024-01-31', '--no-store']);
    expect(oneDayLater.stdout.split('\n')[0]).toMatch(/^campaign past: 2024-01-02 … 2024-01-31 \(30 days, starting 1 day after the send date 2024-01-01\); /);
  }, 240_000);
});

// The same trial: a window after the data said "(hint: ingest the transactions of the response window first: clvkit
// ingest <file> --db PATH)", where the other hints name the warehouse evaluated.
describe('campaign evaluate of a window after the data', () => {
  it('names the warehouse in its hint', async () => {
    const db = await noUpliftCampaign();
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-03-01', '--to', '2024-03-31']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`clvkit: error: no transactions between 2024-03-01 and 2024-03-31: the campaign has no transactions after it (the data ends on 2024-01-31) (hint: ingest the transactions of the response window first: clvkit ingest <file> --db ${db})\n`);
  }, 240_000);
});
