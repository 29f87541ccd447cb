/**
 * The quote and escape DuckDB's sniffer chose are given to the readers that follow it (the sample view, the head, the
 * judging pass), which otherwise each sniffed the same lines again for them (~25 ms of CPU each). The values read must
 * not change: quoted delimiters, doubled quotes, backslash escapes, single quotes, a file without quotes, and a file
 * whose delimiter is given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { inspectSource } from '../../src/ingest/inspect-source.js';
import { stageSource } from '../../src/ingest/stage-source.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

describe('the readers given the sniffer quote and escape', () => {
  const scratch = useScratchWarehouse();

  it.each([
    ['doubled quotes', 'customer_id,date,amount,description\n"a","2023-01-01","10","hello, world"\n"b","2023-01-02","20.5","say ""hi"""\na,2023-02-01,5,plain\n', `quote = '"'`, ['hello, world', 'say "hi"', 'plain']],
    ['backslash escapes', 'customer_id;date;amount;description\n"a";"2023-01-01";"10";"semi; colon"\n"b";"2023-01-02";"20.5";"say \\"hi\\""\na;2023-02-01;5;plain\n', `escape = '\\'`, ['semi; colon', 'say "hi"', 'plain']],
    ["single quotes", "customer_id,date,amount,description\n'a','2023-01-01','10','hello, world'\n'b','2023-01-02','20.5','two'\na,2023-02-01,5,plain\n", `quote = ''''`, ['hello, world', 'two', 'plain']],
    ['no quotes', 'customer_id,date,amount,description\na,2023-01-01,10,one\nb,2023-01-02,20.5,it"s\na,2023-02-01,5,plain\n', `quote = ''`, ['one', 'it"s', 'plain']],
  ])('%s: the same values, read with the quote and escape sniffed once', async (_name, text, dialect, descriptions) => {
    const path = join(scratch.dir, 'x.csv');
    writeFileSync(path, text);
    const staged = await stageSource(scratch.warehouse, inspectSource(path));
    expect(staged.relation).toContain(dialect);
    expect(staged.readAgain).toContain(dialect);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect([report.files[0]!.rowsRead, report.files[0]!.accepted, report.files[0]!.quarantined]).toEqual([3, 3, 0]);
    const rows = await scratch.warehouse.query('SELECT description, amount FROM transactions ORDER BY source_line');
    expect(rows.map((r) => r.description)).toEqual(descriptions);
    expect(rows.map((r) => r.amount)).toEqual([10, 20.5, 5]);
  });

  it('a delimiter given: the quote and escape the sniffer chose with it', async () => {
    const path = join(scratch.dir, 'given.csv');
    writeFileSync(path, 'customer_id;date;amount;description\n"a";2023-01-01;10;"x; y"\nb;2023-01-02;20.5;"say ""hi"""\n');
    const staged = await stageSource(scratch.warehouse, inspectSource(path), { delimiter: ';' });
    expect(staged.relation).toContain(`quote = '"'`);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, delimiter: ';' });
    expect([report.files[0]!.rowsRead, report.files[0]!.accepted]).toEqual([2, 2]);
    expect((await scratch.warehouse.query('SELECT description FROM transactions ORDER BY source_line')).map((r) => r.description)).toEqual(['x; y', 'say "hi"']);
  });
});
