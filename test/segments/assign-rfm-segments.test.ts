import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row, Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { assignRfmSegments, type RfmSegmentation } from '../../src/segments/assign-rfm-segments.js';
import { sameForAllWarning } from '../../src/segments/rfm-same-for-all.js';
import { RFM_SEGMENT_NAMES, type RfmSegmentRule } from '../../src/segments/rfm-segment-rules.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';
import { copyTableToClickHouse } from '../../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences } from '../helpers/clickhouse.js';

// The tiny shop as of 2023-04-01 (n = 6; W / B = customers with a strictly worse / better value,
// score = 1 + ⌊5 W / (W + B)⌋, 5 when B = 0; with distinct values W / (W + B) = (rank − 1) / 5):
//   customer  days since last  occasions  net spend   R  F  M   FM = ⌊(F+M)/2⌋  segment
//   A         17 (03-15)       3          55.50       5  5  4   4               Champions
//   B         71 (01-20)       1          15.00       1  1  2   1               Lost
//   C         59 (02-01)       1           0.00       3  1  1   1               About to sleep   (bought 10, returned 10)
//   D          0 (04-01)       2          47.25       5  4  3   3               Potential loyalist (two orders on 01-10 are one day)
//   G         29 (03-03)       1          99.00       4  1  5   3               Potential loyalist
//   I         68 (01-23)       4          55.50       2  5  4   4               At risk
// Ties: B, C, G share frequency 1, the worst (W 0 → F 1); D: W 3, B 2 → F 4; A: W 4, B 1 → F 5.
// A and I share 55.50 (W 3, B 1 → M 4 both).
const EXPECTED: Record<string, { r: number; f: number; m: number; segment: string }> = {
  A: { r: 5, f: 5, m: 4, segment: 'Champions' },
  B: { r: 1, f: 1, m: 2, segment: 'Lost' },
  C: { r: 3, f: 1, m: 1, segment: 'About to sleep' },
  D: { r: 5, f: 4, m: 3, segment: 'Potential loyalist' },
  G: { r: 4, f: 1, m: 5, segment: 'Potential loyalist' },
  I: { r: 2, f: 5, m: 4, segment: 'At risk' },
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

  it('has no dimension the same for every customer, and no warning', () => {
    expect(result.sameForAll).toEqual([]);
    expect(sameForAllWarning(result)).toBeNull();
  });

  it('scores and segments every customer as computed by hand', async () => {
    const rows = await warehouse.query('SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, fm_score, rfm_score, segment FROM customer_rfm ORDER BY customer_id');
    const actual = Object.fromEntries(rows.map((r) => [r.customer_id, { r: r.r_score, f: r.f_score, m: r.m_score, segment: r.segment }]));
    expect(actual).toEqual(EXPECTED);
    expect(rows.map((r) => r.rfm_score)).toEqual(['554', '112', '311', '543', '415', '254']);
    expect(rows.map((r) => r.recency_days)).toEqual([17, 71, 59, 0, 29, 68]);
    expect(rows.map((r) => r.monetary)).toEqual([55.5, 15, 0, 47.25, 99, 55.5]);
  });

  it('summarises every segment: size, share, revenue and revenue share', () => {
    expect(result.customers).toBe(6);
    expect(result.revenue).toBeCloseTo(272.25, 10);
    expect(result.segments.map((s) => s.name)).toEqual([...RFM_SEGMENT_NAMES]);
    const byName = Object.fromEntries(result.segments.map((s) => [s.name, s]));
    expect(byName['Potential loyalist']).toMatchObject({ customers: 2, share: 2 / 6, revenue: 146.25 });
    expect(byName['Potential loyalist']!.revenueShare).toBeCloseTo(146.25 / 272.25, 12);
    expect(byName.Champions).toMatchObject({ customers: 1, revenue: 55.5 });
    expect(byName['Need attention']).toMatchObject({ customers: 0, share: 0, revenue: 0, predictedValue: null });
    expect(Number.isNaN(byName['Need attention']!.meanRecencyDays)).toBe(true);
    expect(byName['Potential loyalist']!.meanRecencyDays).toBeCloseTo((0 + 29) / 2, 12);
    expect(result.segments.reduce((s, x) => s + x.customers, 0)).toBe(6);
    expect(result.segments.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
  });

  it('reports what each score stands for and the R × FM grid', () => {
    const band = (score: number) => result.scoreBands[score - 1]!;
    expect(band(1)).toMatchObject({ recencyDays: [71, 71], frequency: [1, 1], monetary: [0, 0], customersR: 1, customersF: 3, customersM: 1 });
    expect(band(2)).toMatchObject({ recencyDays: [68, 68], frequency: null, customersF: 0 }); // the tie block of one-time buyers: F 1, then D (2 occasions) F 4
    expect(band(4).monetary).toEqual([55.5, 55.5]);
    expect(band(5)).toMatchObject({ recencyDays: [0, 17], frequency: [3, 4], customersR: 2, customersF: 2 }); // the best value scores 5, and so does the next (q = 0.8)
    expect(result.grid[0]).toEqual([1, 0, 0, 0, 0]); // R 1: B (FM 1)
    expect(result.grid[1]).toEqual([0, 0, 0, 1, 0]); // R 2: I (FM 4)
    expect(result.grid.flat().reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('adds predicted value and its share from the scores table', async () => {
    await warehouse.execute("CREATE OR REPLACE TABLE test_scores AS SELECT * FROM (VALUES ('A', 10.0), ('B', 50.0), ('C', 0.0), ('D', 30.0), ('G', 5.0), ('I', 40.0)) t(customer_id, predicted_clv_12m)");
    const withScores = await assignRfmSegments(warehouse, { asOf: '2023-04-01', scoresTable: 'test_scores', table: 'customer_rfm_scored' });
    expect(withScores.predictedValue).toBeCloseTo(135, 12);
    const loyalists = withScores.segments.find((s) => s.name === 'Potential loyalist')!;
    expect(loyalists.predictedValue).toBeCloseTo(35, 12); // D 30 + G 5
    expect(loyalists.predictedValueShare).toBeCloseTo(35 / 135, 12);
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
      ['recent', 4], // A, C, D, G
      ['lapsed', 2], // B, I
    ]);
    await expect(assignRfmSegments(warehouse, { asOf: '2023-04-01', rules: twoSegments.slice(0, 1) })).rejects.toThrow(/matches no segment/);
  });
});

describe('RFM scores with many ties', () => {
  it('gives equal values equal scores, from the customers ranked worse and better', async () => {
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
        // the score of a value is 1 + ⌊5 W / (W + B)⌋ (5 when B = 0), W / B = customers with a worse / better value
        const rows = await warehouse.query(`SELECT ${value} AS v, min(${score}) AS s, count(*) AS c FROM customer_rfm GROUP BY ${value} ORDER BY ${value} ${value === 'recency_days' ? 'DESC' : 'ASC'}`);
        let worse = 0;
        for (const row of rows) {
          const better = 1000 - worse - Number(row.c);
          expect(Number(row.s), `${value} = ${row.v}`).toBe(better === 0 ? 5 : 1 + Math.floor((5 * worse) / (worse + better)));
          worse += Number(row.c);
        }
        expect(Number(rows[0]!.s), `the worst ${value}`).toBe(1);
        expect(Number(rows[rows.length - 1]!.s), `the best ${value}`).toBe(5);
      }
    } finally {
      await warehouse.close();
    }
  });
});

