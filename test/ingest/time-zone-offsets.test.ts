/**
 * Dates with a UTC offset (Shopify, Stripe exports: `…-05:00`, `…Z`) were
 * stored at their wall time with the offset dropped: a file mixing offsets
 * was misordered and mis-dated near midnight. They are now converted to one
 * shop time: `timezone` (--timezone) or, by default, the offset most common
 * in the file; dates without an offset are taken as shop time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { parseTimezone } from '../../src/ingest/time-zone-offsets.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function write(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('dates with UTC offsets are converted to one shop time', () => {
  const scratch = useScratchWarehouse();
  const stored = async () =>
    (await scratch.warehouse.query('SELECT order_id, CAST(ts AS VARCHAR) AS ts FROM transactions ORDER BY ts, order_id')).map((r) => `${r.order_id} ${r.ts}`);

  // Three orders in New York time (-05:00) and two written in UTC (Z): o2 was placed at 23:30 New York time on
  // 4 January (04:30Z on the 5th), o4 at 20:00 on the 4th in New York (01:00Z on the 5th).
  const MIXED = [
    'order_id,customer_id,date,amount',
    'o1,A,2011-01-04T09:00:00-05:00,10',
    'o2,A,2011-01-05T04:30:00Z,11',
    'o3,B,2011-01-04T22:00:00-05:00,12',
    'o4,B,2011-01-05T01:00:00Z,13',
    'o5,C,2011-01-05T00:15:00-05:00,14',
  ];

  it('a file mixing offsets is ordered and dated in the commonest offset (-05:00), and the report names it', async () => {
    const report = await ingestFiles(scratch.warehouse, [write(scratch.dir, 'mixed.csv', MIXED)], { now: NOW });
    expect([report.rowsRead, report.accepted, report.quarantined]).toEqual([5, 5, 0]);
    expect(await stored()).toEqual([
      'o1 2011-01-04 09:00:00',
      'o4 2011-01-04 20:00:00',
      'o3 2011-01-04 22:00:00',
      'o2 2011-01-04 23:30:00',
      'o5 2011-01-05 00:15:00',
    ]);
    expect(report.files[0]!.timezone).toBe('-05:00');
    expect(report.files[0]!.warnings.join(' ')).toMatch(/dates carry more than one UTC offset \(-05:00: 3, UTC: 2 of 5 sampled\); converted to -05:00, the commonest; pass --timezone/);
  });

  it('--timezone UTC converts every value to UTC', async () => {
    const report = await ingestFiles(scratch.warehouse, [write(scratch.dir, 'mixed.csv', MIXED)], { now: NOW, timezone: 'UTC' });
    expect(report.files[0]!.timezone).toBe('UTC');
    expect(await stored()).toEqual([
      'o1 2011-01-04 14:00:00',
      'o4 2011-01-05 01:00:00',
      'o3 2011-01-05 03:00:00',
      'o2 2011-01-05 04:30:00',
      'o5 2011-01-05 05:15:00',
    ]);
  });

  /** Ingests order lines (order_id,customer_id,date,amount), every one accepted; the zone the report names, and what is held in time order. */
  const ingestOrders = async (rows: string[]) => {
    const report = await ingestFiles(scratch.warehouse, [write(scratch.dir, 'orders.csv', ['order_id,customer_id,date,amount', ...rows])], { now: NOW });
    expect([report.rowsRead, report.accepted]).toEqual([rows.length, rows.length]);
    return { timezone: report.files[0]!.timezone, warnings: report.files[0]!.warnings, held: await stored() };
  };

  it('a file with one offset keeps its wall times; values without an offset are shop time (a warning counts the mix)', async () => {
    expect(await ingestOrders(['p1,A,2011-01-04T23:30:00+01:00,10', 'p2,A,2011-01-05T00:30:00+0100,11', 'p3,B,2011-01-05 08:00:00,12', 'p4,B,2011-01-06,13'])).toEqual({
      timezone: '+01:00',
      warnings: ['dates mix 2 with a UTC offset and 2 without: those without are taken as shop time (+01:00)'],
      held: ['p1 2011-01-04 23:30:00', 'p2 2011-01-05 00:30:00', 'p3 2011-01-05 08:00:00', 'p4 2011-01-06 00:00:00'],
    });
  });

  it('a file without offsets is as before: no time zone in its report', async () => {
    expect(await ingestOrders(['q1,A,2011-01-04 23:30:00,10'])).toEqual({ timezone: undefined, warnings: [], held: ['q1 2011-01-04 23:30:00'] });
  });

  it("Shopify's layout, a space before the offset (2023-01-04 10:00:00 -0500), is read and converted", async () => {
    const read = await ingestOrders(['#1001,A,2023-01-04 23:30:00 -0500,12', '#1002,B,2023-01-05 03:00:00 +0000,10', '#1003,C,2023-01-05 09:00:00 -0500,10']);
    expect([read.timezone, read.held]).toEqual(['-05:00', ['#1002 2023-01-04 22:00:00', '#1001 2023-01-04 23:30:00', '#1003 2023-01-05 09:00:00']]);
  });

  it('an event file is converted the same way', async () => {
    const path = write(scratch.dir, 'events.csv', [
      'session_id,anonymous_id,ts,type',
      'S1,a1,2023-03-01T23:50:00-05:00,view',
      'S1,a1,2023-03-02T04:55:00Z,view',
      'S2,a2,2023-03-02T08:00:00-05:00,view',
    ]);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect(report.files[0]!.timezone).toBe('-05:00');
    const rows = await scratch.warehouse.query('SELECT CAST(ts AS VARCHAR) AS ts FROM events ORDER BY ts');
    expect(rows.map((r) => r.ts)).toEqual(['2023-03-01 23:50:00', '2023-03-01 23:55:00', '2023-03-02 08:00:00']);
  });

  it('reads every way of writing an offset, and none in a date, a plain time or a fraction', async () => {
    const { offsetMinutesSql } = await import('../../src/ingest/time-zone-offsets.js');
    const texts = ['2011-01-04', '2011-01-04 10:00', '2011-01-04 10:00:00', '2011-01-04T10:00:00.123456', '2011-01-04T10:00Z', '2011-01-04T10:00:00z',
      '2011-01-04T10:00:00+05:30', '2011-01-04T10:00:00-0330', '2011-01-04T10:00:00+02', '2011-01-04 10:00:00.5 -05:00', '2011-01-04T10:00:00-00:00'];
    const rows = await scratch.warehouse.query(`SELECT v, ${offsetMinutesSql('v')} AS off FROM (VALUES ${texts.map((t) => `('${t}')`).join(', ')}) x(v)`);
    expect(Object.fromEntries(rows.map((r) => [r.v, r.off === null ? null : Number(r.off)]))).toEqual({
      '2011-01-04': null, '2011-01-04 10:00': null, '2011-01-04 10:00:00': null, '2011-01-04T10:00:00.123456': null, '2011-01-04T10:00Z': 0, '2011-01-04T10:00:00z': 0,
      '2011-01-04T10:00:00+05:30': 330, '2011-01-04T10:00:00-0330': -210, '2011-01-04T10:00:00+02': 120, '2011-01-04 10:00:00.5 -05:00': -300, '2011-01-04T10:00:00-00:00': 0,
    });
  });

  it("reads BigQuery's trailing ' UTC' (any case) and an offset with seconds (+01:00:00)", async () => {
    const { offsetMinutesSql } = await import('../../src/ingest/time-zone-offsets.js');
    const texts = ['2023-01-10 03:00:00 UTC', '2023-01-10 03:00:00.123 utc', '2023-01-10T03:00:00+01:00:00', '2023-01-10T03:00:00-05:30:00', '2023-01-10 03:00:00 ETC'];
    const rows = await scratch.warehouse.query(`SELECT v, ${offsetMinutesSql('v')} AS off FROM (VALUES ${texts.map((t) => `('${t}')`).join(', ')}) x(v)`);
    expect(Object.fromEntries(rows.map((r) => [r.v, r.off === null ? null : Number(r.off)]))).toEqual({
      '2023-01-10 03:00:00 UTC': 0, '2023-01-10 03:00:00.123 utc': 0, '2023-01-10T03:00:00+01:00:00': 60, '2023-01-10T03:00:00-05:30:00': -330, '2023-01-10 03:00:00 ETC': null,
    });
  });

  it("converts BigQuery's '… UTC' dates and offsets with seconds to the shop zone instead of keeping or refusing them", async () => {
    const path = write(scratch.dir, 'bq.csv', ['order_id,customer_id,date,amount', 'b1,A,2023-01-10 03:00:00 UTC,10', 'b2,B,2023-01-10T09:00:00+01:00:00,11', 'b3,C,2023-01-10 08:00:00,12']);
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, timezone: '-05:00' });
    expect([report.accepted, report.rules.bad_date, report.files[0]!.timezone]).toEqual([3, 0, '-05:00']);
    expect(await stored()).toEqual(['b1 2023-01-09 22:00:00', 'b2 2023-01-10 03:00:00', 'b3 2023-01-10 08:00:00']);
  });

  it('--timezone takes fixed offsets and UTC (zone names: time-zone-offsets-dst); nonsense is refused with a hint', () => {
    expect(parseTimezone('UTC')).toEqual({ kind: 'offset', minutes: 0, name: 'UTC' });
    expect(parseTimezone('Z')).toEqual({ kind: 'offset', minutes: 0, name: 'UTC' });
    expect(parseTimezone('+05:30')).toEqual({ kind: 'offset', minutes: 330, name: '+05:30' });
    expect(parseTimezone('-0500')).toEqual({ kind: 'offset', minutes: -300, name: '-05:00' });
    expect(parseTimezone('+02')).toEqual({ kind: 'offset', minutes: 120, name: '+02:00' });
    expect(() => parseTimezone('+25:00')).toThrow(UserError);
    expect(() => parseTimezone('+25:00')).toThrow(/--timezone \+25:00/);
  });
});

