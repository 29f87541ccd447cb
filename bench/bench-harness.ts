import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One measured case: its figure, the baseline measured in the same run, their ratio, and peak memory. */
export interface BenchResult {
  readonly stage: string;
  readonly size: string;
  /** seconds of the case and of its baseline */
  readonly seconds: number;
  readonly baseline: string;
  readonly baselineSeconds: number;
  /** seconds / baselineSeconds: lower is better */
  readonly ratio: number;
  readonly target?: number;
  /** an absolute target in seconds, where the issue sets one */
  readonly targetSeconds?: number;
  /** rows (or customers) per second of the case */
  readonly throughput?: string;
  /** peak resident memory of the child process that ran the case, in MiB */
  readonly peakRssMiB: number;
  readonly notes?: string;
  /** the case was killed at this time limit: seconds and ratio print as "> limit" */
  readonly timedOutAfterSeconds?: number;
}

/** What a case script sends back to the harness. */
export interface CaseMessage {
  readonly seconds: number;
  readonly extra?: Record<string, number | string>;
}

export interface RunCaseOptions {
  /** kill the case after this many seconds and resolve with `timedOut` (default: no limit) */
  readonly timeoutSeconds?: number;
}

/**
 * Run a case script in a child process (so its peak RSS is its own) and return
 * the seconds it measured and its peak RSS in MiB; with a time limit, a case
 * still running at the limit is killed and comes back `timedOut` (seconds NaN).
 */
export function runCase(script: string, args: readonly string[], options: RunCaseOptions = {}): Promise<CaseMessage & { peakRssMiB: number; timedOut?: boolean }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message: CaseMessage | undefined;
    let timedOut = false;
    const timer = options.timeoutSeconds === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    child.on('message', (m) => (message = m as CaseMessage));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve({ seconds: Number.NaN, peakRssMiB: Number.NaN, timedOut: true });
      else if (code !== 0 || !message) reject(new Error(`bench case ${script} ${args.join(' ')} failed (exit ${code})`));
      else resolve({ ...message, peakRssMiB: Number((message.extra?.maxRssKiB ?? 0)) / 1024 });
    });
  });
}

/** Called by a case script when it is done: reports its figure and peak RSS to the harness. */
export function reportCase(seconds: number, extra: Record<string, number | string> = {}): void {
  // a figure that was not measured (NaN) is left out: JSON would carry it as null, which a reader's Number() makes 0
  const measured = Object.fromEntries(Object.entries(extra).filter(([, value]) => typeof value === 'string' || Number.isFinite(value)));
  const message = { seconds, extra: { ...measured, maxRssKiB: process.resourceUsage().maxRSS } } satisfies CaseMessage;
  // Run by hand (not forked by the harness): print the figure.
  if (process.send) process.send(message);
  else console.log(JSON.stringify(message));
}

export function formatBenchTable(results: readonly BenchResult[], previous?: readonly BenchResult[]): string {
  const header = ['stage', 'size', 'seconds', 'baseline', 'base s', 'ratio', 'target', 'throughput', 'peak RSS', 'vs previous'];
  const rows = results.map((r) => {
    const before = previous?.find((p) => p.stage === r.stage && p.size === r.size);
    return [
      r.stage,
      r.size,
      r.timedOutAfterSeconds !== undefined ? `> ${r.timedOutAfterSeconds}` : r.seconds.toFixed(2),
      r.baseline,
      Number.isFinite(r.baselineSeconds) ? r.baselineSeconds.toFixed(2) : '—',
      r.timedOutAfterSeconds !== undefined && Number.isFinite(r.baselineSeconds) ? `> ${(r.timedOutAfterSeconds / r.baselineSeconds).toFixed(1)}` : Number.isFinite(r.ratio) ? r.ratio.toFixed(3) : '—',
      r.target !== undefined
        ? `ratio ≤ ${r.target}${r.ratio <= r.target ? ' ✓' : ' ✗'}`
        : r.targetSeconds !== undefined
          ? `< ${r.targetSeconds} s${r.seconds < r.targetSeconds ? ' ✓' : ' ✗'}`
          : '',
      r.throughput ?? '',
      Number.isFinite(r.peakRssMiB) ? `${r.peakRssMiB.toFixed(0)} MiB` : '—',
      before ? `${(r.ratio / before.ratio).toFixed(2)}× ratio` : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
