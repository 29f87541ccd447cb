import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { createRandom } from '../../src/math/random.js';
import type { TestServer } from '../server/server-fixture.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A served shop to draw and evaluate campaigns on (seeded): customers A0 … A299 with one order each in 2023, and 120
 * orders of January 2024 by them, ingested into the server's warehouse. `januaryOrders(n)` ingests n more orders of
 * January 2024 by the same customers — an evaluation of January stored before them is stale after.
 */
export async function servedCampaignShop(server: TestServer): Promise<{ januaryOrders: (n: number) => Promise<void> }> {
  const random = createRandom(7);
  const orders = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i},A${random.integer(300)},${day('2024-01-01', random.integer(31))},${(15 + 30 * random.uniform()).toFixed(2)}`);
  const ingest = async (name: string, lines: string[]) => {
    const path = join(server.dir, name);
    writeFileSync(path, `order_id,customer_id,date,amount\n${lines.join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [path], { keyring: server.context.keyring });
  };
  const history = Array.from({ length: 300 }, (_, c) => `H${c},A${c},${day('2023-01-01', random.integer(365))},${(20 + 20 * random.uniform()).toFixed(2)}`);
  await ingest('orders.csv', [...history, ...orders('J', 120)]);
  return { januaryOrders: (n) => ingest('late.csv', orders('L', n)) };
}
