/**
 * An in-memory warehouse of customers who bought on given days: `daysBefore[customer]` lists how many days before
 * `asOf` each purchase was (one line of P1 at noon each), ingested as a file would be. For the lifecycle tests that
 * build histories by hand (gaps, lapses, comebacks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../src/core/calendar-days.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { memoryWarehouse } from './warehouse.js';

/** The warehouse, and `close` (the warehouse and its scratch folder). */
export async function purchaseDaysWarehouse(asOf: string, daysBefore: Readonly<Record<string, readonly number[]>>): Promise<{ warehouse: Warehouse; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-purchase-days-'));
  const lines = ['order_id,customer_id,order_date,product_id,quantity,unit_price,country'];
  let order = 1000;
  for (const [customer, days] of Object.entries(daysBefore)) {
    for (const d of days) lines.push(`${order++},${customer},${addDays(asOf, -d)} 12:00:00,P1,1,10.00,UK`);
  }
  writeFileSync(join(dir, 'shop.csv'), `${lines.join('\n')}\n`);
  const warehouse = await memoryWarehouse(1);
  await ingestFiles(warehouse, [join(dir, 'shop.csv')], { now: new Date('2024-07-01T00:00:00Z') });
  return {
    warehouse,
    close: async () => {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
