import type { Warehouse } from '../engine/warehouse.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import type { AuditEntry } from '../privacy/warehouse/audit-log.js';
import { countAuditCandidates, rewriteAuditDetails, type AuditRewrite } from '../privacy/warehouse/rewrite-audit-details.js';
import type { AuditHead } from '../privacy/warehouse/audit-rewrites.js';
import type { AccessOptions } from '../privacy/access/access.js';
import { auditedNetwork } from './auth/client-network.js';
import { idempotencyKeyTag } from './ingest/batch-receipts.js';

const LOGIN_ACTIONS = new Set(['login', 'login_failed', 'login_refused']);

/** The entries `minimisedDetails` may change (`"key":` in the JSON text of `details` is a key: a value's quotes are escaped). */
const CANDIDATES = `(action IN (${[...LOGIN_ACTIONS].map((a) => `'${a}'`).join(', ')}) AND details LIKE '%"ip":%') OR (action = 'ingest_refused' AND details LIKE '%"idempotency_key":%')`;

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
 * in an `audit_rewritten` entry by `access` (`rewriteAuditDetails`): the command `clvkit audit minimise`, never done
 * by the server on its own (a rewrite nobody decided would look like any other, and a head recorded elsewhere would
 * stop verifying unannounced). `head`, the head the operator last recorded, is checked first; a log that does not
 * verify or does not reach it is left as it is (`refused`).
 *
 * Example: `await minimiseAuditEntries(state, keyring, admin, { head: { seq: 6, hash: '3f…' } })` → `{ rewritten: 4, firstSeq: 2, previousHead: { seq: 6, … }, head: { seq: 7, … } }`
 */
export function minimiseAuditEntries(state: Warehouse, keyring: Keyring, access: AccessOptions, options: { readonly head?: AuditHead }): Promise<AuditRewrite> {
  const reason = 'data minimisation: client addresses kept as their network, Idempotency-Keys as keyed hashes';
  return rewriteAuditDetails(state, keyring, access, { details: (entry) => minimisedDetails(keyring, entry), candidates: CANDIDATES }, { details: { reason }, ...(options.head ? { head: options.head } : {}) });
}

/** How many audit entries `minimiseAuditEntries` would rewrite (one query: `serve` says so at start when there are any). */
export function countEntriesToMinimise(state: Warehouse): Promise<number> {
  return countAuditCandidates(state, CANDIDATES);
}
