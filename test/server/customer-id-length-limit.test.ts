/**
 * A customer id of 101–128 characters (the documented limit is 128, as `?q=` takes) was answered 404
 * `no route GET /api/customers/aaaa…` — fastify's default 100-character path parameter limit — with the whole id, which
 * may be an e-mail, echoed in the message. Now: the route's own answer up to 128 characters, a 400 naming the limit
 * above it, and no not-found answer echoes a customer id given in a path under /api/customers/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

describe('customer ids up to 128 characters in GET /api/customers/:token', () => {
  let server: TestServer;
  let cookie: string;
  beforeAll(async () => {
    server = await openTestServer();
    cookie = (await server.login('analyst')).cookie;
  });
  afterAll(async () => server.close());
  const get = async (url: string) => {
    const response = await server.app.inject({ method: 'GET', url, headers: { cookie } });
    return { status: response.statusCode, body: response.json() as { error: string; message: string; hint: string }, text: response.body };
  };

  it('100, 101 and 128 characters: the route answers (no such customer), as for any unknown id', async () => {
    for (const length of [100, 101, 128]) {
      const { status, body } = await get(`/api/customers/${'a'.repeat(length)}`);
      expect([length, status, body.error, body.message]).toEqual([length, 404, 'not_found', 'no customer with this token or id in the last run']);
    }
  });

  it('129 and 5,000 characters: 400 naming the limit, without the id', async () => {
    for (const length of [129, 5000]) {
      const id = `${'b'.repeat(length - 12)}@example.com`;
      const { status, body, text } = await get(`/api/customers/${id}`);
      expect([length, status, body.error]).toEqual([length, 400, 'bad_request']);
      expect(body.message).toContain('up to 128 letters');
      expect(text).not.toContain('bbbbbbbbbb');
    }
  });

  it('no not-found answer echoes a customer id given in a path under /api/customers/', async () => {
    for (const url of ['/api/customers/jane.doe@example.com/orders', '/api/customers/jane.doe%40example.com/x/y']) {
      const { status, body, text } = await get(url);
      expect([url, status, body.error]).toEqual([url, 404, 'not_found']);
      expect(text).not.toMatch(/jane/);
      expect(body.message).toMatch(/^no route GET \/api\/customers\/\(an id\)\//);
    }
  });
});

describe('the same with the dashboard built (its wildcard route takes what the router does not match)', () => {
  it('an id over the router\'s limit is still the 400, and no not-found answer echoes an id', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'clvkit-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>clvkit</title>');
    const server = await openTestServer({ webRoot });
    try {
      const { cookie } = await server.login('analyst');
      const long = await server.app.inject({ method: 'GET', url: `/api/customers/${'b'.repeat(4988)}@example.com`, headers: { cookie } });
      expect([long.statusCode, long.json().error]).toEqual([400, 'bad_request']);
      expect(long.body).not.toContain('bbbbbbbbbb');
      const nested = await server.app.inject({ method: 'GET', url: '/api/customers/jane.doe@example.com/orders', headers: { cookie } });
      expect([nested.statusCode, nested.json().message]).toEqual([404, 'no route GET /api/customers/(an id)/orders']);
      // another method on a customer's path is no route, not "too long" (review: DELETE /api/customers/abc answered 400)
      for (const method of ['POST', 'PUT', 'DELETE'] as const) {
        const other = await server.app.inject({ method, url: '/api/customers/jane.doe@example.com', headers: { cookie } });
        expect([method, other.statusCode, other.json().message]).toEqual([method, 404, `no route ${method} /api/customers/(an id)`]);
      }
    } finally {
      await server.close();
      rmSync(webRoot, { recursive: true, force: true });
    }
  });
});