describe('the shop time zone in what the CLI reports', () => {
  it('ingest names it in its summary and --json; --timezone that names no zone is one line, exit 2, nothing made', async () => {
    const { cli } = await import('../helpers/cli.js');
    const { existsSync } = await import('node:fs');
    const dir = (await import('../helpers/warehouse.js')).scratchDir();
    const path = write(dir, 'orders.csv', ['customer_id,date,amount', 'A,2011-01-04T09:00:00-05:00,10', 'A,2011-01-05T04:30:00Z,11', 'B,2011-01-04T22:00:00-05:00,12']);
    const text = await cli(['ingest', path, '--db', join(dir, 'a.duckdb')]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/dates: iso, offsets converted to shop time -05:00\n {2}warning: dates carry more than one UTC offset/);
    const json = await cli(['ingest', path, '--db', join(dir, 'b.duckdb'), '--timezone', '+01:00', '--json']);
    expect(JSON.parse(json.stdout).files[0].timezone).toBe('+01:00');
    const bad = await cli(['ingest', path, '--db', join(dir, 'c.duckdb'), '--timezone', 'Paris']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clvkit: error: --timezone Paris is not a time zone \(hint: .*daylight saving.*\)\n$/);
    expect(existsSync(join(dir, 'c.duckdb'))).toBe(false);
  });
});
