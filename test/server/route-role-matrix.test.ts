import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Action, type Role } from '../../src/privacy/access/rbac.js';
import { declaredRoutes } from '../../src/server/create-server.js';
import { openTestServer, type TestServer } from './server-fixture.js';

/** A concrete URL for a route pattern: each `:param` filled with a harmless value. */
const concrete = (url: string) => url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => (name === 'token' ? 'c_aaaaaaaaaaaaaaaaaaaaaaaaaa' : name === 'id' ? 'no-such-run' : 'no-such-name'));

describe('every API route × every role (generated from the registered routes)', () => {
  let server: TestServer;
  const sessions = new Map<Role, { cookie: string; csrf: string }>();
  beforeAll(async () => {
    server = await openTestServer();
    for (const role of ROLES) sessions.set(role, await server.login(role));
  });
  afterAll(async () => server.close());

  const apiRoutes = () => declaredRoutes(server.app).filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.method !== 'OPTIONS');

  it('every /api route declares its access, and the list covers the routes the contract names', () => {
    const names = apiRoutes().map((r) => `${r.method} ${r.url}`);
    for (const route of ['POST /api/login', 'GET /api/me', 'GET /api/health', 'POST /api/events', 'POST /api/orders', 'GET /api/events/count', 'POST /api/runs', 'GET /api/runs', 'GET /api/runs/:id', 'DELETE /api/runs/:id', 'GET /api/audiences', 'POST /api/audiences', 'POST /api/audiences/count', 'GET /api/playbook', 'POST /api/playbook/run', 'GET /api/campaigns/:audience', 'GET /api/users', 'POST /api/users', 'DELETE /api/users/:name', 'GET /api/tokens', 'POST /api/tokens', 'DELETE /api/tokens/:id']) {
      expect(names).toContain(route);
    }
    for (const r of apiRoutes()) expect(r.access, `${r.method} ${r.url}`).toBeDefined();
  });

  it('a role is refused (403) exactly where PERMISSION_MATRIX denies it, and every protected route is 401 without credentials', async () => {
    const table: string[] = [];
    const mismatches: string[] = [];
    for (const route of apiRoutes()) {
      if (route.access === 'public') continue;
      const url = concrete(route.url);
      const method = route.method as 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
      const anonymous = await server.app.inject({ method, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      if (anonymous.statusCode !== 401) mismatches.push(`${route.method} ${route.url} without credentials: ${anonymous.statusCode}, expected 401`);
      const cells: string[] = [];
      for (const role of ROLES) {
        const actions: readonly Action[] = route.access === 'authenticated' ? [] : typeof route.access === 'string' ? [route.access as Action] : (route.access as readonly Action[]);
        const allowed = route.access === 'authenticated' || actions.some((a) => can(role, a));
        const session = sessions.get(role)!;
        const response = await server.app.inject({ method, url, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
        const refused = response.statusCode === 403 || response.statusCode === 401;
        if (allowed === refused) mismatches.push(`${route.method} ${route.url} as ${role}: ${response.statusCode} ${response.body.slice(0, 120)}, expected ${allowed ? 'allowed' : '403'}`);
        cells.push(allowed ? '✓' : '403');
      }
      table.push(`| ${route.method} ${route.url} | ${[route.access].flat().join(' or ')} | ${cells.join(' | ')} |`);
      if (route.url === '/api/logout') sessions.clear(), await Promise.all(ROLES.map(async (role) => sessions.set(role, await server.login(role))));
    }
    expect(mismatches).toEqual([]);
    expect(table.length).toBeGreaterThanOrEqual(15);
  }, 120_000);
});
