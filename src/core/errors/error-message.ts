/**
 * The message of something thrown: an `Error`'s message, else the thing itself as text (a string thrown, a
 * rejection with a number). For a reason said in a note, a wrapped error's message or a test of its text.
 *
 * Example: `errorMessage(new Error('disk full'))` → `'disk full'`; `errorMessage('stopped')` → `'stopped'`
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
