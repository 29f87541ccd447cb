import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './server-fixture.js';

const event = (id: string, minute: number, extra: Record<string, unknown> = {}) => JSON.stringify({ customer_id: id, ts: `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`, type: 'view', product_id: 'P1', ...extra });

describe('POST /api/events and /api/orders', () => {
  let server: TestServer;
  let analystToken: string;
  let admin: { cookie: string; csrf: string };
  beforeAll(async () => {
    server = await openTestServer();
    analystToken = await server.token('analyst');
    admin = await server.login('admin');
  });
  afterAll(async () => server.close());

  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${analystToken}`, 'content-type': 'application/x-ndjson', ...headers } });
  const count = async (prefix: string) => {
    const response = await server.app.inject({ method: 'GET', url: `/api/events/count?prefix=${encodeURIComponent(prefix)}`, headers: { cookie: admin.cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { count: number }).count;
  };

  it('acknowledges an NDJSON batch (202), loads the good events and quarantines the bad ones with their reasons', async () => {
    const body = [event('ok-1', 1), event('ok-2', 2), event('ok-3', 3), event('bad-1', 4, { ts: 'yesterday' }), JSON.stringify({ ts: '2026-11-01T10:05:00Z', type: 'view' }), event('ok-1', 1)].join('\n');
    const response = await post('/api/events', body);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ kind: 'events', received: 6, batchId: expect.stringMatching(/^b/) });
    expect(await count('ok-')).toBe(3);
    expect(await count('bad-')).toBe(0);
    const reasons = await server.context.warehouse.query("SELECT reason, count(*) AS n FROM quarantine WHERE source LIKE 'api-events-%' GROUP BY reason ORDER BY reason");
    expect(reasons.map((r) => [r.reason, Number(r.n)])).toEqual([
      ['bad_date', 1],
      ['duplicate', 1],
      ['missing_customer_id', 1],
    ]);
    const [batch] = await server.context.warehouse.query(`SELECT accepted, quarantined FROM ingest_batches WHERE batch_id = '${(response.json() as { batchId: string }).batchId}'`);
    expect([Number(batch!.accepted), Number(batch!.quarantined)]).toEqual([3, 3]);
  });

  it('a JSON array is taken as well as NDJSON', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/events', payload: [JSON.parse(event('arr-1', 10)), JSON.parse(event('arr-2', 11))], headers: { authorization: `Bearer ${analystToken}` } });
    expect(response.statusCode, response.body).toBe(202);
    expect(await count('arr-')).toBe(2);
  });

  it('a repeated Idempotency-Key answers the first receipt and is not counted twice', async () => {
    const body = [event('idem-1', 20), event('idem-2', 21)].join('\n');
    const first = await post('/api/events', body, { 'idempotency-key': 'order-42' });
    const again = await post('/api/events', body, { 'idempotency-key': 'order-42' });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(await count('idem-')).toBe(2);
    const [n] = await server.context.warehouse.query("SELECT count(*) AS n FROM ingest_batches WHERE idempotency_key = 'order-42'");
    expect(Number(n!.n)).toBe(1);
  });

  it('a line that is not JSON rejects the whole batch with 400 and the line number; nothing is stored', async () => {
    const response = await post('/api/events', [event('torn-1', 30), '{"customer_id": "torn-2", "ts":'].join('\n'));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'bad_request', message: 'line 2 of the body is not JSON', hint: 'NDJSON: one JSON object per line; nothing of this batch was stored, send it again when fixed' });
    expect(await count('torn-')).toBe(0);
  });

  it('orders go to transactions through the transaction rules', async () => {
    const orders = [
      { order_id: 'o1', customer_id: 'buyer-1', date: '2026-10-01T09:00:00Z', product_id: 'P1', quantity: 2, unit_price: 5 },
      { order_id: 'o2', customer_id: 'buyer-2', date: '2026-10-02T09:00:00Z', product_id: 'P2', quantity: 1, unit_price: 0 },
    ];
    const response = await post('/api/orders', orders.map((o) => JSON.stringify(o)).join('\n'));
    expect(response.statusCode, response.body).toBe(202);
    await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=x', headers: { cookie: admin.cookie } }); // waits for the backlog
    const rows = await server.context.warehouse.query("SELECT order_id, amount FROM transactions WHERE source LIKE 'api-orders-%' ORDER BY order_id");
    expect(rows.map((r) => [r.order_id, Number(r.amount)])).toEqual([['o1', 10]]);
    const [q] = await server.context.warehouse.query("SELECT reason FROM quarantine WHERE source LIKE 'api-orders-%'");
    expect(q!.reason).toBe('nonpositive_price');
  });

  it('order numbers sent as texts are read with a decimal point, as JSON writes numbers: "1,234" is 1234, "12,5" is quarantined', async () => {
    const orders = [
      { order_id: 't1', customer_id: 'texts-1', date: '2026-10-03T09:00:00Z', quantity: 1, unit_price: '1,234' },
      { order_id: 't2', customer_id: 'texts-2', date: '2026-10-03T10:00:00Z', quantity: '1,000', unit_price: 2 },
      { order_id: 't3', customer_id: 'texts-3', date: '2026-10-03T11:00:00Z', quantity: 1, unit_price: '12,5' },
    ];
    expect((await post('/api/orders', orders.map((o) => JSON.stringify(o)).join('\n'))).statusCode).toBe(202);
    await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=x', headers: { cookie: admin.cookie } }); // waits for the backlog
    const rows = await server.context.warehouse.query("SELECT order_id, amount FROM transactions WHERE order_id LIKE 't_' ORDER BY order_id");
    expect(rows.map((r) => [r.order_id, Number(r.amount)])).toEqual([['t1', 1234], ['t2', 2000]]);
    const quarantined = await server.context.warehouse.query("SELECT line, reason FROM quarantine WHERE source LIKE 'api-orders-%' AND reason = 'bad_number'");
    expect(quarantined.map((r) => [r.line, r.reason])).toEqual([[3, 'bad_number']]); // the third record
  });

  it('needs a token or session of a role with ingest: 401 without, 403 for a viewer or marketer, 401 for an expired token', async () => {
    expect((await server.app.inject({ method: 'POST', url: '/api/events', payload: event('x', 1), headers: { 'content-type': 'application/x-ndjson' } })).statusCode).toBe(401);
    for (const role of ['viewer', 'marketer'] as const) expect((await post('/api/events', event('x', 1), { authorization: `Bearer ${await server.token(role)}` })).statusCode).toBe(403);
    const expired = await server.token('analyst', 1);
    await server.context.warehouse.execute("UPDATE api_tokens SET expires_at = TIMESTAMP '2020-01-01' WHERE expires_at > now() + INTERVAL 12 HOUR AND expires_at < now() + INTERVAL 2 DAY");
    const refused = await post('/api/events', event('x', 1), { authorization: `Bearer ${expired}` });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ message: expect.stringContaining('expired') });
    expect((await post('/api/events', event('x', 1), { authorization: 'Bearer clv_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(401);
  });

  it('GET /api/events/count is for admins only (it matches original ids)', async () => {
    const analyst = await server.login('analyst');
    expect((await server.app.inject({ method: 'GET', url: '/api/events/count?prefix=ok-', headers: { cookie: analyst.cookie } })).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/api/events/count', headers: { cookie: admin.cookie } })).statusCode).toBe(400);
  });
});

describe('backpressure', () => {
  it('answers 503 with Retry-After when a batch would take the backlog over its bound', async () => {
    const server = await openTestServer({ maxBacklogRecords: 3 });
    try {
      const token = await server.token('admin');
      const body = ['a', 'b', 'c', 'd'].map((id, i) => event(id, i)).join('\n');
      const response = await server.app.inject({ method: 'POST', url: '/api/events', payload: body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      await server.close();
    }
  });
});
