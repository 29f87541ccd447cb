/**
 * The privacy officer asked for refused account changes in the audit log: removing or demoting the last admin was
 * answered 409 (the user store's `LastAdminError`; the CLI exits 2) and left no entry, while the change itself, had it
 * been made, would have been audited (`user_remove`, `user_replace`). The refusal is now audited as
 * `user_remove_refused` / `user_replace_refused` with the reason `last admin`, by whoever asked, over HTTP and on the
 * CLI alike; never the password sent.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { readAuditEntries } from '../../src/privacy/warehouse/warehouse-audit.js';
import { sessionHeaders, useTestServers } from './server-fixture.js';

const open = useTestServers();
const refusals = (entries: { action: string; actor: string; role: string; target: string | null; details: object }[]) =>
  entries.filter((e) => e.action.endsWith('_refused')).map((e) => [e.action, e.actor, e.role, e.target, e.details]);

describe('a last-admin refusal is audited', () => {
  it('DELETE /api/users/admin and POST /api/users demoting it (409): user_remove_refused, user_replace_refused', async () => {
    const server = await open();
    const admin = await server.login('admin');
    const removed = await server.app.inject({ method: 'DELETE', url: '/api/users/admin', headers: sessionHeaders(admin) });
    expect(removed.statusCode).toBe(409);
    const demoted = await server.app.inject({ method: 'POST', url: '/api/users', headers: sessionHeaders(admin), payload: { name: 'admin', role: 'viewer', password: 'a-password-never-logged', replace: true } });
    expect(demoted.statusCode).toBe(409);
    const entries = await readAuditEntries(server.context.state, { actor: 't', role: 'admin' });
    expect(refusals(entries)).toEqual([
      ['user_remove_refused', 'admin', 'admin', 'server', { user: 'admin', reason: 'last admin', command: 'DELETE /api/users/:name' }],
      ['user_replace_refused', 'admin', 'admin', 'server', { user: 'admin', user_role: 'viewer', reason: 'last admin', command: 'POST /api/users' }],
    ]);
    expect(entries.some((e) => e.action === 'user_remove' || e.action === 'user_replace')).toBe(false);
    expect(JSON.stringify(entries)).not.toContain('a-password-never-logged');
    // an admin's token is named as one
    const token = await server.token('admin');
    expect((await server.app.inject({ method: 'DELETE', url: '/api/users/admin', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(409);
    const [last] = refusals(await readAuditEntries(server.context.state, { actor: 't', role: 'admin' })).slice(-1);
    expect(last!.slice(0, 2)).toEqual(['user_remove_refused', 'admin-machine (token)']);
  });

  it('clvkit users remove and users add --replace refusing the last admin (exit 2) audit it too', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    process.env.CLVKIT_PASSWORD = 'correct horse battery';
    try {
      expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
      expect((await cli(['users', 'add', 'ana', '--role', 'viewer', '--replace', '--db', db, '--actor', 'ops'])).code).toBe(2);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    expect((await cli(['users', 'remove', 'ana', '--db', db, '--actor', 'ops'])).code).toBe(2);
    const { warehouse } = await openKeyedWarehouse({ db, requireKey: true });
    try {
      const entries = await readAuditEntries(warehouse, { actor: 't', role: 'admin' });
      expect(refusals(entries)).toEqual([
        ['user_replace_refused', 'ops', 'admin', 'server', { user: 'ana', user_role: 'viewer', reason: 'last admin' }],
        ['user_remove_refused', 'ops', 'admin', 'server', { user: 'ana', reason: 'last admin' }],
      ]);
      expect(JSON.stringify(entries)).not.toContain('correct horse battery');
    } finally {
      await warehouse.close();
    }
  });
});
