/**
 * customer_cohorts holds the customers of the run's as-of date, as every other
 * derived table does. Before, it was built from every purchase the warehouse
 * held: analyze --as-of 2011-09-30 on the demo data wrote 4,334 cohort rows
 * (cohorts up to 2011-12) beside a summary of 3,613 customers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { runAnalysis } from '../../src/pipeline/analyze.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('customer_cohorts of a run as of an earlier day', () => {
  it('holds the customers who had bought by then, in the cohorts up to then', async () => {
    const dir = scratchDir();
    const lines = ['order_id,customer_id,date,amount'];
    // 40 customers first buying in January–March 2023, 10 more first buying in June, after the as-of date
    for (let c = 1; c <= 40; c++) for (let k = 0; k < 1 + (c % 3); k++) lines.push(`A${c}-${k},A${c},2023-0${1 + (c % 3)}-${String(1 + ((c + 9 * k) % 28)).padStart(2, '0')},${10 + c}`);
    for (let c = 1; c <= 10; c++) lines.push(`L${c},L${c},2023-06-${String(c).padStart(2, '0')},${20 + c}`);
    writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
    mkdirSync(join(dir, 'out'));
    const warehouse = await openDuckDbWarehouse(':memory:', { threads: 2 });
    try {
      await runAnalysis(warehouse, { db: ':memory:', outDir: join(dir, 'out'), files: [join(dir, 'orders.csv')], asOf: '2023-04-30', skipModels: true, skipPatterns: true, skipReport: true });
      const [summary] = await warehouse.query('SELECT count(*) AS n FROM customer_summary');
      const [cohorts] = await warehouse.query('SELECT count(*) AS n, max(cohort) AS last FROM customer_cohorts');
      expect(Number(summary!.n)).toBe(40);
      expect({ n: Number(cohorts!.n), last: cohorts!.last }).toEqual({ n: 40, last: '2023-03' });
      const [strays] = await warehouse.query('SELECT count(*) AS n FROM customer_cohorts WHERE customer_id NOT IN (SELECT customer_id FROM customer_summary)');
      expect(Number(strays!.n)).toBe(0);
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
