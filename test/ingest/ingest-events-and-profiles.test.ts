import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { detectSourceKind } from '../../src/ingest/source-kind.js';
import { generateKey, keyringFromKey, type Keyring } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser, isToken } from '../../src/privacy/tokens/pseudonymise.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

const EVENTS = [
  'session_id,customer_id,anonymous_id,ts,type,product_id,category,query',
  'S1,,anon-1,2023-03-01T10:00:00,search,,,red mug', // 2: accepted
  'S1,,anon-1,2023-03-01T10:01:00,view,P1,kitchen,', // 3
  'S1,,anon-1,2023-03-01T10:01:00,view,P1,kitchen,', // 4: duplicate of 3
  'S1,C1,anon-1,2023-03-01T10:02:00,Add To Cart,P1,kitchen,', // 5: type normalised
  'S2,,,2023-03-02T10:00:00,page_view,P2,garden,', // 6: session id only, accepted as view
  ',,,2023-03-02T10:00:00,view,P2,garden,', // 7: missing_customer_id (no id at all)
  'S3,C2,anon-2,,view,P2,garden,', // 8: missing_date
  'S3,C2,anon-2,yesterday,view,P2,garden,', // 9: bad_date
  'S3,C2,anon-2,2030-01-01T00:00:00,view,P2,garden,', // 10: future_date
  'S3,C2,anon-2,2023-03-03T10:00:00,,P2,garden,', // 11: missing_event_type
  'S3,C2,anon-2,2023-03-03T10:05:00,login,,,', // 12
];

const PROFILES = [
  'customer_id,signup_date,acquisition_channel,acquisition_cost,region,country,gender,birth_year,email',
  'C1,2023-02-01,paid,12.50,Europe,France,female,1980,c1@example.com', // 2
  'C9,2023-02-05,organic,0,Europe,Spain,male,1990,c9@example.com', // 3: a prospect
  'C9,2023-02-05,organic,0,Europe,Spain,male,1990,c9@example.com', // 4: duplicate
  ',2023-02-05,organic,0,Europe,Spain,male,1990,x@example.com', // 5: missing_customer_id
  'C7,not a date,organic,0,Europe,Spain,male,1990,', // 6: bad_date
  'C8,2023-02-05,organic,lots,Europe,Spain,male,1990,', // 7: bad_number
];

describe('detectSourceKind', () => {
  it('tells events, profiles and transactions apart from their column names', () => {
    expect(detectSourceKind(EVENTS[0]!.split(','))).toBe('events');
    expect(detectSourceKind(PROFILES[0]!.split(','))).toBe('customers');
    expect(detectSourceKind(['order_id', 'customer_id', 'order_date', 'product_id', 'quantity', 'unit_price'])).toBe('transactions');
    // a transaction file with a channel column is not a profile file
    expect(detectSourceKind(['customer_id', 'date', 'amount', 'acquisition_channel'])).toBe('transactions');
  });

  // the profile reader maps YearOfBirth and yob to birth_year, but only birth_year showed a profile file: a profile
  // export with none of the sign-up or acquisition names was taken for transactions and refused for want of a date
  it('every name the profile reader reads as the birth year shows a profile file', () => {
    expect(detectSourceKind(['ClientNo', 'Registered', 'Source', 'CAC', 'region', 'country', 'gender', 'YearOfBirth'])).toBe('customers');
    expect(detectSourceKind(['customer_id', 'gender', 'yob'])).toBe('customers');
    expect(detectSourceKind(['customer_id', 'date', 'amount', 'yob'])).toBe('transactions');
  });
});

