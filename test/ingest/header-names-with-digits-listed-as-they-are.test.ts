import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { requireRoles } from '../../src/ingest/match-column-roles.js';
import { namesLookLikeData } from '../../src/privacy/access/raw-values.js';

function errorOf(columns: readonly string[]): UserError {
  try {
    requireRoles({}, ['amount'], columns);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('requireRoles accepted a mapping without amount');
}

// Review (session 40, L6): a header was taken for a data row when any of its names held five or more digits
// (`sales_20230101`, `store_10001`): a missing role then listed the names masked (`s***`) with the data-row hint,
// and the hint that helps (--map) was lost. Only contact data among the names, or several names that are values, mark
// a data row now.
describe('header names that hold digits', () => {
  it('are listed as they are, with the --map hint, when a role is missing', () => {
    const wide = errorOf(['customer_id', 'date', 'sales_20230101']);
    expect(wide.message).toBe("no column for required role 'amount' (columns found: 1:customer_id, 2:date, 3:sales_20230101)");
    expect(wide.hint).toBe('pass --map amount=<column name or 1-based position>');
    expect(errorOf(['customer_id', 'order_date', 'store_10001']).message).toBe(
      "no column for required role 'amount' (columns found: 1:customer_id, 2:order_date, 3:store_10001)",
    );
  });

  it('a data row is still one: contact data among the names, or several values', () => {
    expect(namesLookLikeData(['customer_id', 'date', 'sales_20230101'])).toBe(false);
    expect(namesLookLikeData(['customer_id', 'order_date', 'amount', 'store_10001'])).toBe(false);
    expect(namesLookLikeData(['c42', 'ana@example.com'])).toBe(true);
    expect(namesLookLikeData(['c42', 'Ana', '+44 7700 900123'])).toBe(true);
    expect(namesLookLikeData(['100001', '2022-07-23', 'email', '1.56', 'Europe', 'United Kingdom', 'female', '1973', 'Poppy Norris', '07700 900770'])).toBe(true);
    expect(namesLookLikeData(['a', '2023-01-01', '10'])).toBe(true);
  });
});
