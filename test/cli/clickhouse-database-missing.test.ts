/**
 * A mistyped --clickhouse-database: the commands that read or change what a
 * cluster holds used to create the database on every shard (and the schema
 * in it) and run on it empty — 'segments' said there were no transactions,
 * 'audience list' listed none — leaving an empty database behind. They now
 * refuse a database that does not exist, in one line with a hint, exit 2,
 * and create nothing; ingest (and analyze or validate given files) creates it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const SHOP = `${FIXTURES}shop/tiny-shop.csv`;

/** Whether the entry node and the second shard know `database` (system.databases of each shard). */
async function databaseOnShards(database: string): Promise<boolean[]> {
  const urls = (await (await fetch(CLICKHOUSE_URL, { method: 'POST', body: "SELECT host_address, port FROM system.clusters WHERE replica_num = 1 ORDER BY shard_num FORMAT TSV" })).text())
    .trim()
    .split('\n')
    .map((line) => line.split('\t'));
  const entryPort = Number(new URL(CLICKHOUSE_URL).port);
  const [localPort] = (await (await fetch(CLICKHOUSE_URL, { method: 'POST', body: 'SELECT port FROM system.clusters WHERE is_local AND replica_num = 1 LIMIT 1 FORMAT TSV' })).text()).trim().split('\n');
  const offset = entryPort - Number(localPort);
  return Promise.all(
    urls.map(async ([host, port]) => {
      const answer = await fetch(`http://${host}:${Number(port) + offset}/`, { method: 'POST', body: `SELECT count() FROM system.databases WHERE name = '${database}' FORMAT TSV` });
      return (await answer.text()).trim() === '1';
    }),
  );
}

describe('--clickhouse-database in --help', () => {
  it('ingest says it creates the database; a read command says it must exist', async () => {
    const ingest = (await cli(['ingest', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(ingest).toMatch(/--clickhouse-database <name> ClickHouse database \(default clvkit\); created when missing/);
    const segments = (await cli(['segments', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(segments).toMatch(/--clickhouse-database <name> ClickHouse database \(default clvkit\); must exist \(clvkit ingest creates it\)/);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`a --clickhouse-database that does not exist${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const held = `clvkit_test_db_held_${process.pid}`;
  const typo = `clvkit_test_db_typo_${process.pid}`;
  const keyFile = join(scratchDir(), 'cluster.key');
  const on = (database: string) => ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', database, '--key-file', keyFile];
  beforeAll(async () => {
    initKeyFile(keyFile);
    const ingest = await cli(['ingest', SHOP, ...on(held)]);
    expect(ingest.code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    for (const name of [held, typo]) {
      const wh = await openClickHouseWarehouse(CLICKHOUSE_URL, { database: name });
      await wh.dropDatabase();
      await wh.close();
    }
  });

  it('is refused by the commands that read the cluster, in one line with the databases that hold data, exit 2, and not created', async () => {
    const commands = [['segments'], ['analyze', '--out', join(scratchDir(), 'out')], ['validate', '--calibration-end', '2011-06-30'], ['audience', 'list'], ['privacy', 'report'], ['audit', 'list'], ['ingests', 'list'], ['customer', 'A', '--alive-path'], ['erase', 'A', '--role', 'admin']];
    for (const command of commands) {
      const run = await cli([...command, ...on(typo)]);
      const name = command.join(' ');
      expect(run.code, name).toBe(2);
      expect(run.stderr, name).toMatch(new RegExp(`^clvkit: error: no database ${typo} on the ClickHouse cluster at http://127\\.0\\.0\\.1:\\d+ \\(hint: .*databases there holding clvkit data, nearest first: ${held}[,;].*clvkit ingest FILE --engine clickhouse .*--clickhouse-database ${typo} creates it\\)\\n$`));
      expect(await databaseOnShards(typo), name).toEqual([false, false]);
    }
  }, 120_000);

  it('is created by ingest', async () => {
    const ingest = await cli(['ingest', SHOP, ...on(typo), '--json']);
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ accepted: 14 });
    expect(await databaseOnShards(typo)).toEqual([true, true]);
    const segments = await cli(['segments', ...on(typo), '--json']);
    expect(segments.stderr).toBe('');
    expect(segments.code).toBe(0);
  }, 120_000);
});
