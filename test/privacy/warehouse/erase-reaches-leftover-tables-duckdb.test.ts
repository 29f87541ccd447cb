/**
 * What a killed process can leave in a DuckDB warehouse file, and whether erase reaches it (the cluster's staging
 * tables did not: erase-reaches-staging-tables.test.ts). TEMP tables live in the connection and die with it, so a
 * killed ingest leaves none in the file; an analysis's staged derived tables (clv_staged_*) are persistent until the
 * run swaps them in, so a killed analyze leaves them — erase searches every base table with a customer_id, and takes
 * the customer's rows out of those too.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../../src/privacy/tokens/pseudonymise.js';
import { eraseCustomers } from '../../../src/privacy/warehouse/erase-customers.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { PII_MAP, rawId, writePiiOrders } from '../privacy-fixture.js';

describe('erase on DuckDB and the tables a killed process leaves in the file', () => {
  it('a TEMP table does not outlive its connection; a staged derived table does, and erase takes the customer out of it', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const keyring = initKeyFile(`${db}.key`);
    const token = createPseudonymiser(keyring)(rawId(7));
    const first = await openDuckDbWarehouse(db, { threads: 2 });
    await ingestFiles(first, [writePiiOrders(dir)], { keyring, map: PII_MAP });
    // as a killed run leaves them: a scratch TEMP table and a staged derived table, both holding the customer's rows
    await first.execute(`CREATE TEMP TABLE clv_scratch_probe AS SELECT customer_id, amount FROM transactions`);
    await first.execute(`CREATE TABLE clv_staged_customer_summary AS SELECT customer_id, count(*) AS frequency FROM transactions GROUP BY customer_id`);
    await first.close();

    const warehouse = await openDuckDbWarehouse(db, { threads: 2 });
    try {
      expect(await warehouse.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'clv_%' ORDER BY table_name")).toEqual([{ table_name: 'clv_staged_customer_summary' }]);
      const erased = await eraseCustomers(warehouse, [rawId(7)], { keyring, role: 'admin' });
      expect(erased.tables).toContain('clv_staged_customer_summary');
      expect(erased.customers[0]!.rowCounts.clv_staged_customer_summary).toBe(1);
      expect(await warehouse.query(`SELECT count(*) AS n FROM clv_staged_customer_summary WHERE customer_id = '${token}'`)).toEqual([{ n: 0 }]);
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
