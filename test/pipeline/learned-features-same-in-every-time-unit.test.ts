/**
 * The learned models' features must order the customers the same way whatever `--time-unit` says: the trees bin each
 * feature by rank, so a feature that is only rescaled (days → weeks) gives the same model. Found on the CDNOW sample:
 * `litt` = Σ log(gap in the unit) was handed to the trees as MBG/CNBD-k measures it, and changing the unit shifts it by
 * (gaps) · log(unit days) — a shift that grows with the customer's gap count, so customers swapped places. The churn
 * validation AUC was 0.785 (day), 0.791 (week), 0.789 (month) on the same data, and at `--time-unit day` customers.csv's
 * churn_probability fell back to MBG/NBD's (AUC 0.786). Without `litt`, all three units gave 0.790.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { MODEL_FEATURE_NAMES, queryLearnedSnapshot, type LearnedSnapshot } from '../../src/pipeline/learned-snapshot.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

// a: one gap of 30 days (Σ log gap: log 30 = 3.40 in days, log(30/7) = 1.46 in weeks)
// b: two gaps of 6 days (2·log 6 = 3.58 in days, 2·log(6/7) = −0.31 in weeks): above a in days, below it in weeks
// c: three gaps of 10 days; d: one purchase only
const PURCHASES: [string, string, number][] = [
  ['a', '2023-01-02', 20], ['a', '2023-02-01', 30],
  ['b', '2023-01-05', 10], ['b', '2023-01-11', 12], ['b', '2023-01-17', 14],
  ['c', '2023-01-03', 5], ['c', '2023-01-13', 5], ['c', '2023-01-23', 5], ['c', '2023-02-02', 8],
  ['d', '2023-01-20', 40],
];

describe('learned features in every time unit', () => {
  let warehouse: Warehouse;
  const snapshots = new Map<string, LearnedSnapshot>();
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    const values = PURCHASES.map(([id, day, amount], i) => `('${id}', TIMESTAMP '${day} 10:00:00', ${amount}, false, false, 1, 's', ${i + 1}, 'h${i}')`);
    await warehouse.execute(`INSERT INTO transactions (customer_id, ts, amount, is_return, is_outlier, ingest_id, source, source_line, row_hash) VALUES ${values.join(', ')}`);
    for (const timeUnit of ['day', 'week', 'month'] as const) snapshots.set(timeUnit, await queryLearnedSnapshot(warehouse, { asOf: '2023-02-28', labelEnd: '2023-03-31', timeUnit, grain: 'day' }));
  });
  afterAll(() => warehouse.close());

  /** A column by customer id, so that the comparison does not rest on the row order. */
  const byCustomer = (unit: string, feature: number) => {
    const s = snapshots.get(unit)!;
    return new Map(s.customerIds.map((id, row) => [id, s.features[feature]![row]!]));
  };

  it('gives the trees features that rank the customers the same in days, weeks and months', () => {
    const ids = snapshots.get('day')!.customerIds;
    expect(ids).toHaveLength(4);
    MODEL_FEATURE_NAMES.forEach((name, f) => {
      const day = byCustomer('day', f);
      for (const unit of ['week', 'month']) {
        const other = byCustomer(unit, f);
        for (const x of ids) {
          for (const y of ids) {
            const [dx, dy, ox, oy] = [day.get(x)!, day.get(y)!, other.get(x)!, other.get(y)!];
            if (Number.isNaN(dx) || Number.isNaN(dy)) continue;
            expect(Math.sign(dx - dy), `${name}: customers ${x}, ${y} in days (${dx}, ${dy}) and ${unit}s (${ox}, ${oy})`).toBe(Math.sign(ox - oy));
          }
        }
      }
    });
  });

  it("keeps MBG/CNBD-k's litt in the time unit (Σ log gap in weeks at --time-unit week)", () => {
    const week = snapshots.get('week')!;
    const b = week.customerIds.indexOf(week.customerIds.find((_, row) => week.rfm.frequency[row] === 2)!);
    expect(week.litt[b]).toBeCloseTo(2 * Math.log(6 / 7), 8);
    const day = snapshots.get('day')!;
    expect(day.litt[day.customerIds.indexOf(week.customerIds[b]!)]).toBeCloseTo(2 * Math.log(6), 8);
  });
});
