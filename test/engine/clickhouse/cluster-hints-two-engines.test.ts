/**
 * The hints of a command run on a cluster name the cluster's flags (its URL and database), where the same command on
 * a warehouse file names `--db PATH`: a user on the cluster who followed 'clvkit ingest <file> --db PATH' would fill a
 * local DuckDB file, and a database of several on one cluster would go unnamed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { cli } from '../../helpers/cli.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!CLICKHOUSE_URL)(`hints on a cluster name its flags, not --db PATH${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const dir = scratchDir('clvkit-cluster-hints-');
  const keyFile = join(dir, 'shop.key');
  const returnsFile = join(dir, 'returns.csv');
  const shopFile = `${FIXTURES}shop/tiny-shop.csv`;
  let returnsOnly: ClickHouseWarehouse;
  let shop: ClickHouseWarehouse;
  const flagsOf = (cluster: ClickHouseWarehouse) => clickhouseFlags(cluster.database);
  /** the cluster's database as a message names it */
  const named = (cluster: ClickHouseWarehouse) => `the ClickHouse database ${cluster.database} at ${new URL(CLICKHOUSE_URL).origin}`;
  /** the flags as a hint shows them */
  const said = (cluster: ClickHouseWarehouse) => `--engine clickhouse --clickhouse-url ${new URL(CLICKHOUSE_URL).origin} --clickhouse-database ${cluster.database}${cluster.cluster !== 'clvkit' ? ` --cluster ${cluster.cluster}` : ''}`;
  const refused = (run: { code: number; stderr: string }) => {
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    return run.stderr;
  };

  beforeAll(async () => {
    writeFileSync(returnsFile, 'order_id,customer_id,date,quantity,unit_price\nC1,A1,2023-01-05,-1,10\nC2,A2,2023-02-05,-2,10\n');
    expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
    returnsOnly = await clickhouseWarehouse('hints_returns');
    shop = await clickhouseWarehouse('hints_shop');
    for (const [file, cluster] of [[returnsFile, returnsOnly], [shopFile, shop]] as const) {
      const ingested = await cli(['ingest', file, ...flagsOf(cluster), '--key-file', keyFile]);
      expect(ingested.code, ingested.stderr).toBe(0);
    }
  }, 300_000);
  afterAll(async () => {
    for (const cluster of [returnsOnly, shop]) await dropScratchDatabase(cluster);
  });

  it('analyze of a warehouse of returns only (summary stage): the cluster is refused as the file is, its hint names the cluster', async () => {
    const db = join(dir, 'returns.duckdb');
    const onFile = refused(await cli(['analyze', returnsFile, '--db', db, '--key-file', keyFile, '--out', join(dir, 'out-duckdb'), '--quiet']));
    // the returns file was ingested by the run's ingest stage before the summary stage refused: kept, and said so
    // the file warehouse is named by its path (it said --db PATH, which the user had to fill in: session 40)
    expect(onFile).toMatch(/the warehouse holds no purchases to analyse; this run's files were ingested into \S*returns\.duckdb and are kept \(a file held adds nothing when ingested again\) \(hint: ingest a transaction file first: clvkit analyze <file> \(or clvkit ingest <file> --db \S*returns\.duckdb\)\)/);
    // before: 'no customer has a purchase on or before 1970-01-01' (ClickHouse's max() of no rows)
    const onCluster = refused(await cli(['analyze', ...flagsOf(returnsOnly), '--key-file', keyFile, '--out', join(dir, 'out-clickhouse'), '--quiet']));
    expect(onCluster).toContain(`${named(returnsOnly)} holds no purchases to analyse (hint: ingest a transaction file first: clvkit analyze <file> ${said(returnsOnly)} (or clvkit ingest <file> ${said(returnsOnly)}))`);
    expect(onCluster).not.toMatch(/--db/);
  });

  it('rules --per a table the cluster lacks: analyze with the cluster flags, not --db PATH', async () => {
    const onFile = refused(await cli(['rules', shopFile, '--per', 'customer_segments.segment']));
    expect(onFile).toMatch(/hint: run clvkit analyze --db PATH first, or name another table\.column/);
    const onCluster = refused(await cli(['rules', ...flagsOf(shop), '--key-file', keyFile, '--per', 'customer_segments.segment']));
    expect(onCluster).toMatch(new RegExp(`^clvkit: error: ${escape(named(shop))} has no table customer_segments with columns customer_id and segment \\(hint: run clvkit analyze ${escape(said(shop))} first, or name another table\\.column`));
    expect(onCluster).not.toMatch(/--db/);
  });

  it('a file given to a cluster read, and validate of returns only: ingest it with the cluster flags, the database named', async () => {
    const file = refused(await cli(['rules', shopFile, ...flagsOf(shop), '--key-file', keyFile]));
    expect(file).toContain(`hint: ingest the file first: clvkit ingest ${shopFile} ${said(shop)})`);
    const segments = refused(await cli(['segments', shopFile, ...flagsOf(shop), '--key-file', keyFile]));
    expect(segments).toContain(`hint: ingest the file first: clvkit ingest ${shopFile} ${said(shop)})`);
    const validate = refused(await cli(['validate', ...flagsOf(returnsOnly), '--key-file', keyFile, '--calibration-end', '2023-01-31']));
    expect(validate).toContain(`clvkit ingest FILE ${said(returnsOnly)})`);
    const customer = refused(await cli(['customer', 'A', ...flagsOf(shop), '--key-file', keyFile]));
    // the customer's row needs an analysis: the hint names the cluster's analyze, not a --db file
    expect(customer).toContain(`hint: run clvkit analyze ${said(shop)} first (or show the customer's P(alive) path with --alive-path)`);
  });
  it("messages that name the warehouse file name the cluster's database and URL (without credentials) instead, in one line", async () => {
    const other = join(dir, 'other.key');
    expect((await cli(['keys', 'init', '--key-file', other])).code).toBe(0);
    const url = new URL(CLICKHOUSE_URL);
    // the cluster's own user (credentials in the URL are sent now: an unknown user is refused before any message);
    // a password's masking is url-credentials' case, against a server that checks it
    url.username = 'default';
    const withCredentials = flagsOf(shop).map((flag) => (flag === CLICKHOUSE_URL ? url.href : flag));
    // was: 'the warehouse http://127.0.0.1:18621 was written with key …' and a key file 'http://127.0.0.1:18621.key' beside it
    const wrongKey = refused(await cli(['ingest', shopFile, ...withCredentials, '--key-file', other]));
    expect(wrongKey).toMatch(new RegExp(`^clvkit: error: ${escape(named(shop))} was written with key k[0-9a-f]{10}, but key file .*; nothing was changed \\(hint: use the key that wrote it \\(--key-file <path> or CLVKIT_KEY\\)`));
    expect(wrongKey).not.toMatch(/default@|\.key\)/);
    // was: 'no audience nosuch in http://127.0.0.1:18621'
    const noAudience = refused(await cli(['audience', 'show', 'nosuch', ...flagsOf(shop), '--key-file', keyFile]));
    expect(noAudience).toMatch(new RegExp(`^clvkit: error: no audience nosuch in ${escape(named(shop))} \\(hint: create one with clvkit audience create ${escape(said(shop))} `));
    const empty = await clickhouseWarehouse('hints_empty');
    try {
      // was: 'the warehouse http://127.0.0.1:18621 holds no transactions'
      const audience = refused(await cli(['audience', 'create', '--name', 'x', '--where', 'orders >= 1', ...flagsOf(empty), '--key-file', keyFile]));
      expect(audience).toMatch(new RegExp(`^clvkit: error: ${escape(named(empty))} holds no transactions \\(hint: ingest them first: clvkit ingest <file> ${escape(said(empty))}\\)`));
      // was: "the cluster's database … holds no transactions" (no URL)
      const analyze = refused(await cli(['analyze', ...flagsOf(empty), '--key-file', keyFile, '--out', join(dir, 'out-empty'), '--quiet']));
      expect(analyze).toMatch(new RegExp(`^clvkit: error: ${escape(named(empty))} holds no transactions `));
    } finally {
      await empty.dropDatabase();
      await empty.close();
    }
  });
});
