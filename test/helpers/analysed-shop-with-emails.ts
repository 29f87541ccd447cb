import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from './cli.js';

/**
 * A warehouse `shop.duckdb` in `dir` of 40 customers P1…P40 with e-mail addresses (`p<c>@example.com`, stored
 * encrypted), P<c> with 1 + c % 3 orders (P3 one, P1 two), ingested and analysed without models, patterns or report.
 * Returns the warehouse's path.
 */
export async function analysedShopWithEmails(dir: string): Promise<string> {
  const db = join(dir, 'shop.duckdb');
  const lines = ['order_id,customer_id,email,date,amount'];
  for (let c = 1; c <= 40; c++) for (let k = 0; k <= c % 3; k++) lines.push(`O${c}-${k},P${c},p${c}@example.com,2023-0${1 + ((c + k) % 9)}-1${k},${(10 + c).toFixed(2)}`);
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db, '--map', 'email=email'])).code).toBe(0);
  expect((await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--skip-models', '--quiet'])).code).toBe(0);
  return db;
}
