/**
 * The duplicate rule of event and profile files runs after the pass that applies the other rules (as for transactions):
 * pinned here row by row — a copy of an accepted line is `duplicate` with `same as line N` and its text; a copy of a
 * rejected line keeps that line's reason and detail; an event the warehouse holds is `duplicate` without a detail; event
 * types are lower-cased with runs of spaces and hyphens made one '_'; missing-value tokens are no id.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const quarantined = 'SELECT source, CAST(line AS INTEGER) AS line, reason, detail, raw FROM quarantine ORDER BY source, line';

describe('duplicates and types of an event file, and duplicates of a profile file', () => {
  const scratch = useScratchWarehouse();

  it('marks copies, copies of rejected lines and held events as before, each with its text', async () => {
    const { warehouse, dir } = scratch;
    const header = 'session_id,customer_id,anonymous_id,ts,type';
    writeFileSync(join(dir, 'events.csv'), [
      header,
      'S1,C1,,2023-03-01T10:00:00,Page View', // 2
      'S1,C1,,2023-03-01T10:00:00,Page View', // 3: copy of 2
      'S2,N/A,a1,someday,view', // 4: bad date
      'S2,N/A,a1,someday,view', // 5: copy of a rejected line: its own reason
      'S3,-,,2023-03-02T10:00:00,add  to--Cart', // 6
      ',null,,2023-03-02T11:00:00,view', // 7: no id at all
      'S4,C2,,2023-03-03T10:00:00,Weird-Type', // 8
    ].join('\n') + '\n');
    const first = await ingestFiles(warehouse, [join(dir, 'events.csv')], { now: NOW });
    expect(first.files[0]!.rules).toMatchObject({ duplicate: 1, bad_date: 2, missing_customer_id: 1 });
    const events = await warehouse.query('SELECT CAST(source_line AS INTEGER) AS line, customer_id, session_id, type FROM events ORDER BY source_line');
    expect(events).toEqual([
      { line: 2, customer_id: 'C1', session_id: 'S1', type: 'page_view' }, // a page view without a product is no product view (session 34)
      { line: 6, customer_id: null, session_id: 'S3', type: 'add_to_cart' },
      { line: 8, customer_id: 'C2', session_id: 'S4', type: 'weird_type' },
    ]);
    writeFileSync(join(dir, 'events-again.csv'), [header, 'S4,C2,,2023-03-03T10:00:00,Weird-Type', 'S5,C3,,2023-03-04T10:00:00,login'].join('\n') + '\n');
    await ingestFiles(warehouse, [join(dir, 'events-again.csv')], { now: NOW });
    expect(await warehouse.query(quarantined)).toEqual([
      { source: 'events-again.csv', line: 2, reason: 'duplicate', detail: null, raw: 'S4,C2,,2023-03-03T10:00:00,Weird-Type' },
      { source: 'events.csv', line: 3, reason: 'duplicate', detail: 'same as line 2', raw: 'S1,C1,,2023-03-01T10:00:00,Page View' },
      { source: 'events.csv', line: 4, reason: 'bad_date', detail: 'date: someday', raw: 'S2,N/A,a1,someday,view' },
      { source: 'events.csv', line: 5, reason: 'bad_date', detail: 'date: someday', raw: 'S2,N/A,a1,someday,view' },
      { source: 'events.csv', line: 7, reason: 'missing_customer_id', detail: null, raw: ',null,,2023-03-02T11:00:00,view' },
    ]);
  });

  it('numbers the lines of events after a line the reader rejects', async () => {
    const { warehouse, dir } = scratch;
    writeFileSync(join(dir, 'events.csv'), ['session_id,customer_id,ts,type', 'S1,C1,2023-03-01T10:00:00,view', 'S1,C1,2023-03-01T10:00:00,view,EXTRA', 'S2,C2,2023-03-02T10:00:00,login', 'S2,C2,2023-03-02T10:00:00,login'].join('\n') + '\n');
    const report = await ingestFiles(warehouse, [join(dir, 'events.csv')], { now: NOW });
    expect(report.files[0]!.rules).toMatchObject({ malformed_row: 1, duplicate: 1 });
    expect((await warehouse.query('SELECT CAST(source_line AS INTEGER) AS line FROM events ORDER BY 1')).map((r) => r.line)).toEqual([2, 4]);
    expect((await warehouse.query(quarantined)).map((r) => [r.line, r.reason, r.detail])).toEqual([[3, 'malformed_row', expect.any(String)], [5, 'duplicate', 'same as line 4']]);
  });

  it('marks a copied profile line a duplicate of the first, with its text', async () => {
    const { warehouse, dir } = scratch;
    writeFileSync(join(dir, 'customers.csv'), ['customer_id,signup_date,acquisition_channel', 'K1,2023-01-01,ads', 'K2,2023-01-02,seo', 'K1,2023-01-01,ads', 'K3,bad,ads', 'K3,bad,ads'].join('\n') + '\n');
    const report = await ingestFiles(warehouse, [join(dir, 'customers.csv')], { now: NOW });
    expect(report.files[0]!.rules).toMatchObject({ duplicate: 1, bad_date: 2 });
    expect(await warehouse.query(quarantined)).toEqual([
      { source: 'customers.csv', line: 4, reason: 'duplicate', detail: 'same as line 2', raw: 'K1,2023-01-01,ads' },
      { source: 'customers.csv', line: 5, reason: 'bad_date', detail: 'sign-up date: bad', raw: 'K3,bad,ads' },
      { source: 'customers.csv', line: 6, reason: 'bad_date', detail: 'sign-up date: bad', raw: 'K3,bad,ads' },
    ]);
  });
});
