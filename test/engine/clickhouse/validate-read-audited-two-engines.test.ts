import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { cli, useFixedKey } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, dropScratchDatabase } from '../../helpers/clickhouse.js';

const entries = async (warehouse: Warehouse) =>
  (await warehouse.query('SELECT action, target, details FROM audit_log ORDER BY seq')).map((r) => ({ action: String(r.action), target: String(r.target), details: JSON.parse(String(r.details)) as unknown }));

// `validate --db` audits its read of the warehouse (view_aggregates, as segments, rules, … do); `validate --engine
// clickhouse` read the cluster's transactions without an entry in the cluster's audit log (session 41: the audit log
// of a cluster showed the other read commands and not validate).
describe.skipIf(!CLICKHOUSE_URL)(`validate's read is audited on the cluster as on DuckDB${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  let db: string;
  let on: string[];
  let cluster: ClickHouseWarehouse | undefined;
  const database = `clvkit_test_validate_audited_${process.pid}`;
  useFixedKey(41);

  beforeAll(async () => {
    dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    await generateShop({ outDir: join(dir, 'shop'), customers: 150, products: 20, seed: 41 });
    on = clickhouseFlags(database);
    const file = join(dir, 'shop', 'transactions.csv');
    for (const target of [['--db', db], on]) {
      const ingested = await cli(['ingest', file, '--quiet', ...target]);
      expect(ingested.code, ingested.stderr).toBe(0);
    }
    cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, { database, createDatabase: false, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) });
  }, 300_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('one view_aggregates entry naming the command, on both engines', async () => {
    const args = ['validate', '--calibration-end', '2023-06-30', '--no-learned', '--json'];
    const duckRun = await cli([...args, '--db', db]);
    expect(duckRun.code, duckRun.stderr).toBe(0);
    const clusterRun = await cli([...args, ...on]);
    expect(clusterRun.code, clusterRun.stderr).toBe(0);
    expect(JSON.parse(clusterRun.stdout).chosen).toBe(JSON.parse(duckRun.stdout).chosen);

    const duck = await openDuckDbWarehouse(db);
    let onDuck;
    try {
      onDuck = await entries(duck);
    } finally {
      await duck.close();
    }
    const onCluster = await entries(cluster!);
    expect(onDuck.map((e) => e.action)).toEqual(['ingest', 'view_aggregates']);
    expect(onDuck[1]).toEqual({ action: 'view_aggregates', target: 'warehouse', details: { command: 'validate' } });
    expect(onCluster).toEqual(onDuck.map((e, i) => (i === 0 ? onCluster[0] : e)));
    expect(onCluster[0]!.action).toBe('ingest');
  }, 300_000);
});
