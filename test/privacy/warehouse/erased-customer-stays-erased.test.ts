/**
 * An erased customer does not come back from a file read again. On a
 * cluster, an erasure that deleted rows a copy had just attached made the
 * copy's verification come up short: the copy was discarded, and the same
 * ingest run again (as its hint said) brought the erased customer's rows
 * back. The erasure now records its tokens (`erased_customers`) before its
 * first delete: the copy is verified without the rows of customers erased
 * meanwhile and held (the file is not read again), and any later ingest of
 * an erased customer's rows — on either engine — is refused unless told to
 * readmit them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFiles, type IngestOptions } from '../../../src/ingest/ingest-files.js';
import { AccessDeniedError } from '../../../src/core/errors/access-denied-error.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { eraseCustomersOnClickHouse, type ClusterEraseResult } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { fileIn } from '../../helpers/beside-copy.js';
import { memoryWarehouse, scratchDir } from '../../helpers/warehouse.js';
import { cli } from '../../helpers/cli.js';
import { join } from 'node:path';

const keyring = keyringFromKey(Buffer.alloc(32, 13), { source: 'memory' });
const now = new Date('2024-01-01T00:00:00Z');
const tokenOf = createPseudonymiser(keyring);
const file = fileIn(scratchDir());
const rowsOf = async (wh: Warehouse, id: string) => Number((await wh.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = '${tokenOf(id)}'`))[0]!.n);

/**
 * `ingest` of `name` (B erased, C held or not) is refused with one line, nothing added; readmitErased needs the role
 * allowed to erase (an analyst's is refused, nothing added); an admin's adds B's line, the audit entry counts B and lists
 * its token, and B is no longer recorded as erased: the next ordinary file holding B is taken (it used to be refused again).
 */
async function refusedThenReadmitted(wh: Warehouse, name: string, other: string, ingest: (path: string, extra: Partial<IngestOptions>) => Promise<{ accepted: number }>): Promise<void> {
  const old = file(name, 'customer_id,date,amount\nB,2023-02-01,3\n' + `${other},2023-02-02,2\n`);
  const before = await rowsOf(wh, other);
  const failure = await ingest(old, {}).then(() => null, (error: unknown) => error);
  expect(failure).toBeInstanceOf(UserError);
  expect((failure as UserError).message).toBe(`${name} holds rows of 1 customer erased from this warehouse before; nothing of this file was added`);
  expect((failure as UserError).hint).toMatch(/--readmit-erased/);
  expect([await rowsOf(wh, 'B'), await rowsOf(wh, other)]).toEqual([0, before]);
  const analyst = await ingest(old, { readmitErased: true, role: 'analyst' }).then(() => null, (error: unknown) => error);
  expect(analyst).toBeInstanceOf(AccessDeniedError);
  expect((analyst as UserError).message).toBe('role analyst may not readmit erased customers (--readmit-erased): that is for the roles allowed to erase');
  expect([await rowsOf(wh, 'B'), await rowsOf(wh, other)]).toEqual([0, before]);
  expect((await ingest(old, { readmitErased: true, role: 'admin' })).accepted).toBe(2);
  expect(await rowsOf(wh, 'B')).toBe(1);
  const [entry] = await wh.query("SELECT details FROM audit_log WHERE action = 'ingest' ORDER BY seq DESC LIMIT 1");
  expect(JSON.parse(String(entry!.details))).toMatchObject({ erased_customers_readmitted: 1, readmitted_tokens: [tokenOf('B')] });
  expect(Number((await wh.query(`SELECT count(*) AS n FROM erased_customers WHERE token = '${tokenOf('B')}'`))[0]!.n)).toBe(0);
  // readmitted is remembered: the next file holding B is an ordinary file
  expect((await ingest(file(`later-${name}`, 'customer_id,date,amount\nB,2023-03-01,4\n'), {})).accepted).toBe(1);
  expect(await rowsOf(wh, 'B')).toBe(2);
}

describe('an erased customer is not brought back by an ingest (DuckDB)', () => {
  it('refuses a file with rows of an erased customer, nothing added; readmitErased (admin only) adds them, counted and listed in the audit entry, and remembered', async () => {
    const duck = await memoryWarehouse(1);
    try {
      await ingestFiles(duck, [file('duck-first.csv', 'customer_id,date,amount\nB,2023-01-05,10\nC,2023-01-06,4\n')], { keyring, now });
      await eraseCustomers(duck, ['B'], { keyring, role: 'admin' });
      await refusedThenReadmitted(duck, 'duck-old.csv', 'C', (path, extra) => ingestFiles(duck, [path], { keyring, now, ...extra }));
    } finally {
      await duck.close();
    }
  }, 120_000);
});

