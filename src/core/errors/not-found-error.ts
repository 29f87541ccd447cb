import { UserError } from './user-error.js';

/**
 * Something the user named is not stored (an audience): a `UserError` — the
 * CLI prints message and hint on one line, exit 2 — that also says what was
 * looked for and which names there are, so that the HTTP API answers 404 in
 * its own words (`handleServerError`): the message and hint are the CLI's
 * (they may name the warehouse's file or flags, which an API client must not
 * be told).
 *
 * Example: `throw new NotFoundError('no audience x in shop.duckdb', 'audiences: a, b', { what: 'audience', name: 'x', known: ['a', 'b'] })`
 */
export class NotFoundError extends UserError {
  /** the kind of thing looked for, as a word: `audience` */
  readonly what: string;
  /** the name that was looked for */
  readonly missing: string;
  /** names that are stored, newest first: at most `NAMES_SHOWN` + 1 (the last only says there are more) */
  readonly known: readonly string[];

  constructor(message: string, hint: string | undefined, found: { readonly what: string; readonly name: string; readonly known: readonly string[] }) {
    super(message, hint);
    this.what = found.what;
    this.missing = found.name;
    this.known = found.known;
    // UserError types `name` as the literal 'UserError'; set ours at run time.
    Object.defineProperty(this, 'name', { value: 'NotFoundError', configurable: true, writable: true });
  }
}

/** How many stored names a not-found message lists. */
export const NAMES_SHOWN = 10;

/** The stored names as a message lists them: the first `NAMES_SHOWN`, `…` when there are more. */
export function shownNames(known: readonly string[]): string {
  return `${known.slice(0, NAMES_SHOWN).join(', ')}${known.length > NAMES_SHOWN ? ', …' : ''}`;
}