describe('ingest of event and customer profile files', () => {
  let dir: string;
  let warehouse: Warehouse;
  let keyring: Keyring;
  beforeEach(async () => {
    dir = scratchDir();
    keyring = keyringFromKey(generateKey());
    warehouse = await openDuckDbWarehouse(join(dir, 'wh.duckdb'), { threads: 2 });
    writeFileSync(join(dir, 'events.csv'), EVENTS.join('\n') + '\n');
    writeFileSync(join(dir, 'customers.csv'), PROFILES.join('\n') + '\n');
  });
  afterEach(() => warehouse.close());

  it('detects the kinds, judges every row with one reason, and the counts add up', async () => {
    const report = await ingestFiles(warehouse, [join(dir, 'events.csv'), join(dir, 'customers.csv')], { now: NOW, keyring, map: { email: 'email' } });
    const [events, profiles] = report.files;
    expect(events!.kind).toBe('events');
    expect(events!.rowsRead).toBe(11);
    expect(events!.accepted).toBe(5);
    expect(events!.rules).toMatchObject({ duplicate: 1, missing_customer_id: 1, missing_date: 1, bad_date: 1, future_date: 1, missing_event_type: 1 });
    expect(events!.accepted + events!.quarantined).toBe(events!.rowsRead);
    expect(profiles!.kind).toBe('customers');
    expect(profiles!.rowsRead).toBe(6);
    expect(profiles!.accepted).toBe(2);
    expect(profiles!.rules).toMatchObject({ duplicate: 1, missing_customer_id: 1, bad_date: 1, bad_number: 1 });
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
    const [q] = await warehouse.query('SELECT count(*) AS n FROM quarantine');
    expect(Number(q!.n)).toBe(report.quarantined);
  });

  it('stores customer ids as c_ tokens, visitor ids as a_ tokens, types normalised, and PII encrypted', async () => {
    await ingestFiles(warehouse, [join(dir, 'events.csv'), join(dir, 'customers.csv')], { now: NOW, keyring, map: { email: 'email' } });
    const rows = await warehouse.query('SELECT customer_id, anonymous_id, session_id, type FROM events ORDER BY source_line');
    expect(rows.map((r) => r.type)).toEqual(['search', 'view', 'add_to_cart', 'view', 'login']);
    const token = createPseudonymiser(keyring);
    expect(rows[2]!.customer_id).toBe(token('C1'));
    expect(rows.filter((r) => r.anonymous_id !== null).every((r) => isToken(r.anonymous_id, 'a_'))).toBe(true);
    expect(rows[0]!.anonymous_id).toBe(rows[2]!.anonymous_id);
    const customers = await warehouse.query('SELECT customer_id, CAST(signup_ts AS VARCHAR) AS signup, acquisition_channel, acquisition_cost, birth_year, email_enc FROM customers ORDER BY signup_ts');
    expect(customers.map((c) => [c.customer_id, c.signup, c.acquisition_channel, c.acquisition_cost, Number(c.birth_year)])).toEqual([
      [token('C1'), '2023-02-01 00:00:00', 'paid', 12.5, 1980],
      [token('C9'), '2023-02-05 00:00:00', 'organic', 0, 1990],
    ]);
    expect(String(customers[0]!.email_enc)).not.toContain('example.com');
    // the prospect C9 can be re-identified
    const [reid] = await warehouse.query(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${token('C9')}'`);
    expect(Number(reid!.n)).toBe(1);
  });

  it('is idempotent: the same event file again adds nothing; --kind overrides the detection', async () => {
    await ingestFiles(warehouse, [join(dir, 'events.csv')], { now: NOW, keyring });
    const again = await ingestFiles(warehouse, [join(dir, 'events.csv')], { now: NOW, keyring });
    expect(again.files[0]!.alreadyIngested).toBe(true);
    // the same rows in another file are duplicates of the events held
    writeFileSync(join(dir, 'events-copy.csv'), EVENTS.slice(0, 3).join('\n') + '\n');
    const copy = await ingestFiles(warehouse, [join(dir, 'events-copy.csv')], { now: NOW, keyring, kind: 'events' });
    expect(copy.files[0]!.rules.duplicate).toBe(2);
    const [n] = await warehouse.query('SELECT count(*) AS n FROM events');
    expect(Number(n!.n)).toBe(5);
  });
});

describe('event and profile files of a header only', () => {
  it('are refused naming the file, as a transaction file of a header only is, and nothing is recorded', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'events-header.csv'), `${EVENTS[0]}\n`);
    writeFileSync(join(dir, 'profiles-header.csv'), `${PROFILES[0]}\n`);
    const warehouse = await memoryWarehouse();
    try {
      await expect(ingestFiles(warehouse, [join(dir, 'events-header.csv')], { now: NOW })).rejects.toThrow(/events-header\.csv has a header but no data rows/);
      await expect(ingestFiles(warehouse, [join(dir, 'profiles-header.csv')], { now: NOW })).rejects.toThrow(/profiles-header\.csv has a header but no data rows/);
      const [held] = await warehouse.query('SELECT count(*) AS n FROM ingests');
      expect(Number(held!.n)).toBe(0);
    } finally {
      await warehouse.close();
    }
  });
});

describe('event files in memory without a key', () => {
  it('keep ids as given and accept a --map for renamed columns', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'clicks.csv'), 'visit,user,when,action\nV1,U1,2023-01-01 10:00,view\nV1,U1,2023-01-01 10:03,add_to_cart\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [join(dir, 'clicks.csv')], { now: NOW, kind: 'events', map: { session_id: 'visit', ts: 'when', type: 'action' } });
      expect(report.files[0]!.mapping).toMatchObject({ session_id: 'visit', customer_id: 'user', ts: 'when', type: 'action' });
      const rows = await warehouse.query('SELECT customer_id, session_id, type FROM events ORDER BY ts');
      expect(rows).toEqual([{ customer_id: 'U1', session_id: 'V1', type: 'view' }, { customer_id: 'U1', session_id: 'V1', type: 'add_to_cart' }]);
    } finally {
      await warehouse.close();
    }
  });

  // Regression: an event file's e-mail or phone column was dropped without a word (order and profile files warn).
  it('warn about a column that looks like personal data, which an event file does not keep', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'clicks.csv'), 'session_id,customer_id,ts,type,Email,phone number\nV1,U1,2023-01-01 10:00,view,u1@example.com,555-0100\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [join(dir, 'clicks.csv')], { now: NOW, kind: 'events' });
      expect(report.files[0]!.warnings).toEqual([
        "column 'Email' looks like personal data (email) and was not stored: an event file keeps none; to keep it (encrypted), ingest it with the customer ids in a customer profile file (--kind customers)",
        "column 'phone number' looks like personal data (phone) and was not stored: an event file keeps none; to keep it (encrypted), ingest it with the customer ids in a customer profile file (--kind customers)",
      ]);
      const columns = (await warehouse.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'events'`)).map((r) => String(r.column_name));
      expect(columns.some((c) => /mail|phone/i.test(c))).toBe(false);
    } finally {
      await warehouse.close();
    }
  });
});

