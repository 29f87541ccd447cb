import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { PERSONAL_NAME_PATTERN } from '../../src/ingest/personal-name-values.js';
import { AccessDeniedError } from '../../src/core/errors/access-denied-error.js';
import { verifyAuditChain, auditMacKey } from '../../src/privacy/warehouse/audit-log.js';
import { quarantineContext } from '../../src/privacy/keys/encrypted-columns.js';
import { decryptValue, isEnvelope } from '../../src/privacy/keys/encryption.js';
import { KeyError } from '../../src/core/errors/key-error.js';
import { generateKey, keyringFromKey, type Keyring } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser, isToken, reidentify } from '../../src/privacy/tokens/pseudonymise.js';
import { WarehouseAuditStore } from '../../src/privacy/warehouse/warehouse-audit.js';
import { FIXTURES, memoryWarehouse, useScratchWarehouse } from '../helpers/warehouse.js';
import { address, CUSTOMERS, dumpWarehouseText, email, FORBIDDEN, fullName, note, phone, PII_MAP, QUARANTINED_EMAIL, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';

const NOW = new Date('2024-01-01T00:00:00Z');

async function count(warehouse: Warehouse, sql: string): Promise<number> {
  const [row] = await warehouse.query(sql);
  return Number(Object.values(row!)[0]);
}

describe('ingest pseudonymises and encrypts (file warehouse with a key)', () => {
  const scratch = useScratchWarehouse({ file: true, threads: 1 });
  let keyring: Keyring;
  beforeEach(() => {
    keyring = keyringFromKey(generateKey());
  });

  it('stores only tokens for customer ids, the originals encrypted in customer_reid, and no PII in clear anywhere', async () => {
    const report = await ingestFiles(scratch.warehouse, [writePiiOrders(scratch.dir)], { now: NOW, keyring, map: PII_MAP });
    expect(report.quarantined).toBe(3);
    expect(report.rules).toMatchObject({ missing_customer_id: 1, bad_date: 1, malformed_row: 1 });
    expect(report.files[0]!.privacy).toMatchObject({ customerIds: 'tokens', rootKeyId: keyring.rootKeyId, piiStored: ['email', 'phone', 'name', 'address', 'note'], newCustomers: CUSTOMERS, quarantineEncrypted: true });
    const pseudonymise = createPseudonymiser(keyring);
    // every customer_id of transactions is the HMAC token of an input id
    const ids = (await scratch.warehouse.query('SELECT DISTINCT customer_id FROM transactions ORDER BY 1')).map((r) => String(r.customer_id));
    const expected = Array.from({ length: CUSTOMERS }, (_, i) => pseudonymise(rawId(i + 1))).sort();
    expect(ids).toEqual(expected);
    // customer_reid: one entry per customer; each decrypts back to its id and hashes to its token
    const reid = await scratch.warehouse.query('SELECT customer_id, original_id_enc FROM customer_reid');
    expect(reid).toHaveLength(CUSTOMERS);
    const back = reid.map((r) => reidentify({ token: String(r.customer_id), idEnc: String(r.original_id_enc) }, keyring)).sort();
    expect(back).toEqual(Array.from({ length: CUSTOMERS }, (_, i) => rawId(i + 1)));
    // customers: PII as envelopes bound to the token; customer 7's values decrypt to the input
    const token7 = pseudonymise(rawId(7));
    const [c7] = await scratch.warehouse.query(`SELECT * FROM customers WHERE customer_id = '${token7}'`);
    const open = (column: string) => decryptValue(String(c7![column]), keyring, { context: token7 });
    expect([open('email_enc'), open('phone_enc'), open('name_enc'), open('address_enc'), open('note_enc')]).toEqual([email(7), phone(7), fullName(7), address(7), note(7)]);
    // another customer's token as context does not decrypt it
    expect(() => decryptValue(String(c7!.email_enc), keyring, { context: pseudonymise(rawId(8)) })).toThrow(KeyError);
    // the logical content of every table holds none of the personal values
    const text = await dumpWarehouseText(scratch.warehouse);
    for (const needle of FORBIDDEN) expect(text.includes(needle), needle).toBe(false);
  });

  it('quarantines rows with raw and detail encrypted (bound to their row) and the token when the id was readable', async () => {
    await ingestFiles(scratch.warehouse, [writePiiOrders(scratch.dir)], { now: NOW, keyring, map: PII_MAP });
    const rows = await scratch.warehouse.query('SELECT ingest_id, line, raw, reason, detail, customer_id FROM quarantine ORDER BY line');
    expect(rows.map((r) => r.reason)).toEqual(['missing_customer_id', 'bad_date', 'malformed_row']);
    for (const row of rows) {
      expect(isEnvelope(row.raw)).toBe(true);
      const context = quarantineContext(Number(row.ingest_id), Number(row.line));
      const raw = decryptValue(String(row.raw), keyring, { context });
      expect(raw.split(',')[0]).toMatch(/^999[789]$/);
      // moved to another row, the envelope does not decrypt
      expect(() => decryptValue(String(row.raw), keyring, { context: quarantineContext(Number(row.ingest_id), Number(row.line) + 1) })).toThrow(KeyError);
    }
    expect(decryptValue(String(rows[0]!.raw), keyring, { context: quarantineContext(1, Number(rows[0]!.line)) })).toContain(QUARANTINED_EMAIL);
    expect(rows[0]!.customer_id).toBeNull();
    expect(rows[1]!.customer_id).toBe(createPseudonymiser(keyring)(rawId(7)));
    expect(decryptValue(String(rows[1]!.detail), keyring, { context: quarantineContext(1, Number(rows[1]!.line)) })).toBe('date: not a date');
    // the reader's reject: no token (the id was never read), raw and the reader's message encrypted
    expect(rows[2]!.customer_id).toBeNull();
    expect(decryptValue(String(rows[2]!.raw), keyring, { context: quarantineContext(1, Number(rows[2]!.line)) })).toContain('quartz.009@mailhost.example');
    expect(isEnvelope(rows[2]!.detail)).toBe(true);
  });

  it('keys the row hash, keeps ingest idempotent, and records every ingest in the audit log', async () => {
    const path = writePiiOrders(scratch.dir);
    await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring, map: PII_MAP, actor: 'ana' });
    // the stored hash is not the plain MD5 of the row's fields (which hold the raw id and PII)
    const [first] = await scratch.warehouse.query('SELECT row_hash, source_line FROM transactions ORDER BY source_line LIMIT 1');
    const { readFileSync } = await import('node:fs');
    const line = readFileSync(path, 'utf8').split('\n')[Number(first!.source_line) - 1]!;
    const fields = line.match(/("[^"]*"|[^,]+)/g)!.map((f) => f.replace(/^"|"$/g, ''));
    const plainMd5 = createHash('md5').update(fields.join('\x1f')).digest('hex');
    expect(first!.row_hash).not.toBe(plainMd5);
    // (without a key the hash is exactly that MD5: the comparison above is meaningful)
    const unkeyed = await memoryWarehouse();
    await ingestFiles(unkeyed, [path], { now: NOW });
    const [plain] = await unkeyed.query(`SELECT row_hash FROM transactions WHERE source_line = ${Number(first!.source_line)}`);
    await unkeyed.close();
    expect(plain!.row_hash).toBe(plainMd5);
    // the same rows in another file are duplicates (the keyed hash is stable), nothing is added
    const copy = join(scratch.dir, 'copy.csv');
    writeFileSync(copy, readFileSync(path, 'utf8') + '\n');
    const again = await ingestFiles(scratch.warehouse, [copy], { now: NOW, keyring, map: PII_MAP });
    expect(again.accepted).toBe(0);
    expect(again.files[0]!.privacy.newCustomers).toBe(0);
    expect(await count(scratch.warehouse, 'SELECT count(*) FROM customer_reid')).toBe(CUSTOMERS);
    const entries = await new WarehouseAuditStore(scratch.warehouse).readAll();
    expect(entries.map((e) => [e.action, e.actor, e.role, e.target])).toEqual([
      ['ingest', 'ana', 'analyst', 'file:orders.csv'],
      ['ingest', expect.any(String), 'analyst', 'file:copy.csv'],
    ]);
    expect(entries[0]!.rowCounts).toMatchObject({ transactions: again.rowsRead - 3, quarantine: 3, customer_reid: CUSTOMERS, customers: CUSTOMERS });
    expect(verifyAuditChain(entries, { macKey: auditMacKey(keyring) }).ok).toBe(true);
  });

  it('refuses another key (KeyError, nothing changed), a file warehouse without a key, and a role without ingest', async () => {
    const path = writePiiOrders(scratch.dir);
    await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring, map: PII_MAP });
    const before = await dumpWarehouseText(scratch.warehouse);
    const other = join(scratch.dir, 'other.csv');
    writeFileSync(other, 'customer_id,date,amount\nz,2023-01-01,5\n');
    const wrong = keyringFromKey(generateKey());
    const error = await ingestFiles(scratch.warehouse, [other], { now: NOW, keyring: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).message).toContain(`written with key ${keyring.rootKeyId}`);
    expect((error as KeyError).message).toContain('nothing was changed');
    await expect(ingestFiles(scratch.warehouse, [other], { now: NOW })).rejects.toThrow(/needs a key/);
    await expect(ingestFiles(scratch.warehouse, [other], { now: NOW, keyring, keepCustomerIds: true })).rejects.toThrow(/cannot be kept in clear/);
    await expect(ingestFiles(scratch.warehouse, [other], { now: NOW, keyring, role: 'viewer' })).rejects.toThrow(AccessDeniedError);
    await expect(ingestFiles(scratch.warehouse, [other], { now: NOW, keyring, role: 'marketer' })).rejects.toThrow(/role marketer may not ingest/);
    expect(await dumpWarehouseText(scratch.warehouse)).toBe(before);
  });
});

