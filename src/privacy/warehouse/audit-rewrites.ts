import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../keys/keyring.js';
import { auditMacKey, type AuditEntry } from './audit-log.js';

/** An entry of the log as a head names it: `seq:hash`, printed by `clvkit audit verify`. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** The action of the entry a rewrite of the log appends (`rewriteAuditDetails`). */
export const AUDIT_REWRITTEN = 'audit_rewritten';

/**
 * What an `audit_rewritten` entry keeps of the head the log had before the rewrite: 64 hex digits of an HMAC of
 * `seq:hash` under the audit MAC key — never the hash itself: the old chain's hashes cover the details the rewrite
 * removed (a full client address of a network's 256), so anyone reading the log could recompute them from it. With
 * the key, `clvkit audit verify --head OLD` computes it and compares.
 *
 * Example: `previousHeadTag(keyring, { seq: 6, hash: '3f…' })` → `'9c0e…'` (64 hex digits)
 */
export function previousHeadTag(keyring: Keyring, head: AuditHead): string {
  return createHmac('sha256', auditMacKey(keyring)).update(`clvkit/audit-previous-head/v1\0${head.seq}:${head.hash}`, 'utf8').digest('hex');
}

/** A rewrite of the log as its `audit_rewritten` entry says it: its seq, and the entries it re-chained (`firstSeq`…`lastSeq`). */
export interface AuditRewriteSpan {
  readonly rewriteSeq: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/**
 * What the log's rewrites say of a head that is not in the chain as it is: `matched` when it is the head a rewrite
 * names as the one before it (its keyed hash: `previousHeadTag`), `rechained` when its entry is one a rewrite
 * re-chained (its hash then cannot be checked), null when no rewrite explains it (the head does not match).
 *
 * Example: `headAcrossRewrites(entries, { seq: 6, hash: old }, keyring)` → `{ matched: { rewriteSeq: 7, firstSeq: 2, lastSeq: 6 } }`
 */
export function headAcrossRewrites(entries: readonly AuditEntry[], head: AuditHead, keyring: Keyring): { matched: AuditRewriteSpan } | { rechained: AuditRewriteSpan } | null {
  const tag = Buffer.from(previousHeadTag(keyring, head), 'utf8');
  let rechained: AuditRewriteSpan | null = null;
  for (const entry of entries) {
    const { first_seq: firstSeq, previous_head_seq: lastSeq, previous_head_tag: kept } = entry.action === AUDIT_REWRITTEN ? entry.details : {};
    if (typeof firstSeq !== 'number' || typeof lastSeq !== 'number' || typeof kept !== 'string') continue;
    const span = { rewriteSeq: entry.seq, firstSeq, lastSeq };
    if (head.seq === lastSeq && kept.length === tag.length && timingSafeEqual(Buffer.from(kept, 'utf8'), tag)) return { matched: span };
    // the head before a rewrite that does not match is not explained by it (a forged or mistyped head)
    if (head.seq >= firstSeq && head.seq < lastSeq) rechained ??= span;
  }
  return rechained ? { rechained } : null;
}
