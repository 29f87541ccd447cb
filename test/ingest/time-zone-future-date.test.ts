/**
 * future_date compared a date in shop time with the time of ingest in UTC:
 * east of UTC a recent order was refused (with --timezone +05:30 an order
 * written …Z an hour ago is stored 4½ hours after the ingest's UTC clock),
 * west of it an order hours ahead was let in. The ingest time is now taken in
 * the shop's zone; where the zone is unknown (wall times kept) the widest
 * offset, +14:00, is allowed so that no real recent order is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { latestShopTimeIso, parseTimezone } from '../../src/ingest/time-zone-offsets.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-10T12:00:00Z');

describe('future_date is judged on the shop clock', () => {
  const scratch = useScratchWarehouse();
  const ingest = (lines: string[], timezone?: string) => {
    const path = join(scratch.dir, 'orders.csv');
    writeFileSync(path, ['order_id,customer_id,date,amount', ...lines].join('\n') + '\n');
    return ingestFiles(scratch.warehouse, [path], { now: NOW, ...(timezone ? { timezone } : {}) });
  };
  const quarantined = async () => (await scratch.warehouse.query("SELECT line FROM quarantine WHERE reason = 'future_date' ORDER BY line")).map((r) => Number(r.line));

  it('east of UTC (--timezone +05:30): orders of 1 and 3 hours ago are accepted, one a day ahead is not', async () => {
    const report = await ingest(['o1,A,2025-01-10T11:00:00Z,10', 'o2,B,2025-01-10T09:00:00Z,11', 'o3,C,2025-01-11T12:00:00Z,12'], '+05:30');
    expect([report.accepted, report.rules.future_date]).toEqual([2, 1]);
    expect(await quarantined()).toEqual([4]);
  });

  it('west of UTC (--timezone America/New_York): an order 3 hours ahead is future_date, one an hour ago is not', async () => {
    const report = await ingest(['o1,A,2025-01-10T15:00:00Z,10', 'o2,B,2025-01-10T06:00:00-05:00,11'], 'America/New_York');
    expect([report.accepted, report.rules.future_date]).toEqual([1, 1]);
    expect(await quarantined()).toEqual([2]);
  });

  it('zone unknown (no offsets, no --timezone): a shop at +05:30 writing its wall time an hour ago is accepted; 15 hours ahead is not', async () => {
    const report = await ingest(['o1,A,2025-01-10 16:30:00,10', 'o2,B,2025-01-11 03:00:00,11']);
    expect([report.accepted, report.rules.future_date]).toEqual([1, 1]);
    expect(await quarantined()).toEqual([3]);
  });

  it('event and profile files too', async () => {
    const events = join(scratch.dir, 'events.csv');
    writeFileSync(events, ['session_id,anonymous_id,ts,type', 'S1,a1,2025-01-10T11:00:00Z,view', 'S1,a1,2025-01-11T11:00:00Z,view'].join('\n') + '\n');
    const profiles = join(scratch.dir, 'profiles.csv');
    writeFileSync(profiles, ['customer_id,signup_date,acquisition_channel', 'C1,2025-01-10T11:00:00Z,paid', 'C2,2025-01-11T11:00:00Z,paid'].join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [events, profiles], { now: NOW, timezone: '+05:30' });
    expect(report.files.map((f) => [f.accepted, f.rules.future_date])).toEqual([[1, 1], [1, 1]]);
  });

  it('the latest time accepted: now in the shop zone, +14:00 when wall times are kept or no zone applies', () => {
    expect(latestShopTimeIso(NOW, parseTimezone('+05:30'))).toBe('2025-01-10T17:30:00.000Z');
    expect(latestShopTimeIso(NOW, parseTimezone('America/New_York'))).toBe('2025-01-10T07:00:00.000Z');
    expect(latestShopTimeIso(new Date('2025-07-10T12:00:00Z'), parseTimezone('America/New_York'))).toBe('2025-07-10T08:00:00.000Z');
    expect(latestShopTimeIso(NOW, parseTimezone('keep'))).toBe('2025-01-11T02:00:00.000Z');
    expect(latestShopTimeIso(NOW, undefined)).toBe('2025-01-11T02:00:00.000Z');
  });
});
