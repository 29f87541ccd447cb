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

  it('no customer id but an email column (a Shopify order export): use the email as the id', async () => {
    const { resolveColumnRoles } = await import('../../src/ingest/column-roles.js');
    const error = (() => {
      try {
        resolveColumnRoles(['Name', 'Email', 'Financial Status', 'Created at', 'Total'], {}, {});
      } catch (e) {
        return e as UserError;
      }
      throw new Error('resolveColumnRoles accepted a file without a customer id');
    })();
    expect(error.hint).toBe("the file has no customer id column but an email column: pass --map customer_id=Email to use it as the customer id (pseudonymised like any id)");
  });

  it("a Stripe payments export's 'Created (UTC)' and 'Created date (UTC)' are read as the date", async () => {
    const { resolveColumnRoles } = await import('../../src/ingest/column-roles.js');
    expect(resolveColumnRoles(['Customer ID', 'Created (UTC)', 'Amount'], {}, {}).mapping.date).toBe('Created (UTC)');
    expect(resolveColumnRoles(['id', 'Created date (UTC)', 'Amount', 'Customer ID'], {}, {}).mapping.date).toBe('Created date (UTC)');
  });

  it('other columns: map the role', () => {
    expect(hintOf(['client', 'when', 'total'])).toBe('pass --map customer_id=<column name or 1-based position>');
  });
});
