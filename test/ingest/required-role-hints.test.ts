import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { requireRoles } from '../../src/ingest/match-column-roles.js';

function hintOf(columns: readonly string[]): string | undefined {
  try {
    requireRoles({}, ['customer_id'], columns);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).hint;
  }
  throw new Error('requireRoles accepted a mapping without customer_id');
}

// A missing required role always hinted "pass --map customer_id=…", which cannot help when the file was split with
// the wrong delimiter (one column holding the whole header) or is a customer summary rather than transactions.
describe('the hint of a missing required role says what would help', () => {
  it('a header read as one column that holds a delimiter: pass that --delimiter', () => {
    expect(hintOf(['CustomerID;InvoiceDate;Amount'])).toBe("the header was read as one column and holds ';': pass --delimiter ';'");
    expect(hintOf(['CustomerID\tInvoiceDate\tAmount'])).toBe("the header was read as one column and holds '\\t': pass --delimiter '\\t'");
  });

  it('a customer summary (frequency, recency, T or periods): fit it, do not ingest it', () => {
    expect(hintOf(['ID', 'frequency', 'recency', 'T'])).toBe('this is a customer summary (frequency, recency, …), not transactions: fit it with clvkit fit FILE --model bgnbd (or bgbb for frequency, recency, periods)');
  });

  it('other columns: map the role', () => {
    expect(hintOf(['client', 'when', 'total'])).toBe('pass --map customer_id=<column name or 1-based position>');
  });
});
