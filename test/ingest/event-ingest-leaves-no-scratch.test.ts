/**
 * Regression (issue 16): the event ingest left its judged rows in a temp
 * table named as the transaction ingest's temp view (`clv_clean`), so a
 * transaction ingest after an event ingest on the same connection (the
 * server's shared warehouse) failed to create its view. Events, then
 * transactions, then events again, on one connection, with no scratch table
 * of the event ingest left behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

describe('event ingest then transaction ingest on one connection', () => {
  const scratch = useScratchWarehouse();

  it('ingests both (and events again) and leaves no clv_clean behind', async () => {
    const { warehouse, dir } = scratch;
    writeFileSync(join(dir, 'events.csv'), 'session_id,customer_id,anonymous_id,ts,type\nS1,,a1,2023-03-01T10:00:00,view\nS1,C1,a1,2023-03-01T10:02:00,login\n');
    writeFileSync(join(dir, 'orders.csv'), 'order_id,customer_id,order_date,amount\nO1,C1,2023-03-01,12.50\nO2,C2,2023-03-02,8.00\n');
    writeFileSync(join(dir, 'events-2.csv'), 'session_id,customer_id,anonymous_id,ts,type\nS2,C2,a2,2023-03-04T10:00:00,view\n');
    const events = await ingestFiles(warehouse, [join(dir, 'events.csv')], { now: NOW });
    const leftAfterEvents = await warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'clv_clean%'");
    const orders = await ingestFiles(warehouse, [join(dir, 'orders.csv')], { now: NOW });
    const again = await ingestFiles(warehouse, [join(dir, 'events-2.csv')], { now: NOW });
    expect(leftAfterEvents).toEqual([]);
    expect([events.accepted, orders.accepted, again.accepted]).toEqual([2, 2, 1]);
    const [counts] = await warehouse.query('SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM transactions) AS orders');
    expect(counts).toEqual({ events: 3, orders: 2 });
  });
});
