import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { listCustomerTables } from '../../../src/privacy/keys/encrypted-columns.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import type { Keyring } from '../../../src/privacy/keys/keyring.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { countCustomerRows, eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { PII_MAP, rawId, writePiiOrders } from '../privacy-fixture.js';

// Privacy officer's trial (session 40): `clvkit erase 'c_…token… '` — a token copied with a trailing space or tab, or
// read from a CRLF file (`xargs clvkit erase < requests.txt` keeps the \r) — was not seen as a token: it was
// pseudonymised as if it were an original id, gave a token nobody has, and the erase said "c_<another token>: no rows
// held (nothing to erase; recorded)", exit 0, while every row of the customer stayed. A token in capitals went the
// same way. A token is now read as ids are (white space at the edges dropped, as ingest drops it) and in either case.

async function piiWarehouse(): Promise<{ warehouse: Warehouse; keyring: Keyring }> {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
  await ingestFiles(warehouse, [writePiiOrders(dir)], { keyring, map: PII_MAP });
  return { warehouse, keyring };
}

describe('erase by a token as it was pasted', () => {
  it('erases the customer of a token given with white space around it or in capitals', async () => {
    const { warehouse, keyring } = await piiWarehouse();
    try {
      const tables = await listCustomerTables(warehouse);
      const tokenOf = createPseudonymiser(keyring);
      const cases = [
        [rawId(3), (t: string) => `${t} `],
        [rawId(4), (t: string) => `\t${t}\r`],
        [rawId(5), (t: string) => t.toUpperCase()],
      ] as const;
      for (const [id, pasted] of cases) {
        const token = tokenOf(id);
        const held = await countCustomerRows(warehouse, [token], tables);
        expect(held[0]!.rows).toBeGreaterThan(0);
        const erased = await eraseCustomers(warehouse, [pasted(token)], { keyring, role: 'admin' });
        expect(erased.customers).toEqual(held);
        expect((await countCustomerRows(warehouse, [token], tables))[0]!.rows).toBe(0);
      }
      expect((await warehouse.query('SELECT token FROM erased_customers ORDER BY token')).map((r) => String(r.token))).toEqual(cases.map(([id]) => tokenOf(id)).sort());
    } finally {
      await warehouse.close();
    }
  });
});
