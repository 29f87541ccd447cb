import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { listCustomerTables } from '../../../src/privacy/keys/encrypted-columns.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { countCustomerRows, eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { eraseCustomersOnClickHouse } from '../../../src/privacy/warehouse/erase-customers-on-clickhouse.js';
import { cli } from '../../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, copyTablesToClickHouse, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { PII_MAP, rawId, writePiiOrders } from '../privacy-fixture.js';

/** A token-shaped id (c_ + 26 base32 characters) that no customer of the fixture has. */
const UNHELD_TOKEN = 'c_22qxs4tsdcmgo3coylcr6axi5m';

async function piiWarehouse(): Promise<{ db: string; warehouse: Warehouse; keyring: Keyring }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
  await ingestFiles(warehouse, [writePiiOrders(dir)], { keyring, map: PII_MAP });
  return { db, warehouse, keyring };
}

const erasedTokens = async (warehouse: Warehouse) => (await warehouse.query('SELECT token FROM erased_customers ORDER BY token')).map((r) => String(r.token));
const auditCount = async (warehouse: Warehouse) => Number((await warehouse.query('SELECT count(*) AS n FROM audit_log'))[0]!.n);

describe('erase by a customer token', () => {
  it('erases a token the warehouse holds as that token (the rows erasing its original id would take); refuses an unheld token-shaped id, recording nothing', async () => {
    const { warehouse, keyring } = await piiWarehouse();
    try {
      const token = createPseudonymiser(keyring)(rawId(7));
      const held = await countCustomerRows(warehouse, [token], await listCustomerTables(warehouse));
      expect(held[0]!.rows).toBeGreaterThan(3);
      const erased = await eraseCustomers(warehouse, [token], { keyring, role: 'admin' });
      expect(erased.customers).toEqual(held);
      expect(await erasedTokens(warehouse)).toEqual([token]);
      expect((await countCustomerRows(warehouse, [token], await listCustomerTables(warehouse)))[0]!.rows).toBe(0);
      // the original id of another customer still works as before
      const other = await eraseCustomers(warehouse, [rawId(8)], { keyring, role: 'admin' });
      expect(other.customers[0]!.rows).toBeGreaterThan(0);

      const audits = await auditCount(warehouse);
      const before = await erasedTokens(warehouse);
      // never held: refused, nothing recorded
      const refused = eraseCustomers(warehouse, [rawId(9), UNHELD_TOKEN], { keyring, role: 'admin' });
      await expect(refused).rejects.toThrow(UserError);
      await expect(refused).rejects.toThrow(`${UNHELD_TOKEN} is a customer token this warehouse does not hold`);
      expect(await erasedTokens(warehouse)).toEqual(before);
      expect(await auditCount(warehouse)).toBe(audits);
      // erased before: as erasing its original id again — nothing held, the request recorded (a list run twice does
      // not fail on the customers already done; it was refused before)
      const again = await eraseCustomers(warehouse, [token], { keyring, role: 'admin' });
      expect(again.customers).toEqual([{ token, rowCounts: {}, rows: 0 }]);
      expect(await auditCount(warehouse)).toBe(audits + 1);
      expect((await countCustomerRows(warehouse, [createPseudonymiser(keyring)(rawId(9))], await listCustomerTables(warehouse)))[0]!.rows).toBeGreaterThan(0);
    } finally {
      await warehouse.close();
    }
  });

  it('clvkit erase <token> --db erases the customer; an unheld token exits 2 with one line and a hint', async () => {
    const { db, warehouse, keyring } = await piiWarehouse();
    const token = createPseudonymiser(keyring)(rawId(7));
    await warehouse.close();
    const run = await cli(['erase', token, '--db', db, '--role', 'admin']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^erased ${token}: \\d+ rows`));
    const refused = await cli(['erase', UNHELD_TOKEN, '--db', db, '--role', 'admin']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/does not hold.*hint: /);
    const reopened = await openDuckDbWarehouse(db, { threads: 1 });
    try {
      expect(await erasedTokens(reopened)).toEqual([token]);
    } finally {
      await reopened.close();
    }
  });

  it.skipIf(!CLICKHOUSE_URL)(`on a ClickHouse cluster: the same rows erased by token, an unheld token refused${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, async () => {
    const { warehouse, keyring } = await piiWarehouse();
    const cluster = await clickhouseWarehouse('erase_by_token');
    try {
      await copyTablesToClickHouse(warehouse, cluster);
      const token = createPseudonymiser(keyring)(rawId(7));
      const duck = await eraseCustomers(warehouse, [rawId(7)], { keyring, role: 'admin' });
      const onCluster = await eraseCustomersOnClickHouse(cluster, [token], { keyring, role: 'admin', copyWaitSeconds: 5 });
      expect(onCluster.tokens).toEqual([token]);
      expect(onCluster.customers).toEqual(duck.customers);
      expect(await erasedTokens(cluster)).toEqual([token]);
      await expect(eraseCustomersOnClickHouse(cluster, [UNHELD_TOKEN], { keyring, role: 'admin', copyWaitSeconds: 5 })).rejects.toThrow(`${UNHELD_TOKEN} is a customer token this warehouse does not hold`);
      expect(await erasedTokens(cluster)).toEqual([token]);
    } finally {
      await warehouse.close();
      await dropScratchDatabase(cluster);
    }
  }, 120_000);
});
