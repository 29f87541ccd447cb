/**
 * The whole analysis gives the same answers on one DuckDB thread as on four. The test suite runs DuckDB on one thread
 * (vitest.config.ts sets CLVKIT_DUCKDB_THREADS=1: two workers share two cores), so this file is where results that
 * depend on the order DuckDB's threads return rows in (a GROUP BY without ORDER BY feeding a seeded split, a running
 * sum, a tie broken by arrival) are caught. The shop is big enough for DuckDB to finish its larger hash aggregations
 * in parallel — checked first, so the file cannot turn into a comparison of two single-threaded runs. The run on one
 * thread is the one key-independence compares with (test/helpers/keyed-shop-run.ts, built once per test run: admin,
 * ids revealed), so this file runs the analysis on four threads only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { KEYED_SHOP_ANALYZE, KEYED_SHOP_KEY, keyedShopRun, runJsonWithoutOutFolder } from '../helpers/keyed-shop-run.js';
import { scratchDir } from '../helpers/warehouse.js';

const previous = process.env.CLVKIT_DUCKDB_THREADS;
/** what a run measures of itself (its start, stage times, ingest time) differs between any two runs */
const OWN = ['timingsMs', 'elapsedMs', 'startedAt'];

/** customers.csv, recommendations.csv and run.json (its out folder written `(out)`) of the run in `outDir` */
function outputsOf(outDir: string): { customers: string; recommendations: string; run: unknown } {
  return { customers: readFileSync(join(outDir, 'customers.csv'), 'utf8'), recommendations: readFileSync(join(outDir, 'recommendations.csv'), 'utf8'), run: runJsonWithoutOutFolder(outDir, OWN) };
}

describe('an analysis on four DuckDB threads gives the answers it gives on one', () => {
  // the key of the shared run on one thread (test/helpers/keyed-shop-run.ts, shared with key-independence), which the
  // run on four threads below is compared with
  useFixedKey(KEYED_SHOP_KEY);
  let shared: { shop: string; outDir: string };
  beforeAll(async () => {
    shared = await keyedShopRun();
  }, 240_000);
  afterAll(() => {
    if (previous === undefined) delete process.env.CLVKIT_DUCKDB_THREADS;
    else process.env.CLVKIT_DUCKDB_THREADS = previous;
  });

  it('the shop makes four threads return a grouping of its lines in more than one order (the comparison below can fail)', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '4' });
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE lines AS SELECT * FROM read_csv('${shared.shop}')`);
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
    const one = outputsOf(shared.outDir); // on one thread
    process.env.CLVKIT_DUCKDB_THREADS = '4';
    const outDir = join(scratchDir(), 'out');
    const { code, stderr } = await cli(['analyze', shared.shop, '--out', outDir, ...KEYED_SHOP_ANALYZE]);
    expect(code, stderr).toBe(0);
    const four = outputsOf(outDir);
    expect(four.customers.split('\n').length).toBeGreaterThan(3000);
    expect(four.recommendations.split('\n').length).toBeGreaterThan(3000);
    expect(four.customers === one.customers).toBe(true);
    expect(four.recommendations === one.recommendations).toBe(true);
    expect(four.run).toEqual(one.run);
  }, 180_000);
});
