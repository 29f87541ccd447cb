/**
 * Entries written before the audit log kept less (session 43) still hold a client's full IP address (`login`,
 * `login_failed`, `login_refused`: `ip`) and an Idempotency-Key in clear (`ingest_refused`: `idempotency_key`), in a
 * log that is never purged. The server rewrites them when it starts — the address as its network (`client_network`,
 * /24 or /48), the key as its keyed hash (`idempotency_key_tag`) — re-chains the entries from the first one rewritten
 * (hashes and MACs under the warehouse's key) and says so in an entry of its own, `audit_rewritten`, with the head
 * the log had before (a head recorded elsewhere names the old chain). A log whose chain does not verify is left as
 * it is: rewriting it would seal whatever was altered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { readAuditEntries, recordAudit, verifyWarehouseAudit } from '../../src/privacy/warehouse/warehouse-audit.js';
import { minimiseAuditEntries } from '../../src/server/minimise-audit-entries.js';
import { idempotencyKeyTag } from '../../src/server/ingest/batch-receipts.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const admin = { actor: 't', role: 'admin' as const };

async function warehouseWithOldEntries() {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-audit-minimise-'));
  dirs.push(dir);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: join(dir, 'shop.duckdb'), create: true, requireKey: true });
  const record = (actor: string, action: string, details: Record<string, string | number>) => recordAudit(warehouse, keyring!, { actor, role: 'admin' }, { action, target: 'server', details });
  await record('admin', 'user_add', { user: 'ana', role: 'analyst' });
  await record('ana', 'login', { ip: '203.0.113.9' });
  await record('unknown-user', 'login_failed', { ip: '::ffff:198.51.100.77', reason: 'unknown user', failures_in_a_row: 1, attempt_name: '~0123456789abcdef0123456789abcdef' });
  await record('ana', 'login_refused', { ip: '2001:db8:1:2::9', client_network: '2001:db8:1:2::/64', reason: 'locked', failures_in_a_row: 5, locked_until: '2026-12-01T10:15:00.000Z', attempt_name: 'ana' });
  await recordAudit(warehouse, keyring!, { actor: 'shop-a (token)', role: 'analyst' }, { action: 'ingest_refused', target: 'table:events', rowCounts: { refused: 3 }, details: { command: 'POST /api/events', idempotency_key: 'order-jane.doe@example.com', reason: 'another body' } });
  await record('admin', 'token_create', { token: 'shop-b', role: 'analyst' });
  return { warehouse, keyring: keyring! };
}

describe('audit entries written before the log kept less are rewritten when the server starts', () => {
  it('addresses as networks, keys as keyed hashes; re-chained, verified, and said in audit_rewritten', async () => {
    const { warehouse, keyring } = await warehouseWithOldEntries();
    try {
      const before = await readAuditEntries(warehouse, admin);
      expect(await minimiseAuditEntries(warehouse, keyring)).toEqual({ rewritten: 4, firstSeq: 2, previousHead: `6:${before[5]!.hash}` });
      const after = await readAuditEntries(warehouse, admin);
      expect(after.map((e) => [e.seq, e.action, e.details])).toEqual([
        [1, 'user_add', { user: 'ana', role: 'analyst' }],
        [2, 'login', { client_network: '203.0.113.0/24' }],
        [3, 'login_failed', { client_network: '198.51.100.0/24', reason: 'unknown user', failures_in_a_row: 1, attempt_name: '~0123456789abcdef0123456789abcdef' }],
        [4, 'login_refused', { client_network: '2001:db8:1::/48', reason: 'locked', failures_in_a_row: 5, locked_until: '2026-12-01T10:15:00.000Z', attempt_name: 'ana' }],
        [5, 'ingest_refused', { command: 'POST /api/events', idempotency_key_tag: idempotencyKeyTag(keyring, 'order-jane.doe@example.com'), reason: 'another body' }],
        [6, 'token_create', { token: 'shop-b', role: 'analyst' }],
        [7, 'audit_rewritten', { reason: 'data minimisation: client addresses kept as their network, Idempotency-Keys as keyed hashes', rewritten: 4, first_seq: 2, previous_head: `6:${before[5]!.hash}` }],
      ]);
      expect(after[0]).toEqual(before[0]); // before the first rewritten entry, nothing changes
      expect(after[6]!.actor).toBe('clvkit serve');
      const text = JSON.stringify(after);
      for (const clear of ['203.0.113.9', '198.51.100.77', '2001:db8:1:2', 'jane.doe']) expect(text).not.toContain(clear);
      expect(await verifyWarehouseAudit(warehouse, keyring, admin)).toMatchObject({ ok: true, count: 7, head: { seq: 7, hash: after[6]!.hash } });
      // the next start finds nothing to rewrite and writes nothing
      expect(await minimiseAuditEntries(warehouse, keyring)).toEqual({ rewritten: 0, firstSeq: null, previousHead: null });
      expect(await readAuditEntries(warehouse, admin)).toHaveLength(7);
    } finally {
      await warehouse.close();
    }
  });

  it('a log whose chain does not verify is left as it is (not sealed), and says why', async () => {
    const { warehouse, keyring } = await warehouseWithOldEntries();
    try {
      await warehouse.execute(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1`);
      const before = await readAuditEntries(warehouse, admin);
      const result = await minimiseAuditEntries(warehouse, keyring);
      expect(result).toMatchObject({ rewritten: 0, firstSeq: null, previousHead: null });
      expect(result.refused).toMatch(/^the audit log does not verify \(entry 1, hash-mismatch\)/);
      expect(await readAuditEntries(warehouse, admin)).toEqual(before);
    } finally {
      await warehouse.close();
    }
  });
});
