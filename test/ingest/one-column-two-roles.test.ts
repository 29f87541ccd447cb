/**
 * One column mapped to two roles was taken silently (a QA trial on the Online Retail layout): `--map
 * discount=UnitPrice` took UnitPrice from unit_price (found by its name), so the file became frequency-only and the
 * warning said the file "has no unit price"; `--map customer_id=InvoiceDate --map date=InvoiceDate` gave 971 customers
 * named by timestamps. A column serves one role: both are refused in one line naming the column and both roles, exit 2,
 * for every file kind (they share matchColumnRoles). A --map for the role auto-mapping gave another column stays legal.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveColumnRoles } from '../../src/ingest/column-roles.js';
import { matchColumnRoles } from '../../src/ingest/match-column-roles.js';
import { EVENT_ROLE_SYNONYMS, EVENT_ROLES, PROFILE_ROLE_SYNONYMS, PROFILE_ROLES } from '../../src/ingest/source-kind.js';
import { cli } from '../helpers/cli.js';
import { scratchDir, writeLines } from '../helpers/warehouse.js';

const RETAIL = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'];

function retailFile(): string {
  const dir = scratchDir('clvkit-two-roles-');
  const lines = [RETAIL.join(',')];
  for (let c = 1; c <= 6; c++) for (let o = 1; o <= 2; o++) lines.push(`${c}${o},85123A,HEART,${o + 1},2011-0${o}-0${c} 08:26,2.55,${17850 + c},United Kingdom`);
  return writeLines(dir, 'retail.csv', lines);
}

describe('one column in two roles', () => {
  it('analyze --map discount=UnitPrice (unit_price found UnitPrice by its name) is refused, exit 2 (was a silent frequency-only run)', async () => {
    const run = await cli(['analyze', retailFile(), '--map', 'discount=UnitPrice', '--out', join(scratchDir(), 'out'), '--quiet']);
    expect(run.stderr).toBe('clvkit: error: column UnitPrice is mapped to two roles: --map discount=UnitPrice, and unit_price by its name (hint: a column serves one role: map unit_price to another column (--map unit_price=<column>), or discount to another column)\n');
    expect(run.code).toBe(2);
  });

  it('analyze --map customer_id=InvoiceDate --map date=InvoiceDate is refused, exit 2 (was customers named by timestamps)', async () => {
    const run = await cli(['analyze', retailFile(), '--map', 'customer_id=InvoiceDate', '--map', 'date=InvoiceDate', '--out', join(scratchDir(), 'out'), '--quiet']);
    expect(run.stderr).toBe('clvkit: error: column InvoiceDate is mapped to two roles: --map customer_id=InvoiceDate, and --map date=InvoiceDate (hint: a column serves one role: map customer_id or date to another column)\n');
    expect(run.code).toBe(2);
  });

  it('a position and a name that are the same column are refused too', () => {
    expect(() => resolveColumnRoles(RETAIL, { customer_id: '5', date: 'invoicedate' })).toThrow('column InvoiceDate is mapped to two roles: --map customer_id=5, and --map date=invoicedate');
  });

  it('a --map for the role auto-mapping gave another column is legal: the role moves, nothing else changes', () => {
    const columns = [...RETAIL, 'ListPrice'];
    const { mapping } = resolveColumnRoles(columns, { unit_price: 'ListPrice' });
    expect(mapping).toMatchObject({ unit_price: 'ListPrice', quantity: 'Quantity', customer_id: 'CustomerID', date: 'InvoiceDate', order_id: 'InvoiceNo' });
    expect(Object.values(mapping)).not.toContain('UnitPrice');
    // and a --map that moves a role away from the column it names first: the other role (now flagged) takes it
    expect(resolveColumnRoles(columns, { discount: 'UnitPrice', unit_price: 'ListPrice' }).mapping).toMatchObject({ discount: 'UnitPrice', unit_price: 'ListPrice' });
  });

  it('two flags naming one column are refused in event and profile files too', () => {
    expect(() => matchColumnRoles(['customer_id', 'signup_date', 'contact'], { email: 'contact', note: 'contact' }, PROFILE_ROLES, PROFILE_ROLE_SYNONYMS)).toThrow('column contact is mapped to two roles: --map email=contact, and --map note=contact');
  });

  // review of the first version, which refused every flag taking a column another role finds by its name: these
  // worked before it and have no other way (a role cannot be unmapped)
  it('a flag taking a column an optional role finds by its name wins, and that role stays unmatched (as before)', () => {
    // Price is a unit-price name; as the line total it is the amount, and the file needs no unit price
    expect(resolveColumnRoles(['CustomerID', 'Date', 'Quantity', 'Price'], { amount: 'Price' }).mapping).toEqual({ customer_id: 'CustomerID', date: 'Date', quantity: 'Quantity', amount: 'Price' });
    // a file without product codes: the description as the product
    expect(resolveColumnRoles(['CustomerID', 'Date', 'Description', 'Amount'], { product_id: 'Description' }).mapping).toMatchObject({ product_id: 'Description', amount: 'Amount' });
    // an event file whose user_id is the anonymous visitor id
    const events = matchColumnRoles(['session_id', 'user_id', 'ts', 'type'], { anonymous_id: 'user_id' }, EVENT_ROLES, EVENT_ROLE_SYNONYMS).mapping;
    expect(events).toMatchObject({ anonymous_id: 'user_id', session_id: 'session_id' });
    expect(events.customer_id).toBeUndefined();
  });

  it('a flag taking the column of a required role, or of the only order value, is refused', () => {
    expect(() => resolveColumnRoles(RETAIL, { product_id: 'CustomerID' })).toThrow('column CustomerID is mapped to two roles: --map product_id=CustomerID, and customer_id by its name');
    expect(() => resolveColumnRoles(RETAIL, { region: 'InvoiceDate' })).toThrow('column InvoiceDate is mapped to two roles: --map region=InvoiceDate, and date by its name');
  });
});
