import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { countingStatements, useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

/**
 * A JSON Lines file is read line by line through the engine's streaming reader,
 * never as one text value (read_text + string_split held the whole file, and
 * its list of lines, in memory: a 118 MB event file ran out of the ingest's
 * 256 MiB cap with an internal error).
 */
describe('JSON Lines ingest streams its lines', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  it('numbers the lines with insertion order kept, also after an ingest step that turned it off (an event file\'s cleaning)', async () => {
    // the line of a row is its position in the scratch table: without preserve_insertion_order, threads may insert
    // the file's chunks out of order. The events path leaves it off; a JSON Lines file read next must turn it on.
    const path = join(scratch.dir, 'after-events.jsonl');
    writeFileSync(path, '{"customer_id": "C1", "date": "2023-01-01", "amount": 10}\nnot json\n');
    await scratch.warehouse.execute('SET preserve_insertion_order = false');
    const { counted, statements } = countingStatements(scratch.warehouse);
    await ingestFiles(counted, [path], { now: NOW });
    const staging = statements.findIndex((sql) => /TEMP TABLE clv_json_lines/.test(sql));
    const settings = statements.slice(0, staging).filter((sql) => /preserve_insertion_order/.test(sql));
    expect(staging).toBeGreaterThan(0);
    expect(settings.at(-1)).toMatch(/preserve_insertion_order = true/);
  });

  it('reads a JSON Lines file without read_text, keeping line numbers and malformed lines', async () => {
    const path = join(scratch.dir, 'orders.jsonl');
    // line 3 blank, line 4 not JSON, line 5 an array, line 6 ends in CRLF, line 7 has a comma and quotes in a value
    writeFileSync(
      path,
      [
        '{"customer_id": "C1", "date": "2023-01-01", "amount": 10}',
        '{"customer_id": "C2", "date": "2023-01-02", "amount": 20.50}',
        '',
        'not json',
        '[1, 2]',
        '{"customer_id": "C3", "date": "2023-01-03", "amount": 5}\r',
        '{"customer_id": "C4, \\"the\\" fourth", "date": "2023-01-04", "amount": 7}',
        '# not a comment',
      ].join('\n') + '\n',
    );
    const { counted, statements } = countingStatements(scratch.warehouse);
    const report = await ingestFiles(counted, [path], { now: NOW });
    expect(statements.filter((sql) => /read_text|string_split\(/i.test(sql))).toEqual([]);
    expect(report).toMatchObject({ rowsRead: 7, accepted: 4, quarantined: 3 });
    expect(await scratch.warehouse.query('SELECT source_line AS line, customer_id, amount::DOUBLE AS amount FROM transactions ORDER BY source_line')).toEqual([
      { line: 1, customer_id: 'C1', amount: 10 },
      { line: 2, customer_id: 'C2', amount: 20.5 },
      { line: 6, customer_id: 'C3', amount: 5 },
      { line: 7, customer_id: 'C4, "the" fourth', amount: 7 },
    ]);
    expect(await scratch.warehouse.query("SELECT line, raw FROM quarantine WHERE reason = 'malformed_row' ORDER BY line")).toEqual([
      { line: 4, raw: 'not json' },
      { line: 5, raw: '[1, 2]' },
      { line: 8, raw: '# not a comment' },
    ]);
  });

  it('ingests a JSON Lines file whose text does not fit in the engine memory at once', async () => {
    // ~19 MB of lines under a 40 MiB limit: the whole text and its list of lines took more than the limit
    const line = (i: number) => `{"customer_id": "C${i % 5000}", "date": "2023-01-${String(1 + (i % 28)).padStart(2, '0')}", "amount": ${1 + (i % 90)}, "note": "${'x'.repeat(40)}"}`;
    const path = join(scratch.dir, 'big.jsonl');
    const rows = 160_000;
    writeFileSync(path, Array.from({ length: rows }, (_, i) => line(i)).join('\n') + '\nnot json\n');
    await scratch.warehouse.execute("SET memory_limit = '40MiB'"); // a lower limit than the ingest's cap is kept
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report).toMatchObject({ rowsRead: rows + 1, accepted: rows, quarantined: 1 });
    expect(await scratch.warehouse.query("SELECT line FROM quarantine WHERE reason = 'malformed_row'")).toEqual([{ line: rows + 1 }]);
  }, 60_000);

  it('refuses a JSON Lines file that is not UTF-8 in one line', async () => {
    const path = join(scratch.dir, 'latin1.jsonl');
    writeFileSync(path, Buffer.concat([Buffer.from('{"customer_id": "C1", "date": "2023-01-01", "amount": 1}\n{"customer_id": "Jos'), Buffer.from([0xe9]), Buffer.from('", "date": "2023-01-02", "amount": 2}\nnot json\n')]));
    const failure = ingestFiles(scratch.warehouse, [path], { now: NOW });
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(/cannot read .*latin1\.jsonl as JSON Lines/);
  });
});
