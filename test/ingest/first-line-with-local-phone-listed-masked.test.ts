import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { requireRoles } from '../../src/ingest/match-column-roles.js';
import { namesLookLikeData } from '../../src/privacy/access/raw-values.js';

// Review (session 41, high): 15f1bf3e stopped taking a name with a run of 5+ digits for data, so a headerless file
// whose first line held a phone number written without its +country code (0612345678) among text fields was taken for
// a header, and a missing role listed the customer's id, name and phone number in clear. A name with no letters and
// six or more digits is a value (a phone number, an id), never a column's name; names that hold digits among letters
// (`sales_20230101`) stay a header's.
describe('a first line with a local phone number', () => {
  it('is a data row: its names are listed masked', () => {
    const names = ['C-10023', 'Ana Silva', '0612345678', 'Lisbon', '12.5'];
    expect(namesLookLikeData(names)).toBe(true);
    let error: unknown;
    try {
      requireRoles({}, ['customer_id'], names);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).not.toContain('0612345678');
    expect(message).not.toContain('Ana Silva');
    expect(message).not.toContain('10023');
  });

  it('phone numbers and ids written with blanks or separators count; short numbers and names with letters do not', () => {
    expect(namesLookLikeData(['Ana', '06 12 34 56 78', 'Lisbon'])).toBe(true);
    expect(namesLookLikeData(['Bo', '(555) 123-4567', 'Porto'])).toBe(true);
    expect(namesLookLikeData(['Cy', '1234567', 'Faro'])).toBe(true);
    expect(namesLookLikeData(['customer_id', 'year', '2023'])).toBe(false);
    expect(namesLookLikeData(['customer_id', 'date', 'sales_20230101'])).toBe(false);
    expect(namesLookLikeData(['id', 'phone_0612345678'])).toBe(false);
  });
});

// The same line without --header: DuckDB's sniffer takes an all-text first line for a header, and firstLineIsData saw
// no date, contact detail or all-number line in it, so the first customer's row became the header and was lost (rows
// read 2 of 3) though every role was mapped by position.
describe('a headerless file whose first line holds a local phone number', () => {
  const scratch = useScratchWarehouse({ file: true });

  it('is read without a header: every row ingested', async () => {
    const path = join(scratch.dir, 'orders.csv');
    writeFileSync(path, 'C-10023,Ana Silva,0612345678,5 Jan 2023,12.5\nC-10024,Bo Chen,0612345679,6 Jan 2023,13\nC-10025,Cy Dee,0612345670,7 Jan 2023,14\n');
    const report = await ingestFiles(scratch.warehouse, [path], {
      now: new Date('2024-01-01T00:00:00Z'), keyring: keyringFromKey(generateKey()), map: { customer_id: '1', date: '4', amount: '5' }, dateFormats: ['%d %b %Y'],
    });
    expect(report.files[0]!.hasHeader).toBe(false);
    expect(report).toMatchObject({ rowsRead: 3, accepted: 3 });
  });
});
