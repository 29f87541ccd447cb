/**
 * A --clickhouse-url at the server's native (TCP) port: the server answers an HTTP request there with "Port N is for
 * clickhouse-client program." and "You must use port M for HTTP.", and clvkit passed on the first line only, with the
 * hint to start a server. It now says that is the native port and which URL to pass: the server's HTTP port (the
 * port the server names; 8123 by default, 18621 on scripts/clickhouse-cluster.sh's cluster).
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initKeyFile } from '../../../src/privacy/keys/key-file.js';
import { cli } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';

/**
 * A port answering an HTTP request as ClickHouse 18.16's native port does (the bytes curl saw from the loopback
 * cluster's 19621), `said(port)` the body, then closing; resolves to its port.
 */
async function nativePort(servers: Server[], said: (port: number) => string): Promise<number> {
  let port = 0;
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(`HTTP/1.0 400 Bad Request\r\n\r\n${said(port)}`));
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return port;
}

describe('a --clickhouse-url at the native port', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));
  const key = () => {
    const path = join(scratchDir(), 'cluster.key');
    initKeyFile(path);
    return path;
  };

  it('is named the native port, and the hint gives the HTTP URL the server names', async () => {
    const port = await nativePort(servers, (own) => `Port ${own} is for clickhouse-client program.\r\nYou must use port 18621 for HTTP.\r\n`);
    const run = await cli(['segments', '--engine', 'clickhouse', '--clickhouse-url', `http://127.0.0.1:${port}`, '--key-file', key()]);
    expect(run.stderr).toBe(
      `clvkit: error: http://127.0.0.1:${port} is the native (clickhouse-client) port of a ClickHouse server, not its HTTP port (Port ${port} is for clickhouse-client program.) (hint: pass its HTTP port: --clickhouse-url http://127.0.0.1:18621)\n`,
    );
    expect(run.code).toBe(2);
  });

  it('when the server names no HTTP port, the hint names the defaults', async () => {
    const port = await nativePort(servers, () => 'Port 9000 is for clickhouse-client program.\r\n');
    const run = await cli(['segments', '--engine', 'clickhouse', '--clickhouse-url', `http://127.0.0.1:${port}`, '--key-file', key()]);
    expect(run.stderr).toBe(
      `clvkit: error: http://127.0.0.1:${port} is the native (clickhouse-client) port of a ClickHouse server, not its HTTP port (Port 9000 is for clickhouse-client program.) (hint: pass its HTTP port: 8123 by default; 18621 for shard 1 of scripts/clickhouse-cluster.sh's cluster)\n`,
    );
    expect(run.code).toBe(2);
  });
});
