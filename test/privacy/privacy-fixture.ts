// Test data with known personal data, and helpers to look for it in a warehouse and on disk.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '../../src/engine/warehouse.js';

export const CUSTOMERS = 60;
/** A description stored in clear (public catalogue data): the positive control of every byte search. */
export const CLEAR_MARKER = 'GLOBE MARKER ITEM';

export const rawId = (c: number) => `CUSTQX-${String(c).padStart(6, '0')}`;
export const email = (c: number) => `quartz.${String(c).padStart(3, '0')}@mailhost.example`;
export const phone = (c: number) => `+44 7911 ${String(c).padStart(3, '0')} 456`;
export const fullName = (c: number) => `Quartzina Marlowe-${String(c).padStart(3, '0')}`;
export const address = (c: number) => `${c} Baker Street, London NW1 6XE, UK`;
export const note = (c: number) => `allergic to nuts ${String(c).padStart(3, '0')}`;
/** An e-mail that only appears on a row quarantined for its missing customer id. */
export const QUARANTINED_EMAIL = 'nobody.999@mailhost.example';

/** Substrings no byte of the warehouse may contain: every PII value and raw id contains one. */
export const FORBIDDEN = ['CUSTQX', 'mailhost.example', 'Quartzina', 'Marlowe', 'Baker Street', 'allergic to nuts', '7911 0'];

/** Every personal value of every customer, in full. */
export function personalValues(): string[] {
  const values: string[] = [QUARANTINED_EMAIL];
  for (let c = 1; c <= CUSTOMERS; c++) values.push(rawId(c), email(c), phone(c), fullName(c), address(c), note(c));
  return values;
}

export const PII_MAP = { email: 'client_email', phone: 'client_phone', name: 'client_name', address: 'address', note: 'note', product_id: 'product' } as const;
export const PII_MAP_FLAGS = Object.entries(PII_MAP).flatMap(([role, column]) => ['--map', `${role}=${column}`]);

/**
 * Orders of 60 customers in 2023 (1–6 orders each, a deterministic LCG), each
 * row with the customer's e-mail, phone, name, address and a note; plus a row
 * without customer id, a row with a bad date and a row with too few fields
 * (all three quarantined, all with PII). Returns the path.
 */
export function writePiiOrders(dir: string, name = 'orders.csv'): string {
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const lines = ['order_id,customer_id,order_date,product,description,quantity,unit_price,client_email,client_phone,client_name,address,note'];
  let order = 1000;
  for (let c = 1; c <= CUSTOMERS; c++) {
    const orders = 1 + next(6);
    for (let k = 0; k < orders; k++) {
      order++;
      const month = String(1 + next(12)).padStart(2, '0');
      const day = String(1 + next(28)).padStart(2, '0');
      lines.push(`${order},${rawId(c)},2023-${month}-${day} 10:00:00,P${1 + next(20)},${CLEAR_MARKER},${1 + next(4)},${(100 + next(800)) / 100},${email(c)},${phone(c)},${fullName(c)},"${address(c)}",${note(c)}`);
    }
  }
  lines.push(`9999,,2023-05-01 10:00:00,P1,${CLEAR_MARKER},1,1.00,${QUARANTINED_EMAIL},,,,`);
  lines.push(`9998,${rawId(7)},not a date,P1,${CLEAR_MARKER},1,1.00,${email(7)},${phone(7)},${fullName(7)},"${address(7)}",${note(7)}`);
  // too few fields: the reader rejects it (malformed_row), quoting the line
  lines.push(`9997,${rawId(9)},2023-05-02 10:00:00,P1,${CLEAR_MARKER},1,1.00,${email(9)}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** Every value of every column of every base table of the warehouse, as text (the logical content). */
export async function dumpWarehouseText(warehouse: Warehouse): Promise<string> {
  const tables = await warehouse.query(`SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE'`);
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await warehouse.query(`SELECT * FROM "${String(table_name)}"`);
    parts.push(`## ${String(table_name)}\n${rows.map((row) => Object.values(row).map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('\t')).join('\n')}`);
  }
  return parts.join('\n');
}

/** The warehouse's files on disk: the database, its write-ahead log and any spill files, as bytes. */
export function warehouseFiles(db: string): { path: string; bytes: Buffer }[] {
  const dir = db.slice(0, db.lastIndexOf('/'));
  const base = db.slice(db.lastIndexOf('/') + 1);
  const files: { path: string; bytes: Buffer }[] = [];
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) readdirSync(path).forEach((f) => walk(join(path, f)));
    else files.push({ path, bytes: readFileSync(path) });
  };
  for (const name of readdirSync(dir)) {
    if (name.startsWith(base) && !name.endsWith('.key')) walk(join(dir, name));
  }
  return files;
}

/** Which of `needles` occur in which file (empty when none does). */
export function findInFiles(files: readonly { path: string; bytes: Buffer }[], needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const { path, bytes } of files) {
    for (const needle of needles) if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${needle} in ${path}`);
  }
  return found;
}
