import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { openTestServer, type TestServer } from './server-fixture.js';

const NEW_PASSWORD = 'a-long-enough-password';

describe('users and tokens through the API while the server runs (admin only, CSRF, audited)', () => {
  let server: TestServer;
  let admin: { cookie: string; csrf: string };
  // a short lock so that the lockout shows in the list without waiting: 3 failures lock for 10 minutes
  const loginPolicy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };
  beforeAll(async () => {
    server = await openTestServer({ loginPolicy });
    admin = await server.login('admin');
  });
  afterAll(async () => server.close());

  const asAdmin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => server.app.inject({ method, url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, ...(payload ? { payload } : {}) });
  const auditActions = async () => (await readAuditEntries(server.context.warehouse, { actor: 't', role: 'admin' })).map((e) => `${e.actor} ${e.action} ${String(e.details.user ?? e.details.token_id ?? '')}`);

  it('POST /api/users adds a user who can then log in, listed as {name, role, createdAt, lockedUntil: null}, audited as user_add by the admin', async () => {
    const created = await asAdmin('POST', '/api/users', { name: 'carla', role: 'marketer', password: NEW_PASSWORD });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ name: 'carla', role: 'marketer', outcome: 'added' });
    const login = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'carla', password: NEW_PASSWORD } });
    expect([login.statusCode, (login.json() as { role: string }).role]).toEqual([200, 'marketer']);
    const list = (await asAdmin('GET', '/api/users')).json() as { users: { name: string; role: string; createdAt: string; lockedUntil: string | null }[] };
    expect(list.users.map((u) => `${u.name}:${u.role}`)).toEqual(['admin:admin', 'analyst:analyst', 'carla:marketer', 'marketer:marketer', 'viewer:viewer']);
    const carla = list.users.find((u) => u.name === 'carla')!;
    expect(Object.keys(carla).sort()).toEqual(['createdAt', 'lockedUntil', 'name', 'role']);
    expect(carla.lockedUntil).toBeNull();
    expect(Number.isNaN(Date.parse(carla.createdAt))).toBe(false);
    expect(await auditActions()).toContain('admin user_add carla');
  });

  it('refuses a change without the CSRF token (403 csrf), from a non-admin (403), a duplicate (409), a short password and an unknown role (400)', async () => {
    const noCsrf = await server.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie }, payload: { name: 'x1', role: 'viewer', password: NEW_PASSWORD } });
    expect([noCsrf.statusCode, (noCsrf.json() as { error: string }).error]).toEqual([403, 'csrf']);
    const analyst = await server.login('analyst');
    for (const [method, url] of [['GET', '/api/users'], ['GET', '/api/tokens'], ['POST', '/api/users'], ['DELETE', '/api/users/viewer'], ['POST', '/api/tokens']] as const) {
      const response = await server.app.inject({ method, url, headers: { cookie: analyst.cookie, 'x-csrf-token': analyst.csrf }, ...(method === 'POST' ? { payload: { name: 'x2', role: 'admin', password: NEW_PASSWORD } } : {}) });
      expect(response.statusCode, `${method} ${url} as analyst`).toBe(403);
    }
    const duplicate = await asAdmin('POST', '/api/users', { name: 'viewer', role: 'viewer', password: NEW_PASSWORD });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({ error: 'conflict', message: 'user viewer exists already', hint: 'send "replace": true to set a new role and password, or DELETE /api/users/viewer first' });
    const short = await asAdmin('POST', '/api/users', { name: 'x3', role: 'viewer', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toEqual({ error: 'bad_request', message: 'the password is shorter than 12 characters', hint: 'choose a longer one, e.g. four random words' });
    const role = await asAdmin('POST', '/api/users', { name: 'x4', role: 'root', password: NEW_PASSWORD });
    expect(role.statusCode).toBe(400);
    const name = await asAdmin('POST', '/api/users', { name: "x'; DROP TABLE users; --", role: 'viewer', password: NEW_PASSWORD });
    expect(name.statusCode).toBe(400);
    expect((await asAdmin('GET', '/api/users')).json()).toMatchObject({ users: expect.arrayContaining([expect.objectContaining({ name: 'viewer' })]) });
  });

  it('shows until when failed logins lock a user (the login policy: last failure + lock time)', async () => {
    for (let i = 0; i < loginPolicy.maxFailures; i++) await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'viewer', password: 'wrong password!' } });
    const [last] = await server.context.warehouse.query("SELECT max(ts) AS ts FROM login_attempts WHERE username = 'viewer' AND NOT ok");
    const lastMs = (last!.ts as Date).getTime();
    const viewer = ((await asAdmin('GET', '/api/users')).json() as { users: { name: string; lockedUntil: string | null }[] }).users.find((u) => u.name === 'viewer')!;
    expect(viewer.lockedUntil).toBe(new Date(lastMs + loginPolicy.lockMs).toISOString());
  });

  it('a replaced user (new role and password) loses their sessions; DELETE /api/users/:name ends them too, and the last admin cannot be removed', async () => {
    const before = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'carla', password: NEW_PASSWORD } });
    const cookie = `clvkit_session=${before.cookies.find((c) => c.name === 'clvkit_session')!.value}`;
    const replaced = await asAdmin('POST', '/api/users', { name: 'carla', role: 'analyst', password: `${NEW_PASSWORD}-2`, replace: true });
    expect(replaced.json()).toEqual({ name: 'carla', role: 'analyst', outcome: 'replaced' });
    expect((await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'carla', password: `${NEW_PASSWORD}-2` } });
    expect((again.json() as { role: string }).role).toBe('analyst');
    const carlaCookie = `clvkit_session=${again.cookies.find((c) => c.name === 'clvkit_session')!.value}`;
    expect((await asAdmin('DELETE', '/api/users/carla')).statusCode).toBe(204);
    expect((await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: carlaCookie } })).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'carla', password: `${NEW_PASSWORD}-2` } })).statusCode).toBe(401);
    expect((await asAdmin('DELETE', '/api/users/carla')).statusCode).toBe(404);
    const lastAdmin = await asAdmin('DELETE', '/api/users/admin');
    expect([lastAdmin.statusCode, lastAdmin.json()]).toEqual([409, { error: 'conflict', message: 'admin is the last admin', hint: 'add another admin first (POST /api/users)' }]);
    expect(await auditActions()).toEqual(expect.arrayContaining(['admin user_replace carla', 'admin user_remove carla']));
  });

  it('POST /api/tokens answers {id, token, expiresAt} once; the token works, is listed without its secret, and is refused at once after DELETE /api/tokens/:id', async () => {
    const created = await asAdmin('POST', '/api/tokens', { name: 'shop-backend', role: 'analyst', expiresDays: 7 });
    expect(created.statusCode).toBe(201);
    const { id, token, expiresAt } = created.json() as { id: string; token: string; expiresAt: string };
    expect(Object.keys(created.json() as object).sort()).toEqual(['expiresAt', 'id', 'token']);
    expect(token).toMatch(new RegExp(`^clv_${id}_[A-Za-z0-9_-]{43}$`));
    expect(Math.abs(Date.parse(expiresAt) - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await server.app.inject({ method: 'GET', url: '/api/ingest/status', headers: bearer })).statusCode).toBe(200); // verified and cached
    const list = (await asAdmin('GET', '/api/tokens')).json() as { tokens: Record<string, unknown>[] };
    const item = list.tokens.find((t) => t.id === id)!;
    expect(item).toEqual({ id, name: 'shop-backend', role: 'analyst', createdAt: expect.any(String), expiresAt, revoked: false });
    // the secret is everything after `clv_<id>_`: it may itself hold '_' (base64url), so split('_')[2] was a fragment,
    // '' one time in 64, and "not to contain ''" failed (seen in a full run)
    const secret = token.slice(`clv_${id}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect((await asAdmin('DELETE', `/api/tokens/${id}`)).statusCode).toBe(204);
    const refused = await server.app.inject({ method: 'GET', url: '/api/ingest/status', headers: bearer });
    expect(refused.statusCode).toBe(401);
    expect(((await asAdmin('GET', '/api/tokens')).json() as { tokens: { id: string; revoked: boolean }[] }).tokens.find((t) => t.id === id)!.revoked).toBe(true);
    expect((await asAdmin('DELETE', '/api/tokens/000000000000')).statusCode).toBe(404);
    expect((await asAdmin('POST', '/api/tokens', { name: 'x', role: 'analyst', expiresDays: 0 })).statusCode).toBe(400);
    expect(await auditActions()).toEqual(expect.arrayContaining([`admin token_create ${id}`, `admin token_revoke ${id}`]));
  });

  it('a token of an admin may manage accounts without CSRF (machines send no cookie)', async () => {
    const token = await server.token('admin');
    const response = await server.app.inject({ method: 'POST', url: '/api/users', headers: { authorization: `Bearer ${token}` }, payload: { name: 'robot-made', role: 'viewer', password: NEW_PASSWORD } });
    expect(response.statusCode).toBe(201);
    expect(await auditActions()).toContain('admin-machine (token) user_add robot-made');
  });
});
