import { dropIngest } from '../../../src/ingest/drop-ingest.js';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { buildCustomerSummarySql } from '../../../src/features/customer-summary.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { AccessDeniedError } from '../../../src/core/errors/access-denied-error.js';
import { openAnalysisPrivacy } from '../../../src/privacy/warehouse/analysis-privacy.js';
import { applyRetention } from '../../../src/privacy/warehouse/apply-retention.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';
import { prepareCustomerExport } from '../../../src/privacy/access/customer-export.js';
import { listEncryptedColumns } from '../../../src/privacy/keys/encrypted-columns.js';
import { decryptValue, envelopeKeyId } from '../../../src/privacy/keys/encryption.js';
import { eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { initKeyFile, readKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { PERMISSION_MATRIX, ROLES, type Action, type Role } from '../../../src/privacy/access/rbac.js';
import { rotateWarehouseKey } from '../../../src/privacy/warehouse/rotate-warehouse-key.js';
import { suppressSeries } from '../../../src/privacy/disclosure/suppress-series.js';
import { readAuditEntries, verifyWarehouseAudit, WarehouseAuditStore } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { buildWarehousePrivacyReport } from '../../../src/privacy/warehouse/warehouse-privacy-report.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLEAR_MARKER, CUSTOMERS, dumpWarehouseText, findInFiles, PII_MAP, rawId, warehouseFiles, writePiiOrders } from '../privacy-fixture.js';

const NOW = new Date('2024-01-01T00:00:00Z');

/** A file warehouse with a key file, the PII orders ingested and a customer_summary-like derived table. */
async function piiWarehouse(options: { uncompressed?: boolean } = {}): Promise<{ dir: string; db: string; warehouse: Warehouse; keyring: Keyring }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
  if (options.uncompressed) await warehouse.execute("SET force_compression = 'uncompressed'");
  await ingestFiles(warehouse, [writePiiOrders(dir)], { now: NOW, keyring, map: PII_MAP });
  // a derived per-customer table such as analyze writes (erasure must find it through the catalogue)
  await warehouse.execute('CREATE TABLE customer_segments AS SELECT customer_id, sum(amount) AS spend FROM transactions GROUP BY customer_id');
  return { dir, db, warehouse, keyring };
}

async function decryptAll(warehouse: Warehouse, keyring: Keyring): Promise<Map<string, string>> {
  const plain = new Map<string, string>();
  for (const { table, column, contextSql } of await listEncryptedColumns(warehouse)) {
    const rows = await warehouse.query(`SELECT rowid AS rid, ${contextSql ?? 'NULL'} AS ctx, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`);
    for (const row of rows) plain.set(`${table}.${column}.${row.rid}`, decryptValue(String(row.v), keyring, { context: row.ctx === null ? undefined : String(row.ctx) }));
  }
  return plain;
}

describe('erasure', () => {
  it('deletes the customer from every table with customer rows, audits the token only, and compaction removes the bytes from the file', async () => {
    const { dir, db, warehouse, keyring } = await piiWarehouse({ uncompressed: true });
    const pseudonymise = createPseudonymiser(keyring);
    const token = pseudonymise(rawId(7));
    const survivor = pseudonymise(rawId(8));
    const [reid] = await warehouse.query(`SELECT original_id_enc FROM customer_reid WHERE customer_id = '${token}'`);
    const [pii] = await warehouse.query(`SELECT email_enc FROM customers WHERE customer_id = '${token}'`);
    const secrets = [String(reid!.original_id_enc), String(pii!.email_enc)];
    const occurrences = (needle: string) => warehouseFiles(db).reduce((n, { bytes }) => {
      let count = 0;
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) count++;
      return n + count;
    }, 0);
    await warehouse.execute('CHECKPOINT');
    // positive control: stored uncompressed, the token and envelopes are in the file's bytes
    expect(findInFiles(warehouseFiles(db), [...secrets, survivor, CLEAR_MARKER])).toHaveLength(4);
    expect(occurrences(token)).toBeGreaterThan(4); // transactions, customers, reid, quarantine, segments

    const result = await eraseCustomers(warehouse, [rawId(7)], { keyring, role: 'admin', actor: 'dpo' });
    expect(result.customers).toHaveLength(1);
    expect(result.customers[0]!.token).toBe(token);
    expect(result.tables).toEqual(['audience_members', 'customer_reid', 'customer_segments', 'customers', 'events', 'quarantine', 'transactions']);
    const counts = result.customers[0]!.rowCounts;
    expect(counts).toMatchObject({ customer_reid: 1, customer_segments: 1, customers: 1, quarantine: 1 });
    expect(counts.transactions).toBeGreaterThan(0);
    for (const table of result.tables) {
      const [left] = await warehouse.query(`SELECT count(*) AS n FROM ${table} WHERE customer_id = '${token}'`);
      expect(Number(left!.n), table).toBe(0);
    }
    // nowhere but in the audit log and the record of erased customers, which keep the token (never the id) by design: the
    // record makes a later ingest of the customer's rows refuse them unless readmitted
    const dump = ('\n' + (await dumpWarehouseText(warehouse))).split('\n## ').filter((part) => part !== '' && !part.startsWith('audit_log') && !part.startsWith('erased_customers'));
    expect(dump.length).toBeGreaterThan(5);
    expect(dump.some((part) => part.includes(token.slice(2))), 'token outside audit_log and erased_customers').toBe(false);
    const [entry] = (await readAuditEntries(warehouse, { actor: 'dpo', role: 'admin' })).filter((e) => e.action === 'erase');
    expect(entry).toMatchObject({ actor: 'dpo', role: 'admin', target: `customer:${token}`, rowCounts: counts });
    expect(JSON.stringify(entry)).not.toContain(rawId(7));
    await warehouse.close();

    // DELETE + CHECKPOINT leaves the rows in freed pages: still in the file
    expect(findInFiles(warehouseFiles(db), secrets).length).toBeGreaterThan(0);
    await compactWarehouseFile(db, { forceCompression: 'uncompressed' });
    expect(findInFiles(warehouseFiles(db), secrets)).toEqual([]);
    // the token is left twice: in the audit entry of the erasure and in erased_customers (pseudonymous; the id it came from is gone)
    expect(occurrences(token)).toBe(2);
    expect(findInFiles(warehouseFiles(db), [survivor, CLEAR_MARKER])).toHaveLength(2);
    // the compacted warehouse is whole: same counts, audit chain intact
    const reopened = await openDuckDbWarehouse(db, { threads: 1 });
    const [n] = await reopened.query('SELECT count(DISTINCT customer_id) AS n FROM transactions');
    expect(Number(n!.n)).toBe(CUSTOMERS - 1);
    expect((await verifyWarehouseAudit(reopened, keyring, { actor: 'dpo', role: 'admin' })).ok).toBe(true);
    await reopened.close();
    void dir;
  });
});

