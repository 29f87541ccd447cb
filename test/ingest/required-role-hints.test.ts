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

  // the sniffer detects only , ; | and tab: a header read as one column holding ':' '#' '~' or '^' hinted --map
  it('a header read as one column that holds : # ~ or ^ (delimiters the reader does not detect): pass that --delimiter', () => {
    expect(hintOf(['customer_id:date:amount'])).toBe("the header was read as one column and holds ':': pass --delimiter ':'");
    expect(hintOf(['customer_id#date#amount'])).toBe("the header was read as one column and holds '#': pass --delimiter '#'");
    expect(hintOf(['customer_id~date~amount'])).toBe("the header was read as one column and holds '~': pass --delimiter '~'");
    expect(hintOf(['customer_id^date^amount'])).toBe("the header was read as one column and holds '^': pass --delimiter '^'");
    expect(hintOf(['customer_id'])).toBe('pass --map customer_id=<column name or 1-based position>');
  });

  // a trial: `clvkit ingest data/*` took the folder's README.md, and its first line (`# Data for development and tests`)
  // was answered with "pass --delimiter '#'", which then failed on the roles: a line that starts with the character
  // (a Markdown heading, a comment) is no header of names split by it
  it('a one-column header that starts with the character (# Title): not a delimiter to pass; is it a data file?', () => {
    expect(hintOf(['# Data for development and tests'])).toBe(
      "the first line, '# Data for development and tests', is no header of column names: is this a data file (CSV/TSV, Parquet, JSON Lines, XLSX)? (a header whose names are split by a character the reader does not detect needs --delimiter)",
    );
    expect(hintOf(['customer_id;date;amount;'])).toBe("the header was read as one column and holds ';': pass --delimiter ';'");
  });

  it('a customer summary (frequency, recency, T or periods): fit it, do not ingest it', () => {
    expect(hintOf(['ID', 'frequency', 'recency', 'T'])).toBe('this is a customer summary (frequency, recency, …), not transactions: fit it with clvkit fit FILE --model bgnbd (or bgbb for frequency, recency, periods)');
  });

  // a user trial (session 40): `clvkit ingest shop/*.csv` on a clvkit synth folder stopped at products.csv with
  // "pass --map customer_id=…", which no mapping cures: a product catalogue holds no purchases
  it('a product catalogue (product ids and prices, no customer, no date): ingest the order lines instead', () => {
    const catalogue = 'this looks like a product catalogue (product ids and prices, no customer and no date), not transactions: ingest the order lines instead (of a clvkit synth folder: transactions.csv, customers.csv and events.csv); a catalogue is not read';
    expect(hintOf(['product_id', 'description', 'category', 'unit_price', 'unit_cost'])).toBe(catalogue);
    expect(hintOf(['SKU', 'Title', 'Price'])).toBe(catalogue);
    // order lines without a customer column are not a catalogue: they have a date
    expect(hintOf(['product_id', 'order_date', 'unit_price'])).toBe('pass --map customer_id=<column name or 1-based position>');
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

// Shopify's order export read by the common names: Total (the order's, with shipping and taxes, on its first line
// only) was every line's amount, so an order's other lines were quarantined bad_number; Name (#1001) the description.
describe("Shopify's order export is read as line items", () => {
  const header = 'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Lineitem discount,Billing Name,Id,Vendor';

  it('maps the order to Name and the value to Lineitem quantity × Lineitem price, not Total', async () => {
    const { resolveColumnRoles } = await import('../../src/ingest/column-roles.js');
    const { mapping } = resolveColumnRoles(header.split(','), { customer_id: 'Email' }, {});
    expect(mapping).toEqual({ customer_id: 'Email', date: 'Created at', order_id: 'Name', quantity: 'Lineitem quantity', unit_price: 'Lineitem price', product_id: 'Lineitem sku', description: 'Lineitem name', discount: 'Lineitem discount' });
  });

  it('a line discount is never taken off a line total: unmapped when found by name, refused when asked for', async () => {
    const { resolveColumnRoles } = await import('../../src/ingest/column-roles.js');
    expect(resolveColumnRoles(['Customer ID', 'Date', 'Amount', 'Line discount'], {}, {}).mapping).toEqual({ customer_id: 'Customer ID', date: 'Date', amount: 'Amount' });
    expect(() => resolveColumnRoles(['Customer ID', 'Date', 'Amount', 'Savings'], { discount: 'Savings' }, {})).toThrow(/--map discount=Savings: a discount is taken off quantity × unit price/);
  });

  it('every line of a two-line order is accepted, valued at its quantity × price less its line discount', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { cli } = await import('../helpers/cli.js');
    const { scratchDir } = await import('../helpers/warehouse.js');
    const { openDuckDbWarehouse } = await import('../../src/engine/duckdb-warehouse.js');
    const dir = scratchDir();
    const file = join(dir, 'orders_export.csv');
    writeFileSync(file, [
      header,
      '#1001,ann@example.com,paid,2023-01-04 10:00:00 -0500,fulfilled,2023-01-05 09:00:00 -0500,yes,USD,35.00,5.00,0.00,40.00,TEN,10.00,Standard,2023-01-04 10:00:00 -0500,2,Blue Mug,15.00,,MUG-B,true,true,fulfilled,10.00,Ann A,5551001,Acme',
      '#1001,ann@example.com,,,,,,,,,,,,,,2023-01-04 10:00:00 -0500,1,Red Mug,15.00,,MUG-R,true,true,fulfilled,0.00,,,Acme',
      '#1002,bob@example.com,paid,2023-02-04 10:00:00 -0500,fulfilled,2023-02-05 09:00:00 -0500,no,USD,20.00,5.00,0.00,25.00,,0.00,Standard,2023-02-04 10:00:00 -0500,1,Teapot,20.00,,TEA-1,true,true,fulfilled,,Bob B,5551002,Acme',
    ].join('\n') + '\n');
    const db = join(dir, 'shop.duckdb');
    const run = await cli(['ingest', file, '--db', db, '--map', 'customer_id=Email', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [report] = JSON.parse(run.stdout).files as { rowsRead: number; accepted: number }[];
    expect([report!.rowsRead, report!.accepted]).toEqual([3, 3]);
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const rows = await warehouse.query('SELECT order_id, product_id, amount FROM transactions ORDER BY order_id, product_id');
      // 2 × 15 less its 10 line discount (the order's Total, 40 with shipping, is not read); an empty discount is none
      expect(rows.map((r) => [r.order_id, r.product_id, Number(r.amount)])).toEqual([['#1001', 'MUG-B', 20], ['#1001', 'MUG-R', 15], ['#1002', 'TEA-1', 20]]);
    } finally {
      await warehouse.close();
    }
  });
});

// review: a file without a unit price (a frequency-only log: customer, date, quantity) kept its discount column mapped,
// though no value could take it off, and a row whose discount did not read was quarantined bad_number for it
describe('a discount that cannot apply is not read', () => {
  it('without a unit price: unmapped when found by name, a warning when asked for', async () => {
    const { resolveColumnRoles } = await import('../../src/ingest/column-roles.js');
    const byName = resolveColumnRoles(['Customer ID', 'Date', 'Quantity', 'Line discount'], {}, {});
    expect([byName.mapping, byName.warnings]).toEqual([{ customer_id: 'Customer ID', date: 'Date', quantity: 'Quantity' }, []]);
    const byFlag = resolveColumnRoles(['Customer ID', 'Date', 'Savings'], { discount: 'Savings' }, {});
    expect(byFlag.mapping).toEqual({ customer_id: 'Customer ID', date: 'Date' });
    expect(byFlag.warnings).toEqual(['--map discount=Savings was not used: a discount is taken off quantity × unit price, and this file has no unit price']);
  });

  it('an unreadable discount in a file without a unit price quarantines nothing; where it applies it is still bad_number', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { memoryWarehouse, scratchDir } = await import('../helpers/warehouse.js');
    const { ingestFiles } = await import('../../src/ingest/ingest-files.js');
    const dir = scratchDir();
    const unpriced = join(dir, 'unpriced.csv');
    writeFileSync(unpriced, ['customer_id,date,quantity,line discount', 'A,2023-01-04,1,abc', 'B,2023-01-05,2,5'].join('\n') + '\n');
    const flagged = join(dir, 'flagged.csv');
    writeFileSync(flagged, ['customer_id,date,savings', 'C,2023-01-04,abc', 'D,2023-01-05,5'].join('\n') + '\n');
    const priced = join(dir, 'priced.csv');
    writeFileSync(priced, ['customer_id,date,quantity,unit_price,line discount', 'E,2023-01-04,1,10,abc', 'F,2023-01-05,2,5,1'].join('\n') + '\n');
    const warehouse = await memoryWarehouse();
    try {
      const now = new Date('2024-01-01T00:00:00Z');
      const [u, p] = (await ingestFiles(warehouse, [unpriced, priced], { now })).files;
      const [f] = (await ingestFiles(warehouse, [flagged], { now, map: { discount: 'savings' } })).files;
      expect([u, f, p].map((file) => [file!.rowsRead, file!.accepted, file!.quarantined, file!.rules.bad_number])).toEqual([[2, 2, 0, 0], [2, 2, 0, 0], [2, 1, 1, 1]]);
      expect([u!.mapping.discount, u!.unreadColumns, f!.mapping.discount, f!.unreadColumns]).toEqual([undefined, ['line discount'], undefined, ['savings']]);
      expect(f!.warnings).toContain('--map discount=savings was not used: a discount is taken off quantity × unit price, and this file has no unit price');
      const held = await warehouse.query("SELECT line, reason, detail FROM quarantine WHERE source = 'priced.csv'");
      expect(held.map((r) => [Number(r.line), r.reason, r.detail])).toEqual([[2, 'bad_number', 'line discount: abc (not a number)']]);
    } finally {
      await warehouse.close();
    }
  });
});

// A line discount was subtracted as written: a discount written negative (-10, as some exports write amounts taken off)
// raised a 2 × 15 line to 40, a returned line's discount made its refund larger than its price (-1 × 15 less 5: -20),
// and a discount above the line's value (1 × 10 less 15) was kept as a purchase of -5.
describe('a line discount always lowers the line value', () => {
  it('by its size whatever its sign, a return refunds the discounted price, a discount above the line is bad_number', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { memoryWarehouse, scratchDir } = await import('../helpers/warehouse.js');
    const { ingestFiles } = await import('../../src/ingest/ingest-files.js');
    const file = join(scratchDir(), 'lines.csv');
    writeFileSync(file, [
      'customer_id,date,order_id,quantity,unit_price,line discount',
      'A,2023-01-04,O1,2,15,10',
      'B,2023-01-05,O2,2,15,-10',
      'C,2023-01-06,O3,-1,15,5',
      'D,2023-01-07,C4,1,15,5',
      'E,2023-01-08,O5,1,10,15',
      'F,2023-01-09,O6,1,10,',
    ].join('\n') + '\n');
    const warehouse = await memoryWarehouse();
    try {
      const report = await ingestFiles(warehouse, [file], { now: new Date('2024-01-01T00:00:00Z') });
      expect([report.accepted, report.rules.bad_number]).toEqual([5, 1]);
      const rows = await warehouse.query('SELECT order_id, amount FROM transactions ORDER BY order_id');
      // 2 × 15 less 10 either way; the returns (-1 × 15, and C4 by its order number) refund 15 less 5
      expect(rows.map((r) => [r.order_id, Number(r.amount)])).toEqual([['C4', -10], ['O1', 20], ['O2', 20], ['O3', -10], ['O6', 10]]);
      const held = await warehouse.query("SELECT line, detail FROM quarantine WHERE reason = 'bad_number'");
      expect(held.map((r) => [Number(r.line), r.detail])).toEqual([[6, 'line discount: 15 (more than quantity × unit price)']]);
    } finally {
      await warehouse.close();
    }
  });
});
