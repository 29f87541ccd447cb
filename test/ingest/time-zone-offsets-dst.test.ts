/**
 * Daylight saving: Shopify and most stores write each order in local time with
 * that moment's offset, so a New York file mixes -05:00 (winter) and -04:00
 * (summer). Converting every date to the commonest offset moved summer orders
 * an hour earlier (a 00:30 order to the previous day). Such a file keeps its
 * wall times by default; `--timezone America/New_York` converts each instant
 * to that zone's local time, `--timezone keep` keeps wall times whatever the
 * offsets.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { parseTimezone } from '../../src/ingest/time-zone-offsets.js';
import { cli } from '../helpers/cli.js';
import { NEW_YORK_ORDERS, NEW_YORK_WALL_TIMES } from '../helpers/new-york-orders.js';
import { scratchDir, useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function write(dir: string, name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('daylight saving: one zone, two offsets', () => {
  const scratch = useScratchWarehouse();
  const stored = async () =>
    (await scratch.warehouse.query('SELECT order_id, CAST(ts AS VARCHAR) AS ts FROM transactions ORDER BY ts, order_id')).map((r) => `${r.order_id} ${r.ts}`);
  const ingest = (lines: string[], timezone?: string) =>
    ingestFiles(scratch.warehouse, [write(scratch.dir, 'orders.csv', lines)], { now: NOW, ...(timezone ? { timezone } : {}) });

  it('a file whose offsets are one hour apart keeps its wall times by default, and says so naming the offsets and the flags', async () => {
    const report = await ingest(NEW_YORK_ORDERS);
    expect(report.accepted).toBe(5);
    expect(await stored()).toEqual(NEW_YORK_WALL_TIMES);
    const file = report.files[0]!;
    expect(file.timezone).toBe('keep');
    expect(file.warnings).toHaveLength(1);
    expect(file.warnings[0]).toMatch(/two UTC offsets one hour apart \(-05:00: 3, -04:00: 2 of 5 sampled\).*wall times.*--timezone America\/New_York.*fixed offset/);
  });

  it('--timezone America/New_York converts every instant to New York local time, whatever offset it was written in', async () => {
    const report = await ingest([
      ...NEW_YORK_ORDERS,
      '#1006,D,2023-07-05T04:30:00Z,15', // 00:30 on 5 July in New York (summer: -04:00)
      '#1007,D,2023-01-06T04:30:00Z,16', // 23:30 on 5 January in New York (winter: -05:00)
      '#1008,E,2023-08-01 09:15:00,17', // no offset: shop time
    ], 'America/New_York');
    expect(report.files[0]!.timezone).toBe('America/New_York');
    expect(report.files[0]!.warnings).toEqual([]);
    expect(await stored()).toEqual([
      ...NEW_YORK_WALL_TIMES.slice(0, 1),
      '#1007 2023-01-05 23:30:00',
      ...NEW_YORK_WALL_TIMES.slice(1, 4),
      '#1006 2023-07-05 00:30:00',
      '#1008 2023-08-01 09:15:00',
      ...NEW_YORK_WALL_TIMES.slice(4),
    ]);
  });

  it('--timezone keep keeps every wall time as written, offsets ignored (a mix that cannot be one zone too)', async () => {
    const report = await ingest(['order_id,customer_id,created_at,total', '#1,A,2023-01-04T09:00:00-05:00,10', '#2,A,2023-01-05T04:30:00Z,11'], 'keep');
    expect(report.files[0]!.timezone).toBe('keep');
    expect(await stored()).toEqual(['#1 2023-01-04 09:00:00', '#2 2023-01-05 04:30:00']);
  });

  it('offsets that cannot be one zone (Z and -05:00) are still converted to the commonest, with the warning', async () => {
    const report = await ingest(['order_id,customer_id,created_at,total', '#1,A,2023-01-04T09:00:00-05:00,10', '#2,A,2023-01-05T04:30:00Z,11', '#3,B,2023-01-04T22:00:00-05:00,12']);
    expect(report.files[0]!.timezone).toBe('-05:00');
    expect(await stored()).toEqual(['#1 2023-01-04 09:00:00', '#3 2023-01-04 22:00:00', '#2 2023-01-04 23:30:00']);
    expect(report.files[0]!.warnings.join(' ')).toMatch(/more than one UTC offset \(-05:00: 2, UTC: 1 of 3 sampled\); converted to -05:00/);
  });

  it('--timezone takes keep, UTC, fixed offsets and IANA zone names; an unknown name is refused with a hint', () => {
    expect(parseTimezone('keep')).toEqual({ kind: 'keep', name: 'keep' });
    expect(parseTimezone('UTC')).toEqual({ kind: 'offset', minutes: 0, name: 'UTC' });
    expect(parseTimezone('-0500')).toEqual({ kind: 'offset', minutes: -300, name: '-05:00' });
    expect(parseTimezone('America/New_York')).toEqual({ kind: 'zone', name: 'America/New_York' });
    expect(parseTimezone('europe/paris')).toEqual({ kind: 'zone', name: 'Europe/Paris' });
    expect(() => parseTimezone('Mars/Olympus_Mons')).toThrow(UserError);
    expect(() => parseTimezone('Mars/Olympus_Mons')).toThrow(/--timezone Mars\/Olympus_Mons is not a time zone/);
  });

  it('the CLI takes a zone name and names it in the summary; an unknown one is one line, exit 2, nothing made', async () => {
    const dir = scratchDir();
    const path = write(dir, 'orders.csv', NEW_YORK_ORDERS);
    const named = await cli(['ingest', path, '--db', join(dir, 'a.duckdb'), '--timezone', 'America/New_York']);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/dates: iso, offsets converted to shop time America\/New_York\n/);
    const kept = await cli(['ingest', path, '--db', join(dir, 'b.duckdb')]);
    expect(kept.stdout).toMatch(/dates: iso, offsets not read: wall times kept\n {2}warning: dates carry two UTC offsets one hour apart/);
    const bad = await cli(['ingest', path, '--db', join(dir, 'c.duckdb'), '--timezone', 'Mars/Olympus_Mons']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^clvkit: error: --timezone Mars\/Olympus_Mons is not a time zone \(hint: .*America\/New_York.*keep.*\)\n$/);
  });
});
