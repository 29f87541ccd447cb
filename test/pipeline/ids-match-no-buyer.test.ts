/**
 * Profiles (and event files) whose customer ids are written unlike the transactions' (17850.0 for 17850 — the Online Retail export's
 * CustomerID —, leading zeros, a prefix) match no buyer: every profile became a prospect and no buyer got a profile,
 * with nothing said but the prospects' base-rate notes (a new user's trial: 450 profiles of 300 buyers, 0 matched).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventIdsMatchNoBuyerWarning, profilesMatchNoBuyerWarning } from '../../src/pipeline/stages/ids-match-no-buyer.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** orders.csv in `dir`: 60 customers (ids 17801–17860) with 3 purchases each in 2023, at `time` after the date. */
function writeOrders(dir: string, time: string): void {
  const orders = ['customer_id,date,amount'];
  for (let c = 1; c <= 60; c++) for (let k = 0; k < 3; k++) orders.push(`${17800 + c},2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-${String(1 + (c % 27)).padStart(2, '0')}${time},${10 + ((c + k) % 25)}.50`);
  writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');
}

describe('a profile file whose customer ids match no buyer', () => {
  useFixedKey(11);

  it('the words: how many profiles and buyers, and what to look at', () => {
    expect(profilesMatchNoBuyerWarning({ profiles: 450, buyers: 300 })).toBe(
      'none of the 450 customer profiles has the customer id of one of the 300 customers who bought: every profile counts as a prospect and no buyer has a profile (sign-up date, channel, region); if the profiles include buyers too, do the profile and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)? (a list of prospects alone is as it should be)',
    );
  });

  it('analyze warns when none matches (17850.0 against 17850), not when the ids agree', async () => {
    const dir = scratchDir();
    writeOrders(dir, '');
    const profiles = (suffix: string) => ['customer_id,signup_date,acquisition_channel', ...Array.from({ length: 80 }, (_, i) => `${17801 + i}${suffix},2022-12-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 ? 'organic' : 'paid'}`)].join('\n') + '\n';
    writeFileSync(join(dir, 'profiles-float.csv'), profiles('.0'));
    writeFileSync(join(dir, 'profiles.csv'), profiles(''));
    const run = async (file: string) => {
      const result = await cli(['analyze', join(dir, 'orders.csv'), '--customers', join(dir, file), '--quiet', '--skip-report', '--skip-patterns', '--no-churn', '--json', '--out', join(dir, `out-${file}`)]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout).warnings as string[]).filter((w) => w.includes('customer profiles has the customer id'));
    };
    expect(await run('profiles-float.csv')).toEqual([profilesMatchNoBuyerWarning({ profiles: 80, buyers: 60 })]);
    expect(await run('profiles.csv')).toEqual([]);
  }, 120_000);

  // the same in an event file: 0 impulsive / 0 deliberate buyers, nothing stitched to a purchase, without a word
  it('an event file whose logged-in ids match no buyer: warned, not when they agree', async () => {
    expect(eventIdsMatchNoBuyerWarning({ ids: 70, buyers: 60 })).toBe(
      'none of the 70 customer ids of the events (their logins) is one of the 60 customers who bought: no session leads to a purchase and every one of them counts as a prospect; if the logged-in visitors include buyers too, do the event and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)? (a list of prospects alone is as it should be)',
    );
    const dir = scratchDir();
    writeOrders(dir, ' 12:00:00');
    const events = (suffix: string) => ['session_id,customer_id,anonymous_id,ts,type,product_id', ...Array.from({ length: 70 }, (_, i) => [`S${i},${17801 + i}${suffix},a${i},2023-03-${String(1 + (i % 27)).padStart(2, '0')}T11:00:00,login,`, `S${i},,a${i},2023-03-${String(1 + (i % 27)).padStart(2, '0')}T11:05:00,view,P${i % 9}`]).flat()].join('\n') + '\n';
    writeFileSync(join(dir, 'events-float.csv'), events('.0'));
    writeFileSync(join(dir, 'events.csv'), events(''));
    const run = async (file: string) => {
      const result = await cli(['analyze', join(dir, 'orders.csv'), '--events', join(dir, file), '--quiet', '--skip-report', '--skip-patterns', '--no-churn', '--json', '--out', join(dir, `out-${file}`)]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout).warnings as string[]).filter((w) => w.includes('customer ids of the events'));
    };
    expect(await run('events-float.csv')).toEqual([eventIdsMatchNoBuyerWarning({ ids: 70, buyers: 60 })]);
    expect(await run('events.csv')).toEqual([]);
  }, 120_000);
});
