import { describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { readAuditEntries, verifyWarehouseAudit } from '../../src/privacy/warehouse/warehouse-audit.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { join } from 'node:path';
import { scratchDir } from '../helpers/warehouse.js';

describe("the server's audit entries are committed in groups", () => {
  it('concurrent entries are all recorded, in the order asked, on an unbroken chain; a faulty one fails alone', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    const context = createServerContext({ warehouse, dbPath: db, keyring: keyring! });
    try {
      const actor = { name: 'ana', role: 'analyst' as const, kind: 'session' as const };
      const asked = Array.from({ length: 30 }, (_, i) => (i === 17 ? 'Not-Snake-Case' : 'view_aggregates'));
      const outcomes = await Promise.allSettled(asked.map((action, i) => context.audit(actor, { action, target: 'table:customer_summary', details: { request: i } })));
      expect(outcomes.map((o) => o.status)).toEqual(asked.map((a) => (a === 'view_aggregates' ? 'fulfilled' : 'rejected')));
      expect(String((outcomes[17] as PromiseRejectedResult).reason)).toMatch(/not snake_case/);
      const entries = await readAuditEntries(context.state, { actor: 't', role: 'admin' });
      expect(entries.map((e) => e.details.request)).toEqual(asked.flatMap((a, i) => (a === 'view_aggregates' ? [i] : [])));
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect((await verifyWarehouseAudit(context.state, keyring!, { actor: 't', role: 'admin' })).ok).toBe(true);
    } finally {
      await context.warehouse.close();
    }
  });
});
