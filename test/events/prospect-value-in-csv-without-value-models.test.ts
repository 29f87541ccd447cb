/**
 * A prospect's expected first-year value is its predicted_clv_12m in customers.csv, also when no value model ran. On
 * a shop where every customer bought once (`clvkit synth --shape one-time`: the value models are skipped, no repeat
 * purchases), run.json and the report gave the prospects' expected first-year value (2,623.90 for the 750 prospects
 * of a 1,500-buyer shop) and said each prospect's is its predicted_clv_12m in customers.csv, but customers.csv had no
 * such column: the value was only ever written to customer_scores, which the value models write. Now customers.csv
 * writes customer_prospects' expected_first_year_value (and its interval) as predicted_clv_12m (_low, _high) when the
 * run wrote no customer_scores.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { csvColumnName, customersCsvColumns } from '../../src/pipeline/customers-csv-sql.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';
import { readCsv, type Csv } from '../synth/shop-test-helpers.js';

const names = (tables: string[]) => customersCsvColumns({ tables: new Set(tables), money: true }).map((c) => csvColumnName(c.column));

describe('customers.csv columns of the prospects’ value', () => {
  it('without customer_scores, the prospects’ expected first-year value is written as predicted_clv_12m and its interval', () => {
    const columns = names(['customer_summary', 'customer_stages', 'customer_prospects']);
    expect(columns.slice(-4)).toEqual(['conversion_propensity', 'predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high']);
  });

  it('with customer_scores (which holds the prospects’ value already), the columns are written once, from it', () => {
    const columns = names(['customer_summary', 'customer_scores', 'customer_stages', 'customer_prospects']);
    expect(columns.filter((c) => c.startsWith('predicted_clv_12m'))).toEqual(['predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high']);
    expect(columns.at(-1)).toBe('conversion_propensity');
  });
});

describe('a shop of one-time buyers (value models skipped) with events and profiles', () => {
  let customers: Csv;
  let run: Record<string, any>;
  beforeAll(async () => {
    const dir = scratchDir();
    await generateShop({ outDir: dir, customers: 300, seed: 5, shape: 'one-time' });
    await analyze({
      files: [join(dir, 'transactions.csv')], eventFiles: [join(dir, 'events.csv')], customerFiles: [join(dir, 'customers.csv')],
      db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true,
    });
    customers = readCsv(join(dir, 'out', 'customers.csv'));
    run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
  }, 300_000);

  it('ran no value model and scored the prospects', () => {
    expect(run.valueModel ?? null).toBeNull();
    expect(run.prospects.prospects).toBe(150);
    expect(run.prospects.expectedFirstYearValueTotal).toBeGreaterThan(0);
  });

  it('writes every prospect’s finite predicted_clv_12m, summing to run.json’s expected first-year value; buyers’ empty', () => {
    const stage = customers.col('stage');
    const clv = customers.col('predicted_clv_12m');
    const prospects = customers.rows.filter((r) => r[stage] === 'prospect');
    expect(prospects).toHaveLength(150);
    for (const r of prospects) expect(Number.isFinite(Number(r[clv])) && r[clv] !== '').toBe(true);
    const total = prospects.reduce((sum, r) => sum + Number(r[clv]), 0);
    expect(total).toBeCloseTo(run.prospects.expectedFirstYearValueTotal, 2);
    for (const r of customers.rows.filter((x) => x[stage] !== 'prospect')) expect(r[clv]).toBe('');
    const low = customers.col('predicted_clv_12m_low');
    const high = customers.col('predicted_clv_12m_high');
    for (const r of prospects) if (r[low] !== '') expect(Number(r[low])).toBeLessThanOrEqual(Number(r[high]));
  });
});
