/**
 * The dashboard's read API on an analysed synthetic shop (test/dashboard/served-shop.ts):
 * aggregates for every role, customer-level reads only with view_tokens,
 * PII masked by role and raw only for an admin who asks (audited), filters
 * that reject anything outside their catalogue, and the audit log for admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/privacy/access/rbac.js';
import type { AuditResponse, CustomerDetailResponse, CustomerListResponse, ModelCardResponse, OverviewResponse, PrivacyResponse, ValueResponse } from '../../src/server/routes/read-api-types.js';
import { openServedShop, type ServedShop } from '../dashboard/served-shop.js';
import { openTestServer } from './server-fixture.js';

const AGGREGATE_ROUTES = ['/api/overview', '/api/value', '/api/model-card', '/api/segments', '/api/clusters', '/api/lifecycle', '/api/cohorts', '/api/cross-sell', '/api/events-summary', '/api/campaign-results', '/api/privacy'];

describe('read API on an analysed shop of 300 customers', () => {
  let shop: ServedShop;
  const sessions = new Map<Role, string>();
  const get = async (url: string, role: Role | null) => {
    const response = await shop.app.inject({ method: 'GET', url, headers: role ? { cookie: sessions.get(role)! } : {} });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const scalar = async (sql: string) => Number((await shop.context.warehouse.query(sql))[0]!.n);
  const auditRows = async () => shop.context.warehouse.query('SELECT actor, role, action, target, details FROM audit_log ORDER BY seq');

  beforeAll(async () => {
    shop = await openServedShop();
    for (const role of ['admin', 'analyst', 'marketer', 'viewer'] as const) sessions.set(role, (await shop.login(role)).cookie);
  }, 240_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('every aggregate route: 401 without a session, 200 for a viewer', async () => {
    for (const url of AGGREGATE_ROUTES) {
      expect((await get(url, null)).status, url).toBe(401);
      expect((await get(url, 'viewer')).status, url).toBe(200);
    }
  });

  it('overview: the run served and its headline, counted as the warehouse counts them; the read is audited', async () => {
    const { status, body } = await get('/api/overview', 'viewer');
    expect(status).toBe(200);
    const overview = body as unknown as OverviewResponse;
    expect(overview.run.id).toBe(shop.runId);
    expect(overview.run.minGroupSize).toBe(5);
    expect(overview.headline.customers).toBe(await scalar('SELECT count(*) AS n FROM customer_summary'));
    expect(overview.valueModel?.chosen).toMatch(/^(bgnbd|mbgnbd|paretonbd|bgbb)/);
    const shownStages = overview.stages!.stages.reduce((s, x) => s + (x.customers ?? 0), 0);
    expect(shownStages).toBeLessThanOrEqual(await scalar('SELECT count(*) AS n FROM customer_stages'));
    expect(shownStages).toBeGreaterThan(0);
    // audited as the CLI audits a read of a warehouse
    const last = (await auditRows()).at(-1)!;
    expect(last).toMatchObject({ actor: 'viewer', role: 'viewer', action: 'view_aggregates', target: 'warehouse' });
    expect(JSON.parse(String(last.details))).toMatchObject({ route: 'GET /api/overview', run: shop.runId });
  });

  it('model card: the churn card as run.json holds it, with the P(no purchase) scorecard and which score churn_probability holds (the dashboard shows them)', async () => {
    const { status, body } = await get('/api/model-card', 'viewer');
    expect(status).toBe(200);
    const churn = (body as unknown as ModelCardResponse).churn!.churn!;
    expect(churn.validation.btydNoPurchase?.auc).toEqual(expect.any(Number));
    expect(churn.validation.btydNoPurchase!.aucInterval).toHaveLength(2);
    expect(['learned', 'btyd-no-purchase', 'btyd-one-minus-p-alive']).toContain(churn.source);
    expect(churn.sourceReason).toMatch(/the learned churn model .*P\(no purchase in the next \d+ days\) of /);
    expect(churn.sourceModel).toEqual(expect.any(String));
  });

  it('events summary of a run without events: events is null (the dashboard then says how to ingest them), the run is named', async () => {
    expect(await scalar('SELECT count(*) AS n FROM events')).toBe(0);
    const { status, body } = await get('/api/events-summary', 'viewer');
    expect(status).toBe(200);
    expect(body).toMatchObject({ run: { id: shop.runId }, events: null });
  });

  it('value: histogram and Pareto curve computed on the server at k = 5; no per-customer column leaves it', async () => {
    const { body } = await get('/api/value', 'viewer');
    const value = body as unknown as ValueResponse;
    expect(value.concentration!.customers).toBe(await scalar('SELECT count(*) AS n FROM customer_summary'));
    expect(value.concentration!.totalValue).toBeCloseTo(await scalar('SELECT sum(historic_clv) AS n FROM customer_summary'), 6);
    for (const count of value.histogram!.customers) if (count !== null) expect(count).toBeGreaterThanOrEqual(5);
    // the open lower end of a `≤ 0` band (−∞) travels as null; every other edge is a number
    expect(value.histogram!.lower.map((v) => v === null)).toEqual(value.histogram!.labels.map((l) => l.startsWith('≤')));
    expect(value.quadrant!.quadrants).toHaveLength(4);
    expect(JSON.stringify(body)).not.toMatch(/"totalSpend"|"probabilityAlive"|c_[a-z2-7]{26}/); // ReportData.customers (per-customer columns) and tokens stay on the server
  });

  it('customers: 403 for a viewer; the whole base for an analyst, sorted by predicted value', async () => {
    expect((await get('/api/customers', 'viewer')).status).toBe(403);
    const { status, body } = await get('/api/customers?limit=50', 'analyst');
    expect(status).toBe(200);
    const list = body as unknown as CustomerListResponse;
    // the buyers and the prospects (customers known from profiles or events, no purchase)
    expect(list.total).toBe(await scalar('SELECT count(*) AS n FROM (SELECT customer_id FROM customer_summary UNION SELECT customer_id FROM customer_prospects)'));
    expect(list.customers).toHaveLength(50);
    const predicted = list.customers.map((c) => c.predictedValue ?? -Infinity);
    expect(predicted).toEqual([...predicted].sort((a, b) => b - a));
    expect(list.customers[0]!.customer).toMatch(/^c_[a-z2-7]{26}$/);
  });

  it('customers: stage, tier and segment filters give exactly the warehouse’s rows', async () => {
    const stage = String((await shop.context.warehouse.query('SELECT stage, count(*) AS n FROM customer_stages GROUP BY stage ORDER BY n DESC LIMIT 1'))[0]!.stage);
    const byStage = (await get(`/api/customers?stage=${stage}&limit=200`, 'marketer')).body as unknown as CustomerListResponse;
    expect(byStage.total).toBe(await scalar(`SELECT count(*) AS n FROM customer_summary s JOIN customer_stages g USING (customer_id) WHERE g.stage = '${stage}'`));
    expect(byStage.customers.every((c) => c.stage === stage)).toBe(true);
    const segment = byStage.segments[0]!;
    const both = (await get(`/api/customers?segment=${encodeURIComponent(segment)}&tier=high`, 'analyst')).body as unknown as CustomerListResponse;
    expect(both.total).toBe(await scalar(`SELECT count(*) AS n FROM customer_summary s JOIN customer_rfm r USING (customer_id) JOIN customer_value_tiers v USING (customer_id) WHERE r.segment = '${segment.replace(/'/g, "''")}' AND v.value_tier = 'high'`));
  });

  it('SQL injection through every filter is refused with 400 and a message, never run', async () => {
    const attacks = [
      "stage=active'%20OR%20'1'='1",
      "segment=x'%20OR%201=1%20--",
      "tier=high';DROP%20TABLE%20customer_summary;--",
      "q=c_'%20OR%20'1'='1",
      'sort=customer_id;DROP%20TABLE%20transactions',
      'limit=1;DROP',
      'offset=-1',
      'limit=100000',
    ];
    for (const attack of attacks) {
      const { status, body } = await get(`/api/customers?${attack}`, 'analyst');
      expect(status, attack).toBe(400);
      expect(typeof body.message, attack).toBe('string');
      expect(JSON.stringify(body), attack).not.toMatch(/at .*\.ts:\d+/); // no stack
    }
    expect(await scalar('SELECT count(*) AS n FROM customer_summary')).toBeGreaterThan(0);
  });

  it('PII: masked for an analyst, masked for an admin who does not ask, raw and audited for one who does; 403 for an analyst who asks', async () => {
    const analyst = (await get('/api/customers?limit=5&sort=customer', 'analyst')).body as unknown as CustomerListResponse;
    expect(analyst.piiShown.email).toBe('masked');
    expect(analyst.revealed).toBe(false);
    for (const c of analyst.customers) expect(c.pii?.email ?? '').toMatch(/^[a-z]\*\*\*@example\.(org|com|net)$/);
    const admin = (await get('/api/customers?limit=5&sort=customer', 'admin')).body as unknown as CustomerListResponse;
    expect(admin.customers.map((c) => c.pii?.email)).toEqual(analyst.customers.map((c) => c.pii?.email));
    const before = (await auditRows()).length;
    const revealed = (await get('/api/customers?limit=5&sort=customer&reveal=1', 'admin')).body as unknown as CustomerListResponse;
    expect(revealed.revealed).toBe(true);
    expect(revealed.piiShown.email).toBe('raw');
    for (const c of revealed.customers) {
      expect(c.originalId).toMatch(/^\d{6}$/);
      expect(c.pii!.email).toContain(`.${c.originalId}@example.`);
    }
    const entries = await auditRows();
    // raw values shown (view_raw_pii, naming the fields shown raw) and original ids shown (reidentify): one entry each
    expect(entries.length).toBe(before + 2);
    expect(entries.slice(-2).map((e) => [e.actor, e.role, e.action])).toEqual([['admin', 'admin', 'view_raw_pii'], ['admin', 'admin', 'reidentify']]);
    expect(JSON.parse(String(entries.at(-2)!.details)).pii).toContain('email');
    expect((await get('/api/customers?reveal=1', 'analyst')).status).toBe(403);
  });

  it('customer 360: scores, orders as in the warehouse, stage history ending in the run’s stage; the read is audited with the token', async () => {
    const [row] = await shop.context.warehouse.query("SELECT s.customer_id FROM customer_summary s JOIN customer_stages g USING (customer_id) WHERE s.frequency >= 2 ORDER BY s.customer_id LIMIT 1");
    const token = String(row!.customer_id);
    const { status, body } = await get(`/api/customers/${token}`, 'marketer');
    expect(status).toBe(200);
    const c = body as unknown as CustomerDetailResponse;
    expect(c.customer).toBe(token);
    expect(Object.keys(c.scores)).toEqual(expect.arrayContaining(['customer_summary', 'customer_scores', 'customer_stages', 'customer_rfm']));
    expect(c.scores.customer_summary!.frequency).toBe(await scalar(`SELECT frequency AS n FROM customer_summary WHERE customer_id = '${token}'`));
    expect(c.ordersTotal).toBe(await scalar(`SELECT count(DISTINCT order_id) AS n FROM transactions WHERE customer_id = '${token}'`));
    expect(c.stageHistory.at(-1)!.stage).toBe(c.scores.customer_stages!.stage);
    expect(c.pii.email).toMatch(/^[a-z]\*\*\*@/);
    expect(c.originalId).toBeUndefined();
    const last = (await auditRows()).at(-1)!;
    expect(last).toMatchObject({ actor: 'marketer', action: 'view_tokens', target: `customer:${token}` });
    // the run's churn band cut-offs (the band is a rank: the dashboard says so with them), as the model card gives them
    const card = (await get('/api/model-card', 'viewer')).body as unknown as ModelCardResponse;
    expect(c.churnBands).toEqual(card.churn!.churn!.bands);
    expect(c.churnBands!.high).toEqual(expect.any(Number));
    expect((await get(`/api/customers/${token}`, 'viewer')).status).toBe(403);
    expect((await get('/api/customers/c_aaaaaaaaaaaaaaaaaaaaaaaaaa', 'analyst')).status).toBe(404);
  });

  it('customer 360 by the id as given (tokenised with the warehouse key), raw only for an admin asking', async () => {
    const [row] = await shop.context.warehouse.query('SELECT customer_id FROM customer_summary ORDER BY customer_id LIMIT 1');
    const token = String(row!.customer_id);
    const admin = (await get(`/api/customers/${token}?reveal=1`, 'admin')).body as unknown as CustomerDetailResponse;
    const byId = (await get(`/api/customers/${admin.originalId}`, 'analyst')).body as unknown as CustomerDetailResponse;
    expect(byId.customer).toBe(token);
    expect(admin.pii.email).toContain(admin.originalId!);
  });

  it('privacy for everyone; the audit log for admins only, newest first, verified, and reading it is audited', async () => {
    const privacy = (await get('/api/privacy', 'viewer')).body as unknown as PrivacyResponse;
    expect(privacy.privacy.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['customers', 'transactions', 'audit_log']));
    expect(privacy.checks.every((c) => c.ok)).toBe(true);
    for (const role of ['analyst', 'marketer', 'viewer'] as const) expect((await get('/api/audit', role)).status).toBe(403);
    const total = (await auditRows()).length;
    const audit = (await get('/api/audit?limit=3', 'admin')).body as unknown as AuditResponse;
    expect(audit.total).toBe(total);
    expect(audit.entries.map((e) => e.seq)).toEqual([total, total - 1, total - 2]);
    expect(audit.verification).toEqual({ ok: true, message: null });
    expect((await auditRows()).at(-1)).toMatchObject({ actor: 'admin', action: 'read_audit' });
  });
});

describe('read API in the OpenAPI document', () => {
  it('lists every read route with its filters (stage, tier and sort as enums)', async () => {
    const server = await openTestServer({ users: false });
    try {
      const doc = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters?: { name: string; schema: { enum?: string[]; anyOf?: { const?: string; enum?: string[] }[] } }[] }>> };
      for (const url of [...AGGREGATE_ROUTES, '/api/customers', '/api/customers/{token}', '/api/audit']) expect(Object.keys(doc.paths), url).toContain(url);
      const stage = doc.paths['/api/customers']!.get!.parameters!.find((p) => p.name === 'stage')!;
      const values = stage.schema.enum ?? stage.schema.anyOf!.flatMap((a) => a.enum ?? [a.const!]);
      expect(values).toEqual(['prospect', 'new', 'active', 'reactivated', 'at_risk', 'dormant', 'churned']);
    } finally {
      await server.close();
    }
  });
});

describe('read API before any analysis', () => {
  it('answers 404 no_run for the run pages (and 401 without a session)', async () => {
    const server = await openTestServer();
    try {
      const { cookie } = await server.login('viewer');
      const response = await server.app.inject({ method: 'GET', url: '/api/overview', headers: { cookie } });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'no_run' });
      expect((await server.app.inject({ method: 'GET', url: '/api/overview' })).statusCode).toBe(401);
    } finally {
      await server.close();
    }
  });
});
