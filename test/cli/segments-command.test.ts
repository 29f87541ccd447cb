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
