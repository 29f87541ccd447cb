import { join } from 'node:path';
import { expect } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from './cli.js';
import { scratchDir } from './warehouse.js';

/**
 * A synthetic shop (300 customers, seed 42) analysed with its events and profiles, so that customer_prospects and
 * customer_stages hold prospects (a profile or events, no purchase); `lastDay` is the last purchase day.
 */
export async function prospectsWarehouse(): Promise<{ dir: string; db: string; lastDay: string }> {
  const dir = scratchDir();
  const db = join(dir, 'shop.duckdb');
  expect((await cli(['synth', '--customers', '300', '--seed', '42', '--dirt-rate', '0', '--out', join(dir, 'shop')])).code).toBe(0);
  const shop = (name: string) => join(dir, 'shop', name);
  const analysed = await cli(['analyze', shop('transactions.csv'), '--events', shop('events.csv'), '--customers', shop('customers.csv'), '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
  expect(analysed.code, analysed.stderr).toBe(0);
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const [row] = await warehouse.query('SELECT CAST(max(CAST(ts AS DATE)) AS VARCHAR) AS day FROM transactions');
    return { dir, db, lastDay: String(row!.day) };
  } finally {
    await warehouse.close();
  }
}
