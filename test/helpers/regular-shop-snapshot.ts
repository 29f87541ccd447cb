import { join } from 'node:path';
import { addDays } from '../../src/core/calendar-days.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import type { RegularityData } from '../../src/models/mbgcnbd/mbgcnbd.js';
import { queryLearnedSnapshot, type LearnedSnapshot } from '../../src/pipeline/learned-snapshot.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from './warehouse.js';

/**
 * The regular-buyer shop (generateShop shape 'regular': gaps 30 ± 2 days, 1,500 customers, seed 3) as of
 * 90 days before its last purchase, in weeks, with the purchases of those 90 days as the label; `data` is
 * MBG/CNBD-k's input (customers with T > 0, as fitRegularity takes them).
 */
export async function regularShopSnapshot(): Promise<{ snapshot: LearnedSnapshot; data: RegularityData }> {
  const dir = scratchDir('clvkit-regular-shop-');
  await generateShop({ outDir: dir, customers: 1500, seed: 3, events: false, shape: 'regular' });
  const warehouse = await openDuckDbWarehouse(':memory:', { threads: 2 });
  try {
    await ingestFiles(warehouse, [join(dir, 'transactions.csv')], {});
    const [row] = await warehouse.query('SELECT CAST(max(ts) AS DATE)::VARCHAR AS last FROM transactions');
    const last = String(row!.last);
    const snapshot = await queryLearnedSnapshot(warehouse, { asOf: addDays(last, -90), labelEnd: last, timeUnit: 'week', grain: 'day' });
    const keep = Array.from(snapshot.rfm.T.keys()).filter((i) => snapshot.rfm.T[i]! > 0);
    const pick = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]!);
    const data = { frequency: pick(snapshot.rfm.frequency), recency: pick(snapshot.rfm.recency), T: pick(snapshot.rfm.T), weight: pick(snapshot.rfm.weight), litt: pick(snapshot.litt) };
    return { snapshot, data };
  } finally {
    await warehouse.close();
  }
}
