import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import { applyRetention } from '../../../src/privacy/warehouse/apply-retention.js';
import { buildWarehousePrivacyReport } from '../../../src/privacy/warehouse/warehouse-privacy-report.js';
import { createApiToken, revokeApiToken } from '../../../src/server/auth/token-store.js';
import { cli } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';

const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS);

describe("retention of the server's tables", () => {
  it('purges login attempts older than their period and API tokens revoked or expired longer ago than theirs; the privacy report then shows the periods and stops warning', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    const keyring = initKeyFile(`${db}.key`);
    const warehouse = await openDuckDbWarehouse(db, { threads: 2 });
    try {
      const d = warehouse.dialect;
      const attempt = (at: Date, user: string, ok: boolean) => `(${d.timestamp(at.toISOString())}, ${d.literal(user)}, '10.0.0.1', ${ok})`;
      await warehouse.execute(`INSERT INTO login_attempts (ts, username, ip, ok) VALUES ${[attempt(daysAgo(200), 'old-typo', false), attempt(daysAgo(91), 'ana', true), attempt(daysAgo(89), 'ana', false), attempt(daysAgo(0), 'ana', true)].join(', ')}`);
      await warehouse.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES ('ana', 'admin', 'scrypt$x', TIMESTAMP '2020-01-01 00:00:00')");
      const active = await createApiToken(warehouse, { name: 'active', role: 'analyst', expiresDays: 90 });
      const longExpired = await createApiToken(warehouse, { name: 'long-expired', role: 'analyst', expiresDays: 90, now: daysAgo(500) }); // expired 410 days ago
      const recentlyExpired = await createApiToken(warehouse, { name: 'recently-expired', role: 'analyst', expiresDays: 10, now: daysAgo(20) }); // expired 10 days ago
      const longRevoked = await createApiToken(warehouse, { name: 'long-revoked', role: 'analyst', expiresDays: 3650, now: daysAgo(450) });
      await revokeApiToken(warehouse, longRevoked.info.id, daysAgo(400));
      const before = await buildWarehousePrivacyReport(warehouse, { keyring });
      expect(before.warnings).toContain('login_attempts holds personal data and has no retention period');
      expect(before.warnings).toContain('api_tokens holds personal data and has no retention period');

      const result = await applyRetention(warehouse, { keyring, role: 'admin', periods: { login_attempts: '90d', api_tokens: '1y' } });
      expect(result.deleted).toMatchObject({ login_attempts: 2, api_tokens: 2 });
      expect(result.deleted.transactions).toBeUndefined(); // no customer data was touched
      const attempts = await warehouse.query('SELECT username, ok FROM login_attempts ORDER BY ts');
      expect(attempts.map((r) => `${r.username}:${r.ok}`)).toEqual(['ana:false', 'ana:true']);
      const tokens = (await warehouse.query('SELECT token_id FROM api_tokens ORDER BY token_id')).map((r) => r.token_id);
      expect(tokens).toEqual([active.info.id, recentlyExpired.info.id].sort());
      expect(tokens).not.toContain(longExpired.info.id);

      const after = await buildWarehousePrivacyReport(warehouse, { keyring });
      const retentionOf = (table: string) => after.tables.find((t) => t.table === table)!.retention;
      expect([retentionOf('login_attempts'), retentionOf('api_tokens')]).toEqual(['90 days', '1 year']);
      expect(retentionOf('users')).toMatch(/^while the account exists/);
      expect(after.warnings.filter((w) => /login_attempts|api_tokens|users/.test(w))).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });

  it('clvkit retention apply --login-attempts 90d --api-tokens 1y purges them (admin)', async () => {
    const db = join(scratchDir(), 'shop.duckdb');
    process.env.CLVKIT_PASSWORD = 'a-long-enough-password';
    try {
      expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
    } finally {
      delete process.env.CLVKIT_PASSWORD;
    }
    const warehouse = await openDuckDbWarehouse(db);
    await warehouse.execute(`INSERT INTO login_attempts (ts, username, ip, ok) VALUES (${warehouse.dialect.timestamp(daysAgo(100).toISOString())}, 'ana', '10.0.0.1', false)`);
    await warehouse.close();
    const run = await cli(['retention', 'apply', '--login-attempts', '90d', '--api-tokens', '1y', '--db', db, '--role', 'admin', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).deleted).toMatchObject({ login_attempts: 1, api_tokens: 0 });
    const bad = await cli(['retention', 'apply', '--login-attempts', '0d', '--db', db, '--role', 'admin']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^clvkit: error: retention period "0d" is zero/)]);
  });
});
