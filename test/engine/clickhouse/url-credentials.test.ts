/**
 * A user and password in --clickhouse-url (http://USER:PASSWORD@HOST:PORT):
 * the connections were made to the URL's origin only, without them — a
 * cluster that asks for a password refused every command, one that does not
 * took a wrong password (and the user named) as if none had been given. They
 * are now sent (HTTP basic auth) by the entry node's client and every shard's,
 * and never shown: a message that names the URL names it without the
 * password.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { readClusterUrl } from '../../../src/engine/clickhouse/cluster-connection.js';
import { maskUrlPasswords } from '../../../src/core/mask-url-passwords.js';
import { cli } from '../../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../../helpers/clickhouse.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import { join } from 'node:path';

/** A key file of its own (the commands read it before they connect). */
function keyFile(): string {
  const path = join(scratchDir(), 'cluster.key');
  initKeyFile(path);
  return path;
}

describe('the user and password of a --clickhouse-url', () => {
  it('are read from the URL, percent-decoded, apart from its origin', () => {
    expect(readClusterUrl('http://alice:s%40cr%3At@ch-1.internal:8123')).toEqual({ origin: 'http://ch-1.internal:8123', username: 'alice', password: 's@cr:t' });
    expect(readClusterUrl('https://bob@ch-1.internal:8443/')).toEqual({ origin: 'https://ch-1.internal:8443', username: 'bob' });
    expect(readClusterUrl('http://127.0.0.1:18621')).toEqual({ origin: 'http://127.0.0.1:18621' });
  });

  it('a password in a URL is masked wherever a text names it', () => {
    expect(maskUrlPasswords('at http://alice:s%40cret@ch-1:8123/x and https://bob:pw@h (no http://carol@h nor http://h:1)')).toBe('at http://alice:***@ch-1:8123/x and https://bob:***@h (no http://carol@h nor http://h:1)');
  });

  it('a URL that does not parse is refused without its password', async () => {
    const run = await cli(['segments', '--engine', 'clickhouse', '--clickhouse-url', 'http://alice:hunter2@[::1', '--key-file', keyFile()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--clickhouse-url http:\/\/alice:\*\*\*@\[::1 is not a URL/);
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('a ClickHouse server answering for a cluster of one shard (the HTTP interface, mocked)', () => {
  const seen: { authorization: string | undefined; query: string }[] = [];
  let server: Server;
  let port = 0;
  const body = (request: IncomingMessage) => new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const query = `${new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? ''}${await body(request)}`;
      seen.push({ authorization: request.headers.authorization, query });
      const answer = /DISTINCT cluster/.test(query)
        ? '{"cluster":"mock"}\n'
        : /shard_num, host_address/.test(query)
          ? `{"shard_num":1,"host_address":"127.0.0.1","port":${port - 1000},"is_local":1}\n`
          : /^SELECT 1\b/.test(query.trim())
            ? '1\n'
            : '';
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gets the URL’s user and password with every request, from the entry node’s client and the shard’s', async () => {
    const warehouse = await openClickHouseWarehouse(`http://alice:s%40cret@127.0.0.1:${port}`, { database: 'shop' });
    await warehouse.dropDatabase(); // the entry node's client on the database, then the shard's
    await warehouse.close();
    expect(warehouse.location).toBe(`http://127.0.0.1:${port}`);
    const basic = `Basic ${Buffer.from('alice:s@cret').toString('base64')}`;
    const expected = [/^SELECT 1\b/, /DISTINCT cluster/, /FROM system\.databases WHERE name = 'shop'/, /shard_num/, /FROM system\.databases WHERE name = 'shop'/, /^CREATE DATABASE IF NOT EXISTS shop\b/, /^DROP DATABASE IF EXISTS shop\b/, /^DROP DATABASE IF EXISTS shop\b/];
    expect(seen).toHaveLength(expected.length);
    seen.forEach((request, i) => expect(request.query.trim()).toMatch(expected[i]!));
    expect(seen.map((request) => request.authorization)).toEqual(seen.map(() => basic));
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`the user and password of a --clickhouse-url, on a cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const withUser = (credentials: string) => CLICKHOUSE_URL.replace('://', `://${credentials}@`);

  it('a wrong password is refused in one line naming the user, not the password (it used to be left out, and the command ran)', async () => {
    const run = await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--engine', 'clickhouse', '--clickhouse-url', withUser('default:hunter2'), '--clickhouse-database', `clvkit_test_credentials_${process.pid}`, '--key-file', keyFile()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^clvkit: error: the ClickHouse server at http:\/\/127\.0\.0\.1:\d+ refused user default: .*Wrong password for user default.* \(hint: check the user and password in --clickhouse-url .*\)\n$/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('a user it does not know is refused the same way', async () => {
    await expect(openClickHouseWarehouse(withUser('nobody:x'))).rejects.toThrow(/refused user nobody: .*Unknown user nobody/);
  });

  it('the user it knows, with its password (none), ingests; the privacy report names the cluster by its origin, not the URL given', async () => {
    const database = `clvkit_test_credentials_${process.pid}`;
    const target = ['--engine', 'clickhouse', '--clickhouse-url', withUser('default:'), '--clickhouse-database', database, '--key-file', keyFile()];
    try {
      const ingest = await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, ...target, '--json']);
      expect(ingest.stderr).toBe('');
      expect(JSON.parse(ingest.stdout)).toMatchObject({ accepted: 14 });
      const report = await cli(['privacy', 'report', ...target, '--role', 'admin', '--json']);
      expect(report.code).toBe(0);
      expect(JSON.parse(report.stdout).warehouse).toBe(`${CLICKHOUSE_URL} (clvkit/${database})`); // it was the URL as given: http://default:@…
    } finally {
      const warehouse = await openClickHouseWarehouse(CLICKHOUSE_URL, { database });
      await warehouse.dropDatabase();
      await warehouse.close();
    }
  }, 60_000);
});
