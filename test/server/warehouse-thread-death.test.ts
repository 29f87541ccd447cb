/**
 * When the worker thread that owns the served DuckDB file dies, the server
 * does not go on half-alive (answering every call with an error): it stops
 * serving, `failure` gives the reason, and `clvkit serve` exits with code 1
 * and one line saying why (for a supervisor to start it again), and starts
 * again on the same file. The thread's death is made real by terminating the
 * worker while DuckDB is idle (the test records the Worker the server
 * starts); acknowledged batches the death left unapplied are replayed from
 * the write-ahead log at the next start (ingest-durability.test.ts kills the
 * whole process for that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { createApiToken } from '../../src/server/auth/token-store.js';
import { normaliseBatch } from '../../src/server/ingest/normalise-batch.js';
import { openKeyedWarehouse } from '../../src/privacy/keys/open-keyed-warehouse.js';
import { startServer } from '../../src/server/start-server.js';

const started = vi.hoisted(() => [] as Worker[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class RecordedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...actual, Worker: RecordedWorker };
});

const dir = mkdtempSync(join(tmpdir(), 'clvkit-thread-death-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keyedFile(name: string): Promise<{ db: string; token: string }> {
  const db = join(dir, `${name}.duckdb`);
  const { warehouse } = await openKeyedWarehouse({ db, create: true, requireKey: true });
  const { token } = await createApiToken(warehouse, { name: 'loader', role: 'analyst', expiresDays: 1 });
  await warehouse.close();
  return { db, token };
}

const health = (url: string) => fetch(`${url}/api/health`).then((r) => r.status, (error: Error) => `unreachable (${(error.cause as { code?: string } | undefined)?.code ?? error.message})`);

describe('the served warehouse thread dies', () => {
  it('the server stops serving and says why; what it acknowledged is applied at the next start', async () => {
    const { db, token } = await keyedFile('library');
    const options = { db, port: 0, host: '127.0.0.1', logLevel: 'silent', walDir: `${db}.wal-dir`, runsDir: `${db}.runs` };
    const server = await startServer(options);
    expect(await health(server.url)).toBe(200);
    const worker = started.at(-1)!;
    expect(worker.threadId).toBe(server.warehouseThreadId);
    const body = normaliseBatch(Array.from({ length: 40 }, (_, i) => ({ customer_id: `d${i}`, ts: '2026-10-01T00:00:00Z', type: 'view' })), 'events').ndjson;
    const sent = await fetch(`${server.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
    expect(sent.status).toBe(202);
    // applied first: a worker terminated inside a DuckDB call can abort the whole process (Napi), which is no test of the server
    const applied = async () => ((await (await fetch(`${server.url}/api/ingest/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { appliedBatches: number }).appliedBatches;
    for (let waited = 0; (await applied()) < 1 && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    // the thread dies
    await worker.terminate();
    const reason = await server.failure;
    expect(reason.message).toBe('the warehouse thread stopped (exit 1)');
    expect(await health(server.url)).toMatch(/^unreachable/);
    await server.close(); // already closed: nothing left to do
    // started again on the same file and log (as a supervisor would): it serves, the acknowledged events there once
    const again = await startServer(options);
    try {
      expect(await health(again.url)).toBe(200);
      const [count] = await again.context.warehouse.query("SELECT count(*) AS n FROM events WHERE source LIKE 'api-%'");
      const [recorded] = await again.context.warehouse.query('SELECT count(*) AS n FROM ingest_batches');
      expect([Number(count!.n), Number(recorded!.n)]).toEqual([40, 1]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('clvkit serve exits with code 1 and one line naming the reason, no stack trace', async () => {
    const { db } = await keyedFile('cli');
    let stderr = '';
    let exited: Promise<number> = Promise.resolve(-1);
    const listening = new Promise<string>((resolve) => {
      const io = {
        stdout: { write: () => true },
        stderr: {
          write: (text: string) => {
            stderr += text;
            const url = /listening on (http:\/\/\S+)/.exec(stderr);
            if (url) resolve(url[1]!);
            return true;
          },
        },
      };
      exited = runCli(['serve', '--db', db, '--port', '0', '--log-level', 'silent'], io);
    });
    const url = await listening;
    expect(await health(url)).toBe(200);
    await started.at(-1)!.terminate();
    expect(await exited).toBe(1);
    const last = stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^clvkit: stopped: the warehouse thread stopped \(exit 1\); the server stopped \(start it again: acknowledged batches not yet applied are replayed from the write-ahead log\)$/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await health(url)).toMatch(/^unreachable/);
  }, 120_000);
});