describe('retention', () => {
  it('purges old transactions, quarantine of the same age and customers left with nothing; audited with counts', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const keyring = initKeyFile(`${db}.key`);
    const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const path = join(dir, 'orders.csv');
    // old: 5 years ago (customers O1 only old, M1 mixed), recent: 30 days ago; a quarantined old row and a recent one
    writeFileSync(path, ['customer_id,date,amount,mail', `O1,${day(1830)},10,o1@example.org`, `M1,${day(1830)},20,m1@example.org`, `M1,${day(30)},5,m1@example.org`, `R1,${day(30)},7,r1@example.org`, `O1,${day(1830)},oops,o1@example.org`, `R1,${day(20)},oops,r1@example.org`].join('\n') + '\n');
    await ingestFiles(warehouse, [path], { keyring, map: { email: 'mail' } });
    await expect(applyRetention(warehouse, { keyring, role: 'analyst', periods: { transactions: '3y' } })).rejects.toThrow(AccessDeniedError);
    await expect(applyRetention(warehouse, { keyring, role: 'admin', periods: { orders: '3y' } as never })).rejects.toThrow(/no retention period for table orders/);
    // a derived table built from all rows, old ones included: M1's first purchase is 5 years ago
    await warehouse.execute(`CREATE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: day(0), timeUnit: 'day' })}`);
    const result = await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '3y', events: '180d' } });
    expect(result.deleted).toEqual({ transactions: 2, events: 0, quarantine: 1, customer_reid: 1, customers: 1, audience_members: 0, customer_summary: 3 });
    // emptied, so no figure derived from purged rows survives until the next analyze
    expect(Number((await warehouse.query('SELECT count(*) AS n FROM customer_summary'))[0]!.n)).toBe(0);
    const tokens = (await warehouse.query('SELECT DISTINCT customer_id FROM transactions ORDER BY 1')).map((r) => r.customer_id);
    const pseudonymise = createPseudonymiser(keyring);
    expect(tokens).toEqual([pseudonymise('M1'), pseudonymise('R1')].sort());
    const [audit] = (await readAuditEntries(warehouse, { role: 'admin' })).filter((e) => e.action === 'apply_retention');
    expect(audit!.rowCounts).toEqual(result.deleted);
    expect(audit!.details).toMatchObject({ periods: { transactions: '3 years', events: '180 days' }, derived_tables_emptied: ['customer_summary'] });
    const report = await buildWarehousePrivacyReport(warehouse, { keyring });
    expect(report.tables.find((t) => t.table === 'transactions')!.retention).toBe('3 years');
    expect(report.tables.find((t) => t.table === 'events')!.retention).toBe('180 days');
    await warehouse.close();
  });
});

