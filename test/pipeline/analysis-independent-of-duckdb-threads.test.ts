/**
 * The whole analysis gives the same answers on one DuckDB thread as on four. The test suite runs DuckDB on one thread
 * (vitest.config.ts sets CLVKIT_DUCKDB_THREADS=1: two workers share two cores), so this file is where results that
 * depend on the order DuckDB's threads return rows in (a GROUP BY without ORDER BY feeding a seeded split, a running
 * sum, a tie broken by arrival) are caught. The shop is big enough for DuckDB to finish its larger hash aggregations
 * in parallel — checked first, so the file cannot turn into a comparison of two single-threaded runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const dir = scratchDir();
const shop = join(dir, 'transactions.csv');
const previous = process.env.CLVKIT_DUCKDB_THREADS;

/** `clvkit analyze` of the shop on `threads` DuckDB threads (the same output folder each time: run.json names it) */
async function analyzeOn(threads: string): Promise<{ customers: string; recommendations: string; run: Record<string, unknown> }> {
  process.env.CLVKIT_DUCKDB_THREADS = threads;
  const outDir = join(dir, 'out');
  const { code, stderr } = await cli(['analyze', shop, '--out', outDir, '--skip-report']);
  expect(code, stderr).toBe(0);
  // what a run measures of itself (its start, stage times, ingest time) differs between any two runs
  const run = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'), (key, value) => (['timingsMs', 'elapsedMs', 'startedAt'].includes(key) ? undefined : value));
  return { customers: readFileSync(join(outDir, 'customers.csv'), 'utf8'), recommendations: readFileSync(join(outDir, 'recommendations.csv'), 'utf8'), run };
}

describe('an analysis on four DuckDB threads gives the answers it gives on one', () => {
  useFixedKey(0x2a);
  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 3000, seed: 5, events: false });
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.CLVKIT_DUCKDB_THREADS;
    else process.env.CLVKIT_DUCKDB_THREADS = previous;
  });

  it('the shop makes four threads return a grouping of its lines in more than one order (the comparison below can fail)', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '4' });
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE lines AS SELECT * FROM read_csv('${shop}')`);
      const orders = new Set<string>();
      for (let i = 0; i < 25; i++) {
        const reader = await connection.runAndReadAll('SELECT customer_id, product_id, count(*) FROM lines GROUP BY ALL');
        orders.add(reader.getRows().map((row) => `${row[0]}/${row[1]}`).join(','));
      }
      expect(orders.size).toBeGreaterThan(1);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('customers.csv, recommendations.csv and run.json are the same, byte for byte', async () => {
    const one = await analyzeOn('1');
    const four = await analyzeOn('4');
    expect(four.customers.split('\n').length).toBeGreaterThan(3000);
    expect(four.recommendations.split('\n').length).toBeGreaterThan(3000);
    expect(four.customers === one.customers).toBe(true);
    expect(four.recommendations === one.recommendations).toBe(true);
    expect(four.run).toEqual(one.run);
  }, 180_000);
});
