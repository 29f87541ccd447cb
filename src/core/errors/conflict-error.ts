import { UserError } from './user-error.js';

/**
 * A sound request that what is stored does not allow (an audience that is
 * the record of a campaign, to be dropped): a `UserError` — the CLI prints
 * message and hint on one line, exit 2 — that the HTTP API answers with 409
 * `conflict` instead of 400.
 *
 * Example: `throw new ConflictError('audience winback is the record of a campaign: …', 'keep it; …')`
 */
export class ConflictError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    // UserError types `name` as the literal 'UserError'; set ours at run time.
    Object.defineProperty(this, 'name', { value: 'ConflictError', configurable: true, writable: true });
  }
}
