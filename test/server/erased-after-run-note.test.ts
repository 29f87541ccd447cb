/**
 * After `clvkit erase` (or any erasure) the per-customer answers lose the erased customer at once, but the run the
 * server serves keeps the aggregates it computed with them (headline, segments, stages, predicted value) until the
 * next analysis. Every page of that run says so — counts and dates only, never who — as a dropped ingest does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseCustomers } from '../../src/privacy/warehouse/erase-customers.js';
import type { OverviewResponse, RunRef } from '../../src/server/routes/read-api-types.js';
import { openServedShop, type ServedShop } from '../dashboard/served-shop.js';

function writeOrders(dir: string): string {
  const lines = ['order_id,customer_id,date,amount'];
  for (let c = 1; c <= 40; c++) for (let m = 1; m <= 1 + (c % 4); m++) lines.push(`O-${c}-${m},C${c},2024-0${1 + (m % 5)}-1${c % 9},${10 + c}`);
  const file = join(dir, 'orders.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('the run a server serves after customers were erased', () => {
  let shop: ServedShop;
  let cookie: string;
  const get = async <T>(url: string) => {
    const response = await shop.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(response.statusCode, url).toBe(200);
    return response.json() as T;
  };

  beforeAll(async () => {
    shop = await openServedShop({ cliAnalysis: { transactions: writeOrders, args: ['--skip-models', '--skip-patterns', '--skip-report', '--min-group-size', '2'] } });
    cookie = (await shop.login('analyst')).cookie;
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  it('says nothing of erasures while nobody was erased after the run', async () => {
    const overview = await get<OverviewResponse>('/api/overview');
    expect(overview.run.erasedAfterRun).toBeNull();
    expect(overview.run.warnings.some((w) => w.includes('erased'))).toBe(false);
  });

  it('counts and dates the customers erased after the run on every aggregate page, never naming them', async () => {
    const before = await get<OverviewResponse>('/api/overview');
    const erased = await eraseCustomers(shop.context.warehouse, ['C7'], { keyring: shop.context.keyring, role: 'admin', actor: 'dana' });
    expect(erased.customers).toHaveLength(1);
    const token = erased.customers[0]!.token;
    // an id never held is recorded too (a later ingest of it is refused), but the run never counted it
    await eraseCustomers(shop.context.warehouse, ['never-a-customer'], { keyring: shop.context.keyring, role: 'admin', actor: 'dana' });
    const today = new Date().toISOString().slice(0, 10);
    const overview = await get<OverviewResponse>('/api/overview');
    // the figures are still the run's (no recomputation without an analysis)…
    expect(overview.headline.customers).toBe(before.headline.customers);
    // …and the run says they still count the erased customer
    expect(overview.run.erasedAfterRun).toEqual({ customers: 1, from: today, to: today });
    expect(overview.run.warnings[0]).toBe(
      `these figures are from the run of ${before.run.finishedAt.slice(0, 10)}; 1 customer was erased after it (${today}): their rows are gone from every per-customer answer, but the totals here still count them until the next analysis; start an analysis (POST /api/runs) to recompute them`,
    );
    for (const url of ['/api/segments', '/api/lifecycle', '/api/value', '/api/model-card']) {
      const { run } = await get<{ run: RunRef }>(url);
      expect(run.erasedAfterRun, url).toEqual({ customers: 1, from: today, to: today });
      expect(run.warnings[0], url).toBe(overview.run.warnings[0]);
      expect(JSON.stringify(run), url).not.toContain(token);
      expect(JSON.stringify(run), url).not.toContain('C7');
    }
  });

  it('says nothing once an analysis ran after the erasure', async () => {
    const admin = await shop.login('admin');
    const started = await shop.app.inject({ method: 'POST', url: '/api/runs', payload: { skipPatterns: true, skipReport: true }, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(started.statusCode).toBe(202);
    const id = (started.json() as { id: string }).id;
    let status = 'running';
    while (status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await shop.app.inject({ method: 'GET', url: `/api/runs/${id}`, headers: { cookie: admin.cookie } })).json().status;
    }
    expect(status).toBe('finished');
    const overview = await get<OverviewResponse>('/api/overview');
    expect(overview.run.id).toBe(id);
    expect(overview.run.erasedAfterRun).toBeNull();
    expect(overview.run.warnings.some((w) => w.includes('erased after it'))).toBe(false);
  }, 120_000);
});
