import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';
import { scratchDir } from './warehouse.js';

/**
 * A warehouse of 60 customers with 1–5 orders in 2023 — and P1 with 9, the only one with more than 5 — ingested and
 * analysed (scores, stages: audiences can be drawn on it). Returns its path (its key file beside it) in a folder of
 * the caller's own: a copy of one built once per test run and key (test/helpers/shared-fixture.ts; ten files each
 * ingested and analysed the same shop for themselves before).
 */
export async function smallAnalysedShop(): Promise<string> {
  const key = createHash('sha256').update(process.env.CLVKIT_KEY ?? '').digest('hex').slice(0, 12);
  const built = await sharedFixture(`small-analysed-shop-${key}`, async (building) => {
    const random = createRandom(5);
    const lines = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 60; c++) {
      const n = c === 1 ? 9 : 1 + random.integer(5);
      for (let k = 0; k < n; k++) lines.push(`O${++order},P${c},2023-${String(1 + random.integer(12)).padStart(2, '0')}-${String(1 + random.integer(28)).padStart(2, '0')},${(5 + 50 * random.uniform()).toFixed(2)}`);
    }
    mkdirSync(building);
    writeFileSync(join(building, 'orders.csv'), lines.join('\n') + '\n');
    const db = join(building, 'shop.duckdb');
    const ingested = await cli(['ingest', join(building, 'orders.csv'), '--db', db]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--out', join(building, 'out'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
  });
  const dir = scratchDir();
  cpSync(built, dir, { recursive: true });
  return join(dir, 'shop.duckdb');
}
