// Bench case: the HTTP server on loopback, driven by autocannon, bounded in time.
//   `clvkit serve` runs in its own process (tsx src/cli/main.ts, log level warn); autocannon runs here.
//   1. baseline: GET /api/health (the bare server: routing, hooks, one SELECT 1) at the same connections;
//   2. event ingestion: POST /api/events, NDJSON batches of BATCH unique events (Bearer token), for SECONDS, twice:
//      a. paced at the goal's rate (autocannon overallRate: requests/s × BATCH = 20,000 events/s): latency AT the goal;
//      b. as fast as it goes (max throughput);
//      after each, every acknowledged event is counted back through GET /api/events/count (which waits for the backlog);
//   3. the overview API (GET /api/overview when the dashboard routes are there, else GET /api/runs) at CONCURRENCY
//      after a small shop is sent through POST /api/orders and analysed (POST /api/runs).
// args: seconds batch connections [thread|main] [full|ingest]
//   thread (default): the served DuckDB file in its warehouse thread, as `clvkit serve` runs; main: CLVKIT_WAREHOUSE_THREAD=off,
//   the apply on the event loop's thread (the baseline of the same run); ingest: the two ingestion phases only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportCase } from '../bench-harness.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;

const loadAtStart = os.loadavg()[0]!;
const [secondsText = '10', batchText = '500', connectionsText = '8', mode = 'thread', scope = 'full'] = process.argv.slice(2);
const seconds = Number(secondsText);
const batch = Number(batchText);
const connections = Number(connectionsText);
/** The goal: this many events/s acknowledged with p99 < 100 ms. */
const GOAL_EVENTS_PER_SECOND = 20_000;
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clvkit-server-bench-'));
const db = join(dir, 'shop.duckdb');
const password = 'bench-password-1234';
const clvkit = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, CLVKIT_PASSWORD: password } });

clvkit(['users', 'add', 'admin', '--role', 'admin', '--db', db]);
const token = clvkit(['tokens', 'create', 'bench', '--role', 'analyst', '--db', db]).stdout.trim().split('\n').at(-1)!;
// the probe (preloaded) measures the server's event-loop delay and CPU per phase (CLVKIT_BENCH_SERVER_CPU_PROF=DIR: and profiles each)
const PROBE = fileURLToPath(new URL('./server-event-loop-probe.ts', import.meta.url));
const server = spawn(process.execPath, ['--import', 'tsx', '--import', PROBE, CLI, 'serve', '--db', db, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, CLVKIT_WAREHOUSE_THREAD: mode === 'main' ? 'off' : 'on' } });
interface LoopStats { p50Ms: number; p99Ms: number; maxMs: number; meanMs: number; samples: number; cpuSeconds: number; wallSeconds: number }
/** Starts a measured phase in the server (event-loop delay histogram and CPU mark reset). */
const probeReset = () => server.send({ probe: 'reset' });
/** The server's event-loop delay and CPU seconds since the last reset. */
const probeRead = () =>
  new Promise<LoopStats>((resolve) => {
    const onMessage = (message: { probe?: string } & LoopStats) => {
      if (message?.probe !== 'stats') return;
      server.off('message', onMessage);
      resolve(message);
    };
    server.on('message', onMessage);
    server.send({ probe: 'read' });
  });
let serverStderr = '';
server.stderr!.on('data', (d: Buffer) => void (serverStderr = (serverStderr + d.toString()).slice(-4000)));
server.on('exit', (code, signal) => code !== 0 && code !== null && process.stderr.write(`bench: clvkit serve exited ${code ?? signal}: ${serverStderr}\n`));
const url = await new Promise<string>((resolve, reject) => {
  let err = '';
  server.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    const match = /listening on (http:\/\/\S+)/.exec(err);
    if (match) resolve(match[1]!);
  });
  server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
});

