/**
 * A customer profile file without sign-up dates keeps the contact data it is
 * given (`--map email=…`): each customer's value of their last line that has
 * one, as the profile values are taken. Before, the contact data was taken
 * from the line with the latest sign-up date — on a file without one, from
 * none: every e-mail was dropped while the report said `piiStored: ['email']`.
 * The same on a cluster, whose ingest reads the file the same way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { readCustomerPii } from '../../src/server/routes/read-customer-pii.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const keyring = keyringFromKey(Buffer.alloc(32, 88), { source: 'memory' });
const token = createPseudonymiser(keyring);
const options: IngestOptions = { keyring, kind: 'customers', map: { email: 'mail' }, now: new Date('2024-03-01T00:00:00Z') };

/** A profile file without a sign-up column: K1 on two lines (a newer e-mail on the second, none on the third), K2 on one, K3 without an e-mail. */
function profilesWithoutSignup(): string {
  const path = join(scratchDir(), 'crm.csv');
  writeFileSync(path, 'customer_id,acquisition_channel,mail\nK1,search,k1-old@example.com\nK2,social,k2@example.com\nK1,search,k1@example.com\nK1,email,\nK3,ads,\n');
  return path;
}

async function emails(warehouse: Warehouse): Promise<Record<string, string | null>> {
  const pii = await readCustomerPii(warehouse, keyring, 'admin', ['K1', 'K2', 'K3'].map(token), true);
  return Object.fromEntries(['K1', 'K2', 'K3'].map((id) => [id, (pii.values.get(token(id)) as { email?: string | null } | undefined)?.email ?? null]));
}

const expected = { K1: 'k1@example.com', K2: 'k2@example.com', K3: null };

describe('a profile file without sign-up dates and its contact data', () => {
  it('on DuckDB: each customer’s e-mail of their last line that has one', async () => {
    const duck = await memoryWarehouse();
    try {
      const report = await ingestFiles(duck, [profilesWithoutSignup()], options);
      expect(report.files[0]!.privacy.piiStored).toEqual(['email']);
      expect(await emails(duck)).toEqual(expected);
    } finally {
      await duck.close();
    }
  });

  describe.skipIf(!CLICKHOUSE_URL)(`on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
    let cluster: ClickHouseWarehouse | undefined;
    afterAll(() => dropScratchDatabase(cluster));
    it('the same e-mails', async () => {
      cluster = await clickhouseWarehouse('profile_contact_without_signup');
      await ingestFilesToClickHouse(cluster, [profilesWithoutSignup()], options);
      expect(await emails(cluster)).toEqual(expected);
    }, 120_000);
  });
});
