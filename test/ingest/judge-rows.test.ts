import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCleanRowsSql, DEFAULT_CLEANING_RULES } from '../../src/ingest/cleaning-rules.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { quarantineContext } from '../../src/privacy/keys/encrypted-columns.js';
import { decryptValue } from '../../src/privacy/keys/encryption.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'order_id,customer_id,order_date,product_id,quantity,unit_price';
const HELD = '1,C1,2023-01-01,P1,1,2.50';
/** Line 1 is the header; every other line is commented with what the ingest must make of it. */
const LINES = [
  HEADER,
  '2,C2,2023-01-02,P2,1,3.00', // 2: accepted
  '3,C3,2023-01-03', // 3: malformed_row (the reader cannot split it into six columns)
  HELD, // 4: duplicate, held by the warehouse already
  '2,C2,2023-01-02,P2,1,3.00', // 5: duplicate, a copy of line 2
  '4,,2023-01-04,P4,1,1.00', // 6: missing_customer_id
  '4,,2023-01-04,P4,1,1.00', // 7: missing_customer_id, and a copy of line 6
  '5,C5,notadate,P5,1,1.00', // 8: bad_date
  '6,C6,2023-01-06,P6,1,4.00', // 9: accepted
  HELD, // 10: duplicate, held and a copy of line 4
];
// Changed deliberately in issue 14: a row rejected as an exact duplicate keeps no text by default
// (IngestOptions.duplicateText 'reference': its text is held already, so a second copy is personal data kept for
// nothing); its line, reason and detail are as before, and the counts are unchanged. A copy rejected for an earlier
// rule (line 7) keeps its text. test/ingest/duplicate-text.test.ts checks the text kept with duplicateText 'text'.
const EXPECTED = [
  { line: 4, raw: null, reason: 'duplicate', detail: null },
  { line: 5, raw: null, reason: 'duplicate', detail: 'same as line 2' },
  { line: 6, raw: LINES[5], reason: 'missing_customer_id', detail: null },
  { line: 7, raw: LINES[6], reason: 'missing_customer_id', detail: 'same as line 6' },
  { line: 8, raw: LINES[7], reason: 'bad_date', detail: 'date: notadate' },
  { line: 10, raw: null, reason: 'duplicate', detail: 'same as line 4' },
];

describe('the judging pass (rules, duplicates, lines and the text of rejected rows)', () => {
  const scratch = useScratchWarehouse();

  function writeFiles(): { held: string; next: string } {
    const held = join(scratch.dir, 'held.csv');
    const next = join(scratch.dir, 'next.csv');
    writeFileSync(held, `${HEADER}\n${HELD}\n`);
    writeFileSync(next, LINES.join('\n') + '\n');
    return { held, next };
  }

  it('quarantines each rejected row on its line with its text, reason and detail; a malformed line before them shifts nothing', async () => {
    const { held, next } = writeFiles();
    await ingestFiles(scratch.warehouse, [held], { now: NOW });
    const report = await ingestFiles(scratch.warehouse, [next], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 9, accepted: 2, quarantined: 7 });
    expect(report.rules).toMatchObject({ malformed_row: 1, duplicate: 3, missing_customer_id: 2, bad_date: 1 });
    const ingestId = Number(report.files[0]!.ingestId);
    const rows = await scratch.warehouse.query(`SELECT line, raw, reason, detail FROM quarantine WHERE ingest_id = ${ingestId} AND reason <> 'malformed_row' ORDER BY line`);
    expect(rows).toEqual(EXPECTED);
    const [malformed] = await scratch.warehouse.query(`SELECT line, raw FROM quarantine WHERE ingest_id = ${ingestId} AND reason = 'malformed_row'`);
    expect(malformed).toEqual({ line: 3, raw: '3,C3,2023-01-03' });
    const accepted = await scratch.warehouse.query(`SELECT source_line AS line, order_id FROM transactions WHERE ingest_id = ${ingestId} ORDER BY source_line`);
    expect(accepted).toEqual([{ line: 2, order_id: '2' }, { line: 9, order_id: '6' }]);
  });

  it('gives the same quarantine with a key, every text encrypted for its own line', async () => {
    const { held, next } = writeFiles();
    const keyring = keyringFromKey(generateKey());
    await ingestFiles(scratch.warehouse, [held], { now: NOW, keyring });
    const report = await ingestFiles(scratch.warehouse, [next], { now: NOW, keyring });
    const ingestId = Number(report.files[0]!.ingestId);
    const rows = await scratch.warehouse.query(`SELECT line, raw, reason, detail FROM quarantine WHERE ingest_id = ${ingestId} AND reason <> 'malformed_row' ORDER BY line`);
    const open = (value: unknown, line: number) => (value === null ? null : decryptValue(String(value), keyring, { context: quarantineContext(ingestId, line) }));
    expect(rows.map((r) => ({ line: r.line, raw: open(r.raw, Number(r.line)), reason: r.reason, detail: open(r.detail, Number(r.line)) }))).toEqual(EXPECTED);
  });

  it('with the duplicate rule off, copies and held rows are accepted and a rejected copy still names the line it copies', async () => {
    const { held, next } = writeFiles();
    await ingestFiles(scratch.warehouse, [held], { now: NOW });
    const report = await ingestFiles(scratch.warehouse, [next], { now: NOW, rules: { duplicate: false } });
    expect(report).toMatchObject({ rowsRead: 9, accepted: 5, quarantined: 4 });
    const rows = await scratch.warehouse.query(`SELECT line, reason, detail FROM quarantine WHERE ingest_id = ${report.files[0]!.ingestId} AND reason <> 'malformed_row' ORDER BY line`);
    expect(rows).toEqual([
      { line: 6, reason: 'missing_customer_id', detail: null },
      { line: 7, reason: 'missing_customer_id', detail: 'same as line 6' },
      { line: 8, reason: 'bad_date', detail: 'date: notadate' },
    ]);
  });

  it('reads the source in one pass that keeps the file order: no join in the plan (lines come from row positions)', async () => {
    const { next } = writeFiles();
    const d = scratch.warehouse.dialect;
    const sql = buildCleanRowsSql({
      dialect: d,
      stageTable: `read_csv(${d.literal(next)}, all_varchar = true, ignore_errors = true)`,
      lineSql: null,
      columns: HEADER.split(','),
      mapping: { order_id: 'order_id', customer_id: 'customer_id', date: 'order_date', product_id: 'product_id', quantity: 'quantity', unit_price: 'unit_price' },
      dateFormats: ['iso'],
      rules: DEFAULT_CLEANING_RULES,
      latestDateIso: NOW.toISOString(),
      rawSeparator: ',',
    });
    const plan = (await scratch.warehouse.query(`EXPLAIN ${sql}`)).map((row) => String(row.explain_value)).join('\n');
    expect(plan).toMatch(/READ_CSV/);
    // an IN list of many values is planned as a hash join, which returns rows out of file order on more than one thread
    expect(plan).not.toMatch(/JOIN/);
  });
});
