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

  it('keeps them, times to the second and doubles bit for bit where a double goes beside them as RowBinary, in one INSERT', async () => {
    const texts = ['plain', 'a\tb', 'line1\nline2', 'cr\rlf', 'back\\slash', '\\N', '', null, 'quote\'s "double"', 'ünïcode ✓ 😀'];
    const times = texts.map((_, i) => (i === 7 ? null : new Date(Date.UTC(2024, 0, 1 + i, i, 2 * i, 3 * i, 999))));
    const amounts = texts.map((_, i) => (i === 3 ? null : (i + 1) / 7));
    await clickhouse.execute('CREATE TABLE binary_probe (customer_id VARCHAR NOT NULL, t VARCHAR, ts TIMESTAMP, d DATE, amount DOUBLE, n BIGINT)');
    const sent: string[] = [];
    const exec = clickhouse['client'].exec.bind(clickhouse['client']);
    const insert = clickhouse['client'].insert.bind(clickhouse['client']);
    clickhouse['client'].exec = ((params: { query: string }) => (sent.push(params.query), exec(params as never))) as never;
    clickhouse['client'].insert = ((params: { table: string }) => (sent.push(`INSERT ${params.table}`), insert(params as never))) as never;
    try {
      await clickhouse.append('binary_probe', { customer_id: texts.map((_, i) => `c${i}`), t: texts, ts: times, d: times, amount: amounts, n: texts.map((_, i) => i) });
    } finally {
      clickhouse['client'].exec = exec as never;
      clickhouse['client'].insert = insert as never;
    }
    expect(sent).toEqual([expect.stringMatching(/^INSERT INTO \S+\.binary_probe \(customer_id, t, ts, d, amount, n\) FORMAT RowBinary$/)]);
    const rows = await clickhouse.query('SELECT customer_id, t, ts, d, amount, n FROM binary_probe ORDER BY n');
    expect(rows.map((r) => r.t)).toEqual(texts);
    expect(rows.map((r) => (r.ts === null ? null : (r.ts as Date).toISOString()))).toEqual(times.map((t) => (t === null ? null : `${t.toISOString().slice(0, 19)}.000Z`)));
    expect(rows.map((r) => (r.d === null ? null : (r.d as Date).toISOString().slice(0, 10)))).toEqual(times.map((t) => (t === null ? null : t.toISOString().slice(0, 10))));
    expect(rows.map((r) => r.amount)).toEqual(amounts);
    await expect(clickhouse.append('binary_probe', { customer_id: ['c_old'], ts: [new Date('1965-05-01T10:00:00Z')], amount: [1.5], n: [99] })).rejects.toThrow(/has the time 1965-05-01T10:00:00.000Z/);
  });
});
