// Bench case: catalog reads on a ClickHouse cluster beside another writer creating and dropping tables (the race
// test/engine/clickhouse/catalog-read-beside-drops.test.ts guards: ClickHouse 18.16 fails a catalog read when a table is
// dropped during it, and withCatalogRetry repeats the read).
//   clickhouse-catalog-reads URL ROUNDS [--cluster NAME]
//   In a scratch database holding one sharded table, ROUNDS rounds of the test's three reads (isShardedTable, a count
//   from information_schema.tables, the per-shard listing from system.tables) alone (the baseline) and ROUNDS beside a
//   create/drop loop on the same cluster, in six alternating blocks. Reports the seconds beside the drops, the seconds
//   alone, the drops made and the reads that failed (0 expected). The database is dropped.
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { reportCase } from '../bench-harness.js';

const argv = process.argv.slice(2);
const clusterAt = argv.indexOf('--cluster');
const cluster = clusterAt >= 0 ? argv[clusterAt + 1] : undefined;
const [url, roundsText] = argv.filter((a, i) => !a.startsWith('--') && (clusterAt < 0 || i !== clusterAt + 1));
const rounds = Number(roundsText);
if (!url || !Number.isInteger(rounds) || rounds < 1) throw new Error('usage: clickhouse-catalog-reads.ts URL ROUNDS [--cluster NAME]');

const warehouse = await openClickHouseWarehouse(url, { database: `clvkit_bench_catalog_${process.pid}`, ...(cluster ? { cluster } : {}) });
try {
  await warehouse.createShardedTable('CREATE TABLE events_held (customer_id VARCHAR, n BIGINT)');
  const shards = (await warehouse.queryOnEachShard('SELECT 1')).length;
  const reads = [
    async () => (await warehouse.isShardedTable('events_held')) === true,
    async () => Number((await warehouse.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'events_held'`))[0]!.n) === 1,
    async () => (await warehouse.queryOnEachShard(`SELECT name FROM system.tables WHERE database = '${warehouse.database}' AND name = 'events_held_local'`)).length === shards,
  ];
  let failures = 0;
  const timedRounds = async (count: number) => {
    const started = performance.now();
    for (let round = 0; round < count; round++) for (const read of reads) if (!(await read().catch(() => false))) failures++;
    return (performance.now() - started) / 1000;
  };
  let drops = 0;
  const besideDrops = async (count: number) => {
    let stop = false;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const table = `${warehouse.database}.scratch_${i % 5}`;
        await warehouse.execute(`CREATE TABLE IF NOT EXISTS ${table} (x UInt8) ENGINE = MergeTree ORDER BY x`);
        await warehouse.execute(`DROP TABLE IF EXISTS ${table}`);
        drops++;
      }
    })();
    try {
      return await timedRounds(count);
    } finally {
      stop = true;
      await churn;
    }
  };
  // alone and beside the drops in alternating blocks, so that a change in the machine's load meanwhile weighs on both
  const blocks = 6;
  let alone = 0;
  let beside = 0;
  for (let block = 0; block < blocks; block++) {
    const count = Math.round((rounds * (block + 1)) / blocks) - Math.round((rounds * block) / blocks);
    alone += await timedRounds(count);
    beside += await besideDrops(count);
  }
  process.stderr.write(`  ${rounds * reads.length} reads each way: alone ${alone.toFixed(2)} s, beside ${drops} drops ${beside.toFixed(2)} s, ${failures} failed\n`);
  reportCase(beside, { reads: rounds * reads.length, baselineSeconds: alone, drops, failures });
} finally {
  await warehouse.dropDatabase();
  await warehouse.close();
}
