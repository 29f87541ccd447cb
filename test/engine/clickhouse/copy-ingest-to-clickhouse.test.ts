/**
 * The copy of an ingest's rows to the cluster (copy-ingest-to-clickhouse.ts):
 * the clean-up of interrupted copies has one owner (the ingest, before it
 * reads what the cluster holds; the copy used to discard again), and a
 * customer already on the cluster gets no second `customer_reid` row (one
 * row per token, as on DuckDB: an erasure's count of them used to be one per
 * file the customer was in).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomersOnClickHouse, type ClusterEraseResult } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { bindWarehouseKey } from '../../../src/privacy/keys/warehouse-key.js';
import { ensureClusterSchema } from '../../../src/engine/clickhouse/ensure-cluster-schema.js';
import { interruptedCopies } from '../../../src/engine/clickhouse/copy-ingest-to-clickhouse.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 7), { source: 'memory' });
const now = new Date('2024-01-01T00:00:00Z');

describe.skipIf(!CLICKHOUSE_URL)(`copying an ingest to ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const statements: string[] = [];
  const dir = scratchDir();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  // A in both files, B in the first only, C in the second only
  const first = file('first.csv', 'customer_id,date,amount\nA,2023-01-05,10\nA,2023-02-05,12\nB,2023-01-20,5\n');
  const second = file('second.csv', 'customer_id,date,amount\nA,2023-05-01,10\nC,2023-05-02,20\n');

  beforeAll(async () => {
    cluster = await clickhouseWarehouse('copy_ingest', { onStatement: (entry) => statements.push(entry.sql) });
  });
  afterAll(() => dropScratchDatabase(cluster));

  it('asks for interrupted copies once per file: the ingest discards them, the copy does not discard again', async () => {
    statements.length = 0;
    await ingestFilesToClickHouse(cluster, [first, second], { keyring, now });
    const asked = statements.filter((sql) => /FROM ingest_copies\b[\s\S]*GROUP BY ingest_id/.test(sql));
    expect(asked).toHaveLength(2);
  }, 120_000);

  it('holds one customer_reid row per customer, as DuckDB does, however many files the customer was in', async () => {
    const duck = await memoryWarehouse();
    try {
      await ingestFiles(duck, [first, second], { keyring, now });
      const perToken = 'SELECT customer_id, count(*) AS n FROM customer_reid GROUP BY customer_id ORDER BY customer_id';
      const onDuck = await duck.query(perToken);
      expect(onDuck.map((row) => Number(row.n))).toEqual([1, 1, 1]);
      expect((await cluster.query(perToken)).map((row) => [row.customer_id, Number(row.n)])).toEqual(onDuck.map((row) => [row.customer_id, Number(row.n)]));
    } finally {
      await duck.close();
    }
  }, 120_000);

  it('a copy running beside an erase of one of its customers: the copy verifies its own rows (the erase deleting others does not fail it), the erase deletes what the copy attached after its delete, and the audit chain holds', async () => {
    // B is held (first.csv) and in this file too; the erase of B runs between the copy's staging and its attach
    const third = file('third.csv', 'customer_id,date,amount\nB,2023-07-01,8\nD,2023-07-02,9\nA,2023-07-03,4\nB,2023-07-04,6\n');
    const token = createPseudonymiser(keyring)('B');
    const wait = cluster.waitForMutations.bind(cluster);
    const onEachShard = cluster.queryOnEachShard.bind(cluster);
    let deleted!: () => void;
    const erasedBeforeAttach = new Promise<void>((resolve) => (deleted = resolve));
    let erasing: Promise<ClusterEraseResult> | undefined;
    cluster.queryOnEachShard = async (sql) => {
      if (!erasing && /SELECT DISTINCT table, partition_id FROM system\.parts .*transactions__staging_/.test(sql)) {
        cluster.waitForMutations = async (tables, timeout) => {
          await wait(tables, timeout);
          deleted(); // the erase's first delete is done
        };
        erasing = eraseCustomersOnClickHouse(cluster, ['B'], { keyring, role: 'admin', copyWaitSeconds: 120 });
        await erasedBeforeAttach; // B's held rows are gone; now the copy attaches its staged rows
      }
      return onEachShard(sql);
    };
    let report;
    try {
      report = await ingestFilesToClickHouse(cluster, [third], { keyring, now });
    } finally {
      cluster.queryOnEachShard = onEachShard;
      cluster.waitForMutations = wait;
    }
    expect(erasing).toBeDefined();
    const erased = await erasing!;
    expect(report.accepted).toBe(4);
    // first.csv's line, then the copy's two; B's record (the copy does not add it back after its attach: B was erased meanwhile)
    expect(erased.rowCounts).toEqual({ transactions: 1 + 2, customer_reid: 1 });
    const [record] = await cluster.query(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${token}'`);
    expect(record!.n).toBe(0);
    const [left] = await cluster.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${token}'`);
    expect(left!.n).toBe(0);
    const [copied] = await cluster.query(`SELECT count(*) AS n FROM transactions WHERE ingest_id = ${report.files[0]!.ingestId}`);
    expect(copied!.n).toBe(2); // D's and A's lines stay
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 240_000);

  /** Ingests `text` as `name` with the erase of `id` run after the file was read, before the copy begins (its `copying` mark). */
  async function eraseBeforeCopy(id: string, name: string, text: string, readmitErased: boolean) {
    const append = cluster.append.bind(cluster);
    let erased = false;
    cluster.append = async (table, columns) => {
      if (!erased && table === 'ingest_copies' && (columns.phase as string[])[0] === 'copying') {
        erased = true;
        await eraseCustomersOnClickHouse(cluster, [id], { keyring, role: 'admin' });
      }
      return append(table, columns);
    };
    try {
      return await ingestFilesToClickHouse(cluster, [file(name, text)], { keyring, now, readmitErased, role: 'admin' }); // readmitting takes the erasure's role
    } finally {
      cluster.append = append;
      expect(erased).toBe(true);
    }
  }
  const linesOf = async (id: string) => Number((await cluster.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${createPseudonymiser(keyring)(id)}'`))[0]!.n);

  it('a copy of rows of a customer erased after the file was read and before the copy began is refused with one line, nothing added (the erased customer used to come back)', async () => {
    await ingestFilesToClickHouse(cluster, [file('seventh.csv', 'customer_id,date,amount\nH,2023-09-01,5\n')], { keyring, now });
    const failure = await eraseBeforeCopy('H', 'eighth.csv', 'customer_id,date,amount\nH,2023-10-01,7\nJ,2023-10-02,3\n', false).then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe('copy to the cluster: the file holds rows of 1 customer erased from the cluster since it was read; nothing was added');
    expect((failure as UserError).hint).toMatch(/--readmit-erased/);
    expect([await linesOf('H'), await linesOf('J')]).toEqual([0, 0]);
    expect(await interruptedCopies(cluster)).toEqual([]); // the copy discarded itself
  }, 240_000);

  it('a customer held when the local ingest asked and erased before the copy, readmitted, gets its customer_reid row back with its new rows (it used to land without one)', async () => {
    const token = createPseudonymiser(keyring)('F');
    await ingestFilesToClickHouse(cluster, [file('fifth.csv', 'customer_id,date,amount\nF,2023-09-01,5\n')], { keyring, now });
    const reidRows = async () => Number((await cluster.query(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${token}'`))[0]!.n);
    expect(await reidRows()).toBe(1);
    // F is held when the next file is read; the erase of F runs after that, before the copy begins; F is readmitted
    const report = await eraseBeforeCopy('F', 'sixth.csv', 'customer_id,date,amount\nF,2023-10-01,7\nG,2023-10-02,3\n', true);
    // new customers as the cluster held them when the file was read: G only
    expect(report.files[0]!.privacy.newCustomers).toBe(1);
    // F's line of the new file is readmitted after the erasure, and it keeps the token re-identifiable and erasable
    expect(await linesOf('F')).toBe(1);
    expect(await reidRows()).toBe(1);
    const [reid] = await cluster.query('SELECT count(*) AS n, count(DISTINCT customer_id) AS tokens FROM customer_reid');
    expect(reid!.n).toBe(reid!.tokens); // still one row per token
    // the audit entry says so, as a readmission at the local read does, and counts F's customer_reid row added back (G's and F's);
    // it used to say neither
    const [entry] = await cluster.query("SELECT row_counts, details FROM audit_log WHERE action = 'ingest' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.details))).toMatchObject({ erased_customers_readmitted: 1, readmitted_tokens: [token] });
    expect(Number((await cluster.query(`SELECT count(*) AS n FROM erased_customers WHERE token = '${token}'`))[0]!.n)).toBe(0); // readmitted: remembered
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 2, customer_reid: 2 });
  }, 240_000);

  it('a copy whose rows do not all arrive fails with one line and a hint, and keeps nothing', async () => {
    const fourth = file('fourth.csv', 'customer_id,date,amount\nE,2023-08-01,8\nE,2023-08-02,9\n');
    const held = async () => Number((await cluster.query('SELECT count(*) AS n FROM transactions'))[0]!.n);
    const before = await held();
    const query = cluster.query.bind(cluster);
    let short = true;
    cluster.query = async (sql) => {
      const rows = await query(sql);
      if (short && /^SELECT count\(\*\) AS n FROM transactions WHERE ingest_id IN/.test(sql)) {
        short = false; // the verification sees one row fewer than the copy sent
        return [{ n: Number(rows[0]!.n) - 1 }];
      }
      return rows;
    };
    let failure: unknown;
    try {
      await ingestFilesToClickHouse(cluster, [fourth], { keyring, now });
    } catch (error) {
      failure = error;
    } finally {
      cluster.query = query;
    }
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(/^copy to the cluster: transactions holds 1 rows of ingest \d+ after the attach, expected 2; the copy was discarded$/);
    expect((failure as UserError).hint).toMatch(/run the same ingest again/);
    expect(await held()).toBe(before);
  }, 120_000);

  it('holds the leases of a copy\'s staging tables with one INSERT per shard, each before its table is made', async () => {
    statements.length = 0;
    const held = file('held.csv', 'customer_id,date,amount\nheld_1,2023-08-01,10\nheld_1,2023-09-01,12\nheld_2,2023-08-20,5\n');
    await ingestFilesToClickHouse(cluster, [held], { keyring, now });
    const heldIds = (sql: string) => [...sql.matchAll(/\('(\d+_[0-9a-f]{8})', '', now\(\)\)/g)].map((m) => m[1]!);
    const holds = statements.map((sql, at) => ({ at, ids: /^INSERT INTO \S+\.scratch_leases /.test(sql) ? heldIds(sql) : [] })).filter((h) => h.ids.length > 0);
    // each staging table's first `_local` (one per shard, the first shard's first)
    const made = statements
      .map((sql, at) => ({ at, match: /^CREATE TABLE \S+\.(transactions|ingests|customer_reid)__staging_(\d+_[0-9a-f]{8})_local /.exec(sql) }))
      .filter((m, i, all) => m.match !== null && all.findIndex((x) => x.match?.[2] === m.match![2]) === i);
    expect(new Set(made.map((m) => m.match![1])).size).toBe(3);
    for (const { at, match } of made) expect(holds.some((h) => h.at < at && h.ids.includes(match![2]!)), `${match![1]} held before it is made`).toBe(true);
    // the copy's transactions, ingests and both customer_reid staging tables (and its other tables') in one statement per
    // shard (customer_reid's second staging table used to be held by a statement of its own; the ingest asks which of a
    // few tokens are held with one query, no staging table: tokensHeldOnCluster)
    const reid = made.filter((m) => m.match![1] === 'customer_reid');
    expect(reid).toHaveLength(2);
    const copyIds = made.map((m) => m.match![2]!);
    expect(holds.filter((h) => copyIds.every((id) => h.ids.includes(id)))).toHaveLength(cluster.shardUrls.length);
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`copy markers written before migration 10 (no attempt column)${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('old_markers');
  });
  afterAll(() => dropScratchDatabase(cluster));

  it('reads them as before (summed per ingest id): the next ingest adds the column, discards the copy they leave open and only that one', async () => {
    // the table as migration 9 made it, with the marks of a closed copy (5), a closed one marked twice (6) and an open one (7)
    await cluster.execute('CREATE TABLE ingest_copies (ingest_id BIGINT NOT NULL, phase VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL)');
    const marks: [number, string][] = [[5, 'copying'], [5, 'copied'], [6, 'copying'], [6, 'copied'], [6, 'discarded'], [7, 'copying']];
    await cluster.append('ingest_copies', { ingest_id: marks.map(([id]) => id), phase: marks.map(([, phase]) => phase), recorded_at: marks.map(() => now) });
    await ensureClusterSchema(cluster);
    await bindWarehouseKey(cluster, keyring); // as the first ingest did
    expect((await cluster.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'ingest_copies' AND column_name = 'attempt'"))[0]?.data_type).toBe('Nullable(String)');
    expect(await interruptedCopies(cluster)).toEqual([7]);
    // a row the open copy attached: deleted by the next ingest, which closes the old copy under its (empty) attempt
    await cluster.append('transactions', { order_id: ['o7'], customer_id: ['c_old'], ts: [now], amount: [3], is_return: [false], is_outlier: [false], ingest_id: [7], source: ['old.csv'], source_line: [2], row_hash: ['h7'] });
    const path = join(scratchDir(), 'after-upgrade.csv');
    writeFileSync(path, 'customer_id,date,amount\nA,2023-01-05,10\n');
    const report = await ingestFilesToClickHouse(cluster, [path], { keyring, now });
    expect(report.files[0]!.ingestId).toBe(1); // id 7's rows are gone before the next id is chosen
    expect(await interruptedCopies(cluster)).toEqual([]);
    const closing = await cluster.query("SELECT ingest_id, count(*) AS n FROM ingest_copies WHERE phase = 'discarded' AND attempt = '' GROUP BY ingest_id");
    expect(closing.map((row) => [Number(row.ingest_id), Number(row.n)])).toEqual([[7, 1]]);
    expect((await cluster.query('SELECT ingest_id, count(*) AS n FROM transactions GROUP BY ingest_id')).map((row) => [Number(row.ingest_id), Number(row.n)])).toEqual([[1, 1]]);
  }, 120_000);
});
