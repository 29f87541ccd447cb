import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverLoggerOptions } from '../../src/server/create-server.js';
import { openTestServer, passwordOf, type TestServer } from './server-fixture.js';

describe('OpenAPI and the API docs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
  });
  afterAll(async () => server.close());

  it('/openapi.json describes the routes with their schemas', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; parameters?: { name: string }[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/login']!.post!.requestBody!.content['application/json']!.schema.required).toEqual(['username', 'password']);
    expect(doc.paths['/api/events/count']!.get!.parameters!.map((p) => p.name)).toContain('prefix');
    for (const path of ['/api/health', '/api/me', '/api/events', '/api/orders', '/api/runs', '/api/runs/{id}', '/api/audiences', '/api/campaigns/{audience}']) expect(Object.keys(doc.paths)).toContain(path);
  });

  it('/docs is served from the installed package: no script or style from another host', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/docs/' });
    const html = page.statusCode === 302 ? (await server.app.inject({ method: 'GET', url: String(page.headers.location) })).body : page.body;
    expect(html).toMatch(/swagger/i);
    const external = [...html.matchAll(/(?:src|href)="(https?:)?\/\/[^"]+"/g)].map((m) => m[0]);
    expect(external).toEqual([]);
  });
});

describe('the request log', () => {
  it('holds method, path and status, never a password, cookie, token or query string', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await openTestServer({ logger: { ...(serverLoggerOptions('info') as object), stream } as never });
    try {
      const { cookie } = await server.login('admin');
      const token = await server.token('analyst');
      await server.app.inject({ method: 'GET', url: '/api/runs?limit=3&q=jane.doe@example.com', headers: { cookie } });
      await server.app.inject({ method: 'POST', url: '/api/events', payload: '{"customer_id":"jane.doe@example.com","ts":"2026-01-01T00:00:00Z","type":"view"}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
      const log = lines.join('');
      expect(log).toContain('"path":"/api/runs"');
      // the customer 360 takes a customer id in place of the token: the path is logged without it
      await server.app.inject({ method: 'GET', url: '/api/customers/jane.doe%40example.com', headers: { cookie } });
      await server.app.inject({ method: 'GET', url: '/api/customers/%2B44%207700%20900123/', headers: { cookie } });
      expect(log.length).toBeLessThan(lines.join('').length);
      const withIds = lines.join('');
      expect(withIds).toContain('"path":"/api/customers/(an id)"');
      // numbers (time, responseTime, pid) may hold any digits: the ids are looked for in the logged strings
      const loggedStrings = stringsOf(lines.map((line) => JSON.parse(line) as unknown)).join('\n');
      expect(loggedStrings).toContain('/api/customers/(an id)');
      for (const id of ['jane.doe', '7700', '900123']) expect(loggedStrings, id).not.toContain(id);
      expect(log).toContain('"statusCode":202');
      for (const secret of [passwordOf('admin'), cookie.split('=')[1]!, token, 'jane.doe', 'limit=3']) expect(log, secret).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

/** Every string value in the log records, at any depth; numbers are left out. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsOf(inner)]);
  return [];
}
