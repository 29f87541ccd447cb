/**
 * The transactions of a synthetic shop are byte-identical whatever its sign-up and browsing options: the demo-sized
 * figures and golden tests built on synthetic orders depend on them. The hashes were taken from main at b3c8a006,
 * before sign-ups moved ahead of the first purchase and browsing grew anonymous sessions, second devices and visitors
 * who never identify (`node dist/cli/main.js synth --customers 600 --seed 21`); transactions.csv's again in session 43,
 * when orders came to be priced at their Gamma-Gamma draws (unit prices scaled per order; same lines and quantities).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import type { ShopOptions } from '../../src/synth/shop-options.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv } from './shop-test-helpers.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const BEFORE = {
  'transactions.csv': '50f9a218f2193ba095d17e7bd6f8f3a9d693c16c58b4e578489b83fb47793d92',
  'products.csv': 'f4f618d1d38b87967e7455ff83a2aaeaceea674e9a585f0445a53b9d7ac36537',
  'truth-customers.csv': 'c2b03d5356fc6c9156bed5ec9bb03ce6dc30324684049039a430f9a334840c19',
};

async function shop(options: Partial<ShopOptions>): Promise<string> {
  const dir = scratchDir('clvkit-synth-');
  await generateShop({ outDir: dir, customers: 600, seed: 21, ...options });
  return dir;
}

describe('sign-up and browsing options leave the purchases as they were', () => {
  it('writes the transactions, products and buyer truth of before, byte for byte, with any sign-up and browsing options', async () => {
    const variants: Partial<ShopOptions>[] = [
      {},
      { events: false },
      { signupAtCheckoutShare: 1, signupLeadDays: 3, prospectShare: 0 },
      { signupAtCheckoutShare: 0, signupLeadDays: 200, prospectShare: 2, visitsBeforeSignup: 5, loggedOutShare: 1, multiDeviceShare: 1, anonymousVisitors: 3, browseRate: 10, browseRatio: 0.5 },
    ];
    for (const options of variants) {
      const dir = await shop(options);
      for (const [file, hash] of Object.entries(BEFORE)) expect(sha256(join(dir, file)), `${file} with ${JSON.stringify(options)}`).toBe(hash);
    }
  });

  it('changes customers.csv by the sign-up options only, and then only its sign-up dates', async () => {
    const base = await shop({});
    const browsing = await shop({ visitsBeforeSignup: 4, loggedOutShare: 0.9, multiDeviceShare: 0.9, anonymousVisitors: 2, browseRate: 5, browseRatio: 1 });
    expect(sha256(join(browsing, 'customers.csv'))).toBe(sha256(join(base, 'customers.csv')));
    const signups = await shop({ signupAtCheckoutShare: 0.9, signupLeadDays: 90 });
    const a = readCsv(join(base, 'customers.csv'));
    const b = readCsv(join(signups, 'customers.csv'));
    const day = a.col('signup_date');
    const without = (row: string[]) => row.filter((_, i) => i !== day).join(',');
    expect(b.rows.map(without)).toEqual(a.rows.map(without));
    expect(b.rows.filter((row, i) => row[day] !== a.rows[i]![day]).length).toBeGreaterThan(100);
  });
});
