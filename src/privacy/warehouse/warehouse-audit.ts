import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Row, Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveAccess, type Access, type AccessOptions } from '../access/access.js';
import { auditMacKey, createAuditLog, verifyAuditChain, type AuditEntry, type AuditRecord, type AuditStore, type AuditVerification, type VerifyAuditOptions } from './audit-log.js';
import type { JsonValue } from './canonical-json.js';
import type { Keyring } from '../keys/keyring.js';
import { assertCan } from '../access/rbac.js';
import { readWarehouseMeta, writeWarehouseMeta } from '../keys/warehouse-key.js';
import { warehouseName } from '../../engine/warehouse-flags.js';
import { headAcrossRewrites, type AuditRewriteSpan } from './audit-rewrites.js';

/**
 * `warehouse_meta` name of the log's head, `seq:hash:mac`, rewritten with
 * every entry in the same transaction; `mac` is an HMAC under the audit key
 * of `clvkit/audit-head/v1 ‖ seq:hash` (not an entry's MAC, so an older
 * entry cannot stand in for it). Verification requires the log to end at
 * exactly this entry: entries cut from the end, or the whole log deleted,
 * are detected without a head recorded elsewhere.
 */
export const AUDIT_HEAD_META = 'audit_head';

function headMac(key: Buffer, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`clvkit/audit-head/v1\0${seq}:${hash}`, 'utf8').digest('hex');
}

/**
 * The audit log in the warehouse's `audit_log` table (schema migration 2).
 * Append-only: `append` refuses a `seq` that is not the last + 1 (checked in
 * the same transaction as the insert, so two appends cannot fork the chain).
 * `ts`, `row_counts` and `details` are stored as the exact text that was
 * hashed; `readAll` returns entries in `seq` order.
 */
export class WarehouseAuditStore implements AuditStore {
  /** `headKey`: the audit MAC key; when given, every append also records the keyed head (`AUDIT_HEAD_META`) */
  constructor(
    private readonly warehouse: Warehouse,
    private readonly headKey?: Buffer,
  ) {}

  /**
   * The last `seq` this store's `readLast` read, until the next `append`: `recordAudit` reads the last entry and appends
   * the next in one transaction of a store of its own, so asking `max(seq)` again in it would read the same (on a
   * cluster one request of the entry's 8). An append not preceded by a `readLast` of this store asks.
   */
  #lastSeq: number | undefined;

  async append(entry: AuditEntry): Promise<void> {
    const d = this.warehouse.dialect;
    const seen = this.#lastSeq;
    this.#lastSeq = undefined;
    await this.warehouse.transaction(async () => {
      const last = seen ?? Number((await this.warehouse.query('SELECT COALESCE(max(seq), 0) AS seq FROM audit_log'))[0]!.seq);
      const expected = last + 1;
      if (entry.seq !== expected) throw new Error(`audit_log: entry seq ${entry.seq} does not follow ${expected - 1}`);
      const text = (v: string | null) => (v === null ? 'NULL' : d.literal(v));
      await this.warehouse.execute(
        `INSERT INTO audit_log (seq, ts, actor, role, action, target, row_counts, details, prev_hash, hash, mac) VALUES (${entry.seq}, ${text(entry.ts)}, ${text(entry.actor)}, ${text(entry.role)}, ${text(entry.action)}, ${text(entry.target)}, ${text(JSON.stringify(entry.rowCounts))}, ${text(JSON.stringify(entry.details))}, ${text(entry.prevHash)}, ${text(entry.hash)}, ${text(entry.mac)})`,
      );
      if (this.headKey) await writeWarehouseMeta(this.warehouse, AUDIT_HEAD_META, `${entry.seq}:${entry.hash}:${headMac(this.headKey, entry.seq, entry.hash)}`);
    });
  }

  async readAll(): Promise<AuditEntry[]> {
    return (await this.warehouse.query('SELECT * FROM audit_log ORDER BY seq')).map(entryOf);
  }

  async readLast(): Promise<AuditEntry | null> {
    const [row] = await this.warehouse.query('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
    const last = row ? entryOf(row) : null;
    this.#lastSeq = last?.seq ?? 0;
    return last;
  }
}

function parseJson(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return text; // kept as is: the verifier reports the entry as malformed or altered
  }
}

function entryOf(row: Row): AuditEntry {
  return {
    seq: Number(row.seq),
    ts: String(row.ts),
    actor: String(row.actor),
    role: String(row.role),
    action: String(row.action),
    target: row.target === null ? null : String(row.target),
    rowCounts: parseJson(row.row_counts) as AuditEntry['rowCounts'],
    details: parseJson(row.details) as AuditEntry['details'],
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
    mac: row.mac === null ? null : String(row.mac),
  };
}

/** One audit entry as the warehouse functions record it. */
export interface WarehouseAuditRecord {
  readonly action: string;
  readonly target?: AuditRecord['target'];
  readonly rowCounts?: Readonly<Record<string, number>>;
  readonly details?: { readonly [key: string]: JsonValue };
}

/**
 * Appends one entry to the warehouse's audit log: hash-chained to the last
 * entry and MAC'd under the `audit-mac` subkey of the keyring's root key.
 * Customer targets are given as `{ customerId }` (tokenised here) or
 * `{ customerToken }`; a clear id anywhere is refused. Runs inside the
 * caller's transaction when there is one, so the entry commits (or rolls
 * back) with the change it records.
 *
 * Example: `await recordAudit(wh, ring, { actor: 'ana', role: 'analyst' }, { action: 'analyze', target: 'table:customer_scores', rowCounts: { customer_scores: 4338 } })`
 */