describe('key rotation', () => {
  it('re-encrypts every encrypted value under the new key without losing one; tokens and audit MAC survive; old keys retire', async () => {
    const { db, warehouse, keyring } = await piiWarehouse();
    const before = await decryptAll(warehouse, keyring);
    expect(before.size).toBe(5 * CUSTOMERS + CUSTOMERS + 3 + 2); // 5 PII columns, reid, 3 quarantine raw + 2 detail
    const tokensBefore = await warehouse.query('SELECT customer_id FROM transactions ORDER BY source_line');
    await expect(rotateWarehouseKey(warehouse, { keyring, role: 'analyst' })).rejects.toThrow(AccessDeniedError);

    const first = await rotateWarehouseKey(warehouse, { keyring, role: 'admin' });
    expect(first.previousKeyId).toBe(keyring.activeKeyId);
    expect(first.activeKeyId).not.toBe(keyring.activeKeyId);
    expect(first.values).toBe(before.size);
    const onDisk = readKeyFile(`${db}.key`);
    expect(onDisk.keyIds()).toEqual([keyring.activeKeyId, first.activeKeyId]);
    expect(onDisk.rootKeyId).toBe(keyring.rootKeyId);
    const after = await decryptAll(warehouse, onDisk);
    expect(after).toEqual(before);
    for (const { table, column } of await listEncryptedColumns(warehouse)) {
      for (const row of await warehouse.query(`SELECT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`)) expect(envelopeKeyId(String(row.v))).toBe(first.activeKeyId);
    }
    expect(await warehouse.query('SELECT customer_id FROM transactions ORDER BY source_line')).toEqual(tokensBefore);

    // a second rotation retires the middle key (the root key stays: tokens and the audit MAC come from it)
    const second = await rotateWarehouseKey(warehouse, { keyring: onDisk, role: 'admin', retireOld: true });
    expect(second.retired).toEqual([first.activeKeyId]);
    const final = readKeyFile(`${db}.key`);
    expect(final.keyIds()).toEqual([keyring.rootKeyId, second.activeKeyId]);
    expect(await decryptAll(warehouse, final)).toEqual(before);
    expect((statSync(`${db}.key`).mode & 0o777).toString(8)).toBe('600');
    const verification = await verifyWarehouseAudit(warehouse, final, { role: 'admin' });
    expect(verification).toMatchObject({ ok: true, count: 3 });
    expect((await new WarehouseAuditStore(warehouse).readAll()).map((e) => e.action)).toEqual(['ingest', 'rotate_keys', 'rotate_keys']);
    await warehouse.close();
  });
});

