import { cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';
import { scratchDir } from './warehouse.js';

/**
 * A synthetic shop of 600 customers (seed 4, no events) ingested into `dir/shop.duckdb` and analysed (no regularity
 * check, patterns or report), ready to draw audiences and run playbooks on. The caller's folder is a copy of one built
 * once per test run and key (test/helpers/shared-fixture.ts): with no CLVKIT_KEY set, the warehouse's key file
 * `shop.duckdb.key` lies beside it.
 */
export async function scoredShop(): Promise<{ dir: string; db: string }> {
  const key = createHash('sha256').update(process.env.CLVKIT_KEY ?? '').digest('hex').slice(0, 12);
  const built = await sharedFixture(`scored-shop-${key}`, async (building) => {
    const db = join(building, 'shop.duckdb');
    expect((await cli(['synth', '--customers', '600', '--seed', '4', '--out', join(building, 'shop'), '--no-events', '--quiet'])).code).toBe(0);
    expect((await cli(['ingest', join(building, 'shop', 'transactions.csv'), '--db', db])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(building, 'scored')]);
    expect(analysed.code, analysed.stderr).toBe(0);
  });
  const dir = scratchDir();
  cpSync(built, dir, { recursive: true });
  return { dir, db: join(dir, 'shop.duckdb') };
}
