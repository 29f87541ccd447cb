/**
 * `serve` on a warehouse without accounts started silently; every login then failed with no_users (QA, session 36).
 * It now says so in one line at start-up, with the command that adds one; a warehouse with an account gets no line.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { cli, useEnv, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const NO_USERS = (db: string) => `no user accounts in ${db}: every login fails (no_users) until one is added — stop the server, run clvkit users add NAME --role admin --db ${db}, and serve again`;

async function startNotes(db: string): Promise<string[]> {
  const notes: string[] = [];
  const server = await startServer({ db, port: 0, host: '127.0.0.1', logLevel: 'silent', warehouseThread: false, note: (line) => notes.push(line) });
  await server.close();
  return notes;
}

describe('serve says at start-up when the warehouse has no user accounts', () => {
  useFixedKey(7);
  useEnv('CLVKIT_PASSWORD', 'a-long-enough-password-42');

  it('a warehouse file without users: one line naming it and clvkit users add … --db it', async () => {
    const db = join(scratchDir('clvkit-serve-no-users-'), 'shop.duckdb');
    // a keyed warehouse with no account (users remove keeps the last admin: last-admin-kept.test.ts)
    const { warehouse } = await openKeyedWarehouse({ db, create: true, requireKey: true });
    await warehouse.close();
    expect(await startNotes(db)).toEqual([NO_USERS(db)]);
  }, 60_000);

  it('a warehouse file with a user: no such line', async () => {
    const db = join(scratchDir('clvkit-serve-no-users-'), 'shop.duckdb');
    expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
    expect(await startNotes(db)).toEqual([]);
  }, 60_000);
});