describe('roles are enforced by the library entry points', () => {
  it('each role can do exactly what the permission matrix grants', async () => {
    const { dir, warehouse, keyring } = await piiWarehouse();
    await warehouse.execute('CREATE TABLE customer_summary AS SELECT customer_id FROM customer_segments');
    const extra = join(dir, 'extra.csv');
    writeFileSync(extra, 'customer_id,date,amount\nnew-1,2023-03-01,5\n');
    const attempts: Record<string, (role: Role) => Promise<unknown>> = {
      ingest: (role) => ingestFiles(warehouse, [extra], { keyring, role, now: NOW }),
      analyze: (role) => openAnalysisPrivacy(warehouse, { keyring, role }),
      export_customers: (role) => prepareCustomerExport(warehouse, { keyring, access: { actor: 't', role } }),
      reidentify: (role) => prepareCustomerExport(warehouse, { keyring, access: { actor: 't', role }, revealIds: true }),
      read_audit: (role) => verifyWarehouseAudit(warehouse, keyring, { actor: 't', role }),
      view_aggregates: (role) => buildWarehousePrivacyReport(warehouse, { keyring, role }),
      apply_retention: (role) => applyRetention(warehouse, { keyring, role, periods: { events: '100y' } }),
      erase: (role) => eraseCustomers(warehouse, ['nobody-at-all'], { keyring, role }),
      rotate_keys: (role) => rotateWarehouseKey(warehouse, { keyring: readKeyFile(keyring.path!), role }),
      // an ingest id the warehouse does not hold: refused as such once the role may drop
      drop_ingest: (role) => dropIngest(warehouse, 999, { keyring, role }).catch((error: unknown) => {
        if (error instanceof AccessDeniedError) throw error;
      }),
    };
    const outcome: string[] = [];
    const expected: string[] = [];
    for (const [action, attempt] of Object.entries(attempts)) {
      for (const role of ROLES) {
        expected.push(`${action} ${role} ${PERMISSION_MATRIX[action as Action][role] ? 'allowed' : 'denied'}`);
        try {
          await attempt(role);
          outcome.push(`${action} ${role} allowed`);
        } catch (error) {
          if (!(error instanceof AccessDeniedError)) throw error;
          outcome.push(`${action} ${role} denied`);
        }
      }
    }
    expect(outcome).toEqual(expected);
    await warehouse.close();
  });

  it('the export shows PII by role: raw to admins, masked to analysts, the sensitive note to admins only', async () => {
    const { warehouse, keyring } = await piiWarehouse();
    await warehouse.execute('CREATE TABLE customer_summary AS SELECT customer_id FROM customer_segments');
    const admin = await prepareCustomerExport(warehouse, { keyring, access: { actor: 't', role: 'admin' }, revealIds: true });
    expect(admin.columns).toEqual(['original_id', 'email', 'phone', 'name', 'address', 'note']);
    expect(admin.revealed).toBe(CUSTOMERS);
    const token = createPseudonymiser(keyring)(rawId(7));
    const [a] = await warehouse.query(`SELECT * FROM clv_export_identity WHERE customer_id = '${token}'`);
    expect(a).toMatchObject({ original_id: rawId(7), email: 'quartz.007@mailhost.example', note: 'allergic to nuts 007' });
    const analyst = await prepareCustomerExport(warehouse, { keyring, access: { actor: 't', role: 'analyst' } });
    expect(analyst.pii).toEqual({ email: 'masked', phone: 'masked', name: 'masked', address: 'masked', note: 'hidden' });
    const [b] = await warehouse.query(`SELECT * FROM clv_export_identity WHERE customer_id = '${token}'`);
    expect(b).toEqual({ customer_id: token, email: 'q***@mailhost.example', phone: '+44 7*** **7 456', name: 'Q** M**-0**', address: '***, London NW1 ***, UK' });
    await warehouse.close();
  });
});