describe('ingest details', () => {
  const scratch = useScratchWarehouse({ threads: 1 });

  it('an id of nothing but Unicode blanks is quarantined as missing, not tokenised', async () => {
    const path = join(scratch.dir, 'blank.csv');
    writeFileSync(path, 'customer_id,date,amount\na,2023-01-01,10\n\u00a0\u2003,2023-01-02,20\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()) });
    expect(report).toMatchObject({ rowsRead: 2, accepted: 1, quarantined: 1 });
    expect(report.rules.missing_customer_id).toBe(1);
    const [row] = await scratch.warehouse.query('SELECT customer_id FROM transactions');
    expect(isToken(row!.customer_id)).toBe(true);
  });

  it('warns about unmapped columns that look like personal data and does not store them', async () => {
    const path = join(scratch.dir, 'contacts.csv');
    writeFileSync(path, 'customer_id,date,amount,Email,Phone Number\na,2023-01-01,10,a@example.org,555 0101\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring: keyringFromKey(generateKey()) });
    expect(report.files[0]!.warnings).toEqual([
      "column 'Email' looks like personal data (email) and was not stored; to keep it (encrypted) pass --map email=Email",
      "column 'Phone Number' looks like personal data (phone) and was not stored; to keep it (encrypted) pass --map 'phone=Phone Number'",
    ]);
    expect(await count(scratch.warehouse, 'SELECT count(*) FROM customers')).toBe(0);
    expect(await dumpWarehouseText(scratch.warehouse)).not.toContain('a@example.org');
  });

  it('warns about a name column of a customer profile file as personal data, by its name (synth profiles: only email and phone were)', async () => {
    const path = join(scratch.dir, 'profiles.csv');
    writeFileSync(path, 'customer_id,signup_date,name,email,phone,Prénom\n100001,2022-01-26,Edward Dawson,edward@example.net,+44 7700 900456,Edward\n100002,2022-01-04,Daisy Ingram,daisy@example.com,+44 7700 900342,Daisy\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, kind: 'customers', keyring: keyringFromKey(generateKey()) });
    const warnings = report.files[0]!.warnings;
    expect(warnings).toContain("column 'name' looks like personal data (name) and was not stored; to keep it (encrypted) pass --map name=name");
    expect(warnings).toContain("column 'Prénom' looks like personal data (name) and was not stored; to keep it (encrypted) pass --map 'name=Prénom'");
    expect(warnings.filter((w) => /looks like personal data/.test(w))).toHaveLength(4);
  });

  it('warns about a name column of an order file when its values are people\'s names, one per customer; not when they are product names', async () => {
    const people = ['Poppy Ellis', 'Edward Dawson', 'Daisy Ingram', 'Anne-Marie O\'Neil', 'Jan van der Berg', 'Zoë Łukasik', 'Tom Hardy', 'Ivy Chen'];
    const products = ['Red Mug', 'Blue Vase', 'Green Lamp'];
    const lines = people.flatMap((person, c) => products.map((product, p) => `C${c},2023-0${p + 1}-1${c},${10 + p},${product},${person},${product}`));
    const path = join(scratch.dir, 'orders-with-names.csv');
    writeFileSync(path, `customer_id,date,amount,description,name,item\n${lines.join('\n')}\n`);
    const keyring = keyringFromKey(generateKey());
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring });
    const warnings = report.files[0]!.warnings.filter((w) => /personal data/.test(w));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^column 'name' looks like personal data \(name: 100% of the sampled values are two or three capitalised words, one per customer\) and was not stored; to keep it \(encrypted\) pass --map name=name$/);
    expect(warnings[0]).not.toMatch(/Poppy|Ellis/); // no value is quoted
    // product names in a column called name: shaped like names, but shared by customers and several per customer
    const productsPath = join(scratch.dir, 'orders-with-product-names.csv');
    writeFileSync(productsPath, `customer_id,date,amount,description,name\n${people.flatMap((_, c) => products.map((product, p) => `P${c},2023-0${p + 1}-1${c},${10 + p},x${p},${product}`)).join('\n')}\n`);
    const productReport = await ingestFiles(scratch.warehouse, [productsPath], { now: NOW, keyring });
    expect(productReport.files[0]!.warnings.filter((w) => /personal data/.test(w))).toEqual([]);
  });

  // Regression: a bare 'name' column is a synonym of the description; with people's names in it and no other
  // description column, the names were stored as product descriptions, unencrypted, without a word.
  it("a name column taken as the description that holds people's names is not stored as one (warned); mapped so by --map it is, with a warning", async () => {
    const people = ['Poppy Ellis', 'Edward Dawson', 'Daisy Ingram', 'Anne-Marie O\'Neil', 'Jan van der Berg', 'Zoë Łukasik', 'Tom Hardy', 'Ivy Chen'];
    const lines = people.flatMap((person, c) => [1, 2, 3].map((p) => `C${c},2023-0${p}-1${c},${10 + p},${person}`));
    const path = join(scratch.dir, 'orders-named.csv');
    writeFileSync(path, `customer_id,date,amount,name\n${lines.join('\n')}\n`);
    const keyring = keyringFromKey(generateKey());
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, keyring });
    expect(report.files[0]!.mapping.description).toBeUndefined();
    expect(report.files[0]!.warnings.filter((w) => /personal data/.test(w))).toEqual([
      "column 'name' looks like personal data (name: 100% of the sampled values are two or three capitalised words, one per customer) and was not stored as the product description; to keep it (encrypted) pass --map name=name",
    ]);
    expect(await count(scratch.warehouse, 'SELECT count(*) FROM transactions WHERE description IS NOT NULL')).toBe(0);
    expect(await dumpWarehouseText(scratch.warehouse)).not.toContain('Poppy Ellis');
    // the user's own mapping is kept, and told what it stores
    const mapped = join(scratch.dir, 'orders-named-mapped.csv');
    writeFileSync(mapped, `customer_id,date,amount,name\n${lines.map((l) => l.replace('2023', '2022')).join('\n')}\n`);
    const asked = await ingestFiles(scratch.warehouse, [mapped], { now: NOW, keyring, map: { description: 'name' } });
    expect(asked.files[0]!.warnings.filter((w) => /personal data/.test(w))).toEqual([
      "column 'name' looks like personal data (name: 100% of the sampled values are two or three capitalised words, one per customer): mapped as the description by --map, it is stored as one, unencrypted; to keep it encrypted pass --map name=name instead",
    ]);
    expect(await count(scratch.warehouse, 'SELECT count(*) FROM transactions WHERE description IS NOT NULL')).toBe(24);
  });

  it('the shape of a personal name: two or three capitalised words, particles between; not capitals only, digits or one word', async () => {
    const matches = async (value: string) => (await scratch.warehouse.query(`SELECT ${scratch.warehouse.dialect.fullMatch(scratch.warehouse.dialect.literal(value), PERSONAL_NAME_PATTERN)} AS m`))[0]!.m;
    for (const name of ['Poppy Ellis', "Anne-Marie O'Neil", 'Jan van der Berg', 'J. Smith', 'Zoë Łukasik', 'Ewan McDonald', 'María José García']) expect(await matches(name), name).toBe(true);
    for (const other of ['WHITE HANGING HEART T-LIGHT HOLDER', 'Mug 330ml', '#1001', 'Poppy', 'poppy ellis', 'Set Of Four Tea Towels Blue']) expect(await matches(other), other).toBe(false);
  });

  it('in memory without a key, ids are kept as given (the stateless converters) and PII is still encrypted', async () => {
    const path = join(scratch.dir, 'x.csv');
    writeFileSync(path, 'customer_id,date,amount,mail\nA-1,2023-01-01,10,a@example.org\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW, map: { email: 'mail' } });
    expect(report.files[0]!.privacy).toMatchObject({ customerIds: 'as given', rootKeyId: null, piiStored: ['email'] });
    expect(await scratch.warehouse.query('SELECT customer_id FROM transactions')).toEqual([{ customer_id: 'A-1' }]);
    const [c] = await scratch.warehouse.query('SELECT customer_id, email_enc FROM customers');
    expect(c!.customer_id).toBe('A-1');
    expect(isEnvelope(c!.email_enc)).toBe(true);
  });

  it('the tiny shop with a key: same counts as without, every id a token', async () => {
    const report = await ingestFiles(scratch.warehouse, [`${FIXTURES}shop/tiny-shop.csv`], { now: NOW, keyring: keyringFromKey(generateKey()) });
    expect(report).toMatchObject({ rowsRead: 22, accepted: 14, quarantined: 8 });
    expect(await count(scratch.warehouse, 'SELECT count(DISTINCT customer_id) FROM transactions')).toBe(6);
    expect(await count(scratch.warehouse, "SELECT count(*) FROM transactions WHERE NOT regexp_full_match(customer_id, 'c_[a-z2-7]{26}')")).toBe(0);
    // quarantined rows with a readable id carry its token; the one without an id has none
    expect(await count(scratch.warehouse, "SELECT count(*) FROM quarantine WHERE customer_id IS NULL")).toBe(1);
  });
});
