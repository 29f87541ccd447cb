import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import {
  AuditLog,
  auditMacKey,
  createAuditLog,
  GENESIS_HASH,
  hashAuditEntry,
  MemoryAuditStore,
  verifyAuditChain,
  type AuditEntry,
} from '../../../src/privacy/warehouse/audit-log.js';
import { canonicalJson } from '../../../src/privacy/warehouse/canonical-json.js';
import { keyringFromKey, rotateKey } from '../../../src/privacy/keys/keyring.js';
import { pseudonymiseId } from '../../../src/privacy/tokens/pseudonymise.js';

const ring = keyringFromKey(Buffer.alloc(32, 0x42));
const start = Date.parse('2025-06-01T08:00:00Z');

function clock(): () => Date {
  let i = 0;
  return () => new Date(start + 60_000 * i++);
}

/** A log of six entries with a MAC. */
async function sampleLog(): Promise<{ log: AuditLog; store: MemoryAuditStore; entries: AuditEntry[] }> {
  const store = new MemoryAuditStore();
  const log = createAuditLog(store, ring, { clock: clock() });
  await log.record({ actor: 'ana', role: 'admin', action: 'ingest', target: 'file:data/orders.csv', rowCounts: { transactions: 1200, quarantine: 3 } });
  await log.record({ actor: 'bo', role: 'analyst', action: 'analyze', target: 'run:2025-06-01', details: { model: 'bgnbd', horizonDays: 365 } });
  await log.record({ actor: 'cy', role: 'marketer', action: 'export_audience', target: 'file:out/at-risk.csv', rowCounts: { exported: 412 } });
  await log.record({ actor: 'ana', role: 'admin', action: 'reidentify', target: { customerId: 'C-1001' } });
  await log.record({ actor: 'ana', role: 'admin', action: 'erase', target: { customerId: 'C-1001' }, rowCounts: { customers: 1, transactions: 14, events: 230 } });
  await log.record({ actor: 'ana', role: 'admin', action: 'rotate_keys', target: 'keyring', details: { newKeyId: 'k0123456789' } });
  return { log, store, entries: [...(await store.readAll())] };
}

describe('audit log: writing', () => {
  it('chains entries: seq 1…n, genesis prevHash, each prevHash = previous hash, hash = SHA-256(canonical JSON)', async () => {
    const { entries } = await sampleLog();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    const e = entries[2];
    const expectedHash = createHash('sha256')
      .update(
        canonicalJson({ seq: e.seq, ts: e.ts, actor: e.actor, role: e.role, action: e.action, target: e.target, rowCounts: e.rowCounts, details: e.details, prevHash: e.prevHash }),
      )
      .digest('hex');
    expect(e.hash).toBe(expectedHash);
    expect(e.ts).toBe('2025-06-01T08:02:00.000Z');
    expect(e.rowCounts).toEqual({ exported: 412 });
    expect(e.mac).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores customer targets as tokens, never the id', async () => {
    const { entries } = await sampleLog();
    const token = pseudonymiseId('C-1001', ring);
    expect(entries[3].target).toBe(`customer:${token}`);
    expect(entries[4].target).toBe(`customer:${token}`);
    expect(JSON.stringify(entries)).not.toContain('C-1001');
  });

  it('refuses clear customer ids in targets and details', async () => {
    const log = createAuditLog(new MemoryAuditStore(), ring);
    await expect(log.record({ actor: 'a', role: 'admin', action: 'erase', target: 'customer:C-1001' })).rejects.toThrow(UserError);
    await expect(log.record({ actor: 'a', role: 'admin', action: 'erase', target: { customerToken: 'C-1001' } })).rejects.toThrow(/not a token/);
    await expect(log.record({ actor: 'a', role: 'admin', action: 'export_customers', details: { filter: { email: 'zhang.li@example.com' } } })).rejects.toThrow(
      'audit details.filter.email holds a value that is not a customer token',
    );
    await expect(log.record({ actor: 'a', role: 'admin', action: 'erase', details: { customer_ids: [pseudonymiseId('C-1', ring), 'C-2'] } })).rejects.toThrow(UserError);
    const ok = await log.record({ actor: 'a', role: 'admin', action: 'erase', details: { customer_ids: [pseudonymiseId('C-1', ring)] } });
    expect(ok.seq).toBe(1);
    const plain = new AuditLog({ store: new MemoryAuditStore() });
    await expect(plain.record({ actor: 'a', role: 'admin', action: 'erase', target: { customerId: 'C-1' } })).rejects.toThrow(/cannot tokenise/);
  });

  it('concurrent record() calls from one process produce one unbroken chain', async () => {
    const store = new MemoryAuditStore();
    const log = createAuditLog(store, ring);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.record({ actor: `u${i}`, role: 'analyst', action: 'analyze' })));
    const entries = await store.readAll();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(verifyAuditChain(entries, { macKey: auditMacKey(ring) })).toMatchObject({ ok: true, count: 50 });
  });

  it('a failed record does not block later ones', async () => {
    const store = new MemoryAuditStore();
    const log = createAuditLog(store, ring);
    await expect(log.record({ actor: '', role: 'admin', action: 'erase' })).rejects.toThrow(UserError);
    expect((await log.record({ actor: 'a', role: 'admin', action: 'erase' })).seq).toBe(1);
  });

  it('the memory store is append-only: stored entries are frozen and seq must follow', async () => {
    const { store, entries } = await sampleLog();
    expect(Object.isFrozen(entries[0])).toBe(true);
    expect(Object.isFrozen(entries[0].rowCounts)).toBe(true);
    expect(() => store.append({ ...entries[5], seq: 9 })).toThrow('audit store: entry seq 9 does not follow 6');
  });

  it('the MAC key is stable across key rotation', () => {
    expect(auditMacKey(rotateKey(ring)).equals(auditMacKey(ring))).toBe(true);
  });
});