describe('privacy report on the warehouse', () => {
  it('checks the stored values: tokens and envelopes everywhere, and flags a clear id or a clear value', async () => {
    const { warehouse, keyring } = await piiWarehouse();
    const report = await buildWarehousePrivacyReport(warehouse, { keyring });
    expect(report.checks.map((c) => [c.check, c.ok])).toEqual([
      ['customer ids are tokens', true],
      ['encrypted columns hold only envelopes', true],
      ['search queries hold no contact details', true],
      ['the key reads the warehouse', true],
    ]);
    expect(report.recordedRootKeyId).toBe(keyring.rootKeyId);
    expect(report.envelopesByKey).toEqual({ [keyring.activeKeyId]: 6 * CUSTOMERS + 5 });
    expect(report.tables.find((t) => t.table === 'customer_segments')!.columns[0]).toMatchObject({ column: 'customer_id', class: 'personal', declared: false });
    expect(JSON.stringify(report)).not.toContain(readFileSync(keyring.path!, 'utf8').match(/"key": "([^"]+)"/)![1]);
    await warehouse.execute("INSERT INTO customer_segments VALUES ('17850', 1.0)");
    await warehouse.execute("UPDATE customers SET note_enc = 'had surgery' WHERE rowid = 0");
    // queries as an ingest before they were cleaned stored them (QA: an e-mail and a phone typed in the search box)
    await warehouse.execute(`INSERT INTO events (anonymous_id, ts, type, query) VALUES ('a_1', TIMESTAMP '2023-01-01 10:00:00', 'search', 'jane.roe.secret@gmail.com'),
      ('a_1', TIMESTAMP '2023-01-01 10:01:00', 'search', 'order for Jane Roe +44 7700 900999'), ('a_1', TIMESTAMP '2023-01-01 10:02:00', 'search', 'pink cake tin 20cm')`);
    const bad = await buildWarehousePrivacyReport(warehouse, { keyring });
    expect(bad.checks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([
      'values that are not tokens — customer_segments: 1',
      'values in clear — customers.note_enc: 1',
      '2 of 3 queries in events.query hold an e-mail address or a long number (7+ digits), in clear: ingested before queries were cleaned; drop those ingests and ingest their files again (clvkit ingests list, clvkit ingests drop ID --role admin) to store them cleaned',
    ]);
    await warehouse.close();
  });
});

describe('suppressSeries', () => {
  it('nulls groups of fewer than k customers and a complementary group, keeping model outputs out of it', () => {
    const result = suppressSeries({ counts: [1411, 439, 214, 100, 62, 38, 3, 90], measures: { actual: [0.2, 0.5, 0.9, 1.3, 1.8, 2.1, 4, 6.5] } }, { minGroupSize: 5 });
    // 3 < 5 is suppressed; the total is published, so the next smallest (38) goes too: 3 + 38 ≥ 5 and two groups
    expect(result.counts).toEqual([1411, 439, 214, 100, 62, null, null, 90]);
    expect(result.measures.actual).toEqual([0.2, 0.5, 0.9, 1.3, 1.8, null, null, 6.5]);
    expect(result.suppression).toEqual([null, null, null, null, null, 'complementary', 'small-group', null]);
    expect(suppressSeries({ counts: [4, 10] }, { minGroupSize: 3 }).counts).toEqual([4, 10]);
  });
});
