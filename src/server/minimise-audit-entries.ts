import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import type { AuditEntry } from '../privacy/warehouse/audit-log.js';
import { rewriteAuditDetails, type AuditRewrite } from '../privacy/warehouse/rewrite-audit-details.js';
import { auditedNetwork } from './auth/client-network.js';
import { idempotencyKeyTag } from './ingest/batch-receipts.js';

const LOGIN_ACTIONS = new Set(['login', 'login_failed', 'login_refused']);

/** The entries `minimisedDetails` may change (`"key":` in the JSON text of `details` is a key: a value's quotes are escaped). */
const CANDIDATES = `(action IN ('login', 'login_failed', 'login_refused') AND details LIKE '%"ip":%') OR (action = 'ingest_refused' AND details LIKE '%"idempotency_key":%')`;

/**
 * An entry's details as the server writes them since session 43, or null when they are so already: a login entry's
 * client address (`ip`) as its network (`client_network`: /24, /48 — `auditedNetwork`), an `ingest_refused` entry's
 * Idempotency-Key (`idempotency_key`) as its keyed hash (`idempotency_key_tag`).
 */
export function minimisedDetails(keyring: Keyring, entry: AuditEntry): AuditEntry['details'] | null {
  const { ip, ...withoutIp } = entry.details;
  if (LOGIN_ACTIONS.has(entry.action) && typeof ip === 'string') return { ...withoutIp, client_network: auditedNetwork(ip) };
  const { idempotency_key: key, ...withoutKey } = entry.details;
  if (entry.action === 'ingest_refused' && typeof key === 'string') return { ...withoutKey, idempotency_key_tag: idempotencyKeyTag(keyring, key) };
  return null;
}

/**
 * Rewrites the audit entries written before the log kept less (`minimisedDetails`) and re-chains the log, saying so
 * in an `audit_rewritten` entry by `clvkit serve` (`rewriteAuditDetails`); run when the server starts. A log that does
 * not verify is left as it is (`refused`).
 *
 * Example: `await minimiseAuditEntries(state, keyring)` → `{ rewritten: 4, firstSeq: 2, previousHead: '6:3f…' }`
 */
export function minimiseAuditEntries(state: Warehouse, keyring: Keyring): Promise<AuditRewrite> {
  return rewriteAuditDetails(state, keyring, { details: (entry) => minimisedDetails(keyring, entry), candidates: CANDIDATES }, {
    actor: 'clvkit serve',
    action: 'audit_rewritten',
    details: { reason: 'data minimisation: client addresses kept as their network, Idempotency-Keys as keyed hashes' },
  });
}
