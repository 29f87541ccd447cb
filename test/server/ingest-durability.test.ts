import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { runClvkit, startServe, type ServeProcess } from './serve-process.js';

const BATCHES = 60;
const PER_BATCH = 250;
const PASSWORD = 'durability-test-password';

function batchBody(batch: number): string {
  const lines: string[] = [];
  for (let i = 0; i < PER_BATCH; i++) {
    const second = batch * PER_BATCH + i;
    const ts = new Date(Date.UTC(2026, 9, 1) + second * 1000).toISOString();
    lines.push(JSON.stringify({ customer_id: `kill-${batch}-${i % 50}`, ts, type: i % 3 === 0 ? 'add_to_cart' : 'view', product_id: `P${i % 7}` }));
  }
  return lines.join('\n');
}

async function send(url: string, token: string, batch: number): Promise<number | 'error'> {
  try {
    const response = await fetch(`${url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `kill-batch-${batch}` }, body: batchBody(batch) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'error'; // the connection died with the server: not acknowledged
  }
}

describe('an acknowledged event survives SIGKILL (node dist/cli/main.js serve)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-kill-'));
  const db = join(dir, 'shop.duckdb');
  let server: ServeProcess | null = null;
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('kills the server mid-stream, restarts it, and finds every acknowledged event exactly once; a repeated key is not counted twice', async () => {
    expect(runClvkit(['users', 'add', 'admin', '--role', 'admin', '--db', db], { CLVKIT_PASSWORD: PASSWORD }).status).toBe(0);
    const created = runClvkit(['tokens', 'create', 'loader', '--role', 'analyst', '--db', db]);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^clv_/);

    server = await startServe(['--db', db]);
    const acked = new Set<number>();
    let next = 0;
    // four concurrent senders; the server is killed once a third of the batches are acknowledged, with requests in flight
    const sender = async () => {
      while (next < BATCHES && server) {
        const batch = next++;
        const status = await send(server.url, token, batch);
        if (status === 202) acked.add(batch);
        if (acked.size >= BATCHES / 3 && !server.child.killed) server.child.kill('SIGKILL');
        if (status !== 202) return;
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    const killed = await server.exited;
    expect(killed.signal, `${JSON.stringify(killed)} ${server.stderr()}`).toBe('SIGKILL');
    const ackedBeforeKill = [...acked];
    expect(ackedBeforeKill.length).toBeGreaterThanOrEqual(BATCHES / 3);
    expect(ackedBeforeKill.length).toBeLessThan(BATCHES);

    // restart: the write-ahead log is replayed; the unacknowledged batches are sent again with their keys
    server = await startServe(['--db', db]);
    for (let batch = 0; batch < BATCHES; batch++) {
      if (acked.has(batch)) continue;
      expect(await send(server.url, token, batch)).toBe(202);
      acked.add(batch);
    }
    // a batch acknowledged before the kill, sent again with its key: answered, not stored again
    const again = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'idempotency-key': `kill-batch-${ackedBeforeKill[0]}` }, body: batchBody(ackedBeforeKill[0]!) });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replay')).toBe('true');

    const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const counted = await fetch(`${server.url}/api/events/count?prefix=kill-`, { headers: { cookie } });
    expect(await counted.json()).toEqual({ count: BATCHES * PER_BATCH });

    // graceful stop, then look at the warehouse itself: every event once, nothing quarantined
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    server = null;
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [events] = await warehouse.query("SELECT count(*) AS n, count(DISTINCT row_hash) AS distinct_rows FROM events WHERE source LIKE 'api-events-%'");
      expect([Number(events!.n), Number(events!.distinct_rows)]).toEqual([BATCHES * PER_BATCH, BATCHES * PER_BATCH]);
      const [batches] = await warehouse.query("SELECT count(*) AS n, count(DISTINCT idempotency_key) AS keys, sum(accepted) AS accepted, sum(quarantined) AS quarantined FROM ingest_batches");
      expect([Number(batches!.n), Number(batches!.keys), Number(batches!.accepted), Number(batches!.quarantined)]).toEqual([BATCHES, BATCHES, BATCHES * PER_BATCH, 0]);
    } finally {
      await warehouse.close();
    }
  }, 300_000);
});
