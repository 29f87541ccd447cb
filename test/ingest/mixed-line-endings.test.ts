/**
 * Issue 20 item 9: a CSV whose header ends in LF but whose body ends in CRLF
 * (a file assembled from two exports) once stopped the engine's CSV sniffer.
 * It is read: every row, the same values and line numbers as the same file
 * with one line ending throughout.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { inspectSource } from '../../src/ingest/inspect-source.js';
import { normalisedTextCopy } from '../../src/ingest/normalised-text-copy.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'customer_id,date,amount,note\n';
// line 5 has a bad date (quarantined with its line number); line 4 has a quoted field holding a comma
const BODY = ['a,2023-01-01,10,x', 'b,2023-01-02,20.5,y', 'a,2023-02-01,5,"one, two"', 'c,not-a-date,7,z', 'c,2023-03-01,2.25,'];

describe('a CSV whose header ends in LF and whose body ends in CRLF', () => {
  let warehouse: Warehouse;
  let dir: string;
  beforeEach(async () => {
    warehouse = await memoryWarehouse();
    dir = scratchDir();
  });
  afterEach(() => warehouse.close());

  it('is recognised as mixing line endings', () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, HEADER + BODY.join('\r\n') + '\r\n');
    const crlf = join(dir, 'crlf.csv');
    writeFileSync(crlf, (HEADER + BODY.join('\n') + '\n').replaceAll('\n', '\r\n'));
    expect(inspectSource(mixed).mixedLineEndings).toBe(true);
    expect(inspectSource(crlf).mixedLineEndings).toBe(false);
  });

  it.each([
    ['plain', (text: string) => Buffer.from(text)],
    ['gzip', (text: string) => gzipSync(text)],
  ])('is read in full (%s), values and quarantine lines as with LF throughout', async (_name, encode) => {
    const mixed = join(dir, 'mixed.csv' + (_name === 'gzip' ? '.gz' : ''));
    writeFileSync(mixed, encode(HEADER + BODY.join('\r\n') + '\r\n'));
    const report = await ingestFiles(warehouse, [mixed], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 5, accepted: 4, quarantined: 1 });
    const rows = await warehouse.query('SELECT amount FROM transactions ORDER BY ts');
    expect(rows.map((r) => r.amount)).toEqual([10, 20.5, 5, 2.25]);
    const quarantine = await warehouse.query('SELECT line, reason FROM quarantine');
    expect(quarantine).toEqual([{ line: 5, reason: 'bad_date' }]);
  });

  it('is read when the CRLF lines start past the sampled head of the file', async () => {
    const path = join(dir, 'late.csv');
    const lf = Array.from({ length: 20_000 }, (_, i) => `a${i},2023-01-01,10\n`).join('');
    const crlf = Array.from({ length: 3_000 }, (_, i) => `b${i},2023-01-02,5\r\n`).join('');
    writeFileSync(path, 'customer_id,date,amount\n' + lf + crlf);
    expect(inspectSource(path).mixedLineEndings).toBe(false); // the head (256 KB) is LF only
    const report = await ingestFiles(warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ rowsRead: 23_000, accepted: 23_000, quarantined: 0 });
    const [sum] = await warehouse.query('SELECT sum(amount) AS s FROM transactions');
    expect(sum!.s).toBe(20_000 * 10 + 3_000 * 5);
  });

  it("the LF-only copy: every CRLF becomes LF, also across the reader's 64 KB chunks; a lone CR stays", async () => {
    // 9-byte lines: chunk k ends at 65,536·k bytes, which for k = 5 is right after a line's CR
    const text = 'h\rx\n' + 'abcdefg\r\n'.repeat(50_000) + 'end\r';
    const path = join(dir, 'crlf.csv');
    writeFileSync(path, text);
    const copy = await normalisedTextCopy(path, false);
    expect(readFileSync(copy.path, 'latin1')).toBe('h\rx\n' + 'abcdefg\n'.repeat(50_000) + 'end\r');
    copy.remove();
    expect(existsSync(copy.path)).toBe(false);
  });
});
