import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../../src/engine/clickhouse/cluster-connection.js';
import { UserError } from '../../../src/core/errors/user-error.js';
import { cli, useFixedKey } from '../../helpers/cli.js';

const refusal = async (url: string, requestTimeoutSeconds?: number) => {
  const error = await connectCluster(url, requestTimeoutSeconds === undefined ? {} : { requestTimeoutSeconds }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message;
};

// A user trial: an --clickhouse-url that no ClickHouse server answers gave an empty reason,
// 'no ClickHouse server answers at http://10.255.255.1:8123 ()': the client says nothing when an HTTP error answer has
// an empty body (what the trial's network answered for an address it could not route), and a host that never
// answers waited for the whole request timeout (600 s by default) to say 'Timeout error.'.
describe('the reason no ClickHouse server answers', () => {
  let silent: Server;
  let notClickHouse: HttpServer;
  const sockets: Socket[] = [];
  const port = (server: Server | HttpServer) => (server.address() as AddressInfo).port;
  beforeAll(async () => {
    silent = createTcpServer((socket) => void sockets.push(socket)); // takes the connection, never answers
    notClickHouse = createHttpServer((_request, response) => response.writeHead(404).end()); // answers 404, empty
    await Promise.all([new Promise<void>((done) => silent.listen(0, '127.0.0.1', done)), new Promise<void>((done) => notClickHouse.listen(0, '127.0.0.1', done))]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([new Promise((done) => silent.close(done)), new Promise((done) => notClickHouse.close(done))]);
  });

  it('a host that never answers: no answer within the timeout, in seconds', async () => {
    const url = `http://127.0.0.1:${port(silent)}`;
    const started = Date.now();
    expect(await refusal(url, 1)).toBe(`no ClickHouse server answers at ${url} (no answer within 1 s: nothing answers at that address and port, or a firewall drops the connection)`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('another HTTP server: what it answers to /ping', async () => {
    const url = `http://127.0.0.1:${port(notClickHouse)}`;
    expect(await refusal(url)).toBe(`no ClickHouse server answers at ${url} (HTTP 404 Not Found with an empty body to GET /ping, where a ClickHouse server answers "Ok.": another server, or a proxy, answers there)`);
  });

  it('a refused connection keeps the client’s own words', async () => {
    expect(await refusal('http://127.0.0.1:1')).toBe('no ClickHouse server answers at http://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)');
  });

  describe('on the command line', () => {
    useFixedKey(7);
    it('one line with the reason and a hint, exit 2', async () => {
      const url = `http://127.0.0.1:${port(notClickHouse)}`;
      const run = await cli(['ingests', 'list', '--engine', 'clickhouse', '--clickhouse-url', url]);
      expect(run).toEqual({ code: 2, stdout: '', stderr: `clvkit: error: no ClickHouse server answers at ${url} (HTTP 404 Not Found with an empty body to GET /ping, where a ClickHouse server answers "Ok.": another server, or a proxy, answers there) (hint: start one (scripts/clickhouse-cluster.sh start DIR prints its URL) or check --clickhouse-url)\n` });
    });
  });
});
