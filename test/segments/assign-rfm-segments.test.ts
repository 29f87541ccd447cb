import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { assignRfmSegments, type RfmSegmentation } from '../../src/segments/assign-rfm-segments.js';
import { RFM_SEGMENT_NAMES, type RfmSegmentRule } from '../../src/segments/rfm-segment-rules.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

// The tiny shop as of 2023-04-01 (n = 6; score = 1 + ⌊5 (rank − 1) / 6⌋, rank = SQL rank() worst → best):
//   customer  days since last  occasions  net spend   R  F  M   FM = ⌊(F+M)/2⌋  segment
//   A         17 (03-15)       3          55.50       4  4  3   3               Potential loyalist
//   B         71 (01-20)       1          15.00       1  1  1   1               Lost
//   C         59 (02-01)       1           0.00       2  1  1   1               Hibernating   (bought 10, returned 10)
//   D          0 (04-01)       2          47.25       5  3  2   2               Potential loyalist (two orders on 01-10 are one day)
//   G         29 (03-03)       1          99.00       3  1  5   3               Need attention
//   I         68 (01-23)       4          55.50       1  5  3   4               At risk
// Ties: B, C, G share frequency 1 (rank 1 → F 1); A and I share 55.50 (rank 4 → M 3 both).
const EXPECTED: Record<string, { r: number; f: number; m: number; segment: string }> = {
  A: { r: 4, f: 4, m: 3, segment: 'Potential loyalist' },
  B: { r: 1, f: 1, m: 1, segment: 'Lost' },
  C: { r: 2, f: 1, m: 1, segment: 'Hibernating' },
  D: { r: 5, f: 3, m: 2, segment: 'Potential loyalist' },
  G: { r: 3, f: 1, m: 5, segment: 'Need attention' },
  I: { r: 1, f: 5, m: 3, segment: 'At risk' },
};

