import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { applyRetention } from '../../../src/privacy/warehouse/apply-retention.js';
import { applyRetentionOnClickHouse } from '../../../src/privacy/warehouse/apply-retention-on-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, copyTablesToClickHouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

/** Old buyer O1 (one old line, one recent), old-only buyer O2, recent buyer R1, an old prospect and a fresh one; a derived table. */
async function buildShop(): Promise<{ db: string; keyring: Keyring }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 2 });
  try {
    const orders = join(dir, 'orders.csv');
    writeFileSync(orders, ['customer_id,date,amount', `O1,${day(2000)},10`, `O1,${day(20)},11`, `O2,${day(1900)},4`, `O2,${day(1800)},6`, `R1,${day(30)},7`].join('\n') + '\n');
    await ingestFiles(warehouse, [orders], { keyring });
    const profiles = join(dir, 'profiles.csv');
    writeFileSync(profiles, ['customer_id,signup_date,acquisition_channel', `P_OLD,${day(2500)},organic`, `P_NEW,${day(3)},organic`].join('\n') + '\n');
    await ingestFiles(warehouse, [profiles], { keyring, kind: 'customers' });
    await warehouse.execute('CREATE TABLE customer_summary AS SELECT customer_id, count(*) AS lines FROM transactions GROUP BY customer_id');
  } finally {
    await warehouse.close();
  }
  return { db, keyring };
}

let built: Promise<{ db: string; keyring: Keyring }> | undefined;

/** The shop, ingested once per file and copied for each test (a fresh warehouse file of its own; the same keyring). */
async function shop(): Promise<{ warehouse: Warehouse; keyring: Keyring }> {
  built ??= buildShop();
  const { db, keyring } = await built;
  const copy = join(scratchDir(), 'wh.duckdb');
  copyFileSync(db, copy);
  return { warehouse: await openDuckDbWarehouse(copy, { threads: 2 }), keyring };
}

const rows = async (warehouse: Warehouse, table: string) => Number((await warehouse.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('retention dry run', () => {
  it('counts, per table, exactly what apply then deletes, and changes nothing', async () => {
    const { warehouse, keyring } = await shop();
    try {
      const now = new Date();
      const options = { keyring, role: 'admin' as const, periods: { transactions: '3y' }, now };
      const before = { transactions: await rows(warehouse, 'transactions'), customer_reid: await rows(warehouse, 'customer_reid'), audit: await rows(warehouse, 'audit_log') };
      const dry = await applyRetention(warehouse, { ...options, dryRun: true });
      expect(dry.dryRun).toBe(true);
      // O1's and O2's old lines; O2 (nothing left) and P_OLD (profile older than the cutoff) leave customer_reid; the summary is emptied
      expect(dry.deleted).toMatchObject({ transactions: 3, customer_reid: 2, customer_summary: 3 });
      expect({ transactions: await rows(warehouse, 'transactions'), customer_reid: await rows(warehouse, 'customer_reid'), audit: await rows(warehouse, 'audit_log') }).toEqual(before);
      expect((await warehouse.query("SELECT count(*) AS n FROM warehouse_meta WHERE name LIKE 'retention.%'"))[0]!.n).toBe(0);
      const applied = await applyRetention(warehouse, options);
      expect(applied.dryRun).toBe(false);
      expect(applied.deleted).toEqual(dry.deleted);
      expect(applied.rows).toBe(dry.rows);
    } finally {
      await warehouse.close();
    }
  });

  it('apply refuses to purge every transaction or every customer unless allowEmpty', async () => {
    const { warehouse, keyring } = await shop();
    try {
      const options = { keyring, role: 'admin' as const, periods: { transactions: '1d' } };
      await expect(applyRetention(warehouse, options)).rejects.toThrow(UserError);
      await expect(applyRetention(warehouse, options)).rejects.toThrow(/^retention would purge every transaction \(5 of 5\) and every customer \(5 of 5\): transactions cut-off \d{4}-\d\d-\d\d/);
      expect(await rows(warehouse, 'transactions')).toBe(5);
      expect((await applyRetention(warehouse, { ...options, allowEmpty: true })).deleted).toMatchObject({ transactions: 5, customer_reid: 5 });
      expect(await rows(warehouse, 'transactions')).toBe(0);
    } finally {
      await warehouse.close();
    }
  });

  it.skipIf(!CLICKHOUSE_URL)(`on a ClickHouse cluster the dry run counts what DuckDB deletes, and the guard refuses the same purge${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, async () => {
    const { warehouse, keyring } = await shop();
    const cluster = await clickhouseWarehouse('retention_dry_run');
    try {
      await copyTablesToClickHouse(warehouse, cluster);
      const now = new Date();
      const dry = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '3y' }, now, dryRun: true });
      expect(await rows(cluster, 'transactions')).toBe(5);
      const duck = await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '3y' }, now });
      expect(dry).toEqual({ ...duck, dryRun: true });
      await expect(applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '1d' }, now })).rejects.toThrow(/^retention would purge every transaction \(5 of 5\)/);
      expect(await rows(cluster, 'transactions')).toBe(5);
    } finally {
      await warehouse.close();
      await dropScratchDatabase(cluster);
    }
  }, 120_000);
});
