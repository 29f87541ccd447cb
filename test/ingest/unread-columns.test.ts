import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport, type IngestReport } from '../../src/ingest/ingest-report.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A column no role reads is not stored. It was left out of the ingest report without a word (only a column that looks
// like personal data had a warning): now every file's report lists them (`unreadColumns`) and the report table says so.
const FILES = {
  'orders.csv': ['order_id,customer_id,date,amount,loyalty_tier,store', 'O1,C1,2023-01-02,10,gold,north', 'O2,C2,2023-01-03,20,silver,south'],
  'events.csv': ['session_id,customer_id,ts,type,browser', 'S1,C1,2023-01-02T10:00:00,view,firefox'],
  'profiles.csv': ['customer_id,signup_date,acquisition_channel,newsletter,email', 'C1,2023-01-01,paid,yes,c1@example.com'],
  'plain.csv': ['order_id,customer_id,date,amount', 'O9,C9,2023-01-04,5'],
};

describe('columns no role reads', () => {
  let warehouse: Warehouse;
  let report: IngestReport;
  beforeAll(async () => {
    const dir = scratchDir();
    for (const [name, lines] of Object.entries(FILES)) writeFileSync(join(dir, name), lines.join('\n') + '\n');
    warehouse = await memoryWarehouse();
    report = await ingestFiles(warehouse, Object.keys(FILES).map((name) => join(dir, name)), { keyring: keyringFromKey(generateKey()), now: new Date('2024-01-01T00:00:00Z') });
  }, 60_000);
  afterAll(() => warehouse?.close());

  it('are listed in every file report, in file order (transactions, events, profiles; none for a file whose every column is read)', () => {
    expect(report.files.map((f) => [f.source.split('/').pop(), f.kind, f.unreadColumns])).toEqual([
      ['orders.csv', 'transactions', ['loyalty_tier', 'store']],
      ['events.csv', 'events', ['browser']],
      ['profiles.csv', 'customers', ['newsletter', 'email']],
      ['plain.csv', 'transactions', []],
    ]);
    expect(report.accepted).toBe(5);
  });

  it('are named in the report table, under the file', () => {
    const text = formatIngestReport(report);
    expect(text).toContain('  not read (not stored): loyalty_tier, store\n');
    expect(text).toContain('  not read (not stored): browser\n');
    expect(text).toContain('  not read (not stored): newsletter, email\n');
    expect(text.match(/not read \(not stored\)/g)).toHaveLength(3);
  });
});
