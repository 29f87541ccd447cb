import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../src/engine/sql-dialect.js';
import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { buildLearnedFeaturesSql, LEARNED_FEATURE_NAMES } from '../../src/features/learned-features.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// Hand-computed from test/fixtures/shop/tiny-shop.csv (see its README), day unit.
// ratios are rounded to 9 decimals in SQL: compared to 8
describe('learned features in SQL on the tiny shop', () => {
  let warehouse: Warehouse;
  let byId: Map<string, Row>;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
    const rows = await warehouse.query(buildLearnedFeaturesSql(warehouse.dialect, { asOf: '2023-03-31', labelEnd: '2023-04-30', timeUnit: 'day' }));
    const ids = await warehouse.query(`SELECT DISTINCT customer_id, source_line FROM transactions`);
    // customer ids are pseudonymous tokens: find each by one of its fixture lines
    const lineOf = new Map(ids.map((r) => [r.customer_id as string, Number(r.source_line)]));
    const letter = (line: number) => (line <= 4 ? 'A' : line === 5 ? 'B' : line <= 7 ? 'C' : line <= 11 ? 'D' : line <= 18 ? 'G' : 'I');
    byId = new Map(rows.map((r) => [letter(lineOf.get(r.customer_id as string)!), r]));
  });
  afterAll(() => warehouse.close());

  it('has one row per customer who bought by the cut-off and every named feature', () => {
    expect([...byId.keys()].sort()).toEqual(['A', 'B', 'C', 'D', 'G', 'I']);
    for (const name of LEARNED_FEATURE_NAMES) expect(byId.get('A')!, name).toHaveProperty(name);
  });

  it('computes spend, gap, recency-window and product features (customer A: 20.00, 25.50, 10.00 on Jan 5, Feb 10, Mar 15)', () => {
    const a = byId.get('A')!;
    expect(a).toMatchObject({ frequency: 2, recency: 69, T: 85, purchases_4w: 1, purchases_13w: 3, product_diversity: 2, return_share: 0, acquired_days: 3, label_purchases: 0 });
    expect(Number(a.monetary_mean)).toBeCloseTo(18.5, 8);
    expect(Number(a.monetary_max)).toBeCloseTo(25.5, 8);
    expect(Number(a.monetary_trend)).toBeCloseTo(10 / 18.5, 8);
    expect(Number(a.ipt_mean)).toBeCloseTo(34.5, 8);
    expect(Number(a.ipt_cv)).toBeCloseTo(Math.SQRT2 * 1.5 / 34.5, 8);
    expect(Number(a.last_gap_ratio)).toBeCloseTo(33 / 34.5, 8);
    expect(Number(a.since_last_ratio)).toBeCloseTo(16 / 34.5, 8);
    expect(Number(a.litt)).toBeCloseTo(Math.log(36) + Math.log(33), 8);
    expect(a.season_share).toBeNull(); // less than a year of history
  });

  it('handles a regular weekly buyer, a single-day buyer with a later purchase, and a refund', () => {
    const i = byId.get('I')!;
    expect(i).toMatchObject({ frequency: 3, recency: 21, T: 88, ipt_mean: 7, ipt_cv: 0, purchases_4w: 0, purchases_13w: 4, acquired_days: 0 });
    expect(Number(i.litt)).toBeCloseTo(3 * Math.log(7), 8);
    expect(Number(i.since_last_ratio)).toBeCloseTo(67 / 7, 8);
    expect(Number(i.monetary_trend)).toBeCloseTo(10 / 13.875, 8);
    // D: two orders on Jan 10 are one purchase day (25.50 + 14.50; the POST line is quarantined), Apr 1 falls in the label window
    const d = byId.get('D')!;
    expect(d).toMatchObject({ frequency: 0, monetary_mean: 40, monetary_trend: 1, litt: 0, label_purchases: 1, product_diversity: 2 });
    expect(d.ipt_mean).toBeNull();
    expect(d.ipt_cv).toBeNull();
    expect(Number(d.label_spend)).toBeCloseTo(7.25, 8);
    // C: bought 10.00 and returned it
    expect(byId.get('C')).toMatchObject({ frequency: 0, return_share: 1 });
  });

  it('gives the seasonal share once a customer has a year of history', async () => {
    const rows = await warehouse.query(buildLearnedFeaturesSql(warehouse.dialect, { asOf: '2024-01-15', labelEnd: '2024-02-15', timeUnit: 'day' }));
    // A bought in January, February and March 2023: two of three purchase days fall in the coming window's months (Jan, Feb)
    const a = rows.find((r) => Number(r.frequency) === 2 && Number(r.recency) === 69)!;
    expect(Number(a.season_share)).toBeCloseTo(2 / 3, 8);
  });

  it('leaves money and product features empty on an ids-and-dates log', async () => {
    const w = await memoryWarehouse();
    try {
      await w.execute(`INSERT INTO transactions (customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash)
        VALUES ('x', TIMESTAMP '2023-01-01', NULL, false, false, 1, 's', 1, 'h1'), ('x', TIMESTAMP '2023-01-11', NULL, false, false, 1, 's', 2, 'h2')`);
      const [row] = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-01-31', timeUnit: 'week', labelEnd: '2023-02-28' }));
      expect(row).toMatchObject({ frequency: 1, monetary_mean: null, monetary_trend: null, product_diversity: null, return_share: null, label_purchases: 0 });
      expect(Number(row!.recency)).toBeCloseTo(10 / 7, 8);
      expect(Number(row!.litt)).toBeCloseTo(Math.log(10 / 7), 8);
    } finally {
      await w.close();
    }
  });

  it('codes channel, country and region as the share of customers with the same value: the most frequent in the transactions, else the profile', async () => {
    const w = await memoryWarehouse();
    try {
      const line = (id: string, day: string, n: number, channel: string | null, country: string | null) =>
        `('${id}', TIMESTAMP '2023-01-${day}', 10, ${channel ? `'${channel}'` : 'NULL'}, ${country ? `'${country}'` : 'NULL'}, false, false, 1, 's', ${n}, 'h${n}')`;
      await w.execute(`INSERT INTO transactions (customer_id, ts, amount, channel, country, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES
        ${[line('a', '01', 1, 'web', 'UK'), line('a', '05', 2, 'web', 'UK'), line('a', '09', 3, 'app', 'FR'), line('b', '02', 4, 'app', 'UK'), line('c', '03', 5, 'web', 'FR'), line('d', '04', 6, null, null), line('e', '04', 7, null, null)].join(', ')}`);
      // d has a profile (country DE, channel web); e has none; a's profile country is overruled by its transactions
      await w.execute(`INSERT INTO customers (customer_id, acquisition_channel, country) VALUES ('d', 'web', 'DE'), ('a', 'app', 'US')`);
      const rows = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-01-31', timeUnit: 'week' }));
      expect(rows).toHaveLength(5);
      // channels: a web (2 of 3 lines), b app, c web, d web (profile), e none → web 3/5, app 1/5
      // countries: a UK, b UK, c FR, d DE (profile), e none → UK 2/5, FR 1/5, DE 1/5
      const byId = new Map(rows.map((r) => [r.customer_id as string, r]));
      expect(byId.get('a')).toMatchObject({ channel_share: 0.6, country_share: 0.4, region_share: null });
      expect(byId.get('b')).toMatchObject({ channel_share: 0.2, country_share: 0.4 });
      expect(byId.get('c')).toMatchObject({ channel_share: 0.6, country_share: 0.2 });
      expect(byId.get('d')).toMatchObject({ channel_share: 0.6, country_share: 0.2 });
      expect(byId.get('e')).toMatchObject({ channel_share: null, country_share: null, region_share: null });
    } finally {
      await w.close();
    }
  });

  it('breaks a tie between equally frequent channels by the smaller value, and counts lines, not occasions', async () => {
    const w = await memoryWarehouse();
    try {
      const line = (id: string, day: string, n: number, channel: string) =>
        `('${id}', TIMESTAMP '2023-01-${day}', 10, '${channel}', false, false, 1, 's', ${n}, 'h${n}')`;
      // a: web twice, app twice (tie → app); b: app once, web on two lines of one day (web); c: web only
      await w.execute(`INSERT INTO transactions (customer_id, ts, amount, channel, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES
        ${[line('a', '01', 1, 'web'), line('a', '02', 2, 'web'), line('a', '03', 3, 'app'), line('a', '04', 4, 'app'), line('b', '01', 5, 'app'), line('b', '02', 6, 'web'), line('b', '02', 7, 'web'), line('c', '05', 8, 'web')].join(', ')}`);
      const rows = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-01-31', timeUnit: 'week' }));
      const byId = new Map(rows.map((r) => [r.customer_id as string, r]));
      // channels: a app, b web, c web → app 1/3, web 2/3
      expect(byId.get('a')!.channel_share).toBeCloseTo(1 / 3, 9);
      expect(byId.get('b')!.channel_share).toBeCloseTo(2 / 3, 9);
      expect(byId.get('c')!.channel_share).toBeCloseTo(2 / 3, 9);
    } finally {
      await w.close();
    }
  });

  it('counts a customer with only returns in no code, and an empty channel as a value of its own (codes joined back on the value)', async () => {
    const w = await memoryWarehouse();
    try {
      const line = (id: string, n: number, channel: string | null, isReturn: boolean) =>
        `('${id}', TIMESTAMP '2023-01-0${n}', 10, ${channel === null ? 'NULL' : `'${channel}'`}, ${isReturn}, false, 1, 's', ${n}, 'h${n}')`;
      // r returned a web purchase made before the data begin: no purchase line, so no row and not among the customers coded
      await w.execute(`INSERT INTO transactions (customer_id, ts, amount, channel, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES
        ${[line('a', 1, 'web', false), line('b', 2, 'app', false), line('r', 3, 'web', true), line('e', 4, '', false), line('f', 5, null, false)].join(', ')}`);
      const rows = await w.query(buildLearnedFeaturesSql(w.dialect, { asOf: '2023-01-31', timeUnit: 'week' }));
      const byId = new Map(rows.map((r) => [r.customer_id as string, r]));
      expect([...byId.keys()].sort()).toEqual(['a', 'b', 'e', 'f']);
      // four customers: web (a), app (b), '' (e), none (f)
      expect(byId.get('a')).toMatchObject({ channel_share: 0.25 });
      expect(byId.get('b')).toMatchObject({ channel_share: 0.25 });
      expect(byId.get('e')).toMatchObject({ channel_share: 0.25 });
      expect(byId.get('f')).toMatchObject({ channel_share: null });
    } finally {
      await w.close();
    }
  });

  it('rejects a label window that does not follow the cut-off', () => {
    expect(() => buildLearnedFeaturesSql(duckdbDialect, { asOf: '2023-03-31', labelEnd: '2023-03-01', timeUnit: 'day' })).toThrow(/not after the cut-off/);
  });
});
