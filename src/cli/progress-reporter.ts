import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../pipeline/run-stages.js';

/**
 * Progress on stderr: a bar over the run's steps on a terminal, plain lines
 * otherwise (logs, CI, pipes). Silent when `quiet`.
 */
export function createProgressReporter(steps: readonly string[], options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): { report: (event: ProgressEvent) => void; stop: () => void } {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { report: () => {}, stop: () => {} };
  if (!stream.isTTY) {
    return {
      report: (event) => {
        if (event.phase === 'end') stream.write(`clvkit: ${event.step} done in ${((event.elapsedMs ?? 0) / 1000).toFixed(1)} s${event.detail ? ` — ${event.detail}` : ''}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'clvkit {bar} {value}/{total} steps | {step} | {duration_formatted}', stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps.length, 0, { step: 'starting' });
  let done = 0;
  const planned = new Set(steps);
  let total = steps.length;
  return {
    report: (event) => {
      // a step not planned (a pass again, `<stage> (again)`: recompute-without-erased.ts) adds one to the bar
      if (event.phase === 'start' && !planned.has(event.step)) {
        planned.add(event.step);
        bar.setTotal(++total);
      }
      if (event.phase === 'start') bar.update(done, { step: event.step });
      else bar.update(++done, { step: `${event.step} ✓` });
    },
    stop: () => bar.stop(),
  };
}
