/**
 * A security review found that behind a reverse proxy (as the docs recommend for TLS) every client had the proxy's
 * address: one attacker locked admin for everyone, and the login rate limit was site-wide. `clvkit serve --trust-proxy
 * ADDRESSES` (createServer's `trustProxy`) takes the client from X-Forwarded-For, only for requests that come from
 * the named proxy; without it X-Forwarded-For is ignored.
 */
import { describe, expect, it } from 'vitest';
import { trustProxyFlag } from '../../src/cli/commands/serve-command.js';
import { cli } from '../helpers/cli.js';
import { passwordOf, useTestServers, type TestServer } from './server-fixture.js';

const open = useTestServers();

describe('--trust-proxy: clients behind the proxy are counted apart', () => {
  const policy = { maxFailures: 3, lockMs: 10 * 60_000, perUserPerMinute: 100 };
  const viaProxy = (server: TestServer, password: string, client: string) =>
    server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });

  it('with trustProxy 127.0.0.1, one client’s failures do not lock another behind the same proxy', async () => {
    const server = await open({ loginPolicy: policy, trustProxy: ['127.0.0.1'] });
    for (let i = 0; i < 3; i++) expect((await viaProxy(server, 'wrong-password!', '203.0.113.9')).statusCode).toBe(401);
    expect((await viaProxy(server, passwordOf('admin'), '203.0.113.9')).statusCode).toBe(429);
    expect((await viaProxy(server, passwordOf('admin'), '198.51.100.4')).statusCode).toBe(200);
  });

  it('X-Forwarded-For from an address that is not the proxy is ignored', async () => {
    const server = await open({ loginPolicy: policy, trustProxy: ['127.0.0.1'] });
    const direct = (client: string) => server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: 'wrong-password!' }, remoteAddress: '192.0.2.50', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) expect((await direct(`198.51.100.${i + 1}`)).statusCode).toBe(401);
    expect((await direct('198.51.100.200')).statusCode).toBe(429);
  });

  it('without trustProxy, the clients behind the proxy are one (X-Forwarded-For ignored)', async () => {
    const server = await open({ loginPolicy: policy });
    for (let i = 0; i < 3; i++) expect((await viaProxy(server, 'wrong-password!', '203.0.113.9')).statusCode).toBe(401);
    expect((await viaProxy(server, passwordOf('admin'), '198.51.100.4')).statusCode).toBe(429);
  });
});

describe('clvkit serve --trust-proxy', () => {
  it('takes comma-separated IP addresses and CIDRs', () => {
    expect(trustProxyFlag('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(trustProxyFlag(' 10.0.0.0/8, ::1 ,2001:db8::/32')).toEqual(['10.0.0.0/8', '::1', '2001:db8::/32']);
  });

  it.each(['', 'proxy.example.com', '10.0.0.0/33', '::1/129', '10.0.0.1,,10.0.0.2', '300.1.1.1', 'true', '10.0.0.0/'])('refuses %j in one line with a hint (exit 2)', async (value) => {
    const { code, stderr } = await cli(['serve', '--trust-proxy', value, '--db', '/nonexistent/never-opened.duckdb']);
    expect(code).toBe(2);
    expect(stderr).toContain('--trust-proxy');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
