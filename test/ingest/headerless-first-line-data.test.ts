import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse, writeLines } from '../helpers/warehouse.js';

// DuckDB's sniffer takes a first line for a header when one of its values does not fit the type of the lines below
// (12.5 over whole amounts). A headerless log then lost its first order: with --map by position it was read as the
// header, silently ("rows read 3" of 4); without --map no role matched the "column names" 1001, 2024-01-03, 12.5.
// A line holding a date, or numbers only, is data: no header names its columns so.
const LINES = ['1001,2024-01-03,12.5', '1002,2024-01-04,3', '1001,2024-02-03,7', '1002,2024-03-04,3'];
const NOW = new Date('2024-06-01T00:00:00Z');

describe('a headerless file whose first line the sniffer takes for a header', () => {
  const scratch = useScratchWarehouse({ file: true });
  const write = (name: string, lines: readonly string[]) => writeLines(scratch.dir, name, lines);

  it('keeps its first line as data when the columns are mapped by position', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('ids.csv', LINES)], { now: NOW, keyring: keyringFromKey(generateKey()), map: { customer_id: '1', date: '2', amount: '3' } });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
  });

  it('guesses the roles from the values when nothing is mapped', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('ids.csv', LINES)], { now: NOW, keyring: keyringFromKey(generateKey()) });
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
  });

  it('a first line of names beside a date is data too', async () => {
    const names = ['alice,2024-01-03,12.5', 'bob,2024-01-04,3', 'alice,2024-02-03,7', 'bob,2024-03-04,3'];
    const report = await ingestFiles(scratch.warehouse, [write('names.csv', names)], { now: NOW, keyring: keyringFromKey(generateKey()), map: { customer_id: '1', date: '2', amount: '3' } });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
  });

  it('a real header is still a header, and --header keeps a data-looking first line as one', async () => {
    const keyring = keyringFromKey(generateKey());
    const withHeader = ['customer,date,amount', ...LINES];
    const report = await ingestFiles(scratch.warehouse, [write('named.csv', withHeader)], { now: NOW, keyring });
    expect(report.files[0]!.hasHeader).toBe(true);
    expect(report).toMatchObject({ rowsRead: 4, accepted: 4 });
    const forced = await ingestFiles(scratch.warehouse, [write('forced.csv', LINES)], { now: NOW, keyring, header: true, map: { customer_id: '1', date: '2', amount: '3' } });
    expect(forced.files[0]!.hasHeader).toBe(true);
    expect(forced.rowsRead).toBe(3);
  });
});
