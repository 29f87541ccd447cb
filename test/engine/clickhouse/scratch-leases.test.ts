/**
 * A run on a cluster (an analysis, a server's run) works in tables of its own — the derived tables it stages
 * (`clv_staged_*`), those its swap moves aside (`clv_replaced_*`), its TEMP tables (`clv_intervals`, …: ordinary
 * tables on ClickHouse) — and a process killed with kill -9 leaves them, tokens and scores in them, until the next
 * analysis (the staged ones) or for ever (the TEMP ones). The connection claims each name before it makes the table,
 * under a lease it renews; the next writer's sweep drops the names whose claimants are all dead.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { dropOrphanedScratch, scratchClaimsOf, scratchTables } from '../../../src/engine/clickhouse/scratch-leases.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { generateKey, keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { backdateLease, runTablesOnShards } from '../../helpers/killed-writer.js';
import { FIXTURES } from '../../helpers/warehouse.js';

describe('scratchClaimsOf: the run tables a statement makes or drops', () => {
  it('claims TEMP tables and views and tables named clv_staged_/clv_replaced_/clv_scratch_, not the schema\'s', () => {
    expect(scratchClaimsOf('CREATE OR REPLACE TEMP TABLE clv_intervals AS SELECT 1')).toEqual({ claim: ['clv_intervals'], release: [] });
    expect(scratchClaimsOf('  create temporary view learned_customer_scores as select 1')).toEqual({ claim: ['learned_customer_scores'], release: [] });
    expect(scratchClaimsOf('CREATE OR REPLACE TABLE clv_staged_customer_summary AS SELECT 1')).toEqual({ claim: ['clv_staged_customer_summary'], release: [] });
    expect(scratchClaimsOf('CREATE TABLE IF NOT EXISTS clv_scratch_customer_rfm (customer_id VARCHAR)')).toEqual({ claim: ['clv_scratch_customer_rfm'], release: [] });
    expect(scratchClaimsOf('CREATE TABLE transactions (customer_id VARCHAR)')).toEqual({ claim: [], release: [] });
    expect(scratchClaimsOf('CREATE OR REPLACE TABLE customer_summary AS SELECT 1')).toEqual({ claim: [], release: [] });
    expect(scratchClaimsOf('SELECT * FROM clv_intervals')).toEqual({ claim: [], release: [] });
  });

  it('releases what a DROP or RENAME takes away, and claims a RENAME\'s clv_replaced_ targets', () => {
    expect(scratchClaimsOf('DROP TABLE IF EXISTS clv_staged_customer_rfm')).toEqual({ claim: [], release: ['clv_staged_customer_rfm'] });
    expect(scratchClaimsOf('RENAME TABLE customer_rfm TO clv_replaced_customer_rfm, clv_staged_customer_rfm TO customer_rfm')).toEqual({
      claim: ['clv_replaced_customer_rfm'],
      release: ['customer_rfm', 'clv_staged_customer_rfm'],
    });
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`a killed run's tables on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  const now = new Date('2024-01-01T00:00:00Z');
  const SHOP = `${FIXTURES}shop/tiny-shop.csv`;
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('run_scratch');
    await ingestFilesToClickHouse(cluster, [SHOP], { keyring, now });
  }, 120_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('drops at the next ingest a killed run\'s staged tables (its lease lapsed a minute), keeps a live run\'s — also a name the dead one claimed too — and changes no row of the warehouse', async () => {
    const dead = await clickhouseWarehouse('run_scratch'); // a run's connection, then its process killed
    const live = await clickhouseWarehouse('run_scratch'); // a run going on beside it
    const held = async () => cluster.query('SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM ingests) AS ingests');
    try {
      await dead.execute('CREATE OR REPLACE TABLE clv_staged_customer_summary AS SELECT customer_id, count(*) AS frequency FROM transactions GROUP BY customer_id');
      await dead.execute('CREATE OR REPLACE TABLE clv_staged_customer_scores AS SELECT customer_id, 0.5 AS p_alive FROM transactions GROUP BY customer_id');
      // the next run makes the same name again: claimed by both, the live claim keeps it
      await live.execute('CREATE OR REPLACE TABLE clv_staged_customer_scores AS SELECT customer_id, 0.25 AS p_alive FROM transactions GROUP BY customer_id');
      await live.execute('CREATE OR REPLACE TABLE clv_staged_customer_rfm AS SELECT customer_id, 3 AS r FROM transactions GROUP BY customer_id');
      const lease = dead.scratchLeases.connectionLease;
      expect(lease).toMatch(/^conn_\d+_[0-9a-f]{8}$/);
      await dead.close(); // no TEMP table of its own to drop: the killed process drops nothing; its lease is no longer renewed

      const before = await held();
      // right after the kill its lease is fresh: taken for a running writer's, kept
      await ingestFilesToClickHouse(cluster, [SHOP], { keyring, now });
      expect((await runTablesOnShards(cluster))[0]).toEqual(['clv_staged_customer_rfm', 'clv_staged_customer_scores', 'clv_staged_customer_summary']);
      await backdateLease(cluster, lease, 61); // a minute later
      expect((await scratchTables(cluster)).map((t) => [t.name, t.live])).toEqual([
        ['clv_staged_customer_rfm', true],
        ['clv_staged_customer_scores', true],
        ['clv_staged_customer_summary', false],
      ]);
      const again = await ingestFilesToClickHouse(cluster, [SHOP], { keyring, now });
      expect(again.files[0]!.alreadyIngested).toBe(true);
      expect((await runTablesOnShards(cluster))[0]).toEqual(['clv_staged_customer_rfm', 'clv_staged_customer_scores']);
      expect(await live.query('SELECT DISTINCT p_alive FROM clv_staged_customer_scores')).toEqual([{ p_alive: 0.25 }]); // the live run's own table
      expect(await held()).toEqual(before);
      // the live run ends (drops its tables): nothing of either run is left
      await live.execute('DROP TABLE IF EXISTS clv_staged_customer_scores');
      await live.execute('DROP TABLE IF EXISTS clv_staged_customer_rfm');
      expect((await runTablesOnShards(cluster)).flat()).toEqual([]);
    } finally {
      await live.close();
    }
  }, 180_000);

  it('a TEMP table of a run is claimed while it lives and released when it is dropped; a run\'s scratch is never a live derived table', async () => {
    const run = await clickhouseWarehouse('run_scratch');
    try {
      await run.dropTemporaryTablesAfter(async () => {
        await run.execute('CREATE OR REPLACE TEMP TABLE clv_intervals AS SELECT customer_id, 1 AS gap FROM transactions');
        expect((await scratchTables(cluster)).filter((t) => t.name.startsWith('clv_intervals')).map((t) => t.live)).toEqual([true]);
      });
      expect((await runTablesOnShards(cluster)).flat()).toEqual([]);
      // a live derived table is never scratch, whoever names it so
      await run.execute('CREATE OR REPLACE TABLE customer_rfm AS SELECT customer_id, 3 AS r FROM transactions GROUP BY customer_id');
      expect((await scratchTables(cluster)).map((t) => t.name)).not.toContain('customer_rfm');
    } finally {
      await run.close();
    }
  }, 60_000);

  it('a RENAME moving live tables aside claims all its clv_replaced_ names with one INSERT per shard, and a sweep keeps them while the run lives', async () => {
    const run = await clickhouseWarehouse('run_scratch');
    const names = ['customer_cohorts', 'customer_stages', 'customer_value_tiers'];
    try {
      for (const name of names) {
        await run.execute(`CREATE OR REPLACE TABLE ${name} AS SELECT customer_id, 1 AS v FROM transactions GROUP BY customer_id`);
        await run.execute(`CREATE OR REPLACE TABLE clv_staged_${name} AS SELECT customer_id, 2 AS v FROM transactions GROUP BY customer_id`);
      }
      const sent = vi.spyOn(run, 'commandOnEachShard');
      try {
        await run.execute(`RENAME TABLE ${names.map((name) => `${name} TO clv_replaced_${name}, clv_staged_${name} TO ${name}`).join(', ')}`);
        const claims = sent.mock.calls.map(([sql]) => sql).filter((sql) => sql.includes('scratch_leases'));
        expect(claims).toHaveLength(1); // one statement, sent to each shard (three before: one per name)
        for (const name of names) expect(claims[0]).toContain(`'clv_replaced_${name}'`);
      } finally {
        sent.mockRestore();
      }
      expect((await scratchTables(cluster)).filter((t) => t.name.startsWith('clv_replaced_')).map((t) => [t.name, t.live])).toEqual(names.map((name) => [`clv_replaced_${name}`, true]));
      for (const name of names) {
        expect(await run.query(`SELECT DISTINCT v FROM ${name}`)).toEqual([{ v: 2 }]);
        await run.execute(`DROP TABLE IF EXISTS clv_replaced_${name}`);
        await run.execute(`DROP TABLE IF EXISTS ${name}`);
      }
      expect((await runTablesOnShards(cluster)).flat()).toEqual([]);
    } finally {
      await run.close();
    }
  }, 60_000);

  it('deletes at the next sweep the rows of a lease a day past its last beat on a shard, and keeps a lease with a later beat there', async () => {
    const db = cluster.database;
    const last = cluster.shardUrls.length - 1;
    // on the last shard: a lease beaten two days ago only; another beaten two days ago and a minute ago
    await cluster.commandOnShard(last, `INSERT INTO ${db}.scratch_leases (lease, scratch, beat) VALUES ('old_1', '', now() - 172800), ('mixed_1', '', now() - 172800), ('mixed_1', 'clv_x', now() - 60)`);
    expect(await dropOrphanedScratch(cluster)).toEqual([]);
    await cluster.waitForMutations(['scratch_leases']);
    const leases = (await cluster.queryOnShard(last, `SELECT DISTINCT lease FROM ${db}.scratch_leases WHERE lease IN ('old_1', 'mixed_1') ORDER BY lease`)).split('\n');
    expect(leases).toEqual(['mixed_1']);
  }, 60_000);
});
