/**
 * Issue 19 item 3: a group the server ingests into ClickHouse (and any file
 * `ingest --engine clickhouse` copies) is all or nothing, and a replay after
 * a crash in the middle of the copy neither duplicates nor loses a row. The
 * crash is injected into the cluster's statements: between two tables'
 * attach steps (part of the group visible, its `ingests` row not), in
 * the staging phase (nothing visible) and after every attach, before the
 * copy is verified (all visible, still marked as copying). Only copies
 * marked in `ingest_copies` are discarded: rows under ids the cluster's
 * `ingests` does not know, loaded by other means, are kept.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { interruptedCopies, runningCopies } from '../../src/engine/clickhouse/copy-ingest-to-clickhouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 42), { source: 'memory' });

/**
 * An orders file of `customers` customers (1 to 3 orders each) and `bad` lines the ingest quarantines. Its orders fall
 * in two months: two monthly partitions on each shard, each attached by its own statement (twelve months sent ~270
 * ATTACH statements over this file's ingests, for nothing a second partition does not show).
 */
function ordersFile(dir: string, name: string, prefix: string, customers: number, bad: number): { path: string; good: number } {
  const lines = ['order_id,customer_id,date,amount'];
  for (let c = 0; c < customers; c++) for (let k = 0; k <= c % 3; k++) lines.push(`${prefix}o${c}-${k},${prefix}c${c},2025-${String(1 + ((c + k) % 2)).padStart(2, '0')}-${String(1 + (c % 28)).padStart(2, '0')},${10 + (c % 50)}.5`);
  const good = lines.length - 1;
  for (let b = 0; b < bad; b++) lines.push(`${prefix}bad${b},${prefix}c${b},2025-02-30,not-a-number`);
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, good };
}

