import { parseDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';

/**
 * A day the schema let through by its shape (YYYY-MM-DD) that must also be on the calendar: a 400 in the API's
 * words (its field, not the CLI's flag), before anything is drawn, started or written — `2023-13-45` used to
 * reach the warehouse's INSERT and answer 500, and `asOf: 2023-02-30` started a run that failed saying --as-of.
 */
export function calendarDay(value: string, field: string, example: string): string {
  try {
    return parseDay(value, field);
  } catch {
    throw new UserError(`${field} ${value} is not a date`, `send it as YYYY-MM-DD, e.g. ${example}`);
  }
}
