/**
 * `login_attempts.username` kept whatever was typed in the name field — often a password pasted there, or a
 * customer's e-mail address — in clear, for as long as the attempts are kept. A review found it. It now keeps the
 * name of an existing user only; anything else is kept as a keyed hash (`~` and hex digits: the same text typed again
 * is the same hash, so its failures still count towards its lock, and nothing of the text can be read back without
 * the warehouse's key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTypedNamesKept } from '../../src/server/auth/login-guard.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const loginPolicy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };

describe('login_attempts keeps no name nobody has', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer({ loginPolicy });
  });
  afterAll(async () => server.close());

  const login = (username: string, password: string) => server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: '203.0.113.9' });

  it('an unknown name is kept as a keyed hash; an existing user by name', async () => {
    const typed = 'Tr0ub4dor&3-pasted';
    expect((await login(typed, 'whatever-was-typed')).statusCode).toBe(401);
    expect((await login('analyst', 'a-wrong-password')).statusCode).toBe(401);
    const names = (await server.context.warehouse.query('SELECT username FROM login_attempts ORDER BY ts')).map((r) => String(r.username));
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^~[0-9a-f]{32}$/);
    expect(names[1]).toBe('analyst');
    const everything = JSON.stringify(await server.context.warehouse.query('SELECT * FROM login_attempts'));
    expect(everything).not.toContain('Tr0ub4dor');
  });

  it('the same unknown name typed again is locked as a user would be (no telling which names exist)', async () => {
    for (let i = 0; i < 2; i++) expect((await login('no-such-person', 'a-wrong-password')).statusCode).toBe(401);
    const third = await login('no-such-person', 'a-wrong-password');
    expect(third.statusCode).toBe(401);
    const locked = await login('no-such-person', 'a-wrong-password');
    expect([locked.statusCode, (locked.json() as { error: string }).error]).toEqual([429, 'locked']);
    expect(Number((await server.context.warehouse.query("SELECT count(*) AS n FROM login_attempts WHERE username = 'no-such-person'"))[0]!.n)).toBe(0);
  });

  // review of the security fixes (session 41, medium): rows written before kept the typed text in clear until purged;
  // the server's start (start-server.ts) rewrites them as they are kept now
  it('names typed before are rewritten as keyed hashes when the server starts; users keep their names', async () => {
    const state = server.context.state;
    await state.execute("INSERT INTO login_attempts (ts, username, ip, ok) VALUES (TIMESTAMP '2026-01-02 03:04:05', 'Hunter2-typed-password', '198.51.100.7', false), (TIMESTAMP '2026-01-02 03:04:06', 'analyst', '198.51.100.7', false)");
    expect(await hashTypedNamesKept(state, server.context.keyring)).toBe(1);
    const everything = JSON.stringify(await state.query('SELECT * FROM login_attempts'));
    expect(everything).not.toContain('Hunter2');
    expect(Number((await state.query("SELECT count(*) AS n FROM login_attempts WHERE username = 'analyst' AND ts = TIMESTAMP '2026-01-02 03:04:06'"))[0]!.n)).toBe(1);
    expect(await hashTypedNamesKept(state, server.context.keyring)).toBe(0);
  });
});
