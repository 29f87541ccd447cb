/**
 * The pieces of the customer 360 that read the run's files and build SQL:
 * recommendations.csv lines of one customer (RFC 4180 quoting), and the
 * customer list's SQL with every accepted value quoted by the dialect.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsvLine, readCustomerRecommendations } from '../../src/server/routes/read-customer-360.js';
import { buildCustomerListSql } from '../../src/server/routes/read-customer-query.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

describe('recommendations of one customer from recommendations.csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-recs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits quoted cells with commas and doubled quotes', () => {
    expect(parseCsvLine('c_a,1,"85123A","WHITE HANGING HEART, ""T-LIGHT"" HOLDER",0.500000,model')).toEqual(['c_a', '1', '85123A', 'WHITE HANGING HEART, "T-LIGHT" HOLDER', '0.500000', 'model']);
    expect(parseCsvLine('a,,b,')).toEqual(['a', '', 'b', '']);
  });

  it('keeps only the customer’s lines (not a token that starts the same), in rank order, with the description', async () => {
    const csv = join(dir, 'recommendations.csv');
    writeFileSync(csv, [
      'customer_id,rank,product_id,description,score,source',
      'c_aa,2,P2,"MUG, BLUE",0.250000,model',
      'c_aab,1,P9,OTHER,0.900000,model',
      'c_aa,1,P1,TOTE BAG,0.750000,popular',
      '',
    ].join('\n'));
    expect(await readCustomerRecommendations(csv, 'c_aa')).toEqual([
      { rank: 1, item: 'P1 TOTE BAG', score: 0.75 },
      { rank: 2, item: 'P2 MUG, BLUE', score: 0.25 },
    ]);
    expect(await readCustomerRecommendations(join(dir, 'missing.csv'), 'c_aa')).toEqual([]);
    expect(await readCustomerRecommendations(null, 'c_aa')).toEqual([]);
  });

  it('reads a file with original ids (a run with --reveal-ids) by its header', async () => {
    const csv = join(dir, 'revealed.csv');
    writeFileSync(csv, ['customer_id,original_id,rank,product_id,description,score,source', 'c_a,17850,1,P1,TOTE BAG,0.750000,model', 'c_a,17850,2,P2,"MUG, BLUE",0.250000,popular', ''].join('\n'));
    expect(await readCustomerRecommendations(csv, 'c_a')).toEqual([
      { rank: 1, item: 'P1 TOTE BAG', score: 0.75 },
      { rank: 2, item: 'P2 MUG, BLUE', score: 0.25 },
    ]);
  });
});

describe('customer list SQL', () => {
  it('quotes every filter value as a literal and runs: a quote in a segment cannot end the string', async () => {
    const warehouse = await memoryWarehouse();
    try {
      await warehouse.execute("CREATE TABLE customer_summary AS SELECT * FROM (VALUES ('c_1', 2.0, DATE '2023-01-02', 10.0), ('c_2', 1.0, DATE '2023-02-03', 30.0)) t(customer_id, orders, last_purchase, historic_clv)");
      await warehouse.execute("CREATE TABLE customer_rfm AS SELECT * FROM (VALUES ('c_1', 'Champions'), ('c_2', 'it''s; DROP TABLE customer_summary')) t(customer_id, segment)");
      const held = new Set(['customer_summary', 'customer_rfm']);
      const sql = buildCustomerListSql(warehouse, held, { segment: "it's; DROP TABLE customer_summary", sort: 'predicted_value', limit: 10, offset: 0 }, null);
      expect(sql.page).toContain("r.segment = 'it''s; DROP TABLE customer_summary'");
      expect(sql.sort).toBe('historic_value'); // no customer_scores: the sort falls back to a column that exists
      const rows = await warehouse.query(sql.page);
      expect(rows.map((r) => r.customer_id)).toEqual(['c_2']);
      const all = await warehouse.query(buildCustomerListSql(warehouse, held, { q: 'c_', sort: 'historic_value', limit: 10, offset: 0 }, null).page);
      expect(all.map((r) => [r.customer_id, r.stage])).toEqual([['c_2', null], ['c_1', null]]);
    } finally {
      await warehouse.close();
    }
  });
});
