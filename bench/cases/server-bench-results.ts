// The server section of `npm run bench` (--only server): event ingestion paced at the goal's rate and as fast as it goes, and the overview API, on loopback (server-load.ts).
import { runCase, type BenchResult } from '../bench-harness.js';

export async function serverBenchResults(quick: boolean): Promise<BenchResult[]> {
  const seconds = quick ? 8 : 20;
  const batch = 500;
  const connections = 8;
  process.stderr.write(`bench: server, event ingestion (${batch} events a request, ${connections} connections, ${seconds} s) and the overview API\n`);
  const run = await runCase('./cases/server-load.ts', [String(seconds), String(batch), String(connections), 'thread'], { timeoutSeconds: 10 * 60 });
  // the baseline of the same run: the same two ingestion phases with the apply on the event loop's thread (CLVKIT_WAREHOUSE_THREAD=off)
  process.stderr.write('bench: server, the same ingestion with the apply on the event loop (CLVKIT_WAREHOUSE_THREAD=off), for the event-loop delay before/after\n');
  const onLoop = await runCase('./cases/server-load.ts', [String(seconds), String(batch), String(connections), 'main', 'ingest'], { timeoutSeconds: 10 * 60 });
  if (run.timedOut) return [{ stage: 'server: event ingestion', size: `${batch} events a request`, seconds: Number.NaN, baseline: 'GET /api/health', baselineSeconds: Number.NaN, ratio: Number.NaN, peakRssMiB: Number.NaN, timedOutAfterSeconds: 600 }];
  const x = run.extra!;
  const n = (key: string) => Number(x[key]);
  const acknowledged = n('acknowledged');
  const counted = n('counted');
  // requests in flight when autocannon stops are stored by the server but not counted as acknowledged by the client: at most connections × batch more
  const lost = Math.max(0, acknowledged - counted);
  const healthSecondsPerRequest = 1 / n('healthRequestsPerSecond');
  const pacedLost = Math.max(0, n('pacedAcknowledged') - n('pacedCounted'));
  const m = (key: string) => (onLoop.timedOut ? Number.NaN : Number(onLoop.extra![key]));
  /** the serve process's event loop in a phase: how late its 10 ms timer fired (p50/p99/max) and the process's CPU seconds */
  const loop = (get: (key: string) => number, phase: string) =>
    `event-loop delay p50 ${get(`${phase}LoopP50Ms`).toFixed(1)} / p99 ${get(`${phase}LoopP99Ms`).toFixed(0)} / max ${get(`${phase}LoopMaxMs`).toFixed(0)} ms, CPU ${get(`${phase}CpuSeconds`).toFixed(1)} s in ${get(`${phase}WallSeconds`).toFixed(1)} s (${get(`${phase}CpuSecondsWithDrain`).toFixed(1)} s with the backlog's apply)`;
  const load = `load average ${n('loadAverageStart').toFixed(1)} → ${n('loadAverageEnd').toFixed(1)}`;
  return [
    {
      stage: 'server: event ingestion at the goal rate (POST /api/events, paced)',
      size: `${n('pacedRequestsPerSecond')} requests/s × ${batch} events = 20,000 events/s, ${connections} connections, ${seconds} s`,
      seconds: n('pacedP99Ms') / 1000,
      baseline: 'GET /api/health p99, same connections',
      baselineSeconds: n('healthP99Ms') / 1000,
      ratio: n('healthP99Ms') > 0 ? n('pacedP99Ms') / n('healthP99Ms') : Number.NaN,
      targetSeconds: 0.1,
      throughput: `${n('pacedEventsPerSecond').toLocaleString('en-US')} events/s acknowledged`,
      peakRssMiB: run.peakRssMiB,
      notes: `seconds = p99 latency at the goal's rate (goal < 100 ms); p50 ${n('pacedP50Ms')} ms, p99 ${n('pacedP99Ms')} ms; errors ${(100 * n('pacedErrorRate')).toFixed(2)}%; acknowledged ${n('pacedAcknowledged').toLocaleString('en-US')}, counted back ${n('pacedCounted').toLocaleString('en-US')}, lost ${pacedLost}; backlog applied ${n('pacedDrainSeconds').toFixed(1)} s after the load; ${loop(n, 'paced')}; ${load}`,
    },
    {
      stage: 'server: event-loop delay at the goal rate (warehouse thread)',
      size: `${n('pacedRequestsPerSecond')} requests/s × ${batch} events, ${connections} connections, ${seconds} s`,
      seconds: n('pacedLoopP99Ms') / 1000,
      baseline: 'same phase, apply on the event loop (CLVKIT_WAREHOUSE_THREAD=off)',
      baselineSeconds: m('pacedLoopP99Ms') / 1000,
      ratio: n('pacedLoopP99Ms') / m('pacedLoopP99Ms'),
      throughput: `${n('pacedEventsPerSecond').toLocaleString('en-US')} vs ${m('pacedEventsPerSecond').toLocaleString('en-US')} events/s acknowledged`,
      peakRssMiB: run.peakRssMiB,
      notes: `seconds = p99 of how late the serve process's event loop came back; warehouse thread: ${loop(n, 'paced')}, request p99 ${n('pacedP99Ms')} ms; apply on the loop: ${loop(m, 'paced')}, request p99 ${m('pacedP99Ms')} ms, lost ${Math.max(0, m('pacedAcknowledged') - m('pacedCounted'))}; as fast as it goes: thread ${loop(n, 'ingest')}, ${n('eventsPerSecond').toLocaleString('en-US')} events/s; on the loop ${loop(m, 'ingest')}, ${m('eventsPerSecond').toLocaleString('en-US')} events/s; ${load}, baseline run ${m('loadAverageStart').toFixed(1)} → ${m('loadAverageEnd').toFixed(1)}`,
    },
    {
      stage: 'server: event ingestion (POST /api/events)',
      size: `${batch} events a request, ${connections} connections, ${seconds} s`,
      seconds: 1 / n('ingestRequestsPerSecond'),
      baseline: 'GET /api/health, same connections',
      baselineSeconds: healthSecondsPerRequest,
      ratio: healthSecondsPerRequest > 0 ? 1 / n('ingestRequestsPerSecond') / healthSecondsPerRequest : Number.NaN,
      throughput: `${n('eventsPerSecond').toLocaleString('en-US')} events/s acknowledged`,
      peakRssMiB: run.peakRssMiB,
      notes: `p50 ${n('ingestP50Ms')} ms, p99 ${n('ingestP99Ms')} ms (goal 20,000 events/s with p99 < 100 ms); errors ${(100 * n('ingestErrorRate')).toFixed(2)}%; acknowledged ${acknowledged.toLocaleString('en-US')}, counted back ${counted.toLocaleString('en-US')}, lost ${lost}; backlog applied ${n('drainSeconds').toFixed(1)} s after the load; ${loop(n, 'ingest')}`,
    },
    {
      stage: `server: overview API (GET ${x.overviewPath})`,
      size: `${connections} connections`,
      seconds: 1 / n('overviewRequestsPerSecond'),
      baseline: 'GET /api/health, same connections',
      baselineSeconds: healthSecondsPerRequest,
      ratio: 1 / n('overviewRequestsPerSecond') / healthSecondsPerRequest,
      throughput: `${n('overviewRequestsPerSecond').toFixed(0)} requests/s`,
      peakRssMiB: run.peakRssMiB,
      notes: `p50 ${n('overviewP50Ms')} ms, p99 ${n('overviewP99Ms')} ms, errors ${(100 * n('overviewErrorRate')).toFixed(2)}%`,
    },
  ];
}
