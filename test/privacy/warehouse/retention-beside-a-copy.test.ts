/**
 * Retention on a ClickHouse cluster beside an ingest copy held between its
 * staging and its attach (the rows it staged before the purge land after
 * it: a mutation does not reach parts attached after it). It used to fail
 * with a stack trace, its deletes unaudited, or leave the copy's rows past
 * the cutoff; it now purges in rounds and waits for running copies, as an
 * erase (rounds-beside-copies.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { applyRetentionOnClickHouse } from '../../../src/privacy/warehouse/apply-retention-on-clickhouse.js';
import { verifyWarehouseAudit } from '../../../src/privacy/warehouse/warehouse-audit.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { besideCopy, fileIn } from '../../helpers/beside-copy.js';

const now = new Date('2024-01-01T00:00:00Z');

describe.skipIf(!CLICKHOUSE_URL)(`retention beside an ingest copy${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 9), { source: 'memory' });
  const file = fileIn(dir);
  const count = async (sql: string) => Number((await cluster.query(sql))[0]!.n);
  /** the period the privacy report lists as applied to `table` (`warehouse_meta`), null when none */
  const retentionRecorded = async (table: string) => {
    const [row] = await cluster.query(`SELECT value FROM warehouse_meta WHERE name = 'retention.${table}'`);
    return row ? String(row.value) : null;
  };

  beforeAll(async () => {
    cluster = await clickhouseWarehouse('retention_beside_copy');
  });
  afterAll(() => dropScratchDatabase(cluster));

  it('retention beside a copy that attaches rows past the cutoff after the purge deletes them too, counts them in its result and audit entry', async () => {
    await ingestFilesToClickHouse(cluster, [file('first.csv', 'customer_id,date,amount\nA,2020-06-01,10\nA,2023-06-01,12\nB,2020-07-01,5\n')], { keyring, now });
    // C only before the cutoff (2022-01-01), A once before it, D after
    const held = file('second.csv', 'customer_id,date,amount\nC,2020-03-01,4\nC,2020-03-02,6\nA,2020-05-01,3\nD,2023-05-01,7\n');
    const { report, running } = await besideCopy(cluster, held, keyring, now, 'transactions', 'first-change', () =>
      applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now, copyWaitSeconds: 60 }),
    );
    const result = await running;
    expect(report.accepted).toBe(4);
    expect(result.deleted.transactions).toBe(2 + 3); // A's and B's old lines, then the copy's three
    expect(result.deleted.customer_reid).toBe(2); // B and C: nothing left
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE ts < ${cluster.dialect.timestamp('2022-01-01T00:00:00.000Z')}`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(2); // A's and D's 2023 lines
    expect(await count('SELECT count(*) AS n FROM customer_reid')).toBe(2);
    const [entry] = await cluster.query("SELECT row_counts FROM audit_log WHERE action = 'apply_retention' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 5, customer_reid: 2 });
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
  }, 240_000);

  it('retention beside a copy keeps the customer_reid row of a returning customer whose only old line it purged (the copy adds it back)', async () => {
    const other = await clickhouseWarehouse('retention_beside_copy_reid');
    try {
      await ingestFilesToClickHouse(other, [file('returning-old.csv', 'customer_id,date,amount\nB,2020-07-01,5\nA,2023-06-01,12\n')], { keyring, now });
      // B's new line staged while B's customer_reid is held (left out), attached after retention purged B's old line and record
      const held = file('returning-new.csv', 'customer_id,date,amount\nB,2023-08-01,8\n');
      const { running } = await besideCopy(other, held, keyring, now, 'transactions', 'first-change', () =>
        applyRetentionOnClickHouse(other, { keyring, role: 'admin', periods: { transactions: '2y' }, now, copyWaitSeconds: 60 }), 2);
      const result = await running;
      expect(result.deleted).toMatchObject({ transactions: 1, customer_reid: 1 }); // B's old line and, then, B's record
      const n = async (sql: string) => Number((await other.query(sql))[0]!.n);
      expect(await n('SELECT count(DISTINCT customer_id) AS n FROM transactions WHERE customer_id NOT IN (SELECT customer_id FROM customer_reid)')).toBe(0);
      expect(await n('SELECT count(DISTINCT customer_id) AS n FROM customer_reid')).toBe(2); // A and B
      expect(await n('SELECT count(*) AS n FROM transactions')).toBe(2);
    } finally {
      await other.dropDatabase();
      await other.close();
    }
  }, 240_000);

  it('retention that finds rows past the cutoff after every purge fails with one line naming them, after auditing what it deleted', async () => {
    await ingestFilesToClickHouse(cluster, [file('old.csv', 'customer_id,date,amount\nH,2020-01-01,1\nH,2020-01-02,2\n')], { keyring, now });
    // after every delete of transactions a copy lands a row past the cutoff (customer K1, K2, …)
    const execute = cluster.execute.bind(cluster);
    let landed = 0;
    cluster.execute = async (sql) => {
      await execute(sql);
      if (/^DELETE FROM transactions /.test(sql)) {
        landed += 1;
        await ingestFilesToClickHouse(cluster, [file(`late-${landed}.csv`, `customer_id,date,amount\nK${landed},2020-02-01,1\n`)], { keyring, now });
      }
    };
    let failure: unknown;
    try {
      // 24 months: the same cutoff as 2y, a period the privacy report would show if this run recorded it
      failure = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '24m' }, now, copyWaitSeconds: 1 }).then(() => null, (error: unknown) => error);
    } finally {
      cluster.execute = execute;
    }
    expect(landed).toBe(4);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe('retention deleted 9 rows (audited), but 1 row past retention is still in transactions after 4 purges: an ingest copy attached them after each delete');
    expect((failure as UserError).hint).toMatch(/run the same retention again/);
    const [entry] = await cluster.query("SELECT row_counts, details FROM audit_log WHERE action = 'apply_retention' ORDER BY seq DESC LIMIT 1");
    // H's two lines, then K1, K2, K3 one each; H's customer_reid row, then K1's, K2's, K3's… as each was left with nothing
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 2 + 3, customer_reid: 1 + 3 });
    expect(JSON.parse(String(entry!.details))).toMatchObject({ rounds: 4, rows_left: { transactions: 1 } });
    expect(await retentionRecorded('transactions')).toBe('2y'); // the first test's: rows past the new period are left, so it is not recorded as applied
    await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '24m' }, now }); // the same command, run again, finishes the job
    expect(await retentionRecorded('transactions')).toBe('24m');
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE ts < ${cluster.dialect.timestamp('2022-01-01T00:00:00.000Z')}`)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM customer_reid')).toBe(2); // A and D
  }, 240_000);

  it('retention that a copy still running after the wait may undo fails with one line naming the copy, after auditing what it deleted', async () => {
    await ingestFilesToClickHouse(cluster, [file('older.csv', 'customer_id,date,amount\nL,2020-04-01,1\n')], { keyring, now });
    const held = file('running.csv', 'customer_id,date,amount\nM,2020-04-02,2\n');
    // the retention runs whole while the copy waits before its attach, and waits 1 s for it
    const { running } = await besideCopy(cluster, held, keyring, now, 'transactions', 'end', () =>
      applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now, copyWaitSeconds: 1 }),
    );
    const failure = await running.then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toMatch(/^retention deleted 2 rows \(audited\), but ingest copy \d+ still ran after 1 s: rows past retention staged there before the purge may land after it$/);
    const [entry] = await cluster.query("SELECT row_counts, details FROM audit_log WHERE action = 'apply_retention' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 1, customer_reid: 1 }); // L's line and L
    expect(JSON.parse(String(entry!.details))).toMatchObject({ rounds: 1, copies_still_running: [expect.any(Number)] });
    // M's line landed after it, as the message warned; the same command, run again, purges it
    expect((await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now })).deleted.transactions).toBe(1);
  }, 240_000);

  it('retention after which more customers have rows but no customer_reid row fails with one line, after auditing (it used to return success)', async () => {
    await ingestFilesToClickHouse(cluster, [file('recordless.csv', 'customer_id,date,amount\nQ,2023-05-05,1\nR,2020-05-05,2\n')], { keyring, now });
    // Q's record goes while the purge runs (as when a copy attached Q's rows after the purge took Q's record)
    const execute = cluster.execute.bind(cluster);
    cluster.execute = async (sql) => {
      await execute(sql);
      if (/^DELETE FROM transactions /.test(sql)) await execute(`DELETE FROM customer_reid WHERE customer_id = '${createPseudonymiser(keyring)('Q')}'`);
    };
    let failure: unknown;
    try {
      failure = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now }).then(() => null, (error: unknown) => error);
    } finally {
      cluster.execute = execute;
    }
    expect(failure).toBeInstanceOf(UserError);
    expect((failure as UserError).message).toBe('retention deleted 2 rows (audited), but 1 more customer with transactions or events now has no customer_reid row (the encrypted original id): rows attached after their record was purged');
    const [entry] = await cluster.query("SELECT row_counts, details FROM audit_log WHERE action = 'apply_retention' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 1, customer_reid: 1 }); // R's line and R
    expect(JSON.parse(String(entry!.details))).toMatchObject({ customers_without_record: 1 });
    // a later retention is not failed by Q, who was without a record before it
    expect((await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now })).deleted.transactions).toBe(0);
  }, 240_000);

  it('retention whose DELETE the cluster refuses does not audit the rows it could not delete', async () => {
    await ingestFilesToClickHouse(cluster, [file('refused.csv', 'customer_id,date,amount\nP,2020-05-03,1\nP,2020-05-04,2\n')], { keyring, now });
    const entries = () => count("SELECT count(*) AS n FROM audit_log WHERE action = 'apply_retention'");
    const before = await entries();
    const execute = cluster.execute.bind(cluster);
    cluster.execute = async (sql) => {
      if (/^DELETE FROM transactions /.test(sql)) throw new Error('mutation refused: too many parts');
      return execute(sql);
    };
    let failure: unknown;
    try {
      failure = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now }).then(() => null, (error: unknown) => error);
    } finally {
      cluster.execute = execute;
    }
    expect((failure as Error).message).toBe('mutation refused: too many parts');
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE ts < ${cluster.dialect.timestamp('2022-01-01T00:00:00.000Z')}`)).toBe(2); // P's lines are still there
    expect(await entries()).toBe(before); // nothing was deleted: no entry claims P's lines
    expect((await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y' }, now })).deleted).toMatchObject({ transactions: 2, customer_reid: 1 }); // run again, it deletes them
  }, 240_000);

  it('retention that the cluster fails part way audits what it had deleted (details.failed) and keeps the failure', async () => {
    await ingestFilesToClickHouse(cluster, [file('oldest.csv', 'customer_id,date,amount\nN,2020-05-01,1\nN,2020-05-02,2\n')], { keyring, now });
    // the cluster fails once the transactions are purged: at the count of the events past their cutoff
    const query = cluster.query.bind(cluster);
    cluster.query = async (sql) => {
      if (/^SELECT count\(\*\) AS n FROM events WHERE/.test(sql)) throw new Error('shard 2 is unreachable');
      return query(sql);
    };
    let failure: unknown;
    try {
      failure = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y', events: '2y' }, now }).then(() => null, (error: unknown) => error);
    } finally {
      cluster.query = query;
    }
    expect((failure as Error).message).toBe('shard 2 is unreachable');
    const [entry] = await cluster.query("SELECT row_counts, details FROM audit_log WHERE action = 'apply_retention' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(String(entry!.row_counts))).toMatchObject({ transactions: 2 });
    expect(JSON.parse(String(entry!.details))).toMatchObject({ failed: 'shard 2 is unreachable' });
    expect(await verifyWarehouseAudit(cluster, keyring, { role: 'admin' })).toMatchObject({ ok: true });
    // the events' period was never applied: the privacy report must not list it as the policy
    expect(await retentionRecorded('events')).toBeNull();
    await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '2y', events: '2y' }, now });
    expect(await retentionRecorded('events')).toBe('2y');
  }, 240_000);
});
