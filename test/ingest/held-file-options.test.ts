import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readingOptionsNotApplied } from '../../src/ingest/held-file-reading.js';
import type { IngestFileReport } from '../../src/ingest/ingest-report.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const dir = scratchDir();
const ORDERS = join(dir, 'orders.csv');
writeFileSync(ORDERS, ['order_id,customer_id,order_date,product_id,quantity,unit_price', '1,A,2023-01-05,P1,2,10.00', '2,B,2023-01-06,P2,1,25.50', '2,B,2023-01-06,P2,1,25.50'].join('\n') + '\n');
const TAIL = ' — to read it again with these options: clvkit ingest --replace --role admin (or clvkit ingests drop 1, then ingest it)';

// A user trial: ingesting a file held already with the very --map it had been read with was told "--map,
// --date-format and the other reading options do not read a file already held again": said of every re-ingest, true
// only when the options differ. The line names the options that differ, with what was read then, and only those.
describe('the report of a file held already', () => {
  const db = join(dir, 'wh.duckdb');
  const again = async (...flags: string[]) => {
    const run = await cli(['ingest', ORDERS, '--db', db, ...flags]);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.split('\n')[0]!.replace(/sha256 [0-9a-f]{12}…/, 'sha256 …');
  };
  const held = `${ORDERS}: already ingested (same content, sha256 …, ingest 1): nothing added`;

  it('says nothing of options given as it was read (by name or position, the format detected, a rule that quarantined nothing)', async () => {
    expect((await cli(['ingest', ORDERS, '--db', db, '--map', 'customer_id=customer_id'])).code).toBe(0);
    expect(await again('--map', 'customer_id=customer_id')).toBe(held);
    expect(await again()).toBe(held);
    expect(await again('--map', 'customer_id=2', '--map', 'date=Order_Date', '--date-format', 'iso', '--delimiter', ',', '--header', '--decimal-separator', '.', '--keep-non-products', '--map', 'session_id=sid')).toBe(held);
  });

  it('names the options that differ, with what was read then, and how to read it again with them', async () => {
    expect(await again('--map', 'customer_id=product_id')).toBe(`${held}; it stays as it was read then, as a file held is not read again with other options: --map customer_id=product_id (read then: customer_id=customer_id)${TAIL}`);
    expect(await again('--map', 'customer_id=customer_id', '--date-format', '%Y-%d-%m', '--keep-duplicates', '--no-header')).toBe(
      `${held}; it stays as it was read then, as a file held is not read again with other options: --date-format %Y-%d-%m (read then: iso), --no-header (read then: a header), --keep-duplicates (read then: 1 quarantined as duplicate)${TAIL}`,
    );
    const json = JSON.parse((await cli(['ingest', ORDERS, '--db', db, '--map', 'amount=3', '--json'])).stdout);
    expect(json.files[0]).toMatchObject({ alreadyIngested: true, optionsNotApplied: ['--map amount=3 (read then: no amount column)'] });
  });
});

describe('readingOptionsNotApplied', () => {
  const report: Partial<IngestFileReport> = {
    kind: 'transactions', delimiter: ';', hasHeader: false, format: 'csv',
    mapping: { customer_id: 'column0', date: 'column1', amount: 'column2' }, dateFormats: ['%d.%m.%Y'], timezone: 'Europe/Berlin', decimalSeparator: ',',
    rules: { duplicate: 0, non_product: 3 } as IngestFileReport['rules'],
  };
  it('compares each option with the recorded reading', () => {
    expect(readingOptionsNotApplied(report, { map: { customer_id: '1', amount: '3' }, dateFormats: ['%d.%m.%Y'], timezone: 'Europe/Berlin', decimalSeparator: ',', delimiter: ';', header: false, rules: { duplicate: false } }, [])).toEqual([]);
    expect(readingOptionsNotApplied(report, { map: { amount: '2' }, timezone: 'UTC', decimalSeparator: '.', delimiter: '\\t', header: true, rules: { nonProduct: false } }, [])).toEqual([
      '--map amount=2 (read then: amount=column2)',
      '--timezone UTC (read then: Europe/Berlin)',
      '--decimal-separator . (read then: ,)',
      '--delimiter "\\\\t" (read then: ";")',
      '--header (read then: no header)',
      '--keep-non-products (read then: 3 quarantined as non_product)',
    ]);
    // an event file: no numbers, no non-product rule; a Parquet file: no delimiter, no header
    const events: Partial<IngestFileReport> = { kind: 'events', delimiter: null, hasHeader: true, format: 'parquet', mapping: { ts: 'ts', type: 'type' } as IngestFileReport['mapping'], dateFormats: ['iso'], rules: { duplicate: 0 } as IngestFileReport['rules'] };
    expect(readingOptionsNotApplied(events, { map: { amount: 'x', type: 'type' }, decimalSeparator: ',', delimiter: ';', header: false, rules: { nonProduct: false, nonProductCodes: ['X'] } }, [])).toEqual([]);
  });
});
