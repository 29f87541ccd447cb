/**
 * One quote that opens a field and never closes, among the first lines of a file that quotes its fields, makes DuckDB's
 * sniffer read the whole file without quotes: a valid row with a comma inside quotes was quarantined as malformed and
 * quoted values kept their quote marks ('"multi'), and nothing said why (a new user's trial). The ingest now says so,
 * with the line of the quote. Past the sniffer's sample the file is read with quotes, and only the rows around the
 * stray quote are quarantined: nothing to say then.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { quotesFields, unclosedQuoteLine } from '../../src/ingest/quoted-fields.js';
import { useScratchWarehouse, withMemoryWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const HEADER = 'customer_id,date,amount,description';
const STRAY = [HEADER, 'A,2023-01-02,5,plain', 'B,2023-01-03,6,"quoted, comma"', 'D,2023-01-04,8,"multi', 'line"', 'F,2023-01-06,7,ok', 'E,2023-01-05,9,"unbalanced', 'G,2023-01-07,3,after'];

describe('a stray quote in a file that quotes its fields', () => {
  const scratch = useScratchWarehouse();

  it('is found: fields quoted whole, and the line whose quote never closes', () => {
    expect(quotesFields(STRAY, ',')).toBe(true);
    expect(quotesFields([HEADER, 'a,2023-01-01,1,it"s', 'b,2023-01-01,2,"open'], ',')).toBe(false);
    expect(quotesFields(['id;note', 'a;"x; y"'], ';')).toBe(true);
    expect(quotesFields(['id|note', 'a|"say ""hi"""'], '|')).toBe(true);
    expect(unclosedQuoteLine(STRAY, ',')).toBe(7);
    expect(unclosedQuoteLine(STRAY.slice(0, 6), ',')).toBeUndefined(); // the multi-line field closes on line 5
    expect(unclosedQuoteLine([HEADER, 'a,2023-01-01,1,"say ""hi""', 'b,2023-01-01,2,x'], ',')).toBe(2); // ends on a doubled quote: still open
  });

  it('is warned about, with its line; a file without one, or without quoted fields, is not', async () => {
    const warned = async (name: string, lines: readonly string[]) => {
      const path = join(scratch.dir, name);
      writeFileSync(path, lines.join('\n') + '\n');
      const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, map: { description: 'description' } });
      return report.files[0]!.warnings.filter((w) => w.includes('never closes'));
    };
    expect(await warned('stray.csv', STRAY)).toEqual([
      'the file quotes its fields ("…"), but the quote opened on line 7 never closes, so the file was read without quotes: quoted values keep their quote marks and a row with the delimiter inside quotes is split (quarantined as malformed_row); correct that line (close or remove the quote) and ingest the file again',
    ]);
    // closed: read with quotes, every row accepted
    expect(await warned('closed.csv', [...STRAY.slice(0, 6), 'E,2023-01-05,9,"balanced"', 'G,2023-01-07,3,after'])).toEqual([]);
    // read with quotes, a value that starts with an escaped quote ("""Deluxe"" mug, large" is "Deluxe" mug, large): nothing to say (review)
    expect(await warned('escaped.csv', [HEADER, 'A,2023-01-02,5,"""Deluxe"" mug, large"', 'B,2023-01-03,6,"""quoted"""', 'C,2023-01-04,7,plain'])).toEqual([]);
    // no field quoted whole: reading without quotes is right
    expect(await warned('none.csv', [HEADER, 'A,2023-01-02,5,it"s', 'E,2023-01-05,9,"unbalanced', 'G,2023-01-07,3,after'])).toEqual([]);
  });

  // Given --delimiter, the first sniff ran with it and without passing over unreadable lines: it failed on the stray
  // quote ("Error when sniffing"), so did every retry, and the file was refused where without --delimiter it is read
  it.each([
    [',', STRAY],
    [';', STRAY.map((line) => line.replaceAll(',', ';'))],
  ])('a delimiter given (%s): read as without it, the same counts and the same warning', async (delimiter, lines) => {
    const path = join(scratch.dir, 'stray.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    // each into a warehouse of its own: the same file again into one is already ingested
    const outcome = (given?: string) => withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW, map: { description: 'description' }, ...(given === undefined ? {} : { delimiter: given }) });
      const file = report.files[0]!;
      return { counts: [file.rowsRead, file.accepted, file.quarantined], delimiter: file.delimiter, warnings: file.warnings.filter((w) => w.includes('never closes')) };
    });
    const sniffed = await outcome();
    expect(sniffed.counts).toEqual([7, 5, 2]);
    expect(sniffed.delimiter).toBe(delimiter);
    expect(sniffed.warnings).toHaveLength(1);
    expect(sniffed.warnings[0]).toContain('the quote opened on line 7 never closes');
    expect(await outcome(delimiter)).toEqual(sniffed);
  });
});
