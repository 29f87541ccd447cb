/**
 * Times `keys rotate` and `retention apply` on a ClickHouse cluster against
 * the same commands on a DuckDB warehouse holding the same rows (the
 * baseline, measured in the same run), on a synthetic shop.
 *
 * Usage: CLVKIT_CLICKHOUSE_URL=http://127.0.0.1:18651 npx tsx scripts/measure-cluster-privacy-commands.ts [customers=20000] [dir=/tmp/clvkit-measure]
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { openClickHouseWarehouse } from '../src/engine/clickhouse/clickhouse-warehouse.js';
import { copyTableToClickHouse } from '../src/engine/clickhouse/copy-table-to-clickhouse.js';
import { openDuckDbWarehouse } from '../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../src/ingest/ingest-files.js';
import { initKeyFile } from '../src/privacy/keys/key-file.js';
import { applyRetention } from '../src/privacy/warehouse/apply-retention.js';
import { applyRetentionOnClickHouse } from '../src/privacy/warehouse/apply-retention-on-clickhouse.js';
import { rotateWarehouseKey } from '../src/privacy/warehouse/rotate-warehouse-key.js';
import { rotateWarehouseKeyOnClickHouse } from '../src/privacy/warehouse/rotate-warehouse-key-on-clickhouse.js';
import { generateShop } from '../src/synth/generate-shop.js';

const customers = Number(process.argv[2] ?? 20_000);
const dir = process.argv[3] ?? '/tmp/clvkit-measure';
const url = process.env.CLVKIT_CLICKHOUSE_URL;
if (!url) throw new Error('set CLVKIT_CLICKHOUSE_URL');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const key = Buffer.alloc(32, 7);
const [duckKey, clusterKey] = [join(dir, 'duck.key'), join(dir, 'cluster.key')];
const keyring = initKeyFile(duckKey, { key });
initKeyFile(clusterKey, { key });
await generateShop({ outDir: join(dir, 'shop'), customers, seed: 5 });
const duck = await openDuckDbWarehouse(join(dir, 'shop.duckdb'));
await ingestFiles(duck, ['transactions', 'customers', 'events'].map((f) => join(dir, 'shop', `${f}.csv`)), { keyring });
const cluster = await openClickHouseWarehouse(url, { database: `clvkit_measure_${process.pid}` });
const tables = (await duck.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name")).map((r) => String(r.table_name));
for (const table of tables) await copyTableToClickHouse(duck, cluster, table);
const time = async <T>(work: () => Promise<T>) => {
  const start = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
};
const line = (what: string, d: number, c: number, n: number) => console.log(`${what}: ${n.toLocaleString('en-US')} values/rows, DuckDB ${d.toFixed(2)} s, cluster ${c.toFixed(2)} s, ratio ${(c / d).toFixed(1)}x, load ${loadavg()[0]!.toFixed(1)}`);
try {
  console.log(`${customers} customers, ${tables.length} tables, load ${loadavg()[0]!.toFixed(1)}`);
  const { loadKeyring } = await import('../src/privacy/keys/load-keyring.js');
  const d1 = await time(() => rotateWarehouseKey(duck, { keyring: loadKeyring({ keyFile: duckKey }), role: 'admin' }));
  const c1 = await time(() => rotateWarehouseKeyOnClickHouse(cluster, { keyring: loadKeyring({ keyFile: clusterKey }), role: 'admin' }));
  if (c1.result.values !== d1.result.values) throw new Error(`re-encrypted ${c1.result.values} on the cluster, ${d1.result.values} on DuckDB`);
  line('keys rotate', d1.seconds, c1.seconds, d1.result.values);
  const periods = { transactions: `${Math.ceil((Date.now() - Date.parse('2023-01-01')) / 86_400_000)}d`, events: `${Math.ceil((Date.now() - Date.parse('2023-06-01')) / 86_400_000)}d` };
  const d2 = await time(() => applyRetention(duck, { keyring: loadKeyring({ keyFile: duckKey }), role: 'admin', periods }));
  const c2 = await time(() => applyRetentionOnClickHouse(cluster, { keyring: loadKeyring({ keyFile: clusterKey }), role: 'admin', periods }));
  if (JSON.stringify(c2.result.deleted) !== JSON.stringify(d2.result.deleted)) throw new Error(`deleted ${JSON.stringify(c2.result.deleted)} on the cluster, ${JSON.stringify(d2.result.deleted)} on DuckDB`);
  line(`retention apply (${JSON.stringify(d2.result.deleted)})`, d2.seconds, c2.seconds, d2.result.rows);
} finally {
  await cluster.dropDatabase();
  await cluster.close();
  await duck.close();
}
