import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { ensureClusterSchema } from '../../src/engine/clickhouse/ensure-cluster-schema.js';
import { recordAudit } from '../../src/privacy/warehouse/warehouse-audit.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

describe('clvkit ingest --engine clickhouse: user errors', () => {
  it('asks for the cluster URL, and for --engine clickhouse with it', async () => {
    const noUrl = await cli(['ingest', SHOP, '--engine', 'clickhouse']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/--engine clickhouse needs --clickhouse-url/);
    expect(noUrl.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const noEngine = await cli(['ingest', SHOP, '--clickhouse-url', 'http://127.0.0.1:1']);
    expect(noEngine.code).toBe(2);
    expect(noEngine.stderr).toMatch(/need --engine clickhouse/);
    const unknown = await cli(['ingest', SHOP, '--engine', 'postgres']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--engine postgres is not duckdb or clickhouse/);
  });

  it('says when no server answers', async () => {
    const keyFile = join(scratchDir(), 'cluster.key');
    initKeyFile(keyFile);
    const result = await cli(['ingest', SHOP, '--engine', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:1', '--key-file', keyFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no ClickHouse server answers at http:\/\/127\.0\.0\.1:1/);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`clvkit ingest --engine clickhouse on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const database = `clvkit_test_cli_${process.pid}`;
  afterAll(async () => {
    for (const name of [database, `${database}_erase`]) {
      const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: name });
      await wh.dropDatabase();
      await wh.close();
    }
  });

  it('ingests a file with the key file given, and reports it as DuckDB ingest does', async () => {
    const keyFile = join(scratchDir(), 'cluster.key');
    initKeyFile(keyFile);
    const args = ['ingest', SHOP, '--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', database, '--key-file', keyFile, '--json'];
    const result = await cli(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rowsRead: 22, accepted: 14, quarantined: 8 });
    const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database });
    const [held] = await wh.query('SELECT count(*) AS n, count(DISTINCT customer_id) AS c FROM transactions');
    await wh.close();
    expect(held).toEqual({ n: 14, c: 6 });
  });

  it('erases a customer on the cluster (admin), and refuses an analyst', async () => {
    const keyFile = join(scratchDir(), 'erase.key');
    initKeyFile(keyFile);
    // a database of its own: the shop is held in the other one under another key
    const target = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', `${database}_erase`, '--key-file', keyFile];
    expect((await cli(['ingest', SHOP, ...target])).code).toBe(0);
    const denied = await cli(['erase', 'A', ...target]);
    expect(denied.code).toBe(2);
    const erased = await cli(['erase', 'A', ...target, '--role', 'admin', '--json']);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ rows: 4, rowCounts: { transactions: 3, customer_reid: 1 } }); // A's three lines and its encrypted original id
  });

  it('audit verify names a chain forked by two writers appending at once (no transactions on the cluster), not tampering', async () => {
    const keyFile = join(scratchDir(), 'fork.key');
    const keyring = initKeyFile(keyFile);
    const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: `${database}_fork` });
    try {
      await ensureClusterSchema(wh);
      const admin = { actor: 'ops', role: 'admin' } as const;
      await recordAudit(wh, keyring, admin, { action: 'apply_retention', target: 'warehouse' });
      // the server's ingest and a CLI command append at the same time: both check that entry 1 is the last before either inserts
      const query = wh.query.bind(wh);
      let arrived = 0;
      let release!: () => void;
      const bothChecked = new Promise<void>((resolve) => (release = resolve));
      wh.query = async (sql) => {
        const rows = await query(sql);
        // each reads the last entry (the seq its append follows: WarehouseAuditStore.readLast) before either inserts
        if (/FROM audit_log ORDER BY seq DESC LIMIT 1/.test(sql) && arrived < 2) {
          arrived += 1;
          if (arrived === 2) release();
          await bothChecked;
        }
        return rows;
      };
      await Promise.all([recordAudit(wh, keyring, admin, { action: 'ingest', target: 'table:transactions' }), recordAudit(wh, keyring, admin, { action: 'apply_retention', target: 'warehouse' })]);
      wh.query = query;
      expect(arrived).toBe(2);
      const target = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', `${database}_fork`, '--key-file', keyFile, '--role', 'admin'];
      const verified = await cli(['audit', 'verify', ...target]);
      expect(verified.code).toBe(2);
      expect(verified.stderr).toMatch(/audit log broken at entry 3 \(seq-order\)/);
      expect(verified.stderr).toMatch(/two entries 2: most likely two writers appended at once/);
      // it does not vouch for what it did not check
      expect(verified.stderr).toMatch(/the second entry 2 and every later one are not checked/);
      expect(verified.stderr).not.toMatch(/no entry was altered/);
      expect(verified.stderr).not.toMatch(/altered outside clvkit/);
      expect(verified.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await wh.dropDatabase();
      await wh.close();
    }
  });
});
