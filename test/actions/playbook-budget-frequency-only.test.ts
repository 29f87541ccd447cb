/**
 * `playbook --budget` on a frequency-only warehouse (customer and date, no order values): there is no predicted CLV, so
 * value × P(alive) ranked every customer at 0 and the budget took customers in token order while stderr said it ranked
 * by value. Without order values the budget ranks by what is known — expected purchases (already weighted by
 * P(alive)) × the play's lift — and says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('playbook without order values', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = scratchDir();
    await generateShop({ outDir: dir, customers: 400, seed: 3, events: false });
    const [header, ...rows] = readFileSync(join(dir, 'transactions.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const id = header!.indexOf('customer_id');
    const date = header!.indexOf('order_date');
    const lines = new Set(rows.filter((r) => r[id] !== '' && !r[0]!.startsWith('C')).map((r) => `${r[id]},${r[date]!.slice(0, 10)}`));
    writeFileSync(join(dir, 'log.csv'), `cust,date\n${[...lines].join('\n')}\n`);
    db = join(dir, 'freq.duckdb');
    expect((await cli(['ingest', join(dir, 'log.csv'), '--db', db])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
    expect(analysed.code, analysed.stderr).toBe(0);
  }, 180_000);

  it('--budget takes the customers with the most expected purchases, and says it ranks by expected purchases × P(alive)', async () => {
    writeFileSync(join(dir, 'plays.json'), JSON.stringify({ plays: [{ name: 'all', where: 'orders >= 1', costPerContact: 1, expectedLift: 0.1, holdout: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'plays.json'), '--out', join(dir, 'plan'), '--budget', '45', '--json', '--min-group-size', '5']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/the budget ranks customers by expected purchases × P\(alive\) \(expected purchases over 12 months, already weighted by P\(alive\), × the play’s lift: the data has no order values, so no predicted CLV\): no past campaign/);
    expect(run.stderr).not.toMatch(/by value × P\(alive\)/);
    const plan = JSON.parse(run.stdout);
    expect(plan.targeting.basis).toBe('expected purchases × P(alive)');
    const [play] = plan.plays;
    expect(play.treatment).toBe(45);
    const picked = new Set(readFileSync(play.file, 'utf8').trim().split('\n').slice(1).map((l: string) => l.split(',')[0]!));
    expect(picked.size).toBe(play.members);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const scores = await warehouse.query('SELECT customer_id, expected_purchases_365d AS e, predicted_clv_12m AS v FROM customer_scores');
      expect(scores.every((r) => r.v === null)).toBe(true);
      const inPlay = scores.filter((r) => picked.has(String(r.customer_id))).map((r) => Number(r.e));
      const outside = scores.filter((r) => !picked.has(String(r.customer_id))).map((r) => Number(r.e));
      // the picks are the customers with the most expected purchases, not the first tokens
      expect(Math.min(...inPlay)).toBeGreaterThanOrEqual(Math.max(...outside));
      expect(Math.min(...inPlay)).toBeGreaterThan(0);
    } finally {
      await warehouse.close();
    }
  }, 180_000);

  it('says why a play filtering on a money column matches nobody, and its customers go to the next play', async () => {
    writeFileSync(join(dir, 'money-plays.json'), JSON.stringify({ plays: [{ name: 'valuable', where: 'predicted_clv_12m > 10', costPerContact: 1, expectedLift: 0.1 }, { name: 'rest', where: 'orders >= 1', costPerContact: 1, expectedLift: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'money-plays.json'), '--out', join(dir, 'money-plan'), '--json', '--min-group-size', '5']);
    expect(run.code, run.stderr).toBe(0);
    const [valuable, rest] = JSON.parse(run.stdout).plays;
    expect(valuable.skipped).toBe('no customer matches: predicted_clv_12m is not computed: the data has no order values (customer and date only); filter on what is: expected_purchases_30d, expected_purchases_90d, expected_purchases_365d, p_alive, orders, frequency, recency, stage, segment');
    expect(rest.members).toBeGreaterThan(0);
  }, 120_000);
});
