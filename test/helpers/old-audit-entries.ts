import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { recordAudit } from '../../src/privacy/warehouse/warehouse-audit.js';

/** The addresses and the Idempotency-Key `warehouseWithOldEntries` writes in clear: none may be left after minimising. */
export const CLEAR_IN_OLD_ENTRIES = ['203.0.113.9', '198.51.100.77', '2001:db8:1:2', 'jane.doe'] as const;

/**
 * A keyed warehouse at `db` whose audit log holds six entries as clvkit wrote them before session 43: a login, a failed
 * and a refused login with the client's full address (`ip`), an `ingest_refused` with its Idempotency-Key in clear,
 * between two entries that never held either. Answers the open warehouse and its keyring (the caller closes it).
 */
export async function warehouseWithOldEntries(db: string) {
  const { warehouse, keyring } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  const record = (actor: string, action: string, details: Record<string, string | number>) => recordAudit(warehouse, keyring!, { actor, role: 'admin' }, { action, target: 'server', details });
  await record('admin', 'user_add', { user: 'ana', role: 'analyst' });
  await record('ana', 'login', { ip: '203.0.113.9' });
  await record('unknown-user', 'login_failed', { ip: '::ffff:198.51.100.77', reason: 'unknown user', failures_in_a_row: 1, attempt_name: '~0123456789abcdef0123456789abcdef' });
  await record('ana', 'login_refused', { ip: '2001:db8:1:2::9', client_network: '2001:db8:1:2::/64', reason: 'locked', failures_in_a_row: 5, locked_until: '2026-12-01T10:15:00.000Z', attempt_name: 'ana' });
  await recordAudit(warehouse, keyring!, { actor: 'shop-a (token)', role: 'analyst' }, { action: 'ingest_refused', target: 'table:events', rowCounts: { refused: 3 }, details: { command: 'POST /api/events', idempotency_key: 'order-jane.doe@example.com', reason: 'another body' } });
  await record('admin', 'token_create', { token: 'shop-b', role: 'analyst' });
  return { warehouse, keyring: keyring! };
}