export function recordAudit(warehouse: Warehouse, keyring: Keyring, access: Access, record: WarehouseAuditRecord): Promise<AuditEntry> {
  // one transaction around reading the last entry and appending the next: on a warehouse shared by concurrent
  // writers (the server's), another entry cannot land in between and make this one's seq collide
  return warehouse.transaction(() => createAuditLog(new WarehouseAuditStore(warehouse, auditMacKey(keyring)), keyring).record({ actor: access.actor, role: access.role, ...record }));
}

/** All audit entries in `seq` order. Requires `read_audit` (admin). */
export async function readAuditEntries(warehouse: Warehouse, access: AccessOptions): Promise<AuditEntry[]> {
  assertCan(resolveAccess(access).role, 'read_audit');
  if (!(await hasAuditTable(warehouse))) throw new UserError(`${warehouseName(warehouse)} has no audit_log table`, 'it was dropped outside clvkit: restore the warehouse from a backup and investigate who had write access');
  return new WarehouseAuditStore(warehouse).readAll();
}

export interface WarehouseAuditVerification extends AuditVerification {
  /** the last entry (seq and hash): record it elsewhere to detect truncation later (`head`) */
  readonly head: { readonly seq: number; readonly hash: string } | null;
  /** the `head` given is the head before a rewrite of the log (`audit_rewritten`, `headAcrossRewrites`): which one */
  readonly headBeforeRewrite?: AuditRewriteSpan;
}

/**
 * Verifies the warehouse's audit log: the hash chain, every entry's MAC under
 * the keyring's root key, and (when given) a head recorded earlier. Requires
 * `read_audit` (admin).
 *
 * Example: `await verifyWarehouseAudit(wh, ring, admin)` → `{ ok: true, count: 7, head: { seq: 7, hash: '…' }, … }`
 */
export async function verifyWarehouseAudit(
  warehouse: Warehouse,
  keyring: Keyring,
  access: AccessOptions,
  options: Pick<VerifyAuditOptions, 'head'> = {},
): Promise<WarehouseAuditVerification> {
  assertCan(resolveAccess(access).role, 'read_audit');
  if (!(await hasAuditTable(warehouse))) {
    return { ok: false, firstBadSeq: 1, reason: 'head-mismatch', message: 'the audit_log table is missing', count: 0, head: null };
  }
  const entries = await readAuditEntries(warehouse, access);
  const macKey = auditMacKey(keyring);
  const result = verifyAuditChain(entries, { macKey, ...(options.head ? { head: options.head } : {}) });
  const last = entries.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : null;
  // the chain verifies but the head given is not in it: a rewrite of the log (audit_rewritten) may explain it
  const rewrite = options.head && result.reason === 'head-mismatch' && result.firstBadSeq === 1 ? headAcrossRewrites(entries, options.head, keyring) : null;
  if (rewrite && 'rechained' in rewrite) {
    const { rewriteSeq, firstSeq, lastSeq } = rewrite.rechained;
    return { ...result, firstBadSeq: options.head!.seq, reason: 'head-rechained', message: `head ${options.head!.seq} cannot be checked: re-chained by the rewrite at entry ${rewriteSeq} (entries ${firstSeq} to ${lastSeq})`, head };
  }
  if (!result.ok && !rewrite) return { ...result, head };
  const verified = rewrite ? { ok: true, firstBadSeq: null, reason: null, message: `the log verifies; head ${options.head!.seq} is the head before the rewrite at entry ${rewrite.matched.rewriteSeq}`, count: entries.length, headBeforeRewrite: rewrite.matched } : result;
  const recorded = await checkRecordedHead(warehouse, macKey, last ?? null);
  return recorded ? { ok: false, firstBadSeq: (last?.seq ?? 0) + 1, reason: 'head-mismatch', message: recorded, count: entries.length, head } : { ...verified, head };
}

async function hasAuditTable(warehouse: Warehouse): Promise<boolean> {
  const [table] = await warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'audit_log'");
  return Number(table!.n) > 0;
}

/** Why the log's end does not match the keyed head in `warehouse_meta`, or null when it does. */
async function checkRecordedHead(warehouse: Warehouse, macKey: Buffer, last: AuditEntry | null): Promise<string | null> {
  const text = await readWarehouseMeta(warehouse, AUDIT_HEAD_META);
  if (text === null) {
    if (last) return 'the recorded head of the log is missing from warehouse_meta';
    const [ingests] = await warehouse.query('SELECT count(*) AS n FROM ingests');
    return Number(ingests!.n) > 0 ? 'the log is empty and its recorded head is missing, but the warehouse holds ingested data: the log was deleted' : null;
  }
  const match = /^(\d+):([0-9a-f]{64}):([0-9a-f]{64})$/.exec(text);
  // both sides are 64 hex digits (the pattern), as timingSafeEqual needs
  if (!match || !timingSafeEqual(Buffer.from(headMac(macKey, Number(match[1]), match[2]!)), Buffer.from(match[3]!))) return 'the recorded head in warehouse_meta was not written with the audit key';
  const seq = Number(match[1]);
  if (!last || last.seq < seq) return `the log ends at entry ${last?.seq ?? 0}, but entry ${seq} was written: entries were cut from the end`;
  if (last.seq > seq || last.hash !== match[2]) return `the log's last entry ${last.seq} is not the recorded head (entry ${seq}): the end of the log was replaced`;
  return null;
}

/** Parses `--head SEQ:HASH` (as printed by `clvkit audit verify`). */
export function parseAuditHead(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!match) throw new UserError(`--head ${text} is not SEQ:HASH`, 'pass the head printed by an earlier `clvkit audit verify`, e.g. 12:3f9a…(64 hex digits)');
  return { seq: Number(match[1]), hash: match[2]! };
}
