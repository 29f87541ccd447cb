/**
 * `audience create --where "predicted_clv_12m > 10"` on a frequency-only warehouse (customer and date, no order
 * values) said the audience was empty and to widen the filter: the column is never computed there. It now says so
 * in one line, names what is available instead, and exits 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('audience create filtering on a money column without order values', () => {
  it('refuses in one line naming the column and the fields to use instead (exit 2)', async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 200, seed: 5, events: false });
    const [header, ...rows] = readFileSync(join(dir, 'transactions.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const id = header!.indexOf('customer_id');
    const date = header!.indexOf('order_date');
    const lines = new Set(rows.filter((r) => r[id] !== '' && !r[0]!.startsWith('C')).map((r) => `${r[id]},${r[date]!.slice(0, 10)}`));
    writeFileSync(join(dir, 'log.csv'), `cust,date\n${[...lines].join('\n')}\n`);
    const db = join(dir, 'freq.duckdb');
    expect((await cli(['ingest', join(dir, 'log.csv'), '--db', db])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
    expect(analysed.code, analysed.stderr).toBe(0);
    const run = await cli(['audience', 'create', '--db', db, '--name', 'v', '--where', 'predicted_clv_12m > 10 AND orders >= 1', '--out', join(dir, 'v.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^clvkit: error: --where: predicted_clv_12m is not computed: the data has no order values \(customer and date only\) \(hint: filter on what is: expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, p_alive, orders, frequency, recency, stage, segment/);
    expect(run.stderr).not.toMatch(/empty|widen/);
    // a filter on computed fields still draws
    const ok = await cli(['audience', 'create', '--db', db, '--name', 'w', '--where', 'expected_purchases_90d > 0', '--out', join(dir, 'w.csv')]);
    expect(ok.code, ok.stderr).toBe(0);
  }, 180_000);
});
