import { cpSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';
import { scratchDir } from './warehouse.js';

/**
 * A synthetic shop (300 customers and 30 prospects, seed 42, `--prospect-share 0.1`; its buyers sign up ahead of their
 * first purchase) analysed with its events
 * and profiles, so that customer_prospects and customer_stages hold prospects (a profile or events, no purchase) with
 * a conversion propensity above 0; `lastDay` is the last purchase day. The caller's
 * folder is a copy of one built once per test run and key (test/helpers/shared-fixture.ts; the warehouse is keyed
 * with CLVKIT_KEY, which the caller sets): `dir` holds shop/ (the synth files), out/ (the analysis) and shop.duckdb.
 */
export async function prospectsWarehouse(): Promise<{ dir: string; db: string; lastDay: string }> {
  const key = createHash('sha256').update(process.env.CLVKIT_KEY ?? '').digest('hex').slice(0, 12);
  const built = await sharedFixture(`prospects-${key}`, async (building) => {
    const shop = (name: string) => join(building, 'shop', name);
    // the buyers sign up ahead of their first purchase: earlier prospects convert, so today's have a propensity above 0
    expect((await cli(['synth', '--customers', '300', '--seed', '42', '--prospect-share', '0.1', '--dirt-rate', '0', '--out', join(building, 'shop')])).code).toBe(0);
    const analysed = await cli(['analyze', shop('transactions.csv'), '--events', shop('events.csv'), '--customers', shop('customers.csv'), '--db', join(building, 'shop.duckdb'), '--out', join(building, 'out'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
  });
  const dir = scratchDir();
  cpSync(built, dir, { recursive: true });
  const db = join(dir, 'shop.duckdb');
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const [row] = await warehouse.query('SELECT CAST(max(CAST(ts AS DATE)) AS VARCHAR) AS day FROM transactions');
    return { dir, db, lastDay: String(row!.day) };
  } finally {
    await warehouse.close();
  }
}
