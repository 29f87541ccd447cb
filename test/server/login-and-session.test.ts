import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, passwordOf, type TestServer } from './server-fixture.js';

describe('login, sessions and CSRF', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => server.close());

  it('GET /api/health answers without credentials', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', warehouse: 'ok' });
  });

  it('a wrong password is 401 and a right one sets an HttpOnly SameSite=Strict session cookie', async () => {
    const wrong = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'bad_credentials', message: 'wrong user name or password', hint: 'check both; after 5 failures in a row the user is locked at this address for 15 minutes' });
    expect(wrong.cookies).toEqual([]);
    const right = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'analyst', password: passwordOf('analyst') } });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toMatchObject({ name: 'analyst', role: 'analyst', kind: 'session' });
    const cookie = right.cookies.find((c) => c.name === 'clvkit_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('GET /api/me is 401 without a session and names the user and CSRF token with one', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const { cookie, csrf } = await server.login('marketer');
    const me = await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toEqual({ name: 'marketer', role: 'marketer', kind: 'session', csrfToken: csrf });
  });

  it('session fixation: a session id the client brings is never adopted, and login issues a new one', async () => {
    const planted = 'clvkit_session=attacker-chosen-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const response = await server.app.inject({ method: 'POST', url: '/api/login', headers: { cookie: planted }, payload: { username: 'viewer', password: passwordOf('viewer') } });
    const issued = response.cookies.find((c) => c.name === 'clvkit_session')!.value;
    expect(issued).not.toBe('attacker-chosen-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect((await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: planted } })).statusCode).toBe(401);
    // a second login from an existing session ends the old id
    const first = await server.login('viewer');
    const again = await server.app.inject({ method: 'POST', url: '/api/login', headers: { cookie: first.cookie }, payload: { username: 'viewer', password: passwordOf('viewer') } });
    expect(again.cookies.find((c) => c.name === 'clvkit_session')!.value).not.toBe(first.cookie.split('=')[1]);
    expect((await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: first.cookie } })).statusCode).toBe(401);
  });

  it('CSRF: a change with the session cookie needs x-csrf-token (missing or wrong → 403), a right one passes', async () => {
    const { cookie, csrf } = await server.login('admin');
    const missing = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: 'csrf' });
    const wrong = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie, 'x-csrf-token': csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } });
    expect(wrong.statusCode).toBe(403);
    const right = await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(right.statusCode).toBe(204);
    expect((await server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('bad input is 400 with the field named, never a stack', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 5 } });
    expect(response.statusCode).toBe(400);
    const body = response.json() as { error: string; message: string };
    expect(body.error).toBe('bad_request');
    expect(body.message).toMatch(/password/);
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('a server without accounts', () => {
  it('refuses every login and says how to create the first admin (no default password)', async () => {
    const server = await openTestServer({ users: false });
    try {
      for (const [username, password] of [['admin', 'admin'], ['admin', ''], ['root', 'password']] as const) {
        const response = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password: password || 'x' } });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ error: 'no_users', message: 'this server has no accounts yet (there is no default password)', hint: 'whoever runs the server creates the first: clvkit users add NAME --role admin --db PATH' });
      }
    } finally {
      await server.close();
    }
  });
});
