import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../keys/keyring.js';
import type { JsonValue } from './canonical-json.js';
import { auditMacKey, sealAuditEntry, type AuditEntry } from './audit-log.js';
import { readAuditEntries, recordAudit, verifyWarehouseAudit } from './warehouse-audit.js';
import { AUDIT_REWRITTEN, previousHeadTag, type AuditHead } from './audit-rewrites.js';
import { resolveAccess, type AccessOptions } from '../access/access.js';

/** What `rewriteAuditDetails` did: entries rewritten, the first of them, the head the log had before and the head it has now. */
export interface AuditRewrite {
  readonly rewritten: number;
  readonly firstSeq: number | null;
  /** the head before the rewrite (null when nothing was rewritten): for the caller only, never written to the log */
  readonly previousHead: AuditHead | null;
  /** the log's last entry now (after the rewrite's own entry): the head to record; null for an empty log or a refusal */
  readonly head: AuditHead | null;
  /** why nothing was rewritten though the log may need it: its chain does not verify, or does not reach `head` */
  readonly refused?: string;
}

type Details = { readonly [key: string]: JsonValue };

/** Rows per statement when the re-chained entries are written. */
const BATCH = 500;

/**
 * Rewrites the details of the warehouse's audit entries that `rewrite.details` changes (it answers their new details,
 * or null to keep an entry as it is; `rewrite.candidates`, an SQL condition on `audit_log`, finds every entry it may
 * change, and none means nothing is read) — data minimisation of entries an older clvkit wrote — in one transaction: every entry
 * from the first rewritten one on is re-chained (`prevHash`, hash, MAC under the warehouse's key; seq, time, actor and
 * the rest kept), then an entry of its own, `audit_rewritten` by `access`, says so with `rewritten`, `first_seq`,
 * `previous_head_seq` and `previous_head_tag` (the head before by a keyed hash, `previousHeadTag`: never its hash,
 * from which the removed values could be recomputed; `clvkit audit verify --head OLD` compares it). Only a log that
 * verifies — and reaches `head`, the head the operator recorded, when given — is rewritten: re-chaining one that does
 * not would seal whatever was altered, so nothing is changed and `refused` says why.
 *
 * Example: `await rewriteAuditDetails(state, keyring, admin, { details: (e) => ('ip' in e.details ? { …e.details, ip: null } : null), candidates: `details LIKE '%"ip":%'` }, { details: { reason: '…' }, head })`
 * → `{ rewritten: 4, firstSeq: 2, previousHead: { seq: 6, hash: '3f…' }, head: { seq: 7, hash: '8a…' } }`
 */
export function rewriteAuditDetails(
  warehouse: Warehouse,
  keyring: Keyring,
  access: AccessOptions,
  rewrite: { readonly details: (entry: AuditEntry) => Details | null; readonly candidates: string },
  record: { readonly details: Details; readonly head?: AuditHead },
): Promise<AuditRewrite> {
  return warehouse.transaction(async () => {
    const nothing = async (): Promise<AuditRewrite> => {
      const [last] = await warehouse.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      return { rewritten: 0, firstSeq: null, previousHead: null, head: last ? { seq: Number(last.seq), hash: String(last.hash) } : null };
    };
    // asked of the table first, not by reading and verifying the whole log
    if ((await countAuditCandidates(warehouse, rewrite.candidates)) === 0) return nothing();
    const verified = await verifyWarehouseAudit(warehouse, keyring, access, record.head ? { head: record.head } : {});
    if (!verified.ok) return { rewritten: 0, firstSeq: null, previousHead: null, head: null, refused: `the audit log does not verify (entry ${verified.firstBadSeq}, ${verified.reason}): ${verified.message}` };
    const entries = await readAuditEntries(warehouse, access);
    const first = entries.findIndex((entry) => rewrite.details(entry) !== null);
    if (first < 0) return nothing();
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
    const previousHead = { seq: last.seq, hash: last.hash };
    const firstSeq = entries[first]!.seq;
    const written = await recordAudit(warehouse, keyring, resolveAccess(access), {
      action: AUDIT_REWRITTEN,
      target: 'table:audit_log',
      details: { ...record.details, rewritten, first_seq: firstSeq, previous_head_seq: last.seq, previous_head_tag: previousHeadTag(keyring, previousHead) },
    });
    return { rewritten, firstSeq, previousHead, head: { seq: written.seq, hash: written.hash } };
  });
}

/** How many entries of `audit_log` the SQL condition `candidates` finds (a rewrite's candidates: `rewriteAuditDetails`). */
export async function countAuditCandidates(warehouse: Warehouse, candidates: string): Promise<number> {
  return Number((await warehouse.query(`SELECT count(*) AS n FROM audit_log WHERE ${candidates}`))[0]!.n);
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