describe('verifyAuditChain', () => {
  const macKey = auditMacKey(ring);

  it('a valid chain verifies, with and without the MAC key', async () => {
    const { entries, log } = await sampleLog();
    expect(verifyAuditChain(entries)).toEqual({ ok: true, firstBadSeq: null, reason: null, message: '6 entries verified', count: 6 });
    expect(verifyAuditChain(entries, { macKey }).ok).toBe(true);
    expect((await log.verify()).ok).toBe(true);
    expect(verifyAuditChain([]).ok).toBe(true);
  });

  it('detects an edited entry (row count lowered after the fact)', async () => {
    const { entries } = await sampleLog();
    const tampered = entries.map((e) => (e.seq === 3 ? { ...e, rowCounts: { exported: 12 } } : e));
    expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'hash-mismatch' });
  });

  it('detects an edited entry whose hash was recomputed: the next entry no longer links', async () => {
    const { entries } = await sampleLog();
    const edited = { ...entries[1], actor: 'mallory' };
    const rehashed = { ...edited, hash: hashAuditEntry(edited) };
    const tampered = entries.map((e) => (e.seq === 2 ? rehashed : e));
    expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'prev-hash-mismatch' });
  });

  it('detects a deleted entry', async () => {
    const { entries } = await sampleLog();
    const tampered = entries.filter((e) => e.seq !== 4);
    expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'seq-gap', message: 'entry 4 is missing (next is 5)' });
    const firstGone = entries.slice(1);
    expect(verifyAuditChain(firstGone)).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'seq-gap' });
  });

  it('detects a deleted entry hidden by renumbering the later ones', async () => {
    const { entries } = await sampleLog();
    const tampered = entries.filter((e) => e.seq !== 4).map((e) => (e.seq > 4 ? { ...e, seq: e.seq - 1 } : e));
    expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'prev-hash-mismatch' });
  });

  it('detects reordered entries', async () => {
    const { entries } = await sampleLog();
    const swapped = [entries[0], entries[1], entries[3], entries[2], entries[4], entries[5]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'seq-order' });
    const lastFirst = [entries[5], ...entries.slice(0, 5)];
    expect(verifyAuditChain(lastFirst)).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'seq-order' });
  });

  it('detects reordered entries whose seq fields were swapped too', async () => {
    const { entries } = await sampleLog();
    const swapped = [entries[0], entries[1], { ...entries[3], seq: 3 }, { ...entries[2], seq: 4 }, entries[4], entries[5]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'prev-hash-mismatch' });
  });

  it('plain chaining accepts a chain rebuilt from scratch; the MAC catches it', async () => {
    const { entries } = await sampleLog();
    // attacker drops entry 4 (the re-identification) and recomputes every hash
    const rebuilt: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (const e of entries.filter((x) => x.seq !== 4)) {
      const fields = { ...e, seq: rebuilt.length + 1, prevHash: prev };
      const hash = hashAuditEntry(fields);
      rebuilt.push({ ...fields, hash });
      prev = hash;
    }
    expect(verifyAuditChain(rebuilt).ok).toBe(true);
    expect(verifyAuditChain(rebuilt, { macKey })).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'mac-mismatch' });
    // and a recorded head catches it even without the key
    const head = { seq: entries[5].seq, hash: entries[5].hash };
    expect(verifyAuditChain(rebuilt, { head })).toMatchObject({ ok: false, reason: 'head-mismatch' });
  });

  it('a recorded head detects entries cut from the end; a log that grew past the head still verifies', async () => {
    const { entries } = await sampleLog();
    const head = { seq: 5, hash: entries[4].hash };
    expect(verifyAuditChain(entries.slice(0, 4), { head })).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'head-mismatch' });
    expect(verifyAuditChain(entries.slice(0, 4)).ok).toBe(true);
    expect(verifyAuditChain(entries, { head }).ok).toBe(true);
  });

  it('entries without MAC fail when a MAC key is required', async () => {
    const store = new MemoryAuditStore();
    const log = new AuditLog({ store });
    await log.record({ actor: 'a', role: 'admin', action: 'erase' });
    const entries = await store.readAll();
    expect(entries[0].mac).toBeNull();
    expect(verifyAuditChain(entries).ok).toBe(true);
    expect(verifyAuditChain(entries, { macKey })).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'mac-missing' });
  });

  it('malformed entries are reported, not thrown', () => {
    expect(verifyAuditChain([{ seq: 1 } as unknown as AuditEntry])).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'malformed' });
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order and rejects what JSON cannot hold', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: 2 }] })).toBe('{"a":[true,null,{"c":2,"d":"x"}],"b":1}');
    expect(canonicalJson({ 'é': 1, e: 2 })).toBe('{"e":2,"é":1}');
    expect(() => canonicalJson({ a: NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson(new Date(0))).toThrow(TypeError);
  });
});
