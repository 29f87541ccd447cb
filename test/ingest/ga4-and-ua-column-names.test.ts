/**
 * Analytics exports read by their own column names (QA session 34, findings 4 and 5). GA4's BigQuery export, flattened
 * (event_name, event_timestamp, user_pseudo_id, user_id, ga_session_id, item_id, item_category, search_term), was read
 * as a transaction file (user_pseudo_id and ga_session_id unknown) and refused with `no column for required role
 * 'date'`, a hint that never said --kind events. Universal Analytics' `client_id` — a cookie — was taken for the
 * customer id and `user_id` (the login) left unread: 3,300 cookies became prospects, nothing was stitched.
 */
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { detectSourceKind } from '../../src/ingest/source-kind.js';
import { scratchDir, withMemoryWarehouse, writeLines } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const GA4 = [
  'event_name,event_timestamp,user_pseudo_id,user_id,ga_session_id,item_id,item_category,search_term',
  'view_search_results,1640301656000000,anon-1,,1640301656,,,red mug',
  'view_item,1640301787000000,anon-1,,1640301656,10018,kitchen,',
  'add_to_cart,1640301800000000,anon-1,C1,1640301656,10018,kitchen,',
];

describe('GA4 and Universal Analytics column names', () => {
  it("a GA4 export is an event file, every column read by its GA4 name", async () => {
    expect(detectSourceKind(GA4[0]!.split(','))).toBe('events');
    const path = writeLines(scratchDir(), 'ga4.csv', GA4);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]).toMatchObject({
        kind: 'events',
        accepted: 3,
        unreadColumns: [],
        mapping: { type: 'event_name', ts: 'event_timestamp', anonymous_id: 'user_pseudo_id', customer_id: 'user_id', session_id: 'ga_session_id', product_id: 'item_id', category: 'item_category', query: 'search_term' },
      });
    });
  });

  it("UA's client_id is the visitor (a cookie), user_id the customer", async () => {
    const path = writeLines(scratchDir(), 'ua.csv', ['event_name,event_timestamp,client_id,user_id,session_id,item_id', 'view_item,1640301787000,cookie-1,,S1,10018', 'login,1640301800000,cookie-1,C1,S1,']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]!.mapping).toMatchObject({ anonymous_id: 'client_id', customer_id: 'user_id', session_id: 'session_id' });
      const rows = await warehouse.query('SELECT customer_id, anonymous_id FROM events ORDER BY ts');
      expect(rows).toEqual([{ customer_id: null, anonymous_id: 'cookie-1' }, { customer_id: 'C1', anonymous_id: 'cookie-1' }]);
    });
  });

  it('a profile file keeps reading client_id as its customer id (it has no visitors)', async () => {
    const path = writeLines(scratchDir(), 'clients.csv', ['client_id,signup_date,acquisition_channel', 'K1,2023-01-01,email']);
    await withMemoryWarehouse(async (warehouse) => {
      const report = await ingestFiles(warehouse, [path], { now: NOW });
      expect(report.files[0]).toMatchObject({ kind: 'customers', mapping: { customer_id: 'client_id' } });
    });
  });

  it('a file of events read as transactions (no visitor or session column) fails with a hint that names --kind events', async () => {
    const path = writeLines(scratchDir(), 'logins.csv', ['event_name,event_timestamp,user_id,item_id', 'view_item,1640301787000,C1,10018']);
    await withMemoryWarehouse(async (warehouse) => {
      const error = await ingestFiles(warehouse, [path], { now: NOW }).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: expect.stringMatching(/^no column for required role 'date'/), hint: expect.stringContaining('column event_name suggests an event file: read it as an event file (kind: \'events\'; clvkit ingest --kind events') });
      // read as events, it is read
      const report = await ingestFiles(warehouse, [path], { now: NOW, kind: 'events' });
      expect(report.files[0]).toMatchObject({ accepted: 1, mapping: { customer_id: 'user_id', ts: 'event_timestamp', type: 'event_name' } });
    });
  });
});
