/**
 * The program stopped because a part it runs on failed — not the user's
 * input (that is `UserError`, exit 2) and not a bug in the code path that
 * throws it: e.g. `clvkit serve` after its warehouse thread died. The CLI
 * prints the message as one line, without a stack trace, and exits with
 * code 1 so that a supervisor restarts it.
 *
 * Example: `throw new StoppedError('the warehouse thread stopped (exit 1); the server stopped')`
 */
export class StoppedError extends Error {
  override readonly name: string = 'StoppedError';
}
