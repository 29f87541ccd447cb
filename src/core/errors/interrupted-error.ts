/**
 * The user stopped the command (Ctrl-C: SIGINT; or SIGTERM) and it stopped cleanly — not
 * bad input (`UserError`, exit 2), not a bug: the message says what was done
 * and what was not (`ingest interrupted: nothing from orders-b.csv was added;
 * added before it, and kept: orders-a.csv`). The CLI prints it as one line and
 * exits with code 130, as a shell does for a process stopped by SIGINT (143
 * when SIGTERM stopped it: `withInterruptSignal` marks the error).
 *
 * Example: `throw new InterruptedError('ingest interrupted: nothing from orders.csv was added')`
 */
export class InterruptedError extends Error {
  override readonly name: string = 'InterruptedError';
}
