import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { applyRetention } from '../../../src/privacy/warehouse/apply-retention.js';
import { applyRetentionOnClickHouse } from '../../../src/privacy/warehouse/apply-retention-on-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, copyTablesToClickHouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';

const DAY_MS = 86_400_000;
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
const PROFILE_HEADER = 'customer_id,signup_date,acquisition_channel,acquisition_cost,region,country,gender,birth_year';

/**
 * A warehouse with purchases of an old buyer (O1, 12 years ago, signed up 11 years ago) and a recent one (R1, whose
 * profile comes from the contact data of the transaction file only), and customer profiles without any transaction
 * or event: a sign-up of 3 days ago (P_NEW), a prospect who signed up 12 years ago (P_OLD), a profile without a sign-up
 * date ingested now (P_NOSIGN) and one ingested 12 years ago (P_STALE).
 */
async function shopWithProspects(): Promise<{ warehouse: Warehouse; keyring: Keyring }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 2 });
  const orders = join(dir, 'orders.csv');
  writeFileSync(orders, ['customer_id,date,amount,mail', `O1,${day(4380)},10,o1@example.org`, `R1,${day(30)},7,r1@example.org`].join('\n') + '\n');
  await ingestFiles(warehouse, [orders], { keyring, map: { email: 'mail' } });
  const profiles = join(dir, 'profiles.csv');
  writeFileSync(profiles, [PROFILE_HEADER, `O1,${day(4000)},paid,5,Europe,Germany,male,1970`, `P_NEW,${day(3)},organic,0,Europe,Germany,female,1990`, `P_OLD,${day(4380)},organic,0,Europe,France,male,1960`, 'P_NOSIGN,,organic,0,Europe,Spain,female,1985'].join('\n') + '\n');
  await ingestFiles(warehouse, [profiles], { keyring, kind: 'customers' });
  const stale = join(dir, 'stale-profiles.csv');
  writeFileSync(stale, ['customer_id,acquisition_channel,region,country', 'P_STALE,organic,Europe,Italy'].join('\n') + '\n');
  await ingestFiles(warehouse, [stale], { keyring, kind: 'customers', now: new Date(Date.now() - 4380 * DAY_MS) });
  return { warehouse, keyring };
}

const tokensOf = async (warehouse: Warehouse, table: string) => (await warehouse.query(`SELECT DISTINCT customer_id FROM ${table} ORDER BY customer_id`)).map((r) => String(r.customer_id));

describe('retention keeps the customer profiles inside the period', () => {
  it('purges only the customers whose profile is older than the transactions cutoff (by sign-up date, else by the ingest of the profile); prospects and a fresh sign-up stay', async () => {
    const { warehouse, keyring } = await shopWithProspects();
    try {
      const token = createPseudonymiser(keyring);
      const all = ['O1', 'R1', 'P_NEW', 'P_OLD', 'P_NOSIGN', 'P_STALE'].map(token).sort();
      expect(await tokensOf(warehouse, 'customers')).toEqual(all);
      expect(await tokensOf(warehouse, 'customer_reid')).toEqual(all);
      // a period of a server table only: no customer's data is past a period, nothing of theirs goes
      const serverOnly = await applyRetention(warehouse, { keyring, role: 'admin', periods: { login_attempts: '90d' } });
      expect(serverOnly.deleted).toMatchObject({ customers: 0, customer_reid: 0 });
      expect(await tokensOf(warehouse, 'customers')).toEqual(all);

      const result = await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '10y' } });
      expect(result.deleted).toMatchObject({ transactions: 1, customers: 4, customer_reid: 3 }); // O1's rows: its e-mail's and its profile's
      const kept = ['R1', 'P_NEW', 'P_NOSIGN'].map(token).sort();
      expect(await tokensOf(warehouse, 'customers')).toEqual(kept);
      expect(await tokensOf(warehouse, 'customer_reid')).toEqual(kept);
    } finally {
      await warehouse.close();
    }
  });

  it.skipIf(!CLICKHOUSE_URL)(`on a ClickHouse cluster the same customers go and the same stay${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, async () => {
    const { warehouse, keyring } = await shopWithProspects();
    const cluster = await clickhouseWarehouse('retention_profiles');
    try {
      await copyTablesToClickHouse(warehouse, cluster);
      const now = new Date();
      const duck = await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '10y' }, now });
      const onCluster = await applyRetentionOnClickHouse(cluster, { keyring, role: 'admin', periods: { transactions: '10y' }, now });
      expect(onCluster.deleted).toEqual(duck.deleted);
      expect(onCluster.deleted).toMatchObject({ customers: 4, customer_reid: 3 });
      for (const table of ['customers', 'customer_reid']) expect(await tokensOf(cluster, table), table).toEqual(await tokensOf(warehouse, table));
    } finally {
      await warehouse.close();
      await dropScratchDatabase(cluster);
    }
  }, 120_000);
});