describe('RFM segments on the tiny shop', () => {
  let warehouse: Warehouse;
  let result: RfmSegmentation;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: new Date('2024-01-01T00:00:00Z') });
    result = await assignRfmSegments(warehouse, { asOf: '2023-04-01', scoresTable: null });
  });
  afterAll(() => warehouse.close());

  it('scores and segments every customer as computed by hand', async () => {
    const rows = await warehouse.query('SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, fm_score, rfm_score, segment FROM customer_rfm ORDER BY customer_id');
    const actual = Object.fromEntries(rows.map((r) => [r.customer_id, { r: r.r_score, f: r.f_score, m: r.m_score, segment: r.segment }]));
    expect(actual).toEqual(EXPECTED);
    expect(rows.map((r) => r.rfm_score)).toEqual(['443', '111', '211', '532', '315', '153']);
    expect(rows.map((r) => r.recency_days)).toEqual([17, 71, 59, 0, 29, 68]);
    expect(rows.map((r) => r.monetary)).toEqual([55.5, 15, 0, 47.25, 99, 55.5]);
  });

  it('summarises every segment: size, share, revenue and revenue share', () => {
    expect(result.customers).toBe(6);
    expect(result.revenue).toBeCloseTo(272.25, 10);
    expect(result.segments.map((s) => s.name)).toEqual([...RFM_SEGMENT_NAMES]);
    const byName = Object.fromEntries(result.segments.map((s) => [s.name, s]));
    expect(byName['Potential loyalist']).toMatchObject({ customers: 2, share: 2 / 6, revenue: 102.75 });
    expect(byName['Potential loyalist']!.revenueShare).toBeCloseTo(102.75 / 272.25, 12);
    expect(byName['Need attention']).toMatchObject({ customers: 1, revenue: 99 });
    expect(byName.Champions).toMatchObject({ customers: 0, share: 0, revenue: 0, predictedValue: null });
    expect(Number.isNaN(byName.Champions!.meanRecencyDays)).toBe(true);
    expect(byName['Potential loyalist']!.meanRecencyDays).toBeCloseTo((17 + 0) / 2, 12);
    expect(result.segments.reduce((s, x) => s + x.customers, 0)).toBe(6);
    expect(result.segments.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
  });

  it('reports what each score stands for and the R × FM grid', () => {
    const band = (score: number) => result.scoreBands[score - 1]!;
    expect(band(1)).toMatchObject({ recencyDays: [68, 71], frequency: [1, 1], monetary: [0, 15], customersR: 2, customersF: 3, customersM: 2 });
    expect(band(2)).toMatchObject({ recencyDays: [59, 59], frequency: null, customersF: 0 }); // the tie block of one-time buyers skips F 2
    expect(band(3).monetary).toEqual([55.5, 55.5]);
    expect(result.grid[0]).toEqual([1, 0, 0, 1, 0]); // R 1: B (FM 1), I (FM 4)
    expect(result.grid.flat().reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('adds predicted value and its share from the scores table', async () => {
    await warehouse.execute("CREATE OR REPLACE TABLE test_scores AS SELECT * FROM (VALUES ('A', 10.0), ('B', 50.0), ('C', 0.0), ('D', 30.0), ('G', 5.0), ('I', 40.0)) t(customer_id, predicted_clv_12m)");
    const withScores = await assignRfmSegments(warehouse, { asOf: '2023-04-01', scoresTable: 'test_scores', table: 'customer_rfm_scored' });
    expect(withScores.predictedValue).toBeCloseTo(135, 12);
    const loyalists = withScores.segments.find((s) => s.name === 'Potential loyalist')!;
    expect(loyalists.predictedValue).toBeCloseTo(40, 12); // A 10 + D 30
    expect(loyalists.predictedValueShare).toBeCloseTo(40 / 135, 12);
  });

  it('is JSON-serialisable as is', () => {
    const copy = JSON.parse(JSON.stringify(result)) as RfmSegmentation;
    expect(copy.segments[2]).toEqual(result.segments[2]);
    expect(copy.grid).toEqual(result.grid);
  });

  it('takes a custom map and rejects one that leaves cells without a segment', async () => {
    const twoSegments: RfmSegmentRule[] = [
      { segment: 'recent', r: [3, 5], fm: [1, 5], description: 'recent', action: 'keep' },
      { segment: 'lapsed', r: [1, 2], fm: [1, 5], description: 'lapsed', action: 'win back' },
    ];
    const custom = await assignRfmSegments(warehouse, { asOf: '2023-04-01', scoresTable: null, rules: twoSegments, table: 'customer_rfm_custom' });
    expect(custom.segments.map((s) => [s.name, s.customers])).toEqual([
      ['recent', 3],
      ['lapsed', 3],
    ]);
    await expect(assignRfmSegments(warehouse, { asOf: '2023-04-01', rules: twoSegments.slice(0, 1) })).rejects.toThrow(/matches no segment/);
  });
});

describe('RFM scores with many ties', () => {
  it('gives equal values equal scores and fills the bands by rank', async () => {
    const warehouse = await memoryWarehouse();
    try {
      // 1,000 customers; frequency 1 + (i mod 7) days, spend in 9 distinct amounts, last purchase 0..49 days before the as-of day
      await warehouse.execute(`
        INSERT INTO transactions (order_id, customer_id, ts, amount, quantity, unit_price, is_return, is_outlier, ingest_id, source, source_line, row_hash)
        SELECT 'o' || c.i || '-' || k.j, 'c' || lpad(CAST(c.i AS VARCHAR), 4, '0'),
          TIMESTAMP '2024-06-30 10:00:00' - to_days(CAST((c.i % 50) + 3 * k.j AS INTEGER)),
          (10.0 * (1 + c.i % 9)) / (1 + c.i % 7), 1, 1, FALSE, FALSE, 1, 'synthetic', c.i, md5(c.i || '-' || k.j)
        FROM range(1000) c(i), range(7) k(j) WHERE k.j <= c.i % 7`);
      const summary = await assignRfmSegments(warehouse, { asOf: '2024-06-30', scoresTable: null });
      expect(summary.customers).toBe(1000);
      for (const [value, score] of [['recency_days', 'r_score'], ['frequency', 'f_score'], ['monetary', 'm_score']]) {
        const [split] = await warehouse.query(`SELECT count(*) AS n FROM (SELECT ${value} FROM customer_rfm GROUP BY ${value} HAVING count(DISTINCT ${score}) > 1) x`);
        expect(Number(split!.n), `${value} values with more than one ${score}`).toBe(0);
        // the score of a value is 1 + ⌊5 · (customers with a worse value) / n⌋
        const rows = await warehouse.query(`SELECT ${value} AS v, min(${score}) AS s, count(*) AS c FROM customer_rfm GROUP BY ${value} ORDER BY ${value} ${value === 'recency_days' ? 'DESC' : 'ASC'}`);
        let worse = 0;
        for (const row of rows) {
          expect(Number(row.s), `${value} = ${row.v}`).toBe(1 + Math.floor((5 * worse) / 1000));
          worse += Number(row.c);
        }
      }
    } finally {
      await warehouse.close();
    }
  });
});
