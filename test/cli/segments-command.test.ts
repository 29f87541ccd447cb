/**
 * `clvkit segments` as printed: the value tiers' table says what its numbers
 * are. The tiers rank by historic value (net spend − cost, `historicValue` in
 * the JSON), so the label and the column must say so, not "net spend".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** 10 customers, one order each: customer i spends 100 i at a cost of 40 i (historic value 60 i). */
function writeShopWithCost(): string {
  const lines = ['order_id,customer_id,order_date,product_id,quantity,unit_price,cost'];
  for (let i = 1; i <= 10; i++) lines.push(`${1000 + i},K${i},2023-06-${String(i).padStart(2, '0')} 10:00:00,P1,1,${100 * i}.00,${40 * i}.00`);
  const path = join(scratchDir(), 'shop-with-cost.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('clvkit segments: the value tiers table', () => {
  it('labels the tiers by historic value (net spend − cost) and prints that value, as the JSON historicValue, not net spend', async () => {
    const file = writeShopWithCost();
    const args = ['segments', file, '--as-of', '2023-06-30', '--min-group-size', '2'];
    const json = await cli([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const tiers = JSON.parse(json.stdout).valueTiers.tiers as { name: string; customers: number; historicValue: number }[];
    // high: K10, K9 (60 · 19 = 1,140; net spend 1,900); medium: K8–K6 (1,260; 2,100); low: K5–K1 (900; 1,500)
    expect(tiers.map((t) => [t.name, t.customers, t.historicValue])).toEqual([['high', 2, 1140], ['medium', 3, 1260], ['low', 5, 900]]);

    const run = await cli(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('net spend to date');
    expect(run.stdout).toContain('value tiers (by historic value to date: net spend − cost)');
    expect(run.stdout).toMatch(/^value tier\s+customers\s+share\s+historic value\s+value share$/m);
    expect(run.stdout).toMatch(/^high\s+2\s+20\.0%\s+1,140\s+34\.5%$/m); // 1,140 / 3,300, not the net spend 1,900
    expect(run.stdout).toMatch(/^low\s+5\s+50\.0%\s+900\s+27\.3%$/m);
    expect(run.stdout).toMatch(/^segment\s+customers\s+share\s+revenue\s+rev\. share$/m); // the RFM table keeps net spend as revenue
  });
});

// Regression: `segments --db` and `lifecycle --db` built their summary, segments, tiers and stages under the derived
// tables' own names, so reading a warehouse silently replaced its stored analysis — customer_summary as of the command's
// date, value tiers without predicted value, stages without P(alive) — and later commands (audience create) used that.
describe('clvkit segments --db and lifecycle --db', () => {
  it('leave the warehouse’s stored analysis as it was, and leave no table of their own behind', async () => {
    const dir = scratchDir();
    const { generateShop } = await import('../../src/synth/generate-shop.js');
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    await generateShop({ outDir: dir, customers: 300, seed: 5, products: 30 });
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['ingest', join(dir, 'transactions.csv'), '--db', db])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-patterns', '--skip-report', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const snapshot = async () => {
      const warehouse = await openDuckDbWarehouse(db);
      try {
        const tables: Record<string, unknown> = {};
        for (const table of ['customer_summary', 'customer_rfm', 'customer_value_tiers', 'customer_stages']) tables[table] = await warehouse.query(`SELECT * FROM ${table} ORDER BY customer_id`);
        tables.left = await warehouse.query("SELECT table_name FROM information_schema.tables WHERE substr(table_name, 1, 4) = 'clv_'");
        return tables;
      } finally {
        await warehouse.close();
      }
    };
    const before = await snapshot();
    expect((before.customer_value_tiers as { predicted_value: number | null }[]).every((r) => r.predicted_value !== null)).toBe(true);
    const segments = await cli(['segments', '--db', db, '--as-of', '2023-03-31', '--json']);
    expect(segments.code, segments.stderr).toBe(0);
    expect(JSON.parse(segments.stdout).asOf).toBe('2023-03-31');
    const lifecycle = await cli(['lifecycle', '--db', db, '--as-of', '2023-03-31', '--json']);
    expect(lifecycle.code, lifecycle.stderr).toBe(0);
    expect(await snapshot()).toEqual(before);
  }, 180_000);
});
