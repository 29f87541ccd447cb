/**
 * A data engineer's nightly job (session 43): `clvkit ingest orders.csv profiles.csv events.csv --json` gave the run's
 * totals (rowsRead, accepted, quarantined) over all its files, and the only way to learn how many of them were orders,
 * profiles or events was to add up `files[]` by their `kind`. The report now carries `byKind`: per kind of file
 * (transactions, customers, events; every kind, zeros for one not read) its files, rows read, accepted and
 * quarantined, which add up to the totals.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../src/ingest/ingest-report.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('ingest --json: totals per kind of file', () => {
  useFixedKey(44);

  it('orders, profiles and events each counted, adding up to the totals', async () => {
    const dir = scratchDir();
    const orders = join(dir, 'orders.csv');
    const profiles = join(dir, 'profiles.csv');
    const events = join(dir, 'events.csv');
    writeFileSync(orders, 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\nO2,C2,2024-01-03,12\nO3,,2024-01-03,5\n');
    writeFileSync(profiles, 'customer_id,signup_date,acquisition_channel\nC1,2023-12-01,ads\nC2,2023-12-05,seo\n');
    writeFileSync(events, 'session_id,customer_id,ts,event_type,product_id\nS1,C1,2024-01-01 10:00:00,view,P1\nS1,C1,2024-01-01 10:01:00,add_to_cart,P1\nS2,,2024-01-02 11:00:00,view,P2\nS3,C2,not a date,view,P1\n');
    const run = await cli(['ingest', orders, profiles, events, '--db', join(dir, 'shop.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as IngestReport;
    expect(report.byKind).toEqual({
      transactions: { files: 1, rowsRead: 3, accepted: 2, quarantined: 1 },
      customers: { files: 1, rowsRead: 2, accepted: 2, quarantined: 0 },
      events: { files: 1, rowsRead: 4, accepted: 3, quarantined: 1 },
    });
    const kinds = Object.values(report.byKind!);
    for (const key of ['rowsRead', 'accepted', 'quarantined'] as const) expect(kinds.reduce((total, k) => total + k[key], 0)).toBe(report[key]);
  });

  it('a kind not read is there with zeros', async () => {
    const dir = scratchDir();
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\n');
    const run = await cli(['ingest', orders, '--db', join(dir, 'shop.duckdb'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as IngestReport;
    expect(report.byKind).toEqual({
      transactions: { files: 1, rowsRead: 1, accepted: 1, quarantined: 0 },
      customers: { files: 0, rowsRead: 0, accepted: 0, quarantined: 0 },
      events: { files: 0, rowsRead: 0, accepted: 0, quarantined: 0 },
    });
  });
});
