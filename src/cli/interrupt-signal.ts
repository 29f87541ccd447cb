/**
 * Runs `work` with a signal the first Ctrl-C (SIGINT) aborts, so that it can
 * stop cleanly and say what it did and did not do (an `InterruptedError`, exit
 * 130: `clvkit ingest`); a second Ctrl-C ends the process at once, as it does
 * without this. The handler is removed when `work` ends.
 *
 * Example: `await withInterruptSignal((signal) => ingestFiles(warehouse, files, { signal }))`
 */
export async function withInterruptSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (!controller.signal.aborted) return controller.abort();
    process.off('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT'); // no handler left: Node's default, the process ends now
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
