import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../keys/keyring.js';
import type { JsonValue } from './canonical-json.js';
import { auditMacKey, sealAuditEntry, type AuditEntry } from './audit-log.js';
import { readAuditEntries, recordAudit, verifyWarehouseAudit } from './warehouse-audit.js';

/** What `rewriteAuditDetails` did: entries rewritten, the first of them, and the head the log had before (`seq:hash`). */
export interface AuditRewrite {
  readonly rewritten: number;
  readonly firstSeq: number | null;
  readonly previousHead: string | null;
  /** why nothing was rewritten though the log may need it: its chain does not verify */
  readonly refused?: string;
}

type Details = { readonly [key: string]: JsonValue };

const NOTHING: AuditRewrite = { rewritten: 0, firstSeq: null, previousHead: null };

/** Rows per statement when the re-chained entries are written. */
const BATCH = 500;

/**
 * Rewrites the details of the warehouse's audit entries that `rewrite.details` changes (it answers their new details,
 * or null to keep an entry as it is; `rewrite.candidates`, an SQL condition on `audit_log`, finds every entry it may
 * change, and none means nothing is read) — data minimisation of entries an older clvkit wrote — in one transaction: every entry
 * from the first rewritten one on is re-chained (`prevHash`, hash, MAC under the warehouse's key; seq, time, actor and
 * the rest kept), then an entry of its own, `record`, says so with `rewritten`, `first_seq` and `previous_head` (the
 * head before: a head recorded elsewhere names the old chain). Only a log that verifies is rewritten: re-chaining one
 * that does not would seal whatever was altered, so nothing is changed and `refused` says why.
 *
 * Example: `await rewriteAuditDetails(state, keyring, { details: (e) => ('ip' in e.details ? { …e.details, ip: null } : null), candidates: `details LIKE '%"ip":%'` }, { actor: 'clvkit serve', action: 'audit_rewritten', details: { reason: '…' } })`
 * → `{ rewritten: 4, firstSeq: 2, previousHead: '6:3f…' }`
 */
export function rewriteAuditDetails(
  warehouse: Warehouse,
  keyring: Keyring,
  rewrite: { readonly details: (entry: AuditEntry) => Details | null; readonly candidates: string },
  record: { readonly actor: string; readonly action: string; readonly details: Details },
): Promise<AuditRewrite> {
  const access = { actor: record.actor, role: 'admin' as const };
  return warehouse.transaction(async () => {
    // most starts find nothing to rewrite: asked of the table first, not by reading and verifying the whole log
    if (Number((await warehouse.query(`SELECT count(*) AS n FROM audit_log WHERE ${rewrite.candidates}`))[0]!.n) === 0) return NOTHING;
    const verified = await verifyWarehouseAudit(warehouse, keyring, access);
    if (!verified.ok) return { ...NOTHING, refused: `the audit log does not verify (entry ${verified.firstBadSeq}, ${verified.reason}): ${verified.message}` };
    const entries = await readAuditEntries(warehouse, access);
    const first = entries.findIndex((entry) => rewrite.details(entry) !== null);
    if (first < 0) return NOTHING;
    const macKey = auditMacKey(keyring);
    const rechained: AuditEntry[] = [];
    let prevHash = entries[first]!.prevHash;
    let rewritten = 0;
    for (const entry of entries.slice(first)) {
      const details = rewrite.details(entry);
      if (details !== null) rewritten += 1;
      const { hash: _hash, mac: _mac, ...fields } = entry;
      const sealed = sealAuditEntry({ ...fields, details: details ?? entry.details, prevHash }, macKey);
      rechained.push(sealed);
      prevHash = sealed.hash;
    }
    await writeRechained(warehouse, rechained);
    const last = entries.at(-1)!;
    const result = { rewritten, firstSeq: entries[first]!.seq, previousHead: `${last.seq}:${last.hash}` };
    await recordAudit(warehouse, keyring, access, { action: record.action, target: 'table:audit_log', details: { ...record.details, rewritten, first_seq: result.firstSeq, previous_head: result.previousHead } });
    return result;
  });
}

/** Writes re-chained entries over their rows (details, prev_hash, hash, mac), a batch of rows per statement. */
async function writeRechained(warehouse: Warehouse, entries: readonly AuditEntry[]): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute('CREATE TEMP TABLE audit_rechained (seq BIGINT, details VARCHAR, prev_hash VARCHAR, hash VARCHAR, mac VARCHAR)');
  try {
    for (let i = 0; i < entries.length; i += BATCH) {
      const rows = entries.slice(i, i + BATCH).map((e) => `(${e.seq}, ${d.literal(JSON.stringify(e.details))}, ${d.literal(e.prevHash)}, ${d.literal(e.hash)}, ${e.mac === null ? 'NULL' : d.literal(e.mac)})`);
      await warehouse.execute(`INSERT INTO audit_rechained VALUES ${rows.join(', ')}`);
    }
    await warehouse.execute('UPDATE audit_log SET details = r.details, prev_hash = r.prev_hash, hash = r.hash, mac = r.mac FROM audit_rechained r WHERE audit_log.seq = r.seq');
  } finally {
    await warehouse.execute('DROP TABLE IF EXISTS audit_rechained');
  }
}
