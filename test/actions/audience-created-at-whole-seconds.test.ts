import { describe, expect, it } from 'vitest';
import { listAudiences, readAudience } from '../../src/actions/audience-store.js';
import { wholeSecondsIso } from '../../src/core/whole-seconds.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

// audiences.created_at is kept to the second on both engines (a ClickHouse DateTime holds no milliseconds; the
// two-engine side: test/engine/clickhouse/audience-two-engines.test.ts). A row DuckDB wrote before, with its
// milliseconds, is printed to the second too, as the cluster would have kept it.
describe('audiences.created_at to the whole second', () => {
  it('wholeSecondsIso drops the milliseconds, nothing else', () => {
    expect(wholeSecondsIso(new Date('2026-03-04T10:20:30.456Z'))).toBe('2026-03-04T10:20:30.000Z');
    expect(wholeSecondsIso(new Date('2026-03-04T23:59:59.999Z'))).toBe('2026-03-04T23:59:59.000Z');
  });

  it('a stored audience with milliseconds (written by an older clvkit on DuckDB) lists and shows without them', async () => {
    await withMemoryWarehouse(async (warehouse) => {
      await warehouse.execute(
        "INSERT INTO audiences (name, created_at, send_date, where_expr, play, holdout, seed, assignment, members, treatment, control) VALUES ('old', TIMESTAMP '2026-03-04 10:20:30.456', TIMESTAMP '2026-03-10 00:00:00', 'frequency >= 1', NULL, 0.1, 1, 'seeded', 0, 0, 0)",
      );
      expect((await listAudiences(warehouse)).map((a) => a.createdAt)).toEqual(['2026-03-04T10:20:30.000Z']);
      expect((await readAudience(warehouse, 'old')).createdAt).toBe('2026-03-04T10:20:30.000Z');
    });
  });
});
