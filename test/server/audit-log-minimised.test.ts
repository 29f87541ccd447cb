/**
 * Entries written before the audit log kept less (session 43) still hold a client's full IP address (`login`,
 * `login_failed`, `login_refused`: `ip`) and an Idempotency-Key in clear (`ingest_refused`: `idempotency_key`), in a
 * log that is never purged. `minimiseAuditEntries` (the command `clvkit audit minimise`) rewrites them — the address
 * as its network (`client_network`, /24 or /48), the key as its keyed hash (`idempotency_key_tag`) — re-chains the
 * entries from the first one rewritten (hashes and MACs under the warehouse's key) and says so in an entry of its own,
 * `audit_rewritten`. That entry names the head the log had before by its seq and a keyed hash of it, never the old
 * hash itself: with a network narrowing an IPv4 address to 256 candidates, anyone reading the log could otherwise
 * recompute the old chain's hashes and recover the removed addresses (a review did, in 257 ms). A log whose chain
 * does not verify, or does not reach the head the operator recorded, is left as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAuditEntries, verifyWarehouseAudit } from '../../src/privacy/warehouse/warehouse-audit.js';
import { previousHeadTag } from '../../src/privacy/warehouse/audit-rewrites.js';
import { minimiseAuditEntries } from '../../src/server/minimise-audit-entries.js';
import { idempotencyKeyTag } from '../../src/server/ingest/batch-receipts.js';
import { CLEAR_IN_OLD_ENTRIES, warehouseWithOldEntries } from '../helpers/old-audit-entries.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const admin = { actor: 't', role: 'admin' as const };
const REASON = 'data minimisation: client addresses kept as their network, Idempotency-Keys as keyed hashes';

function scratchDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-audit-minimise-'));
  dirs.push(dir);
  return join(dir, 'shop.duckdb');
}

describe('audit entries written before the log kept less are rewritten by audit minimise', () => {
  it('audit-rewritten-keeps-no-previous-hash-in-clear: addresses as networks, keys as keyed hashes, the head before as seq and keyed hash', async () => {
    const { warehouse, keyring } = await warehouseWithOldEntries(scratchDb());
    try {
      const before = await readAuditEntries(warehouse, admin);
      const oldHead = { seq: 6, hash: before[5]!.hash };
      const result = await minimiseAuditEntries(warehouse, keyring, admin, { head: oldHead });
      const after = await readAuditEntries(warehouse, admin);
      expect(result).toEqual({ rewritten: 4, firstSeq: 2, previousHead: oldHead, head: { seq: 7, hash: after[6]!.hash } });
      expect(after.map((e) => [e.seq, e.action, e.details])).toEqual([
        [1, 'user_add', { user: 'ana', role: 'analyst' }],
        [2, 'login', { client_network: '203.0.113.0/24' }],
        [3, 'login_failed', { client_network: '198.51.100.0/24', reason: 'unknown user', failures_in_a_row: 1, attempt_name: '~0123456789abcdef0123456789abcdef' }],
        [4, 'login_refused', { client_network: '2001:db8:1::/48', reason: 'locked', failures_in_a_row: 5, locked_until: '2026-12-01T10:15:00.000Z', attempt_name: 'ana' }],
        [5, 'ingest_refused', { command: 'POST /api/events', idempotency_key_tag: idempotencyKeyTag(keyring, 'order-jane.doe@example.com'), reason: 'another body' }],
        [6, 'token_create', { token: 'shop-b', role: 'analyst' }],
        [7, 'audit_rewritten', { reason: REASON, rewritten: 4, first_seq: 2, previous_head_seq: 6, previous_head_tag: previousHeadTag(keyring, oldHead) }],
      ]);
      expect(previousHeadTag(keyring, oldHead)).toMatch(/^[0-9a-f]{64}$/);
      expect(after[0]).toEqual(before[0]); // before the first rewritten entry, nothing changes
      expect(after[6]!.actor).toBe('t');
      const text = JSON.stringify(after);
      for (const clear of CLEAR_IN_OLD_ENTRIES) expect(text).not.toContain(clear);
      // no hash of the old chain is kept: from it and a network's 256 addresses the removed address could be recomputed
      for (const old of before.slice(1)) expect(text).not.toContain(old.hash);
      expect(await verifyWarehouseAudit(warehouse, keyring, admin)).toMatchObject({ ok: true, count: 7, head: { seq: 7, hash: after[6]!.hash } });
      // once more: nothing to rewrite, nothing written
      expect(await minimiseAuditEntries(warehouse, keyring, admin, {})).toEqual({ rewritten: 0, firstSeq: null, previousHead: null, head: { seq: 7, hash: after[6]!.hash } });
      expect(await readAuditEntries(warehouse, admin)).toHaveLength(7);
    } finally {
      await warehouse.close();
    }
  });

  it('a log whose chain does not verify, or does not reach the head given, is left as it is (not sealed), and says why', async () => {
    const { warehouse, keyring } = await warehouseWithOldEntries(scratchDb());
    try {
      const before = await readAuditEntries(warehouse, admin);
      const wrongHead = await minimiseAuditEntries(warehouse, keyring, admin, { head: { seq: 6, hash: before[4]!.hash } });
      expect(wrongHead).toMatchObject({ rewritten: 0, firstSeq: null, previousHead: null });
      expect(wrongHead.refused).toMatch(/^the audit log does not verify \(entry 1, head-mismatch\)/);
      await warehouse.execute(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1`);
      const altered = await readAuditEntries(warehouse, admin);
      const result = await minimiseAuditEntries(warehouse, keyring, admin, {});
      expect(result).toMatchObject({ rewritten: 0, firstSeq: null, previousHead: null });
      expect(result.refused).toMatch(/^the audit log does not verify \(entry 1, hash-mismatch\)/);
      expect(await readAuditEntries(warehouse, admin)).toEqual(altered);
    } finally {
      await warehouse.close();
    }
  });
});