// The shop of the recency-tie defect (as of 2023-12-31, 100 customers c00..c99):
//   c00–c84 last bought on the as-of day (recency 0: 85 tied, the best value);
//   c85–c99 last bought 100–114 days before (distinct, the worst 15);
//   c00–c59 bought once (60 tied, the worst frequency), c60–c99 twice (40 tied, the best);
//   every purchase of ci is 10 + i, so net spend is distinct (10–69 once, 140–218 twice).
// Scores (W / B = customers strictly worse / better, score 1 + ⌊5 W / (W + B)⌋, 5 when B = 0):
//   R: c00–c84 W 15, B 0 → 5; c85–c99 W 0–14, B ≥ 85 → 1
//   F: one-time buyers W 0 → 1; c60–c99 B 0 → 5
//   M: c_i W = i, B = 99 − i → 1 + ⌊5 i / 99⌋ (5 for c99): 1 for i < 20, 2, 3, 4, 5 for i ≥ 80
//   segments: New c00–c39 (R 5, FM 1), Potential loyalist c40–c59 (FM 2), Champions c60–c84 (FM 4–5),
//   Can't lose them c85–c99 (R 1, FM 5). Before the fix all 100 had R 1: Lost 60, At risk 25, Can't lose them 15.
async function insertRecencyTieShop(warehouse: Warehouse): Promise<void> {
  await warehouse.execute(`
    INSERT INTO transactions (order_id, customer_id, ts, amount, quantity, unit_price, is_return, is_outlier, ingest_id, source, source_line, row_hash)
    SELECT 'o' || c.i || '-' || k.j, 'c' || lpad(CAST(c.i AS VARCHAR), 2, '0'),
      CASE WHEN k.j = 1 THEN TIMESTAMP '2023-01-02 10:00:00'
           WHEN c.i < 85 THEN TIMESTAMP '2023-12-31 10:00:00'
           ELSE TIMESTAMP '2023-12-31 10:00:00' - to_days(CAST(100 + c.i - 85 AS INTEGER)) END,
      10.0 + c.i, 1, 10.0 + c.i, FALSE, FALSE, 1, 'synthetic', c.i * 2 + k.j, md5(c.i || '-' || k.j)
    FROM range(100) c(i), range(2) k(j) WHERE k.j = 0 OR c.i >= 60`);
}

