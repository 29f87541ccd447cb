/**
 * A fault in what the user gave us (a file, a flag, a value): the message says
 * what was wrong, the hint how to fix it. The CLI prints both on one line and
 * exits with code 2; everything else is a bug and keeps its stack trace.
 *
 * Example: `throw new UserError('no column for role customer_id', 'pass --map customer_id=<column>')`
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