describe.skipIf(!CLICKHOUSE_URL)(`an ingested group's copy to ClickHouse is all or nothing; a replay after a crash adds it exactly once${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  const dir = scratchDir();
  let restore: (() => void) | null = null;
  const count = async (sql: string) => Number((await cluster.query(sql))[0]!.n);

  /**
   * A statement on a shard matching `pattern` fails once (after `skip` matching ones ran), as a crash there would stop the
   * copy; with `crash`, every later write of rows or marks (appends, mutations) fails too until `restore`, as if the process
   * had died (a copy whose process lives on discards itself; a dead one's clean-up is the next ingest's).
   */
  function failOnce(method: 'commandOnShard' | 'commandOnEachShard' | 'queryOnEachShard', pattern: RegExp, skip = 0, crash = false): void {
    const original = cluster[method].bind(cluster) as (...args: unknown[]) => Promise<unknown>;
    const [append, alter] = [cluster.append, cluster.alterWhereHeld];
    let armed = true;
    let seen = 0;
    (cluster as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const sql = String(args.at(-1));
      if (armed && pattern.test(sql) && seen++ === skip) {
        armed = false;
        if (crash) {
          cluster.append = () => Promise.reject(new Error('the process is gone'));
          cluster.alterWhereHeld = () => Promise.reject(new Error('the process is gone'));
        }
        throw new Error(`injected crash before: ${sql}`);
      }
      return original(...args);
    };
    restore = () => {
      (cluster as unknown as Record<string, unknown>)[method] = original;
      [cluster.append, cluster.alterWhereHeld] = [append, alter];
    };
  }

  beforeAll(async () => {
    cluster = await clickhouseWarehouse('group_copy');
  });
  afterEach(() => {
    restore?.();
    restore = null;
  });
  afterAll(() => dropScratchDatabase(cluster));

  it('a crash between tables (transactions attached, ingests not) leaves part of the group; the replay discards it and adds the group once', async () => {
    const file = ordersFile(dir, 'first.csv', 'a', 150, 4);
    failOnce('commandOnShard', /ALTER TABLE \S+\.ingests_local ATTACH PARTITION/, 0, true);
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    // the crash left what was attached before it: the transactions of an ingest the cluster does not hold
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(file.good);
    expect(await count('SELECT count(*) AS n FROM ingests')).toBe(0);
    restore!();
    const replay = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect([replay.accepted, replay.quarantined]).toEqual([file.good, 4]);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(file.good);
    expect(await count('SELECT count(DISTINCT order_id) AS n FROM transactions')).toBe(file.good);
    expect(await count('SELECT count(*) AS n FROM quarantine')).toBe(4);
    expect(await count('SELECT count(*) AS n FROM ingests')).toBe(1);
    // held now: the same file again adds nothing
    const again = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect(again.files[0]!.alreadyIngested).toBe(true);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(file.good);
  }, 240_000);

  it('a crash while staging (nothing attached yet) leaves nothing visible; the replay adds the group once, after the group before it', async () => {
    const before = await count('SELECT count(*) AS n FROM transactions');
    const file = ordersFile(dir, 'second.csv', 'b', 90, 2);
    failOnce('commandOnEachShard', /CREATE TABLE \S+\.quarantine__staging_\S+_local AS/);
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before);
    expect(await count("SELECT count(*) AS n FROM system.tables WHERE database = currentDatabase() AND position(name, '__staging_') > 0")).toBe(0);
    restore!();
    const replay = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect(replay.accepted).toBe(file.good);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before + file.good);
    expect(await count('SELECT count(*) AS n FROM quarantine')).toBe(4 + 2);
    // the two groups keep their ids: the first group's rows were not touched by the second's clean-up
    const ids = await cluster.query('SELECT ingest_id, count(*) AS n FROM transactions GROUP BY ingest_id ORDER BY ingest_id');
    expect(ids.map((r) => [Number(r.ingest_id), Number(r.n)])).toEqual([
      [1, before],
      [2, file.good],
    ]);
  }, 240_000);

  it('a crash after every table is attached but before the copy is verified: the replay discards the marked group and adds it once', async () => {
    const before = await count('SELECT count(*) AS n FROM transactions');
    const file = ordersFile(dir, 'third.csv', 'c', 60, 3);
    // the count of the copied tokens in customer_reid's local tables is a verification, made once every table is attached
    failOnce('queryOnEachShard', /SELECT count\(\) FROM \S+\.customer_reid_local WHERE customer_id IN/, 0, true);
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    // everything was attached, its `ingests` row too, but the copy is still marked as running
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before + file.good);
    expect(await count('SELECT count(*) AS n FROM ingests')).toBe(3);
    expect(await interruptedCopies(cluster)).toEqual([3]);
    restore!();
    const replay = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect(replay.files[0]!.alreadyIngested).toBe(false);
    expect([replay.accepted, replay.quarantined]).toEqual([file.good, 3]);
    expect(await interruptedCopies(cluster)).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before + file.good);
    expect(await count('SELECT count(*) AS n FROM ingests')).toBe(3);
    expect(await count('SELECT count(*) AS n FROM quarantine')).toBe(4 + 2 + 3);
    expect(await count('SELECT count(*) AS n FROM transactions WHERE ingest_id = 3')).toBe(file.good);
  }, 240_000);

  it('rows under an ingest id the cluster does not know, never marked, survive the next ingest and its crash; the new ingest takes an id above theirs', async () => {
    const before = await count('SELECT count(*) AS n FROM transactions');
    // rows loaded by other means (a table copied without its `ingests`): ingest id 50, which `ingests` does not hold
    const foreign = 5;
    const at = new Date('2025-03-01T00:00:00Z');
    await cluster.append('transactions', {
      order_id: Array.from({ length: foreign }, (_, i) => `x${i}`),
      customer_id: Array.from({ length: foreign }, (_, i) => `c_foreign${i}`),
      ts: Array.from({ length: foreign }, () => at),
      amount: Array.from({ length: foreign }, () => 9.5),
      is_return: Array.from({ length: foreign }, () => false),
      is_outlier: Array.from({ length: foreign }, () => false),
      ingest_id: Array.from({ length: foreign }, () => 50),
      source: Array.from({ length: foreign }, () => 'copied by hand'),
      source_line: Array.from({ length: foreign }, (_, i) => i + 2),
      row_hash: Array.from({ length: foreign }, (_, i) => `h${i}`),
    });
    const file = ordersFile(dir, 'fourth.csv', 'd', 40, 1);
    failOnce('commandOnShard', /ALTER TABLE \S+\.ingests_local ATTACH PARTITION/, 0, true);
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    restore!();
    const replay = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect(replay.files[0]!.ingestId).toBe(51);
    expect(await count('SELECT count(*) AS n FROM transactions WHERE ingest_id = 50')).toBe(foreign);
    expect(await count('SELECT count(*) AS n FROM transactions WHERE ingest_id = 51')).toBe(file.good);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before + foreign + file.good);
    // and once more without a crash: still there
    const next = await ingestFilesToClickHouse(cluster, [ordersFile(dir, 'fifth.csv', 'e', 10, 0).path], { keyring, dateFormats: ['iso'] });
    expect(next.files[0]!.ingestId).toBe(52);
    expect(await count('SELECT count(*) AS n FROM transactions WHERE ingest_id = 50')).toBe(foreign);
  }, 240_000);

  it('a copy that fails part way while its process lives on deletes the rows it attached and closes its mark: nothing visible, no copy left running for an erase to wait for', async () => {
    const before = await count('SELECT count(*) AS n FROM transactions');
    const ingestsBefore = await count('SELECT count(*) AS n FROM ingests');
    const file = ordersFile(dir, 'sixth.csv', 'f', 30, 2);
    failOnce('commandOnShard', /ALTER TABLE \S+\.ingests_local ATTACH PARTITION/); // transactions, quarantine … attached, ingests not
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    restore!();
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before);
    expect(await count('SELECT count(*) AS n FROM ingests')).toBe(ingestsBefore);
    expect(await count('SELECT count(*) AS n FROM transactions WHERE ingest_id = 53')).toBe(0);
    expect(await runningCopies(cluster)).toEqual([]);
    // the cluster keeps whole seconds: a copy that fails at once writes both marks in the same second, and the tie put
    // 'discarded' first under `phase DESC` (seen in a full run); 'copying' comes first in an attempt's life
    const marks = await cluster.query("SELECT phase FROM ingest_copies WHERE ingest_id = 53 ORDER BY recorded_at, phase = 'copying' DESC");
    expect(marks.map((row) => row.phase)).toEqual(['copying', 'discarded']);
  }, 240_000);

  it('a copy whose copied mark was written but reported failed, then discarded by the copy itself: a crash of the retry under the same ingest id is still found and discarded', async () => {
    const before = await count('SELECT count(*) AS n FROM transactions');
    const file = ordersFile(dir, 'seventh.csv', 'g', 25, 1);
    expect(await count('SELECT count(*) AS n FROM ingest_copies WHERE ingest_id = 53')).toBe(2); // the last test's copy: copying, discarded
    // the `copied` mark lands, but the answer is lost (a timeout): the copy discards itself and writes `discarded`
    const append = cluster.append.bind(cluster);
    cluster.append = async (table, columns) => {
      const written = await append(table, columns);
      if (table === 'ingest_copies' && (columns.phase as string[])[0] === 'copied') throw new Error('injected: the copied mark was written, its answer timed out');
      return written;
    };
    try {
      await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected: the copied mark/);
    } finally {
      cluster.append = append;
    }
    const id = await count('SELECT max(ingest_id) AS n FROM ingest_copies');
    // the id the copy before discarded (the last test's) is free again: the marks are its own and those of that copy
    const marks = await cluster.query(`SELECT phase, count(*) AS n FROM ingest_copies WHERE ingest_id = ${id} GROUP BY phase ORDER BY phase`);
    expect(marks.map((row) => [row.phase, Number(row.n)])).toEqual([
      ['copied', 1],
      ['copying', 2],
      ['discarded', 2],
    ]);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before);
    expect(await interruptedCopies(cluster)).toEqual([]);
    // the retry takes the same ingest id and crashes between tables: its copy is open (it used to look closed: the marks summed to 0)
    failOnce('commandOnShard', /ALTER TABLE \S+\.ingests_local ATTACH PARTITION/, 0, true);
    await expect(ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] })).rejects.toThrow(/injected crash/);
    restore!();
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE ingest_id = ${id}`)).toBe(file.good);
    expect(await interruptedCopies(cluster)).toEqual([id]);
    expect((await runningCopies(cluster)).map((copy) => copy.ingestId)).toEqual([id]);
    // the next ingest discards it and adds the file once, under the same id
    const replay = await ingestFilesToClickHouse(cluster, [file.path], { keyring, dateFormats: ['iso'] });
    expect(replay.files[0]!.ingestId).toBe(id);
    expect(await count('SELECT count(*) AS n FROM transactions')).toBe(before + file.good);
    expect(await count(`SELECT count(*) AS n FROM transactions WHERE ingest_id = ${id}`)).toBe(file.good);
    expect(await interruptedCopies(cluster)).toEqual([]);
  }, 240_000);
});
