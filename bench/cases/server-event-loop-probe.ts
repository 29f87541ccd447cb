// Preloaded into the `clvkit serve` process of the server bench (node --import): the event loop's delay and the
// process's CPU time, per phase, over the IPC channel the bench opens. Nothing in the server knows about it.
//   bench → { probe: 'reset' }  starts a phase (histogram and CPU mark reset);
//   bench → { probe: 'read' }   answers { probe: 'stats', p50Ms, p99Ms, maxMs, meanMs, samples, cpuSeconds, wallSeconds } since the reset.
// With CLVKIT_BENCH_SERVER_CPU_PROF=DIR each phase's CPU profile of the main thread (reset → first read) is written to DIR/phase-N.cpuprofile.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send) {
  // a timer samples the loop every RESOLUTION ms; the histogram holds the time between its firings (≥ RESOLUTION), so a
  // figure here is that minus RESOLUTION: how late the loop came back (what a request ready at that moment waited)
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let cpuMark = process.cpuUsage();
  let wallMark = process.hrtime.bigint();
  const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
  const profileDir = process.env.CLVKIT_BENCH_SERVER_CPU_PROF;
  const session = profileDir ? new Session() : null;
  session?.connect();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  let phase = 0;
  let profiling = false;
  // while profiling: every stretch the loop did not come back for ≥ 30 ms ([from, to] in µs of the monotonic clock the profile's
  // sample times use), written beside the profile so that a stretch's samples name what blocked it
  let gaps: [number, number][] = [];
  let lastTick = 0;
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  if (session) {
    setInterval(function loopTick() {
      const now = nowUs();
      if (profiling && lastTick > 0 && now - lastTick >= 30_000) gaps.push([lastTick, now]);
      lastTick = now;
    }, 2).unref();
  }
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  process.on('message', async (message: { probe?: string }) => {
    if (message?.probe === 'reset') {
      histogram.reset();
      cpuMark = process.cpuUsage();
      wallMark = process.hrtime.bigint();
      if (session && !profiling) {
        profiling = true;
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
        gaps = [];
      }
    } else if (message?.probe === 'read') {
      const cpu = process.cpuUsage(cpuMark);
      const stats = {
        probe: 'stats',
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
        meanMs: ms(histogram.mean),
        samples: histogram.count,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: Number(process.hrtime.bigint() - wallMark) / 1e9,
      };
      process.send!(stats);
      if (session && profiling) {
        profiling = false;
        const { profile } = (await post('Profiler.stop')) as { profile: object };
        writeFileSync(join(profileDir!, `phase-${++phase}.cpuprofile`), JSON.stringify(profile));
        writeFileSync(join(profileDir!, `phase-${phase}.gaps.json`), JSON.stringify(gaps));
      }
    }
  });
  // the channel must not keep the server alive after its graceful shutdown
  process.channel?.unref();
}
