import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

// A user trial (session 40) on Online Retail: `clvkit segments --db` printed "high 867 customers, historic value
// 6,104,819 (73.8%)" — tiers ranked by historic value for its date — while `audience create --where "value_tier =
// 'high'"` draws the stored analysis's tiers, ranked by predicted 12-month CLV: 867 customers too, but only 697 of
// them the same, with a historic value of 5,824,570. Nothing said the audience would not be the tier on screen.
describe('clvkit segments --db on an analysed warehouse', () => {
  it('says that the stored tiers audiences read rank by predicted CLV, with their high tier’s size and historic value', async () => {
    const db = await smallAnalysedShop();
    const warehouse = await openDuckDbWarehouse(db);
    const [stored] = await warehouse.query("SELECT count(*) AS n, sum(historic_value) AS v, count(predicted_value) AS p FROM customer_value_tiers WHERE value_tier = 'high'");
    await warehouse.close();
    expect(Number(stored!.p)).toBeGreaterThan(0); // the analysis ranked by predicted value
    const run = await cli(['segments', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    const n = Number(stored!.n).toLocaleString('en-US');
    const v = Number(stored!.v).toLocaleString('en-US', { maximumFractionDigits: 0 });
    expect(run.stdout).toContain(`\nnote: audience --where value_tier, playbooks and the dashboard read the tiers of the stored analysis, ranked by predicted 12-month CLV, not these: its high tier holds ${n} customers with a historic value of ${v}\n`);
  }, 240_000);

  it('says nothing of it when segments reads a file', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { scratchDir } = await import('../helpers/warehouse.js');
    const dir = scratchDir();
    const lines = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 40; c++) for (let k = 0; k <= c % 4; k++) lines.push(`O${c}-${k},C${c},2023-0${1 + ((c + k) % 9)}-1${k},${10 + c}`);
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    const run = await cli(['segments', join(dir, 'orders.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('value tiers (by historic value to date');
    expect(run.stdout).not.toContain('stored analysis');
  });
});
