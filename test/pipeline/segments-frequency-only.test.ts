/**
 * Clusters of a frequency-only log (customer and date only, amounts NULL): net spend and the share of value
 * returned are not known, so they are no cluster features (regression: report.html showed “net spend 0” for
 * every cluster of such a log, and the method named monetary among the features clustered on).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { runSegments, type SegmentsResult } from '../../src/pipeline/run-segments.js';

describe('segments of a frequency-only log', () => {
  let warehouse: Warehouse;
  let segments: SegmentsResult;
  beforeAll(async () => {
    warehouse = await openDuckDbWarehouse(':memory:');
    for (const column of ['amount', 'unit_price']) await warehouse.execute(`ALTER TABLE transactions ALTER COLUMN ${column} DROP NOT NULL`).catch(() => undefined);
    await warehouse.execute(`
      INSERT INTO transactions
      SELECT NULL, 'c' || CAST(c AS VARCHAR), TIMESTAMP '2023-01-01' + to_days(CAST(hash(c * 7919 + k) % 365 AS INTEGER)), NULL, NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, FALSE, FALSE, 1, 'gen', c * 100 + k, md5(CAST(c AS VARCHAR) || '-' || CAST(k AS VARCHAR))
      FROM range(300) r(c), range(1 + c % 6) s(k)`);
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2023-12-31', timeUnit: 'week' })}`);
    segments = await runSegments(warehouse, { asOf: '2023-12-31', grain: 'day', scoresTable: null, clusters: 'auto', orderValues: false });
  }, 120_000);
  afterAll(() => warehouse.close());

  it('clusters on behaviour without net spend or the share of value returned', () => {
    const names = segments.clusters.features.map((f) => f.name);
    expect(names).toContain('frequency');
    expect(names).not.toContain('monetary');
    expect(names).not.toContain('return_rate');
    expect(segments.clusters.method).not.toMatch(/monetary|return_rate/);
    for (const c of segments.clusters.clusters) expect(c.means).toHaveLength(names.length);
  });
});
