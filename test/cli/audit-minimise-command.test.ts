/**
 * The server rewrote old audit entries (full client addresses, Idempotency-Keys in clear) at every start: a rewrite
 * by anyone holding the key then looked like a normal one, and a head recorded elsewhere stopped verifying without
 * anyone deciding it. It is now the command `clvkit audit minimise`, which checks the operator's last recorded head
 * first (`--head SEQ:HASH`; `--no-head` goes on without one, with a warning), prints the new head to record, and
 * compacts the file (the old values stay in freed blocks otherwise); `serve` only says, in one line, that old entries
 * hold full addresses and how to minimise them. `audit verify --head` with the head before a rewrite says it matches
 * that head (the entry names it by a keyed hash), and a head inside the re-chained entries cannot be checked — neither
 * says "restore from a backup", which would bring the addresses back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { cli, useEnv, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { CLEAR_IN_OLD_ENTRIES, warehouseWithOldEntries } from '../helpers/old-audit-entries.js';
import { findInFiles, warehouseFiles } from '../privacy/privacy-fixture.js';

const admin = { actor: 't', role: 'admin' as const };

/** A warehouse file with the old entries; answers its path and the hashes of entries 4 and 6 (the head then). */
async function oldWarehouse(): Promise<{ db: string; head: string; fourth: string }> {
  const db = join(scratchDir('clvkit-audit-minimise-cli-'), 'shop.duckdb');
  const { warehouse } = await warehouseWithOldEntries(db);
  try {
    const entries = await readAuditEntries(warehouse, admin);
    return { db, head: `6:${entries[5]!.hash}`, fourth: `4:${entries[3]!.hash}` };
  } finally {
    await warehouse.close();
  }
}

async function entriesOf(db: string) {
  const { warehouse } = await openKeyedWarehouse({ db });
  try {
    return await readAuditEntries(warehouse, admin);
  } finally {
    await warehouse.close();
  }
}

describe('clvkit audit minimise', () => {
  useFixedKey(11);

  it('checks the head recorded first: a wrong one, or none, changes nothing and exits 2', async () => {
    const { db, fourth } = await oldWarehouse();
    const before = await entriesOf(db);
    const wrong = await cli(['audit', 'minimise', '--db', db, '--role', 'admin', '--head', `6:${fourth.slice(2)}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^clvkit: error: the audit log was not minimised: the audit log does not verify \(entry 1, head-mismatch\)/);
    const none = await cli(['audit', 'minimise', '--db', db, '--role', 'admin']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--head SEQ:HASH.*--no-head/);
    expect(await entriesOf(db)).toEqual(before);
  }, 60_000);

  it('with the head: rewritten, the new head printed to record (--json), the file compacted (no address left in it)', async () => {
    const { db, head } = await oldWarehouse();
    expect(findInFiles(warehouseFiles(db), CLEAR_IN_OLD_ENTRIES)).not.toEqual([]);
    const run = await cli(['audit', 'minimise', '--db', db, '--role', 'admin', '--head', head, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = await entriesOf(db);
    const answer = JSON.parse(run.stdout);
    expect(answer).toMatchObject({ rewritten: 4, firstSeq: 2, head: `7:${after[6]!.hash}`, compacted: { bytesBefore: expect.any(Number), bytesAfter: expect.any(Number) } });
    expect(JSON.stringify(answer)).not.toContain(head.slice(2));
    expect(after[6]).toMatchObject({ action: 'audit_rewritten', role: 'admin' });
    expect(findInFiles(warehouseFiles(db), CLEAR_IN_OLD_ENTRIES)).toEqual([]);
    expect((await cli(['audit', 'verify', '--db', db, '--role', 'admin', '--head', answer.head])).code).toBe(0);
    // nothing left: says so, nothing written
    const again = await cli(['audit', 'minimise', '--db', db, '--role', 'admin', '--head', answer.head]);
    expect([again.code, again.stdout.split('\n')[0]]).toEqual([0, 'nothing to minimise: no audit entry holds a full client address or an Idempotency-Key']);
    expect(await entriesOf(db)).toHaveLength(7);
  }, 60_000);

  it('--no-head: rewritten with a warning; text output names the head to record', async () => {
    const { db } = await oldWarehouse();
    const run = await cli(['audit', 'minimise', '--db', db, '--role', 'admin', '--no-head']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: no --head: the log was checked against its own recorded end only/);
    const after = await entriesOf(db);
    expect(run.stdout).toContain(`4 audit entries minimised (entries 2 to 6 re-chained; audit_rewritten is entry 7)\nhead 7:${after[6]!.hash}\n`);
  }, 60_000);

  it('audit verify --head with the head before the rewrite: matches it; a head inside the re-chained entries cannot be checked', async () => {
    const { db, head, fourth } = await oldWarehouse();
    expect((await cli(['audit', 'minimise', '--db', db, '--role', 'admin', '--head', head])).code).toBe(0);
    const old = await cli(['audit', 'verify', '--db', db, '--role', 'admin', '--head', head]);
    expect([old.code, old.stderr]).toEqual([0, '']);
    expect(old.stdout).toMatch(/^audit log verified: 7 entries, hash chain and keyed MACs intact, head 6 matches the head before the rewrite at entry 7 \(entries 2 to 6 were re-chained\)\n/);
    const inside = await cli(['audit', 'verify', '--db', db, '--role', 'admin', '--head', fourth]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/^clvkit: error: head 4 cannot be checked: re-chained by the rewrite at entry 7/);
    expect(inside.stderr).not.toMatch(/restore/);
    const forged = await cli(['audit', 'verify', '--db', db, '--role', 'admin', '--head', `6:${'0'.repeat(64)}`]);
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/^clvkit: error: audit log broken at entry 1 \(head-mismatch\).*restore/s);
  }, 60_000);
});

describe('serve does not rewrite the audit log at start: one line says how to', () => {
  useFixedKey(12);
  useEnv('CLVKIT_PASSWORD', 'a-long-enough-password-42');

  it('serve-start-leaves-old-audit-entries: entries unchanged, one line naming audit minimise', async () => {
    const { db } = await oldWarehouse();
    expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
    const before = await entriesOf(db);
    const notes: string[] = [];
    const server = await startServer({ db, port: 0, host: '127.0.0.1', logLevel: 'silent', warehouseThread: false, note: (line) => notes.push(line) });
    await server.close();
    expect(notes).toEqual([`4 audit entries written by an older clvkit hold full client addresses or Idempotency-Keys: with the server stopped, run clvkit audit minimise --db ${db} --head SEQ:HASH (the head you last recorded; docs/privacy.md)`]);
    expect((await entriesOf(db)).slice(0, before.length)).toEqual(before);
    expect((await entriesOf(db)).filter((e) => e.action === 'audit_rewritten')).toEqual([]);
  }, 60_000);
});
