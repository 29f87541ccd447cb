/**
 * The shop zone is chosen from the first 20,000 dates; the judging pass reads
 * every row. A file whose sampled dates carry no offset but whose later rows
 * do (their offsets not read), one whose later rows carry an offset the
 * sample did not, and one mixing dates with and without an offset were
 * ingested without a word. The judging pass now counts the offsets it meets
 * and warns (one line, with counts) about those it did not expect.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { detectShopTimezone } from '../../src/ingest/time-zone-offsets.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

describe('offsets the judging pass did not expect are warned about', () => {
  const scratch = useScratchWarehouse();
  const ingest = (lines: string[], kind: 'orders' | 'events' = 'orders') => {
    const path = join(scratch.dir, `${kind}.csv`);
    writeFileSync(path, [kind === 'orders' ? 'order_id,customer_id,date,amount' : 'session_id,anonymous_id,ts,type', ...lines].join('\n') + '\n');
    return ingestFiles(scratch.warehouse, [path], { now: NOW });
  };

  it('sampled dates without offsets, later rows with: their offsets are not read, and a warning counts them', async () => {
    // The sample is the first 20,000 dates: 20,000 plain ones, then 3 with an offset.
    const rows = Array.from({ length: 20_000 }, (_, i) => `o${i},C${i % 500},2023-01-0${1 + (i % 9)} 10:00:00,10`);
    const report = await ingest([...rows, 'x1,A,2023-02-01T10:00:00+02:00,10', 'x2,A,2023-02-02T10:00:00+02:00,10', 'x3,B,2023-02-03T10:00:00Z,10']);
    expect(report.accepted).toBe(20_003);
    expect(report.files[0]!.timezone).toBeUndefined();
    expect(report.files[0]!.warnings).toEqual([
      '3 dates past the first 20,000 carry a UTC offset the sampled dates did not (+02:00: 2, UTC: 1): not read, kept at wall time; pass --timezone (a zone name such as America/New_York, or a fixed offset) to convert them',
    ]);
  }, 60_000);

  it('a later offset outside the sampled ones is converted, and counted in a warning', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `o${i},C${i % 500},2023-01-0${1 + (i % 9)}T10:00:00-05:00,10`);
    const report = await ingest([...rows, 'x1,A,2023-07-01T10:00:00-04:00,10']);
    expect(report.files[0]!.timezone).toBe('-05:00');
    expect(report.files[0]!.warnings).toEqual([
      '1 date past the first 20,000 carries a UTC offset the sampled dates did not (-04:00: 1): converted to -05:00 like the others; if the file follows daylight saving pass its zone, e.g. --timezone America/New_York',
    ]);
    const [row] = await scratch.warehouse.query("SELECT CAST(ts AS VARCHAR) AS ts FROM transactions WHERE order_id = 'x1'");
    expect(row!.ts).toBe('2023-07-01 09:00:00');
  }, 60_000);

  it('dates with and without an offset in one file: a warning counts both', async () => {
    const report = await ingest(['p1,A,2011-01-04T23:30:00+01:00,10', 'p2,A,2011-01-05T00:30:00+0100,11', 'p3,B,2011-01-05 08:00:00,12']);
    expect(report.files[0]!.warnings).toEqual(['dates mix 2 with a UTC offset and 1 without: those without are taken as shop time (+01:00)']);
  });

  it('an event file too', async () => {
    const report = await ingest(['S1,a1,2023-03-01T23:50:00-05:00,view', 'S2,a2,2023-03-02 08:00:00,view'], 'events');
    expect(report.files[0]!.warnings).toEqual(['dates mix 1 with a UTC offset and 1 without: those without are taken as shop time (-05:00)']);
  });

  it('the detection returns the sampled offsets it judged by', async () => {
    await scratch.warehouse.execute("CREATE TABLE s AS SELECT * FROM (VALUES ('2023-01-01T10:00:00Z'), ('2023-01-01T10:00:00-05:00'), ('2023-01-01T11:00:00-05:00')) t(d)");
    expect((await detectShopTimezone(scratch.warehouse, 's', 'd', undefined)).sampledOffsets).toEqual([-300, 0]);
  });
});
