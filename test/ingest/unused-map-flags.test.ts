import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { combineIngestReports, formatIngestReport } from '../../src/ingest/ingest-report.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// One --map list serves files of every kind, so a flag for a role of another kind is passed over for each file. When no
// file of the ingest has that role (--map session_id=sid with order files only), the flag did nothing without a word:
// the ingest report now says which flags no file read.
const ORDERS = ['order_id,customer_id,date,amount,sid', 'O1,C1,2023-01-02,10,s1'];
const EVENTS = ['session_id,customer_id,ts,type', 'S1,C1,2023-01-02T10:00:00,view'];

describe('--map flags no file of the ingest reads', () => {
  it('are named in the report (warnings, and the report table), with the kinds that have the role', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'orders.csv'), ORDERS.join('\n') + '\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [join(dir, 'orders.csv')], { map: { session_id: 'sid', signup_date: 'sid', customer_id: 'customer_id' }, now: new Date('2024-01-01T00:00:00Z') });
      expect(report.warnings).toEqual([
        '--map session_id=sid was not used: no event file in this ingest (session_id is a role of event files)',
        '--map signup_date=sid was not used: no customer profile file in this ingest (signup_date is a role of customer profile files)',
      ]);
      expect(formatIngestReport(report)).toContain('warning: --map session_id=sid was not used');
    } finally {
      await warehouse.close();
    }
  });

  it('are judged over every file of a run: an event file read in another call uses session_id', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'orders.csv'), ORDERS.join('\n') + '\n');
    writeFileSync(join(dir, 'events.csv'), EVENTS.join('\n') + '\n');
    const warehouse = await memoryWarehouse();
    try {
      const map = { session_id: 'session_id' };
      const orders = await ingestFiles(warehouse, [join(dir, 'orders.csv')], { map, now: new Date('2024-01-01T00:00:00Z') });
      const events = await ingestFiles(warehouse, [join(dir, 'events.csv')], { map, kind: 'events', now: new Date('2024-01-01T00:00:00Z') });
      expect(orders.warnings).toHaveLength(1);
      expect(events.warnings).toEqual([]);
      expect(combineIngestReports([...orders.files, ...events.files], map).warnings).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });
});
