import { constants } from 'node:os';
import { errorMarks } from '../core/errors/error-marks.js';

/** The signals a long command stops cleanly at: Ctrl-C (SIGINT), and SIGTERM — what cron timeouts, systemd and Kubernetes send. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

// the signal that stopped the work that threw an error (`interruptedBy`)
const stoppedBy = errorMarks<StopSignal>();

/**
 * The signal that stopped the work (`withInterruptSignal`) that threw `error`, or null (not stopped by a signal, or not
 * an object). The CLI's exit code for it is `128 + its number` (`interruptedExitCode`).
 */
export function interruptedBy(error: unknown): StopSignal | null {
  return stoppedBy.of(error);
}

/**
 * The exit code of a command stopped cleanly by `signal`, as a shell reports a process that signal ended: 130 for
 * SIGINT (also when no signal is known: an `InterruptedError` thrown otherwise), 143 for SIGTERM.
 */
export function interruptedExitCode(signal: StopSignal | null): number {
  return 128 + constants.signals[signal ?? 'SIGINT'];
}

/**
 * Runs `work` with a signal that the first SIGINT (Ctrl-C) or SIGTERM aborts,
 * so that it can stop cleanly and say what it did and did not do (an
 * `InterruptedError`: `clvkit ingest`, `clvkit erase`); the error it then
 * throws is marked with the signal (`interruptedBy`: exit 130 or 143). A
 * second signal ends the process at once, as it does without this. The
 * handlers are removed when `work` ends.
 *
 * Example: `await withInterruptSignal((signal) => ingestFiles(warehouse, files, { signal }))`
 */
export async function withInterruptSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let first: StopSignal | null = null;
  const remove = () => {
    for (const name of STOP_SIGNALS) process.off(name, handlers[name]);
  };
  const handle = (name: StopSignal) => {
    if (first === null) {
      first = name;
      return controller.abort();
    }
    remove();
    process.kill(process.pid, name); // no handler left: Node's default, the process ends now
  };
  const handlers = { SIGINT: () => handle('SIGINT'), SIGTERM: () => handle('SIGTERM') };
  for (const name of STOP_SIGNALS) process.on(name, handlers[name]);
  try {
    return await work(controller.signal);
  } catch (error) {
    throw first === null ? error : stoppedBy.mark(error, first);
  } finally {
    remove();
  }
}
