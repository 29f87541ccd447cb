/**
 * What one analysis of a small shop on a cluster costs in statements (one HTTP request each: docs/scaling.md,
 * session 25), and that what is no longer sent still holds: the run's scratch tables are claimed before they are
 * made (all at once, ahead of the run, not one claim per table) and are gone when it ends, on the entry node and
 * on every shard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { StatementLogEntry } from '../../../src/engine/clickhouse/statement-log.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { ANALYSIS_SCRATCH_NAMES } from '../../../src/pipeline/analysis-scratch-names.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

/**
 * Statements one analysis (profiles and events held, churn and cross-sell on) of the 300-customer shop below may send,
 * lease beats left out (one per shard every 10 s, however long the run takes): 361 measured after docs/scaling.md
 * session 25 (501 before); each of the 5 warehouse_meta writes may look at its mutation once more per shard.
 */
const SMALL_ANALYSIS_CEILING = 375;

/** A lease beat: the connection's lease renewed, no table named (scratch-leases.ts). */
const BEAT = /^INSERT INTO \w+\.scratch_leases \(lease, scratch, beat\) VALUES \('[^']+', '', now\(\)\)$/;

describe.skipIf(!CLICKHOUSE_URL)(`the requests of one analysis on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(Buffer.alloc(32, 25), { source: 'memory' });
  const dir = scratchDir();
  const sent: StatementLogEntry[] = [];
  let cluster: ClickHouseWarehouse | undefined;

  beforeAll(async () => {
    await generateShop({ outDir: dir, customers: 300, seed: 21 });
    cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, {
      database: `clvkit_test_analysis_requests_${process.pid}`,
      onStatement: (entry) => sent.push(entry),
      ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}),
    });
    const now = new Date('2024-06-01T00:00:00Z');
    await ingestFilesToClickHouse(cluster, [join(dir, 'transactions.csv')], { keyring, now, kind: 'transactions' });
    await ingestFilesToClickHouse(cluster, [join(dir, 'customers.csv')], { keyring, now, kind: 'customers' });
    await ingestFilesToClickHouse(cluster, [join(dir, 'events.csv')], { keyring, now, kind: 'events' });
    sent.length = 0;
    const { run } = await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'out'), files: [], keyring, skipChurn: false });
    expect(run.headline.customers).toBeGreaterThan(250);
    expect(run.events).toBeDefined();
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('sends no more than the ceiling of statements, lease beats left out', () => {
    const counted = sent.filter((entry) => !BEAT.test(entry.sql.trim()));
    expect(counted.length).toBeGreaterThan(200); // the log saw the run
    expect(counted.length).toBeLessThanOrEqual(SMALL_ANALYSIS_CEILING);
  });

  it('claims its scratch tables in one statement per shard before the run, none by itself as it makes it', () => {
    const claims = sent.filter((entry) => /^INSERT INTO \w+\.scratch_leases/.test(entry.sql.trim()) && !BEAT.test(entry.sql.trim()));
    expect(claims.map((entry) => entry.node)).toEqual(cluster!.shardUrls.map((_, i) => `shard ${i + 1}`));
    for (const name of ['clv_staged_customer_summary', 'clv_intervals', 'clv_basket_kept', 'clv_replaced_customer_rfm']) expect(claims[0]!.sql).toContain(`'${name}'`);
    // every TEMP table the run made was among the names claimed ahead
    const made = sent.map((entry) => /^CREATE (?:TABLE|VIEW) (clv_\w+)/.exec(entry.sql.trim())?.[1]).filter((name): name is string => name !== undefined);
    expect(made.length).toBeGreaterThan(20);
    expect([...new Set(made)].filter((name) => !ANALYSIS_SCRATCH_NAMES.includes(name))).toEqual([]);
  });

  it('leaves none of its scratch tables, on the entry node or on any shard; drops each made once at its end', async () => {
    const c = cluster!;
    const [entry] = await c.query(`SELECT count() AS n FROM system.tables WHERE database = '${c.database}' AND startsWith(name, 'clv_')`);
    expect(entry!.n).toBe(0);
    expect(await c.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = '${c.database}' AND startsWith(name, 'clv_')`)).toEqual(c.shardUrls.map(() => '0'));
    // the TEMP tables still there at the end (made by the run, not dropped by it since): one DROP each, on the entry node only
    const finalDrops = sent.filter((entry) => entry.sql.startsWith(`DROP TABLE IF EXISTS ${c.database}.clv_`));
    expect(finalDrops.length).toBeGreaterThan(5);
    expect(finalDrops.every((entry) => entry.node === 'entry')).toBe(true);
    expect(new Set(finalDrops.map((entry) => entry.sql)).size).toBe(finalDrops.length);
  });
});
