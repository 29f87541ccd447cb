/**
 * Profiles whose customer ids are written unlike the transactions' (17850.0 for 17850 — the Online Retail export's
 * CustomerID —, leading zeros, a prefix) match no buyer: every profile became a prospect and no buyer got a profile,
 * with nothing said but the prospects' base-rate notes (a new user's trial: 450 profiles of 300 buyers, 0 matched).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profilesMatchNoBuyerWarning } from '../../src/pipeline/stages/profiles-match-no-buyer.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('a profile file whose customer ids match no buyer', () => {
  useFixedKey(11);

  it('the words: how many profiles and buyers, and what to look at', () => {
    expect(profilesMatchNoBuyerWarning({ profiles: 450, buyers: 300 })).toBe(
      'none of the 450 customer profiles has the customer id of one of the 300 customers who bought: every profile counts as a prospect and no buyer has a profile (sign-up date, channel, region); do the profile and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)?',
    );
  });

  it('analyze warns when none matches (17850.0 against 17850), not when the ids agree', async () => {
    const dir = scratchDir();
    const orders = ['customer_id,date,amount'];
    for (let c = 1; c <= 60; c++) for (let k = 0; k < 3; k++) orders.push(`${17800 + c},2023-${String(1 + ((c + 4 * k) % 12)).padStart(2, '0')}-${String(1 + (c % 27)).padStart(2, '0')},${10 + ((c + k) % 25)}.50`);
    writeFileSync(join(dir, 'orders.csv'), orders.join('\n') + '\n');
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
});
