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
  return {
    report: (event) => {
      if (event.phase === 'start') bar.update(done, { step: event.step });
      else bar.update(++done, { step: `${event.step} ✓` });
    },
    stop: () => bar.stop(),
  };
}
