import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from './cli.js';
import { scratchDir } from './warehouse.js';

/**
 * A fresh warehouse of `customers` customers P1…Pn, each with one order of 20
 * in March 2023 and one of 25 in June 2023 (ids `A<n>`, `B<n>`), ingested;
 * the default send date of an audience drawn on it is 2023-06-29.
 */
export async function ingestTwoOrderShop(customers: number): Promise<{ dir: string; db: string }> {
  const dir = scratchDir();
  const db = join(dir, 'shop.duckdb');
  const lines = ['order_id,customer_id,date,amount'];
  for (let c = 1; c <= customers; c++) lines.push(`A${c},P${c},2023-03-${String((c % 28) + 1).padStart(2, '0')},20`, `B${c},P${c},2023-06-${String((c % 28) + 1).padStart(2, '0')},25`);
  writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
  expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db])).code).toBe(0);
  return { dir, db };
}
