// Bench case: FP-growth / PrefixSpan, or (--baseline) one counting pass over the same input (the floor any miner pays).
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { loadPurchaseData } from '../../src/cross-sell/load-purchase-data.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { createRandom } from '../../src/math/random.js';
import type { Baskets } from '../../src/models/patterns/baskets.js';
import { mineFrequentItemsets } from '../../src/models/patterns/fp-growth.js';
import { mineSequentialPatterns } from '../../src/models/patterns/prefixspan.js';
import type { Sequences } from '../../src/models/patterns/sequences.js';
import { reportCase } from '../bench-harness.js';

const [what, sizeText, mode] = process.argv.slice(2);
const size = Number(sizeText);
const baseline = mode === '--baseline';

/** Synthetic baskets: Zipf-like item popularity over `items`, 1 + Poisson(3) items, 30% contain one of 200 planted bundles. */
function syntheticItemsets(count: number, items: number, seed: number): number[][] {
  const random = createRandom(seed);
  const bundles = Array.from({ length: 200 }, () => [random.integer(items), random.integer(items), random.integer(items)]);
  const out: number[][] = [];
  for (let b = 0; b < count; b++) {
    const set = new Set<number>();
    const n = 1 + random.poisson(3);
    for (let k = 0; k < n; k++) set.add(Math.min(items - 1, Math.floor(items * random.uniform() ** 3)));
    if (random.uniform() < 0.3) for (const item of bundles[random.integer(200)]!) set.add(item);
    out.push([...set].sort((x, y) => x - y));
  }
  return out;
}

function toBaskets(list: number[][], nItems: number): Baskets {
  const offsets = new Uint32Array(list.length + 1);
  let total = 0;
  list.forEach((row, i) => (offsets[i + 1] = total += row.length));
  const items = new Uint32Array(total);
  let at = 0;
  for (const row of list) for (const item of row) items[at++] = item;
  return { offsets, items, nItems };
}

function countPass(items: Uint32Array, nItems: number): number {
  const counts = new Uint32Array(nItems);
  for (let i = 0; i < items.length; i++) counts[items[i]!]!++;
  return counts.reduce((a, b) => Math.max(a, b), 0);
}

if (what === 'fpgrowth-demo') {
  const warehouse = await openDuckDbWarehouse(':memory:');
  await ingestFiles(warehouse, [new URL('../../data/online-retail/online_retail.csv.gz', import.meta.url).pathname]);
  const data = await loadPurchaseData(warehouse);
  await warehouse.close();
  const started = performance.now();
  const result = baseline ? countPass(data.baskets.items, data.baskets.nItems) : mineFrequentItemsets(data.baskets, { minSupport: 0.005 }).count;
  reportCase((performance.now() - started) / 1000, { baskets: data.basketCustomer.length, items: data.itemCodes.length, result });
} else if (what === 'fpgrowth-synthetic') {
  const baskets = toBaskets(syntheticItemsets(size, 4000, 5), 4000);
  const started = performance.now();
  const result = baseline ? countPass(baskets.items, 4000) : mineFrequentItemsets(baskets, { minSupport: 0.005 }).count;
  reportCase((performance.now() - started) / 1000, { result });
} else if (what === 'prefixspan') {
  // 100k customers with 1 + Poisson(3) orders each of the synthetic baskets
  const random = createRandom(9);
  const orders = syntheticItemsets(size * 4, 4000, 6);
  const sequenceOffsets = new Uint32Array(size + 1);
  let used = 0;
  for (let c = 0; c < size; c++) {
    used = Math.min(orders.length, used + 1 + random.poisson(3));
    sequenceOffsets[c + 1] = used;
  }
  const baskets = toBaskets(orders.slice(0, used), 4000);
  const sequences: Sequences = { sequenceOffsets, itemsetOffsets: baskets.offsets.subarray(0, used + 1), items: baskets.items.subarray(0, baskets.offsets[used]), nItems: 4000 };
  const started = performance.now();
  const result = baseline ? countPass(sequences.items, 4000) : mineSequentialPatterns(sequences, { minSupport: 0.005, maxLength: 3 }).patterns.length;
  reportCase((performance.now() - started) / 1000, { result });
} else {
  throw new Error('usage: pattern-mining.ts fpgrowth-demo|fpgrowth-synthetic|prefixspan <size> [--baseline]');
}
