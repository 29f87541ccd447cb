/**
 * The last admin can be neither removed nor demoted: a review found that `POST /api/users` with the last admin's name,
 * another role and `replace: true` demoted it (201), leaving a server nobody could administer over HTTP, while
 * `DELETE /api/users/admin` was refused (409). The CLI had both holes (`users remove` and `users add --replace`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { openTestServer, passwordOf, type TestServer } from './server-fixture.js';

describe('the last admin is kept', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => server.close());

  it('POST /api/users cannot demote the last admin (409, as DELETE); it can once another admin exists', async () => {
    const admin = await server.login('admin');
    const post = (payload: object) => server.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, payload });
    const demoted = await post({ name: 'admin', role: 'viewer', password: passwordOf('admin'), replace: true });
    expect([demoted.statusCode, demoted.json()]).toEqual([409, { error: 'conflict', message: 'admin is the last admin', hint: 'add another admin first (POST /api/users)' }]);
    const [row] = await server.context.warehouse.query("SELECT role FROM users WHERE name = 'admin'");
    expect(row!.role).toBe('admin');
    // a new password for the last admin, its role kept, is no demotion
    expect((await post({ name: 'admin', role: 'admin', password: 'a-new-admin-password', replace: true })).statusCode).toBe(201);
    const again = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: 'a-new-admin-password' } });
    const session = { cookie: `clvkit_session=${again.cookies.find((c) => c.name === 'clvkit_session')!.value}`, csrf: (again.json() as { csrfToken: string }).csrfToken };
    const asAdmin = (payload: object) => server.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload });
    expect((await asAdmin({ name: 'second', role: 'admin', password: 'another-long-password' })).statusCode).toBe(201);
    expect((await asAdmin({ name: 'admin', role: 'viewer', password: 'a-new-admin-password', replace: true })).statusCode).toBe(201);
  });

  it('clvkit users add --replace and users remove refuse to demote or remove the last admin (exit 2)', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    process.env.CLVKIT_PASSWORD = 'correct horse battery';
    try {
      expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
      const demote = await cli(['users', 'add', 'ana', '--role', 'viewer', '--replace', '--db', db]);
      expect([demote.code, demote.stderr]).toEqual([2, 'clvkit: error: ana is the last admin (hint: add another admin first: clvkit users add NAME --role admin)\n']);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    const remove = await cli(['users', 'remove', 'ana', '--db', db]);
    expect([remove.code, remove.stderr]).toEqual([2, 'clvkit: error: ana is the last admin (hint: add another admin first: clvkit users add NAME --role admin)\n']);
    const { warehouse } = await openKeyedWarehouse({ db, requireKey: true });
    try {
      expect((await warehouse.query('SELECT name, role FROM users')).map((r) => `${r.name}:${r.role}`)).toEqual(['ana:admin']);
    } finally {
      await warehouse.close();
    }
  });
});
