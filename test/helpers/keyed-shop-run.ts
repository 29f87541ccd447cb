import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from './cli.js';
import { sharedFixture } from './shared-fixture.js';

/** The key byte of the shared run (32 bytes of it, base64, as `useFixedKey`). */
export const KEYED_SHOP_KEY = 0x2a;
/** The analysis of the shared run, also the one each file runs once more to compare with it (another key, more threads). */
export const KEYED_SHOP_ANALYZE = ['--skip-report', '--role', 'admin', '--reveal-ids'] as const;

/**
 * The 3,000-customer shop (seed 5, no events) and its `clvkit analyze <shop> --skip-report --role admin --reveal-ids`
 * under the key of 32 bytes 0x2a on one DuckDB thread: built once per test run (test/helpers/shared-fixture.ts) for
 * the two files that compare a whole analysis with this one — key-independence (the same shop under another key) and
 * analysis-independent-of-duckdb-threads (on four threads). Each ran this same analysis for itself before (one
 * 3,000-customer analysis with cross-sell, ~8 CPU s, twice per suite run). Read-only: a caller writes its own run
 * elsewhere. `outDir` is named in the run's run.json (`runJsonWithoutOutFolder` takes it out).
 */
export async function keyedShopRun(): Promise<{ shop: string; outDir: string }> {
  const marker = await sharedFixture('keyed-shop-run.json', async (building) => {
    // the shop and the run in a folder that does not move (run.json names the out folder), the marker written last
    const dir = join(inject('sharedFixturesDir'), 'keyed-shop-run');
    mkdirSync(dir, { recursive: true });
    await generateShop({ outDir: dir, customers: 3000, seed: 5, events: false });
    const shop = join(dir, 'transactions.csv');
    const outDir = join(dir, 'out');
    const previous = { key: process.env.CLVKIT_KEY, threads: process.env.CLVKIT_DUCKDB_THREADS };
    process.env.CLVKIT_KEY = Buffer.alloc(32, KEYED_SHOP_KEY).toString('base64');
    process.env.CLVKIT_DUCKDB_THREADS = '1';
    try {
      const { code, stderr } = await cli(['analyze', shop, '--out', outDir, ...KEYED_SHOP_ANALYZE]);
      expect(code, stderr).toBe(0);
    } finally {
      for (const [name, value] of [['CLVKIT_KEY', previous.key], ['CLVKIT_DUCKDB_THREADS', previous.threads]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    writeFileSync(building, JSON.stringify({ shop, outDir }));
  });
  return JSON.parse(readFileSync(marker, 'utf8')) as { shop: string; outDir: string };
}

/**
 * run.json of the run in `outDir` with its out folder written `(out)` (two runs into two folders name two folders;
 * nothing else of them may differ) and without `omit` (what a run measures of itself, a key's id).
 */
export function runJsonWithoutOutFolder(outDir: string, omit: readonly string[]): unknown {
  const text = readFileSync(join(outDir, 'run.json'), 'utf8');
  expect(text).toContain(JSON.stringify(outDir).slice(1, -1)); // what is replaced is there (else the runs could differ in it unseen)
  return JSON.parse(text.replaceAll(JSON.stringify(outDir).slice(1, -1), '(out)'), (key, value) => (omit.includes(key) ? undefined : value));
}
