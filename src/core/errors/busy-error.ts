import { UserError } from './user-error.js';

/**
 * A passing condition, not a fault in what the user gave: the warehouse is in use by another process (a running
 * ingest, analyze or `clvkit serve`). A `UserError` — one line with its hint — on which the CLI exits 75
 * (EX_TEMPFAIL of sysexits.h: a temporary failure, try again later) instead of 2, so that a scheduled job can retry
 * where a bad flag or file must be fixed.
 *
 * Example: `throw new BusyError('the database shop.duckdb is in use by another process', 'close the other clvkit run or use another --db')`
 */
export class BusyError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    // UserError types `name` as the literal 'UserError'; set ours at run time.
    Object.defineProperty(this, 'name', { value: 'BusyError', configurable: true, writable: true });
  }
}

/** The CLI's exit code of a warehouse in use by another process (EX_TEMPFAIL). */
export const BUSY_EXIT_CODE = 75;
