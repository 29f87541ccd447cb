/**
 * A QA pass: creating an audience whose name is taken answered 400 `bad_request`; a request refused for what is
 * stored is 409 `conflict` in the API (docs/server.md, Errors), as dropping a campaign's audience is. Same message and
 * hint; the CLI still says it in one line, exit 2.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { monthlyShopRows } from '../helpers/monthly-shop.js';
import { openTestServer, sessionHeaders, type TestServer } from './server-fixture.js';

describe('POST /api/audiences with a name already taken', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await openTestServer();
    const file = join(server.dir, 'orders.csv');
    writeFileSync(file, `order_id,customer_id,date,amount\n${monthlyShopRows().map((r, i) => `o-${i},${r}`).join('\n')}\n`);
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  });
  afterAll(async () => server.close());

  it('is 409 conflict with the message and hint it had', async () => {
    const headers = sessionHeaders(await server.login('analyst'));
    const first = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 1' }, headers });
    expect(first.statusCode, first.body).toBe(201);
    const again = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'spring', where: 'orders >= 2' }, headers });
    expect([again.statusCode, again.json()]).toEqual([409, { error: 'conflict', message: 'audience spring already exists', hint: 'choose another name, or drop it first: DELETE /api/audiences/spring; "idempotent": true answers the stored audience when the inputs are the same' }]);
  }, 120_000);

  // a retried request (session 43, as `audience create --idempotent`): the same fields answer the stored audience, 200
  // and reused; other fields are 409 naming them
  it('with "idempotent": true the same fields answer the stored audience (200, reused), others are 409', async () => {
    const headers = sessionHeaders(await server.login('analyst'));
    const payload = { name: 'retried', where: 'orders >= 1', seed: 3, idempotent: true };
    const first = await server.app.inject({ method: 'POST', url: '/api/audiences', payload, headers });
    expect([first.statusCode, first.json().reused], first.body).toEqual([201, false]);
    const again = await server.app.inject({ method: 'POST', url: '/api/audiences', payload, headers });
    expect([again.statusCode, again.json().reused], again.body).toEqual([200, true]);
    for (const key of ['members', 'treatment', 'control', 'matched', 'sendDate', 'seed']) expect(again.json()[key]).toEqual(first.json()[key]);
    expect(again.json().notes).toContain('audience retried exists, drawn with the same inputs: answered as stored, nothing drawn again ("idempotent": true)');
    const other = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { ...payload, seed: 4 }, headers });
    expect([other.statusCode, other.json()]).toEqual([409, { error: 'conflict', message: 'audience retried already exists, drawn with other inputs: seed: 3 then, 4 now', hint: 'the same inputs answer the stored audience; for these choose another name, or drop it first: DELETE /api/audiences/retried' }]);
  }, 120_000);

  it('POST /api/playbook/run with a prefix whose audiences exist: 409 conflict too, nothing drawn', async () => {
    const headers = sessionHeaders(await server.login('analyst'));
    // an audience named as the default playbook's onboarding play under the prefix
    const taken = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'p1-onboarding', where: 'orders >= 1' }, headers });
    expect(taken.statusCode, taken.body).toBe(201);
    const again = await server.app.inject({ method: 'POST', url: '/api/playbook/run', payload: { prefix: 'p1-' }, headers });
    expect([again.statusCode, again.json().error]).toEqual([409, 'conflict']);
    expect(again.json().message).toBe('audience p1-onboarding already exists: nothing was drawn');
    expect(again.json().hint).toBe('send another prefix, or drop it first: DELETE /api/audiences/p1-onboarding; "idempotent": true answers the plan of a run with the same inputs');
  }, 120_000);


  // a valid filter that matches nobody (session 43, as audience create): 200 with an audience of nobody, not stored
  it('a filter that matches nobody is answered 200 with members 0 and a warning, nothing stored', async () => {
    const headers = sessionHeaders(await server.login('analyst'));
    const empty = await server.app.inject({ method: 'POST', url: '/api/audiences', payload: { name: 'nobody', where: 'orders > 100000' }, headers });
    expect([empty.statusCode, empty.json().members, empty.json().matched], empty.body).toEqual([200, 0, 0]);
    expect(empty.json().warnings[0]).toMatch(/^warning: the audience nobody is empty: no customer matches where orders > 100000: nothing stored \(hint: widen the filter: orders runs from \d+ to \d+ among the \d+ customers; POST \/api\/audiences\/count counts the customers a filter matches\)$/);
    expect((await server.app.inject({ method: 'GET', url: '/api/audiences/nobody', headers })).statusCode).toBe(404);
  }, 120_000);
});
