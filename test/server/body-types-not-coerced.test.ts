import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

// Found by a trial of POST /api/runs: {"skipReport": 1} was accepted (202) as if it were true — the validator coerced
// the body's values to the schema's types (1 → true, "12" → 12, 12 → "12", null → false, 0 or ""), as it must for a
// query string, where every value arrives as text. A JSON body says what it means: a value of the wrong type is a
// 400 in the API's words, on every route that takes a body (the routes and their fields are read from /openapi.json,
// so a route added later is checked too).

interface BodySchema {
  readonly type?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, { readonly type?: string; readonly example?: unknown; readonly writeOnly?: boolean; readonly anyOf?: readonly { readonly enum?: readonly unknown[] }[] }>>;
}

/** Values of another JSON type than `type` that a coercing validator turns into one of `type`. */
const WRONG: Readonly<Record<string, readonly unknown[]>> = {
  boolean: [1, 0, 'true', 'false', null],
  number: ['12', true, null],
  integer: ['12', true, null],
  string: [12, true, null],
};

/** A value of a required field the test is not about: its example, the first of its fixed values, else one that fits. */
function validValue(name: string, field: NonNullable<BodySchema['properties']>[string]): unknown {
  if (field.example !== undefined) return field.example;
  if (field.anyOf?.[0]?.enum) return field.anyOf[0].enum[0];
  return name === 'password' ? 'a password of some length' : 'x';
}

describe('a JSON body is taken as sent: a value of the wrong type is refused, never coerced', () => {
  let server: TestServer;
  let token: string;
  let routes: { path: string; schema: BodySchema }[];

  beforeAll(async () => {
    server = await openTestServer();
    token = await server.token('admin');
    const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: BodySchema }> } }>> };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) => {
      const schema = methods.post?.requestBody?.content['application/json']?.schema;
      return schema?.properties ? [{ path, schema }] : [];
    });
  });
  afterAll(async () => server.close());

  it('reads the POST routes with a JSON body from /openapi.json', () => {
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/api/runs', '/api/login', '/api/users', '/api/tokens', '/api/audiences', '/api/audiences/count', '/api/playbook/run']));
  });

  it('POST /api/runs {"skipReport": 1}: 400 naming skipReport and what it takes, no run started (it was 202)', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/runs', payload: { skipReport: 1 }, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: 'body field skipReport must be true or false: true writes no report.html (as analyze --skip-report) (got 1)', hint: 'e.g. "skipReport": true' });
    const runs = (await server.app.inject({ method: 'GET', url: '/api/runs', headers: { authorization: `Bearer ${token}` } })).json() as { runs: unknown[] };
    expect(runs.runs).toEqual([]);
  });

  it('every boolean, number, integer and text field of every POST body: a value of another type is a 400 naming the field', async () => {
    const accepted: string[] = [];
    let checked = 0;
    for (const { path, schema } of routes) {
      const properties = schema.properties!;
      const base = Object.fromEntries((schema.required ?? []).map((name) => [name, validValue(name, properties[name]!)]));
      for (const [name, field] of Object.entries(properties)) {
        for (const value of WRONG[field.type ?? ''] ?? []) {
          const body = { ...base, [name]: value };
          // a path parameter (POST /api/campaigns/{audience}) gets a valid name: the body is checked before the handler looks it up
          const url = path.replace(/\{[^}]+\}/g, 'a1');
          const response = await server.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${token}` } });
          checked++;
          const answer = response.json() as { error?: string; message?: string; hint?: string };
          if (response.statusCode !== 400 || answer.error !== 'bad_request' || !answer.message?.startsWith(`body field ${name} must be `)) {
            accepted.push(`POST ${path} ${JSON.stringify(body)} → ${response.statusCode} ${response.body.slice(0, 160)}`);
            continue;
          }
          // the value sent is shown back (never a password's), and the hint says what to send
          if (!field.writeOnly) expect(answer.message, `${path} ${name}`).toContain(`(got ${JSON.stringify(value)})`);
          else expect(answer.message).not.toContain(JSON.stringify(value));
          expect(answer.hint, `${path} ${name}`).toMatch(field.example !== undefined || field.type === 'boolean' ? /^e\.g\. "/ : /./);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  }, 60_000);

  it('a query string is still read as text turned into its type: GET /api/runs?limit=2 is 200, limit=abc a 400', async () => {
    const ok = await server.app.inject({ method: 'GET', url: '/api/runs?limit=2', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode, ok.body).toBe(200);
    const bad = await server.app.inject({ method: 'GET', url: '/api/runs?limit=abc', headers: { authorization: `Bearer ${token}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: 'query parameter limit must be an integer from 1 to 500 (got "abc")' });
  });
});