try {
  probeReset();
  const health = await autocannon({ url: `${url}/api/health`, connections, duration: Math.max(3, seconds / 2) });
  const healthLoop = await probeRead();

  let sequence = 0;
  const body = () => {
    const n = sequence++;
    const lines: string[] = [];
    for (let i = 0; i < batch; i++) lines.push(`{"customer_id":"bench-${n}-${i % 100}","ts":"${new Date(Date.UTC(2026, 0, 1) + (n * batch + i) * 1000).toISOString()}","type":"view","product_id":"P${i % 50}"}`);
    return lines.join('\n');
  };
  const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  let countedBefore = 0;
  /** One ingestion phase (at most `overallRate` requests/s when given), then every acknowledged event counted back (the count waits for the backlog). */
  const ingestPhase = async (overallRate?: number) => {
    probeReset();
    const result = await autocannon({
      url: `${url}/api/events`,
      method: 'POST',
      connections,
      duration: seconds,
      ...(overallRate ? { overallRate } : {}),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, body: body() }) }],
    });
    const loop = await probeRead(); // the load only, not the drain after it
    const acknowledged = result['2xx'] * batch;
    const drainStart = Date.now();
    const countedNow = ((await (await fetch(`${url}/api/events/count?prefix=bench-`, { headers: { cookie } })).json()) as { count: number }).count;
    const counted = countedNow - countedBefore;
    countedBefore = countedNow;
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const withDrain = await probeRead(); // CPU of the load and of applying its backlog
    return { result, acknowledged, counted, drainSeconds, loop, cpuSeconds: withDrain.cpuSeconds };
  };
  // the goal's rate first (requests × batch = 20,000 events/s), on an idle server; then as fast as it goes
  const goalRate = Math.max(1, Math.round(GOAL_EVENTS_PER_SECOND / batch));
  const paced = await ingestPhase(goalRate);
  const ingestPhaseResult = await ingestPhase();
  const ingest = ingestPhaseResult.result;
  const { acknowledged, counted, drainSeconds } = ingestPhaseResult;
  const loopFigures = (prefix: string, loop: LoopStats) => ({ [`${prefix}LoopP50Ms`]: loop.p50Ms, [`${prefix}LoopP99Ms`]: loop.p99Ms, [`${prefix}LoopMaxMs`]: loop.maxMs, [`${prefix}LoopMeanMs`]: loop.meanMs, [`${prefix}CpuSeconds`]: loop.cpuSeconds, [`${prefix}WallSeconds`]: loop.wallSeconds });

  /** a small shop sent through POST /api/orders and analysed, then the overview API at the same connections */
  const overviewPhase = async () => {
    // a small shop, analysed, for the overview
    const orders: string[] = [];
    for (let c = 0; c < 500; c++) for (let k = 0; k <= c % 4; k++) orders.push(JSON.stringify({ order_id: `o${c}-${k}`, customer_id: `shop-${c}`, date: `2025-${String(1 + ((c + k * 5) % 12)).padStart(2, '0')}-${String(1 + (c % 28)).padStart(2, '0')}T10:00:00Z`, amount: 10 + (c % 40) }));
    await fetch(`${url}/api/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body: orders.join('\n') });
    await fetch(`${url}/api/events/count?prefix=zz`, { headers: { cookie } }); // waits for the backlog
    const me = (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as { csrfToken: string };
    const run = (await (await fetch(`${url}/api/runs`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ skipPatterns: true, skipReport: true }) })).json()) as { id: string };
    for (;;) {
      const state = (await (await fetch(`${url}/api/runs/${run.id}`, { headers: { cookie } })).json()) as { status: string };
      if (state.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const overviewProbe = await fetch(`${url}/api/overview`, { headers: { cookie } });
    const overviewPath = overviewProbe.status === 404 ? '/api/runs' : '/api/overview';
    return { overviewPath, overview: await autocannon({ url: `${url}${overviewPath}`, connections, duration: Math.max(3, seconds / 2), headers: { cookie } }) };
  };
  const overviewResult = scope === 'ingest' ? null : await overviewPhase();

  const total = (r: AutocannonResult) => r['2xx'] + r.non2xx + r.errors + r.timeouts;
  reportCase(ingest.duration, {
    pacedRequestsPerSecond: goalRate,
    pacedEventsPerSecond: Math.round(paced.acknowledged / paced.result.duration),
    pacedP50Ms: paced.result.latency.p50,
    pacedP99Ms: paced.result.latency.p99,
    pacedErrorRate: total(paced.result) === 0 ? 0 : (paced.result.non2xx + paced.result.errors + paced.result.timeouts) / total(paced.result),
    pacedAcknowledged: paced.acknowledged,
    pacedCounted: paced.counted,
    pacedDrainSeconds: paced.drainSeconds,
    ...loopFigures('paced', paced.loop),
    pacedCpuSecondsWithDrain: paced.cpuSeconds,
    ...loopFigures('ingest', ingestPhaseResult.loop),
    ingestCpuSecondsWithDrain: ingestPhaseResult.cpuSeconds,
    ...loopFigures('health', healthLoop),
    loadAverageStart: loadAtStart,
    loadAverageEnd: os.loadavg()[0]!,
    eventsPerSecond: Math.round(acknowledged / ingest.duration),
    ingestP50Ms: ingest.latency.p50,
    ingestP99Ms: ingest.latency.p99,
    ingestErrorRate: total(ingest) === 0 ? 0 : (ingest.non2xx + ingest.errors + ingest.timeouts) / total(ingest),
    ingestRequestsPerSecond: ingest.requests.average,
    acknowledged,
    counted,
    lost: acknowledged - counted,
    drainSeconds,
    healthRequestsPerSecond: health.requests.average,
    healthP99Ms: health.latency.p99,
    ...(overviewResult
      ? {
          overviewPath: overviewResult.overviewPath,
          overviewRequestsPerSecond: overviewResult.overview.requests.average,
          overviewP50Ms: overviewResult.overview.latency.p50,
          overviewP99Ms: overviewResult.overview.latency.p99,
          overviewErrorRate: total(overviewResult.overview) === 0 ? 0 : (overviewResult.overview.non2xx + overviewResult.overview.errors + overviewResult.overview.timeouts) / total(overviewResult.overview),
        }
      : {}),
    mode,
    connections,
    batch,
  });
} catch (error) {
  process.stderr.write(`bench: the server case failed; the server's stderr ends with:\n${serverStderr}\n`);
  throw error;
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
