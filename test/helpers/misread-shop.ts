import { writeFileSync } from 'node:fs';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { createRandom } from '../../src/math/random.js';
import { cli } from './cli.js';
import { join } from 'node:path';
import { scratchDir } from './warehouse.js';

/**
 * The files of the user trial's case: a shop's orders (ISO dates, an e-mail each) and a later file whose dates are
 * day-first (28/01/2024), to be misread month-first — with the warehouse totals a drop must give back, for
 * test/ingest/drop-ingest.test.ts and ingest-replace.test.ts.
 */

/** 200 customers P1–P200 with 1–5 orders in 2023 (ISO dates) and an e-mail each. */
export function writeBase(path: string): void {
  const random = createRandom(3);
  const lines = ['order_id,customer_id,email,date,amount'];
  let order = 0;
  for (let c = 1; c <= 200; c++) {
    const n = 1 + random.integer(5);
    for (let k = 0; k < n; k++) lines.push(`O${++order},P${c},p${c}@example.com,2023-${String(1 + random.integer(12)).padStart(2, '0')}-${String(1 + random.integer(28)).padStart(2, '0')},${(5 + 50 * random.uniform()).toFixed(2)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** January–February 2024 orders of P150–P260 (51 of them customers of base.csv, 60 new), dates day-first: 28/01/2024. */
export function writeDayFirst(path: string): void {
  const random = createRandom(5);
  const lines = ['order_id,customer_id,date,amount'];
  let order = 0;
  for (let c = 150; c <= 260; c++) {
    const n = 1 + random.integer(3);
    for (let k = 0; k < n; k++) lines.push(`W${++order},P${c},${String(1 + random.integer(28)).padStart(2, '0')}/${String(1 + random.integer(2)).padStart(2, '0')}/2024,${(5 + 50 * random.uniform()).toFixed(2)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** A scratch folder holding the trial's two files: base.csv (`writeBase`) and wrong.csv (`writeDayFirst`). */
export function writeMisreadShop(): { dir: string; base: string; dayFirst: string } {
  const dir = scratchDir();
  const files = { dir, base: join(dir, 'base.csv'), dayFirst: join(dir, 'wrong.csv') };
  writeBase(files.base);
  writeDayFirst(files.dayFirst);
  return files;
}

/** The warehouse's totals: what a drop must give back exactly. */
export async function totals(db: string): Promise<Record<string, unknown>> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    const [row] = await warehouse.query(`SELECT
      (SELECT count(*) FROM transactions) AS transactions,
      (SELECT round(sum(amount), 2) FROM transactions) AS revenue,
      (SELECT count(DISTINCT customer_id) FROM transactions) AS buyers,
      (SELECT CAST(max(ts) AS VARCHAR) FROM transactions) AS last_ts,
      (SELECT count(*) FROM quarantine) AS quarantine,
      (SELECT count(*) FROM customer_reid) AS customer_reid,
      (SELECT count(*) FROM customers) AS customers,
      (SELECT count(*) FROM customers WHERE email_enc IS NOT NULL) AS emails,
      (SELECT count(*) FROM events) AS events`);
    return { ...row };
  } finally {
    await warehouse.close();
  }
}

export async function query(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    return await warehouse.query(sql);
  } finally {
    await warehouse.close();
  }
}

export const audit = async (db: string) => JSON.parse((await cli(['audit', 'list', '--db', db, '--role', 'admin', '--json'])).stdout) as { action: string; actor: string; role: string; target: string | null; rowCounts: Record<string, number>; details: Record<string, unknown> }[];

