import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import { applyRetention } from '../../../src/privacy/warehouse/apply-retention.js';
import { buildWarehousePrivacyReport, warehousePrivacyReportMarkdown } from '../../../src/privacy/warehouse/warehouse-privacy-report.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { PII_MAP, writePiiOrders } from '../privacy-fixture.js';

describe('the privacy report shows the quarantine period a retention inherited', () => {
  it('after --transactions alone, quarantine has the transactions period, said to be inherited, and no warning; an explicit --quarantine replaces it', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const keyring = initKeyFile(`${db}.key`);
    const warehouse = await openDuckDbWarehouse(db, { threads: 2 });
    try {
      await ingestFiles(warehouse, [writePiiOrders(dir)], { keyring, map: PII_MAP }); // quarantined rows among them
      const retentionOf = async (table: string) => (await buildWarehousePrivacyReport(warehouse, { keyring })).tables.find((t) => t.table === table)!.retention;
      await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '10y' } });
      const report = await buildWarehousePrivacyReport(warehouse, { keyring });
      expect(report.tables.find((t) => t.table === 'transactions')!.retention).toBe('10 years');
      expect(report.tables.find((t) => t.table === 'quarantine')!.retention).toBe('10 years (inherited from transactions)');
      expect(report.warnings.filter((w) => w.startsWith('quarantine '))).toEqual([]);
      expect(warehousePrivacyReportMarkdown(report)).toContain('retention: 10 years (inherited from transactions).');
      // a customer's records go with the transactions period once nothing else of theirs is held (the trial: "customers
      // holds personal data and has no retention period" could never be cleared)
      expect(report.tables.find((t) => t.table === 'customers')!.retention).toBe('10 years (inherited from transactions, once nothing else of the customer is held within it)');
      expect(report.warnings.filter((w) => /^(customers|customer_reid) /.test(w))).toEqual([]);

      await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '10y', quarantine: '90d' } });
      expect(await retentionOf('quarantine')).toBe('90 days');
      // a later run with --transactions alone applies (and records) the inherited period again
      await applyRetention(warehouse, { keyring, role: 'admin', periods: { transactions: '5y' } });
      expect(await retentionOf('quarantine')).toBe('5 years (inherited from transactions)');
    } finally {
      await warehouse.close();
    }
  });
});
