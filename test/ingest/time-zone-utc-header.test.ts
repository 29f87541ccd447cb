/**
 * Stripe's payments export dates its rows in a column named 'Created (UTC)'
 * (or 'Created date (UTC)') with values without an offset that are UTC. They
 * were taken as shop time, so a Stripe file and a Shopify file in one
 * warehouse were hours apart. When the date column's header says UTC, its
 * dates without an offset are read as UTC and converted like any offset.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { NEW_YORK_ORDERS, NEW_YORK_WALL_TIMES } from '../helpers/new-york-orders.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');
// The New York shop's orders #1001 and #1004 as Stripe wrote their payments: in UTC, without an offset.
const STRIPE = ['id,Customer ID,Created (UTC),Amount', 'ch_1,A,2023-01-05 04:30:00,10', 'ch_4,C,2023-07-04 04:30,13'];

describe("a date column whose header says UTC ('Created (UTC)')", () => {
  const scratch = useScratchWarehouse();
  const write = (name: string, lines: string[]) => {
    const path = join(scratch.dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const held = async (source: string) =>
    (await scratch.warehouse.query(`SELECT COALESCE(order_id, '') AS o, CAST(ts AS VARCHAR) AS ts FROM transactions WHERE source = '${source}' ORDER BY ts`)).map((r) => r.ts);

  it('reads its dates without an offset as UTC: stored in UTC by default, and the report says so', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('payments.csv', STRIPE)], { now: NOW });
    const file = report.files[0]!;
    expect([file.accepted, file.timezone]).toEqual([2, 'UTC']);
    expect(file.warnings.join(' ')).toMatch(/column 'Created \(UTC\)' says UTC: its dates without an offset are read as UTC.*--timezone/);
    expect(await held('payments.csv')).toEqual(['2023-01-05 04:30:00', '2023-07-04 04:30:00']);
  });

  it('with --timezone America/New_York a Stripe file lands on the same clock as the Shopify file of the same orders', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('orders.csv', NEW_YORK_ORDERS), write('payments.csv', STRIPE)], { now: NOW, timezone: 'America/New_York' });
    expect(report.files.map((f) => f.timezone)).toEqual(['America/New_York', 'America/New_York']);
    expect(await held('orders.csv')).toEqual(NEW_YORK_WALL_TIMES.map((t) => t.split(' ').slice(1).join(' ')));
    expect(await held('payments.csv')).toEqual(['2023-01-04 23:30:00', '2023-07-04 00:30:00']);
  });

  it('a header without UTC is unchanged: dates without an offset are shop time', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('plain.csv', ['id,Customer ID,Created,Amount', 'ch_1,A,2023-01-05 04:30:00,10'])], { now: NOW, timezone: 'America/New_York' });
    expect(report.files[0]!.warnings).toEqual([]);
    expect(await held('plain.csv')).toEqual(['2023-01-05 04:30:00']);
  });
});