async function expectRecencyTieScores(warehouse: Warehouse): Promise<RfmSegmentation> {
  const summary = await assignRfmSegments(warehouse, { asOf: '2023-12-31', scoresTable: null });
  expect(summary.customers).toBe(100);
  const rows = await warehouse.query('SELECT customer_id, recency_days, frequency, r_score, f_score, m_score, segment FROM customer_rfm ORDER BY customer_id');
  const index = (r: Row) => Number(String(r.customer_id).slice(1));
  const recent = rows.filter((r) => Number(r.recency_days) === 0);
  expect(recent).toHaveLength(85);
  expect(new Set(recent.map((r) => Number(r.r_score)))).toEqual(new Set([5])); // before: all 1
  expect(new Set(rows.filter((r) => Number(r.recency_days) > 0).map((r) => Number(r.r_score)))).toEqual(new Set([1]));
  expect(new Set(rows.filter((r) => Number(r.frequency) === 1).map((r) => Number(r.f_score)))).toEqual(new Set([1])); // the worst tie block: F 1
  expect(new Set(rows.filter((r) => Number(r.frequency) === 2).map((r) => Number(r.f_score)))).toEqual(new Set([5])); // the best tie block: F 5 (before: 4)
  for (const r of rows) expect(Number(r.m_score), String(r.customer_id)).toBe(Math.min(5, 1 + Math.floor((5 * index(r)) / 99)));
  const bySegment = Object.fromEntries(summary.segments.map((s) => [s.name, s.customers]));
  expect(bySegment).toMatchObject({ New: 40, 'Potential loyalist': 20, Champions: 25, "Can't lose them": 15, Lost: 0, 'At risk': 0 });
  expect(summary.scoreBands.map((b) => b.customersR)).toEqual([15, 0, 0, 0, 85]);
  return summary;
}

describe('RFM scores of ties respect the direction (recent, frequent, big = good)', () => {
  it('customers tied on the most recent purchase day get the top recency score, and the best tie block of F the top F', async () => {
    const warehouse = await memoryWarehouse();
    try {
      await insertRecencyTieShop(warehouse);
      await expectRecencyTieScores(warehouse);
    } finally {
      await warehouse.close();
    }
  });

  it('a dimension on which every customer ties gets the middle score 3 for everyone', async () => {
    const warehouse = await memoryWarehouse();
    try {
      // 10 customers, each bought once on the as-of day: recency and frequency tie for all; spend 10..19
      await warehouse.execute(`
        INSERT INTO transactions (order_id, customer_id, ts, amount, quantity, unit_price, is_return, is_outlier, ingest_id, source, source_line, row_hash)
        SELECT 'o' || i, 'c' || i, TIMESTAMP '2023-12-31 10:00:00', 10.0 + i, 1, 10.0 + i, FALSE, FALSE, 1, 'synthetic', i, md5(CAST(i AS VARCHAR))
        FROM range(10) t(i)`);
      const rfm = await assignRfmSegments(warehouse, { asOf: '2023-12-31', scoresTable: null });
      const rows = await warehouse.query('SELECT r_score, f_score, m_score FROM customer_rfm ORDER BY customer_id');
      expect(rows.map((r) => [Number(r.r_score), Number(r.f_score)])).toEqual(new Array(10).fill([3, 3]));
      expect(rows.map((r) => Number(r.m_score))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]); // distinct: 1 + ⌊5 i / 9⌋
      // one purchase day: the segments' names ('Loyal: buy often') said what the data cannot tell; now a warning says so
      expect(rfm.sameForAll).toEqual(['recency', 'frequency']);
      expect(sameForAllWarning(rfm)).toBe('RFM: recency and frequency are the same for every customer, so everyone scores 3 on them: the segments rank by monetary value alone, and what their names say about recency and frequency does not apply');
    } finally {
      await warehouse.close();
    }
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`RFM scores of ties on ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  it('customers tied on the most recent purchase day get the top recency score, as on DuckDB', async () => {
    const duck = await memoryWarehouse();
    const clickhouse = await clickhouseWarehouse('rfm_ties');
    try {
      await insertRecencyTieShop(duck);
      await copyTableToClickHouse(duck, clickhouse, 'transactions');
      const [onDuck, onClickHouse] = [await expectRecencyTieScores(duck), await expectRecencyTieScores(clickhouse)];
      expect(differences(onDuck, onClickHouse)).toEqual([]);
    } finally {
      await clickhouse.dropDatabase();
      await clickhouse.close();
      await duck.close();
    }
  }, 120_000);
});
