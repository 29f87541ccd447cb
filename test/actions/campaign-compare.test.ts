import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { createRandom } from '../../src/math/random.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * Several campaigns compared, with CLV:CAC and ROI by acquisition channel
 * (issue 17, item 3): customer profiles name each customer's channel and
 * acquisition cost; the first campaign works on the `search` customers only
 * (+100% purchases), the second on nobody.
 *
 * The warehouse key is fixed: tokens decide the seeded control split, and a
 * fresh random key per run made the split — and so the intervals asserted
 * below — differ from run to run (a CI run drew a split where search's
 * interval reached below zero). With no effect, a 95% interval still
 * excludes zero in one split of twenty: the key filled with 41 gives such a
 * split for social, 42 does not.
 */
const CUSTOMERS = 1500;
const CHANNELS = ['search', 'social', 'referral'] as const;
const CAC: Record<string, number> = { search: 10, social: 20, referral: 40, tiny: 5 };
const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
const channelOf = (c: number) => (c <= 3 ? 'tiny' : CHANNELS[c % 3]!);

describe('campaign compare', () => {
  it('puts the campaigns side by side with CLV:CAC, and ROI and CLV:CAC by acquisition channel (small channels withheld); run.json and the report carry them', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    const random = createRandom(41);
    const spend = new Map<string, number>();
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= CUSTOMERS; c++) {
      const n = 1 + random.integer(5);
      for (let k = 0; k < n; k++) {
        const amount = Math.round(100 * (10 + 40 * random.uniform())) / 100;
        spend.set(`K${c}`, (spend.get(`K${c}`) ?? 0) + amount);
        history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${amount.toFixed(2)}`);
      }
    }
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    const profiles = ['customer_id,signup_date,acquisition_channel,acquisition_cost'];
    for (let c = 1; c <= CUSTOMERS; c++) profiles.push(`K${c},2022-12-01,${channelOf(c)},${CAC[channelOf(c)]}`);
    writeFileSync(join(dir, 'customers.csv'), profiles.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    const profiled = await cli(['ingest', join(dir, 'customers.csv'), '--db', db, '--kind', 'customers']);
    expect(profiled.code, profiled.stderr).toBe(0);

    // scored before the first draw without the regularity check: audience create would score the warehouse itself, and
    // on this history (1–5 orders each, uniformly: every customer at one steady rate) that runs MBG/CNBD-k, which the
    // value model beats here — the same scores, 10 s later
    const scored = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
    expect(scored.code, scored.stderr).toBe(0);

    const empty = await cli(['campaign', 'compare', '--db', db]);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('no evaluated campaign to compare: run clvkit campaign evaluate first\n');

    const draw = async (name: string, seed: string) => {
      const run = await cli(['audience', 'create', '--db', db, '--name', name, '--where', 'orders >= 1', '--holdout', '0.3', '--seed', seed, '--role', 'admin', '--reveal-ids', '--out', join(dir, `${name}.csv`)]);
      expect(run.code, run.stderr).toBe(0);
      return readFileSync(join(dir, `${name}.csv`), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map(([token, group, id]) => ({ token: token!, group: group!, id: id! }));
    };
    const respond = (file: string, members: { group: string; id: string }[], start: string, lift: (id: string) => number) => {
      const lines = ['customer_id,date,amount'];
      for (const m of members) {
        const n = random.poisson(0.5 * (m.group === 'treatment' ? 1 + lift(m.id) : 1));
        for (let k = 0; k < n; k++) lines.push(`${m.id},${day(start, random.integer(28))},${(10 + 40 * random.uniform()).toFixed(2)}`);
      }
      writeFileSync(join(dir, file), lines.join('\n') + '\n');
      return join(dir, file);
    };
    const spring = await draw('spring', '3');
    expect((await cli(['ingest', respond('feb.csv', spring, '2024-01-01', (id) => (channelOf(Number(id.slice(1))) === 'search' ? 1 : 0)), '--db', db])).code).toBe(0);
    expect((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'spring', '--from', '2024-01-01', '--to', '2024-01-28', '--cost-per-contact', '0.5', '--margin', '0.4'])).code).toBe(0);
    const summer = await draw('summer', '4');
    expect((await cli(['ingest', respond('jul.csv', summer, '2024-03-01', () => 0), '--db', db])).code).toBe(0);
    expect((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'summer', '--from', '2024-03-01', '--to', '2024-03-28', '--cost-per-contact', '0.5'])).code).toBe(0);

    const run = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const compared = JSON.parse(run.stdout);
    expect(compared.campaigns.map((c: { audience: string }) => c.audience)).toEqual(['spring', 'summer']);
    const first = compared.campaigns[0];
    expect(first.channels.map((c: { channel: string }) => c.channel)).toEqual(['referral', 'search', 'social', 'tiny']);
    const byName = Object.fromEntries(first.channels.map((c: { channel: string }) => [c.channel, c]));
    // three customers: withheld below the k-floor, name only
    expect(byName.tiny).toMatchObject({ withheld: true, groups: { treatment: 0, control: 0 }, roi: null, clvToCac: null });
    // group sizes add up to the audience, by channel
    for (const channel of CHANNELS) {
      const members = spring.filter((m) => channelOf(Number(m.id.slice(1))) === channel);
      expect(byName[channel].groups).toEqual({ treatment: members.filter((m) => m.group === 'treatment').length, control: members.filter((m) => m.group === 'control').length });
      expect(byName[channel].acquisitionCost).toBe(CAC[channel]);
      expect(byName[channel].clvToCac).toBeCloseTo(byName[channel].clv / CAC[channel]!, 12);
      expect(byName[channel].cost).toBeCloseTo(0.5 * byName[channel].groups.treatment, 9);
      expect(byName[channel].roi).toBeCloseTo((byName[channel].incrementalMargin - byName[channel].cost) / byName[channel].cost, 9);
    }
    // CLV by hand for search: historic spend to the send date + the predicted CLV stored when the audience was drawn
    const warehouse = await openDuckDbWarehouse(db);
    const stored = new Map((await warehouse.query("SELECT customer_id, predicted_clv_12m FROM audience_members WHERE audience = 'spring'")).map((r) => [String(r.customer_id), Number(r.predicted_clv_12m)]));
    await warehouse.close();
    const search = spring.filter((m) => channelOf(Number(m.id.slice(1))) === 'search');
    const clv = search.reduce((a, m) => a + spend.get(m.id)! + stored.get(m.token)!, 0) / search.length;
    expect(byName.search.clv).toBeCloseTo(clv, 6);
    // the planted effect: search gains margin with its interval above zero; social does not show one
    expect(byName.search.incrementalMarginInterval[0]).toBeGreaterThan(0);
    expect(byName.social.incrementalMarginInterval[0]).toBeLessThan(0);
    expect(byName.social.incrementalMarginInterval[1]).toBeGreaterThan(0);
    // overall CLV:CAC of the audience: mean CLV over mean CAC of all members
    const cac = spring.reduce((a, m) => a + CAC[channelOf(Number(m.id.slice(1)))]!, 0) / spring.length;
    const allClv = spring.reduce((a, m) => a + spend.get(m.id)! + stored.get(m.token)!, 0) / spring.length;
    expect(first.clvToCac).toBeCloseTo(allClv / cac, 6);

    const human = await cli(['campaign', 'compare', '--db', db]);
    expect(human.stdout).toMatch(/^spring\s+2024-01-01 … 2024-01-28 \(28 days\)\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d+\/\d+/m);
    expect(human.stdout).toMatch(/^spring by acquisition channel:/m);
    expect(human.stdout).toMatch(/^ {2}tiny\s+withheld: a group below the minimum group size$/m);

    // the next analysis carries the channels into run.json and the report
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-patterns', '--no-regularity-check', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const published = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).campaigns.campaigns;
    expect(published[0].channels).toEqual(first.channels);
    expect(published[0].clvToCac).toBeCloseTo(first.clvToCac, 12);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('ROI and CLV:CAC by acquisition channel');
  }, 240_000);
});
