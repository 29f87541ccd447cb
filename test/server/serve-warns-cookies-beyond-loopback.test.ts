/**
 * `serve --host 0.0.0.0` without `--secure-cookies` listened beyond this machine in silence: the session cookie (and
 * the passwords typed at the login) then cross the network in clear unless a TLS proxy is in front, and the cookie is
 * sent over plain HTTP. A review asked for a warning: one line at start-up when the host is not a loopback address and
 * the cookie is not marked Secure.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, startServer } from '../../src/server/start-server.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const WARNING = 'listening on 0.0.0.0, beyond this machine, without --secure-cookies: the session cookie and the passwords typed at the login cross the network in clear unless a TLS proxy is in front — serve behind TLS and pass --secure-cookies';

async function startNotes(db: string, host: string, secureCookies: boolean): Promise<string[]> {
  const notes: string[] = [];
  const server = await startServer({ db, port: 0, host, secureCookies, logLevel: 'silent', warehouseThread: false, note: (line) => notes.push(line) });
  await server.close();
  return notes;
}

describe('serve warns when it listens beyond this machine without Secure cookies', () => {
  useFixedKey(8);
  let db = '';
  let previousPassword: string | undefined;
  beforeAll(async () => {
    previousPassword = process.env.CLVKIT_PASSWORD;
    process.env.CLVKIT_PASSWORD = 'a-long-enough-password-42';
    db = join(scratchDir('clvkit-serve-host-'), 'shop.duckdb');
    expect((await cli(['users', 'add', 'ana', '--role', 'admin', '--db', db])).code).toBe(0);
  });
  afterAll(() => {
    if (previousPassword === undefined) delete process.env.CLVKIT_PASSWORD;
    else process.env.CLVKIT_PASSWORD = previousPassword;
  });

  it('0.0.0.0 without --secure-cookies: one line; with it, or on 127.0.0.1: none', async () => {
    expect(await startNotes(db, '0.0.0.0', false)).toEqual([WARNING]);
    expect(await startNotes(db, '0.0.0.0', true)).toEqual([]);
    expect(await startNotes(db, '127.0.0.1', false)).toEqual([]);
  }, 60_000);

  it('which hosts are this machine only', () => {
    expect(['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'].filter((h) => !isLoopbackHost(h))).toEqual([]);
    expect(['0.0.0.0', '::', '192.168.1.5', 'shop.example.com', '10.0.0.1', '128.0.0.1'].filter((h) => isLoopbackHost(h))).toEqual([]);
  });
});
