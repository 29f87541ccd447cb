import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

// append sends TabSeparated text: tabs, newlines, backslashes and the text "\N" must come back as they went
describe.skipIf(!CLICKHOUSE_URL)(`append escapes text fields${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let clickhouse: ClickHouseWarehouse;
  beforeAll(async () => {
    clickhouse = await clickhouseWarehouse('text_fields');
  }, 60_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  it('keeps tabs, newlines, carriage returns, backslashes, "\\N" and NULL apart, into an entry table and a sharded one', async () => {
    const texts = ['plain', 'a\tb', 'line1\nline2', 'cr\rlf', 'back\\slash', '\\N', '', null, 'quote\'s "double"', 'ünïcode ✓'];
    await clickhouse.execute('CREATE OR REPLACE TABLE text_probe (i BIGINT NOT NULL, t VARCHAR, ok BOOLEAN)');
    await clickhouse.execute('CREATE TABLE text_sharded (customer_id VARCHAR NOT NULL, t VARCHAR)');
    await clickhouse.append('text_probe', { i: texts.map((_, i) => i), t: texts, ok: texts.map((t) => t === null) });
    await clickhouse.append('text_sharded', { customer_id: texts.map((_, i) => `c${i}`), t: texts });
    const rows = await clickhouse.query('SELECT i, t, ok FROM text_probe ORDER BY i');
    expect(rows.map((r) => r.t)).toEqual(texts);
    expect(rows.map((r) => Number(r.ok))).toEqual(texts.map((t) => (t === null ? 1 : 0)));
    const sharded = await clickhouse.query('SELECT customer_id, t FROM text_sharded');
    expect(new Map(sharded.map((r) => [r.customer_id, r.t]))).toEqual(new Map(texts.map((t, i) => [`c${i}`, t])));
  });
});