describe('several files, a later one refused', () => {
  it('the refusal names the files added before it (d.csv went in; the message said only that nothing of b.csv was)', async () => {
    const duck = await memoryWarehouse(1);
    try {
      await ingestFiles(duck, [file('several-first.csv', 'customer_id,date,amount\nB,2023-01-05,10\n')], { keyring, now });
      await eraseCustomers(duck, ['B'], { keyring, role: 'admin' });
      const d = file('d.csv', 'customer_id,date,amount\nD,2023-01-07,3\n');
      const e = file('e.csv', 'customer_id,date,amount\nE,2023-01-07,3\n');
      const b = file('b.csv', 'customer_id,date,amount\nB,2023-01-08,2\nC,2023-01-09,2\n');
      const failure = await ingestFiles(duck, [d, e, b], { keyring, now }).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(UserError);
      expect((failure as UserError).message).toBe('b.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added; added before it: d.csv, e.csv');
      expect((failure as UserError).hint).toMatch(/--readmit-erased/);
      expect([await rowsOf(duck, 'D'), await rowsOf(duck, 'E'), await rowsOf(duck, 'C')]).toEqual([1, 1, 0]);
      // the first file refused: nothing was added, nothing more said
      const alone = await ingestFiles(duck, [b, file('f.csv', 'customer_id,date,amount\nF,2023-01-07,3\n')], { keyring, now }).then(() => null, (error: unknown) => error);
      expect((alone as UserError).message).toBe('b.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added');
    } finally {
      await duck.close();
    }
  }, 120_000);
});

describe('an erase that fails before its first delete (DuckDB)', () => {
  it('records no token as erased: its transaction rolls the record back with everything else', async () => {
    const duck = await memoryWarehouse(1);
    try {
      await ingestFiles(duck, [file('duck-rollback.csv', 'customer_id,date,amount\nB,2023-01-05,10\n')], { keyring, now });
      const query = duck.query.bind(duck);
      duck.query = async (sql) => {
        // the counts of every table (one UNION ALL query, then each alone once it failed)
        if (/SELECT customer_id, count\(\*\) AS n FROM/.test(sql)) throw new Error('injected: the count fails');
        return query(sql);
      };
      try {
        await expect(eraseCustomers(duck, ['B'], { keyring, role: 'admin' })).rejects.toThrow(/injected/);
      } finally {
        duck.query = query;
      }
      expect(Number((await duck.query('SELECT count(*) AS n FROM erased_customers'))[0]!.n)).toBe(0);
      expect(await rowsOf(duck, 'B')).toBe(1);
    } finally {
      await duck.close();
    }
  }, 120_000);
});

