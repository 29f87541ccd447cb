/**
 * An ingest of several files prints one line per file above the totals —
 * rows read = accepted + quarantined, and how many warnings the file has (a
 * user trial: `ingest a.csv b.csv` showed the per-file counts only in --json).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { FIXTURES, useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const TINY_SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe('the human ingest report of several files', () => {
  const scratch = useScratchWarehouse();

  it('one line per file, their counts adding up to the totals under them; a file held before says nothing was added', async () => {
    const second = join(scratch.dir, 'orders-b.csv');
    // a frequency-only log (one warning), one row without a customer id
    writeFileSync(second, 'order_id,customer_id,date\n1,A,2023-01-01\n2,B,2023-01-02\n3,,2023-01-03\n');
    const report = await ingestFiles(scratch.warehouse, [TINY_SHOP, second], { now: NOW });
    expect(report.files.map((file) => [file.rowsRead, file.accepted, file.quarantined, file.warnings.length])).toEqual([
      [22, 14, 8, 0],
      [3, 2, 1, 1],
    ]);
    const text = formatIngestReport(report).split('\n');
    // the names padded to the longer of the two (the scratch folder's path may be the longer one)
    const width = Math.max(TINY_SHOP.length, second.length);
    expect(text.slice(text.indexOf('per file:'), text.indexOf('per file:') + 5)).toEqual([
      'per file:',
      `  ${TINY_SHOP.padEnd(width)}  22 rows read = 14 accepted + 8 quarantined`,
      `  ${second.padEnd(width)}   3 rows read =  2 accepted + 1 quarantined; 1 warning (above)`,
      '',
      'rows read                       25',
    ]);

    // every file held already: what each one's ingest read, and no per-file lines or totals of zeros
    const again = formatIngestReport(await ingestFiles(scratch.warehouse, [second, TINY_SHOP], { now: NOW })).split('\n');
    expect(again).toEqual([
      expect.stringMatching(/orders-b\.csv: already ingested \(same content, sha256 [0-9a-f]{12}…, ingest 2\): nothing added$/),
      '  ingest 2 (2024-01-01 00:00 UTC) read 3 rows = 2 accepted + 1 quarantined',
      expect.stringMatching(/tiny-shop\.csv: already ingested \(same content, sha256 [0-9a-f]{12}…, ingest 1\): nothing added$/),
      '  ingest 1 (2024-01-01 00:00 UTC) read 22 rows = 14 accepted + 8 quarantined',
      '',
      'nothing added: every file was ingested before (clvkit ingests list shows what each ingest read)',
    ]);
    // beside a file read now, a held file keeps its per-file line
    const third = join(scratch.dir, 'orders-c.csv');
    writeFileSync(third, 'order_id,customer_id,date\n9,C,2023-02-01\n');
    const mixed = formatIngestReport(await ingestFiles(scratch.warehouse, [third, TINY_SHOP], { now: NOW })).split('\n');
    expect(mixed.slice(mixed.indexOf('per file:') + 2, mixed.indexOf('per file:') + 5)).toEqual([
      `  ${TINY_SHOP.padEnd(Math.max(TINY_SHOP.length, third.length))}  already ingested: nothing added`,
      '',
      'rows read                        1',
    ]);
  });

  it('a single file has no per-file lines: its counts are the totals', async () => {
    const text = formatIngestReport(await ingestFiles(scratch.warehouse, [TINY_SHOP], { now: NOW }));
    expect(text).not.toContain('per file:');
    expect(text).toContain('rows read                       22');
  });
});
