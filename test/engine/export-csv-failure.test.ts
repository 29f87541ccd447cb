import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// An export whose query fails part-way must fail and leave no file behind: a half-written CSV looks like a finished one
// to whoever picks it up (an audience file, customers.csv). On ClickHouse it used to succeed with the rows sent before
// the failure.
const dir = scratchDir('clvkit-export-failure-');

async function expectNoFileAfterFailure(warehouse: Warehouse, failingSql: string): Promise<void> {
  const path = join(dir, `${warehouse.dialect.name}.csv`);
  await expect(warehouse.exportCsv(failingSql, path)).rejects.toThrow();
  expect(existsSync(path)).toBe(false);
  // and a good export to the same path still works
  expect(await warehouse.exportCsv('SELECT 1 AS one', path)).toBe(1);
  expect(existsSync(path)).toBe(true);
}

describe('exportCsv when the query fails part-way', () => {
  it('DuckDB leaves no file', async () => {
    const w = await memoryWarehouse();
    try {
      await expectNoFileAfterFailure(w, "SELECT i, CASE WHEN i < 150000 THEN i ELSE CAST('x' || CAST(i AS VARCHAR) AS INTEGER) END AS v FROM range(300000) t(i)");
    } finally {
      await w.close();
    }
  });

  describe.skipIf(!CLICKHOUSE_URL)(`ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
    let wh: Awaited<ReturnType<typeof clickhouseWarehouse>> | undefined;
    afterAll(() => dropScratchDatabase(wh));
    const failing = 'SELECT number, throwIf(number >= 150000) AS v FROM system.numbers LIMIT 300000';
    it('leaves no file', async () => {
      wh = await clickhouseWarehouse('export_failure');
      await expectNoFileAfterFailure(wh, failing);
    });
    // the same failure arrived after 131,072 rows had been sent, as one more line with HTTP status 200: every read
    // returned those rows as if they were the whole result
    it('fails query, queryColumns and stream too, instead of returning the rows sent before the failure', async () => {
      wh ??= await clickhouseWarehouse('export_failure');
      await expect(wh.query(failing)).rejects.toThrow(/throwIf|non zero/);
      await expect(wh.queryColumns(failing)).rejects.toThrow(/throwIf|non zero/);
      let streamed = 0;
      await expect(wh.stream(failing, (rows) => void (streamed += rows.length))).rejects.toThrow(/throwIf|non zero/);
      expect(streamed).toBe(0);
    });
  });
});
