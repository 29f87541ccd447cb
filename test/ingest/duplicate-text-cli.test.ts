import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { captureIo } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

/** The quarantine rows of the tiny shop's one exact copy (line 18 repeats line 3) after `clvkit ingest` with `flags`. */
async function duplicateRows(flags: readonly string[]): Promise<{ rowsRead: number; quarantined: number; rows: Record<string, unknown>[] }> {
  const db = join(scratchDir(), 'w.duckdb');
  const c = captureIo();
  expect(await runCli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db, '--json', ...flags], c.io)).toBe(0);
  const report = JSON.parse(c.stdout());
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const rows = await warehouse.query("SELECT line, raw IS NULL AS no_text, detail IS NULL AS no_detail FROM quarantine WHERE reason = 'duplicate' ORDER BY line");
    return { rowsRead: report.rowsRead, quarantined: report.quarantined, rows };
  } finally {
    await warehouse.close();
  }
}

describe('clvkit ingest stores duplicates by reference unless --keep-duplicate-text', () => {
  it('keeps line, reason and detail of an exact copy but not its text by default; --keep-duplicate-text keeps the text; the counts are the same', async () => {
    const byReference = await duplicateRows([]);
    expect(byReference.rows).toEqual([{ line: 18, no_text: true, no_detail: false }]);
    const withText = await duplicateRows(['--keep-duplicate-text']);
    expect(withText.rows).toEqual([{ line: 18, no_text: false, no_detail: false }]);
    expect({ rowsRead: withText.rowsRead, quarantined: withText.quarantined }).toEqual({ rowsRead: byReference.rowsRead, quarantined: byReference.quarantined });
    expect(byReference.rowsRead).toBe(22);
  });

  it('lists the flag in --help of ingest and analyze', async () => {
    for (const command of ['ingest', 'analyze']) {
      const c = captureIo();
      expect(await runCli([command, '--help'], c.io)).toBe(0);
      expect(c.stdout()).toMatch(/--keep-duplicate-text/);
    }
  });
});
