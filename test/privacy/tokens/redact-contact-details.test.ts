import { describe, expect, it } from 'vitest';
import { HOLDS_CONTACT_DETAILS_PATTERN, redactContactDetails, redactContactDetailsSql, redactedQueriesWarning } from '../../../src/privacy/tokens/redact-contact-details.js';
import { withMemoryWarehouse } from '../../helpers/warehouse.js';

// what a visitor may type into a search box, and what is stored
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['jane.roe.secret@gmail.com', '[email]'],
  ['order for Jane Roe +44 7700 900999', 'order for Jane Roe [number]'],
  ['call me (415) 555-2671 please', 'call me [number] please'],
  ['13812345678', '[number]'],
  ['card 4111-1111-1111-1111 declined', 'card [number] declined'],
  ['mail Z.Li+shop@mail.example.co.uk, thanks', 'mail [email], thanks'],
  ['<a.b@c.de>', '<[email]>'],
  ['josé.müller@bücher.de', '[email]'],
  ['john1234567@x.com 0207 946 0958', '[email] [number]'],
  // kept: product searches, sizes, years, postcodes, short numbers, a lone @
  ['pink cake tin 20cm', 'pink cake tin 20cm'],
  ['iphone 15 pro 256gb', 'iphone 15 pro 256gb'],
  ['2023 calendar a4', '2023 calendar a4'],
  ['london nw1 6xe', 'london nw1 6xe'],
  ['94103 shoes size 10.5', '94103 shoes size 10.5'],
  ['@home candles', '@home candles'],
  ['123456', '123456'],
  ['', ''],
];

describe('redactContactDetails', () => {
  it('replaces e-mail addresses and runs of 7+ digits, keeps everything else', () => {
    for (const [typed, stored] of CASES) expect(redactContactDetails(typed), typed).toBe(stored);
    expect(redactContactDetails(null)).toBeNull();
  });

  it('gives the same text in SQL (DuckDB) as in TypeScript, NULL for NULL', async () => {
    await withMemoryWarehouse(async (warehouse) => {
      const values = CASES.map(([typed], i) => `(${i}, ${warehouse.dialect.literal(typed)})`).join(', ');
      const rows = await warehouse.query(`SELECT i, ${redactContactDetailsSql(warehouse.dialect, 'q')} AS r FROM (VALUES ${values}, (${CASES.length}, NULL)) t(i, q) ORDER BY i`);
      expect(rows.map((r) => r.r)).toEqual([...CASES.map(([typed]) => redactContactDetails(typed)), null]);
      // the privacy report's pattern finds exactly the texts that change
      const held = await warehouse.query(`SELECT i FROM (VALUES ${values}) t(i, q) WHERE ${warehouse.dialect.fullMatch('q', HOLDS_CONTACT_DETAILS_PATTERN)} ORDER BY i`);
      expect(held.map((r) => Number(r.i))).toEqual(CASES.flatMap(([typed, stored], i) => (typed === stored ? [] : [i])));
    });
  });

  it('warns with the count, and not at all for none', () => {
    expect(redactedQueriesWarning(0)).toBeNull();
    expect(redactedQueriesWarning(1)).toMatch(/^1 search query held an e-mail address or a long number/);
    expect(redactedQueriesWarning(1234)).toMatch(/^1,234 search queries held /);
  });
});
