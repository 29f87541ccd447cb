import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { verifyPassword } from '../../src/server/auth/password-hash.js';

/** Runs a command with CLVKIT_PASSWORD set (and restored). */
async function withPassword<T>(password: string | undefined, work: () => Promise<T>): Promise<T> {
  const before = process.env.CLVKIT_PASSWORD;
  if (password === undefined) delete process.env.CLVKIT_PASSWORD;
  else process.env.CLVKIT_PASSWORD = password;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.CLVKIT_PASSWORD;
    else process.env.CLVKIT_PASSWORD = before;
  }
}

describe('clvkit users and tokens', () => {
  const db = join(scratchDir(), 'shop.duckdb');

  it('users add creates the warehouse, its key and the first admin with a scrypt hash, and audits it', async () => {
    const added = await withPassword('correct horse battery', () => cli(['users', 'add', 'ana', '--role', 'admin', '--db', db]));
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('added user ana (role admin)\n');
    const { warehouse } = await openKeyedWarehouse({ db, requireKey: true });
    try {
      const [user] = await warehouse.query("SELECT role, password_hash FROM users WHERE name = 'ana'");
      expect(user!.role).toBe('admin');
      expect(String(user!.password_hash)).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(String(user!.password_hash)).not.toContain('correct horse');
      expect(await verifyPassword('correct horse battery', String(user!.password_hash))).toBe(true);
      expect(await verifyPassword('correct horse batterY', String(user!.password_hash))).toBe(false);
      const [audit] = await warehouse.query("SELECT action, role FROM audit_log WHERE action = 'user_add'");
      expect(audit).toMatchObject({ action: 'user_add', role: 'admin' });
    } finally {
      await warehouse.close();
    }
  });

  it('refuses short or empty passwords, unknown roles and an existing user, with exit code 2 and a hint', async () => {
    const short = await withPassword('short', () => cli(['users', 'add', 'bob', '--role', 'viewer', '--db', db]));
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^clvkit: error: the password is shorter than 12 characters \(hint: .+\)\n$/);
    const role = await withPassword('long enough password', () => cli(['users', 'add', 'bob', '--role', 'owner', '--db', db]));
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/owner/);
    const again = await withPassword('long enough password', () => cli(['users', 'add', 'ana', '--role', 'viewer', '--db', db]));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/user ana exists already .*--replace/);
    const name = await withPassword('long enough password', () => cli(['users', 'add', "x'; DROP TABLE users; --", '--role', 'viewer', '--db', db]));
    expect(name.code).toBe(2);
    expect(name.stderr).not.toMatch(/\n\s+at /);
  });

  it('users list shows names and roles; tokens create prints the token on its last line, list never shows it, revoke ends it', async () => {
    const list = await cli(['users', 'list', '--db', db, '--json']);
    expect(JSON.parse(list.stdout).map((u: { name: string; role: string }) => [u.name, u.role])).toEqual([['ana', 'admin']]);
    const created = await cli(['tokens', 'create', 'shop-backend', '--role', 'analyst', '--db', db, '--expires-days', '30']);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^clv_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const tokens = await cli(['tokens', 'list', '--db', db, '--json']);
    // the secret is the 43 characters after `clv_<id>_` (base64url has '_' of its own: splitting on it could leave a
    // few characters of the secret, which a JSON list may well hold — a random failure)
    expect(tokens.stdout).not.toContain(token.slice('clv_'.length + 12 + 1));
    const [info] = JSON.parse(tokens.stdout) as { id: string; name: string; role: string; expiresAt: string; revokedAt: string | null }[];
    expect(info).toMatchObject({ name: 'shop-backend', role: 'analyst', revokedAt: null });
    expect(Date.parse(info!.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await cli(['tokens', 'revoke', info!.id, '--db', db])).code).toBe(0);
    expect(JSON.parse((await cli(['tokens', 'list', '--db', db, '--json'])).stdout)[0].revokedAt).not.toBeNull();
    // the last admin is kept (last-admin-kept.test.ts): another admin first
    expect((await withPassword('another long password', () => cli(['users', 'add', 'bo', '--role', 'admin', '--db', db]))).code).toBe(0);
    const removed = await cli(['users', 'remove', 'ana', '--db', db]);
    expect(removed.code).toBe(0);
    expect(JSON.parse((await cli(['users', 'list', '--db', db, '--json'])).stdout).map((u: { name: string }) => u.name)).toEqual(['bo']);
  });

  it('while another process (a running server) holds the warehouse, users and tokens commands exit 75 with one line naming the API route to use instead', async () => {
    // a second process holds the file as `clvkit serve` does (DuckDB: one process per file)
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(${JSON.stringify(db)}); await i.connect(); console.log('ready'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`the holder exited ${code}`)));
      });
      const add = await withPassword('long enough password', () => cli(['users', 'add', 'zed', '--role', 'viewer', '--db', db]));
      expect(add.code).toBe(75); // in use: try again later (warehouse-in-use-exit-75.test.ts)
      expect(add.stderr).toBe(`clvkit: error: the warehouse ${db} is in use by another process (a running clvkit serve holds it) (hint: while the server runs, manage accounts through its API as an admin: POST /api/users {"name","role","password"} (docs/server.md); or stop the server and run this again)\n`);
      const create = await cli(['tokens', 'create', 'x', '--role', 'analyst', '--db', db]);
      expect([create.code, create.stderr]).toEqual([75, expect.stringContaining('POST /api/tokens {"name","role","expiresDays"}')]);
      const revoke = await cli(['tokens', 'revoke', 'abc', '--db', db]);
      expect(revoke.stderr).toContain('DELETE /api/tokens/abc');
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('serve refuses what it cannot do with exit code 2: a missing warehouse, ClickHouse, a bad port', async () => {
    const missing = await cli(['serve', '--db', join(scratchDir(), 'none.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no warehouse .*--demo/);
    expect((await cli(['serve', '--engine', 'clickhouse'])).stderr).toMatch(/--engine clickhouse needs --clickhouse-url/);
    expect((await cli(['serve', '--port', '99999'])).code).toBe(2);
  });
});