describe('clvkit ingest --readmit-erased', () => {
  it('refuses the file with one line (exit 2) after an erase of one of its customers; with --readmit-erased it adds it (exit 0)', async () => {
    const dir = scratchDir();
    const db = join(dir, 'erased.duckdb');
    const access = ['--db', db, '--key-file', join(dir, 'erased.key')];
    expect((await cli(['keys', 'init', '--key-file', join(dir, 'erased.key')])).code).toBe(0);
    expect((await cli(['ingest', file('cli-first.csv', 'customer_id,date,amount\nB,2023-01-05,10\nC,2023-01-06,4\n'), ...access])).code).toBe(0);
    expect((await cli(['erase', 'B', ...access, '--role', 'admin'])).code).toBe(0);
    const old = file('cli-old.csv', 'customer_id,date,amount\nB,2023-01-07,3\nC,2023-01-08,2\n');
    const refused = await cli(['ingest', old, ...access]);
    expect(refused.code).toBe(2);
    // after the progress line ('clvkit: reading …'), one line of error
    expect(refused.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('clvkit: reading '))).toEqual([
      'clvkit: error: cli-old.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added (hint: remove their rows from the file, leave them out with clvkit ingest --leave-out-erased (quarantined as erased_customer, nothing of them kept), or add them again with clvkit ingest --readmit-erased --role admin (the ingest\'s audit entry counts and lists them))',
    ]);
    // an analyst (the default role) may not readmit: one line, exit 2, the role to pass
    const analyst = await cli(['ingest', old, ...access, '--readmit-erased']);
    expect(analyst.code).toBe(2);
    expect(analyst.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('clvkit: reading '))).toEqual([
      'clvkit: error: role analyst may not readmit erased customers (--readmit-erased): that is for the roles allowed to erase (hint: roles allowed: admin; if you act as admin, pass --role admin)',
    ]);
    const readmitted = await cli(['ingest', old, ...access, '--readmit-erased', '--role', 'admin', '--json']);
    expect(readmitted.code, readmitted.stderr).toBe(0);
    expect(JSON.parse(readmitted.stdout)).toMatchObject({ accepted: 2 });
    // the report says so (a user trial: only the audit entry did)
    expect(JSON.parse(readmitted.stdout).files[0].warnings).toContain('readmitted 1 customer erased before (--readmit-erased): their rows are held again, and later files with them are no longer refused');
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`an erased customer is not brought back by an ingest (ClickHouse)${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('erased_stays_erased');
    await ingestFilesToClickHouse(cluster, [file('first.csv', 'customer_id,date,amount\nA,2023-01-05,10\nB,2023-01-20,5\n')], { keyring, now });
  }, 120_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('a copy whose attached rows an erase deleted before its verification is held, not discarded: the same file again adds nothing, the customer stays erased', async () => {
    const second = file('second.csv', 'customer_id,date,amount\nB,2023-07-01,8\nD,2023-07-02,9\nB,2023-07-04,6\n');
    // the erase of B runs once the copy has attached its rows and before it counts them: its first delete takes them
    const query = cluster.query.bind(cluster);
    const wait = cluster.waitForMutations.bind(cluster);
    let erasing: Promise<ClusterEraseResult> | undefined;
    cluster.query = async (sql) => {
      if (!erasing && /^SELECT count\(\*\) AS n FROM transactions WHERE ingest_id IN/.test(sql)) {
        let deleted!: () => void;
        const firstDelete = new Promise<void>((resolve) => (deleted = resolve));
        cluster.waitForMutations = async (tables, timeout) => {
          await wait(tables, timeout);
          cluster.waitForMutations = wait;
          deleted();
        };
        erasing = eraseCustomersOnClickHouse(cluster, ['B'], { keyring, role: 'admin', copyWaitSeconds: 120 });
        await Promise.race([firstDelete, erasing.catch(() => undefined)]);
      }
      return query(sql);
    };
    let report;
    try {
      report = await ingestFilesToClickHouse(cluster, [second], { keyring, now });
    } finally {
      cluster.query = query;
      cluster.waitForMutations = wait;
    }
    expect(erasing).toBeDefined();
    const erased = await erasing!;
    expect(erased.rowCounts.transactions).toBe(1 + 2); // first.csv's line, then the copy's two
    expect(await rowsOf(cluster, 'B')).toBe(0);
    expect(await rowsOf(cluster, 'D')).toBe(1);
    // the copy is held: its audit entry says what the erasure took
    const [entry] = await cluster.query("SELECT details FROM audit_log WHERE action = 'ingest' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.details))).toMatchObject({ ingest_id: report.files[0]!.ingestId, rows_erased_meanwhile: { transactions: 2 } });
    // the same ingest again: the file is held, nothing added, B stays erased
    const again = await ingestFilesToClickHouse(cluster, [second], { keyring, now });
    expect(again.files[0]!.alreadyIngested).toBe(true);
    expect(await rowsOf(cluster, 'B')).toBe(0);
    expect(Number((await cluster.query(`SELECT count(*) AS n FROM customer_reid WHERE customer_id = '${tokenOf('B')}'`))[0]!.n)).toBe(0);
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 240_000);

  it('a later file refused names the files added before it', async () => {
    const d = file('ch-d.csv', 'customer_id,date,amount\nK,2023-01-07,3\n');
    const b = file('ch-b.csv', 'customer_id,date,amount\nB,2023-01-08,2\n');
    const failure = await ingestFilesToClickHouse(cluster, [d, b], { keyring, now }).then(() => null, (error: unknown) => error);
    expect((failure as UserError).message).toBe('ch-b.csv holds rows of 1 customer erased from this warehouse before; nothing of this file was added; added before it: ch-d.csv');
    expect(await rowsOf(cluster, 'K')).toBe(1);
  }, 240_000);

  it('refuses another file with rows of the erased customer, nothing added; readmitErased (admin only) adds them, counted and listed in the audit entry, and remembered', async () => {
    await refusedThenReadmitted(cluster, 'old.csv', 'E', (path, extra) => ingestFilesToClickHouse(cluster, [path], { keyring, now, ...extra }));
  }, 240_000);
});
