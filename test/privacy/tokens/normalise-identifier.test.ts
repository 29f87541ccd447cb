import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/warehouse.js';
import { IDENTIFIER_WHITESPACE, normaliseIdentifier, normaliseIdentifierSql } from '../../../src/privacy/tokens/normalise-identifier.js';
import { memoryWarehouse } from '../../helpers/warehouse.js';

/** Ids that differ from their normal form in every way the normaliser knows, and some that must not change. */
const TRICKY_IDS = [
  'C-1001',
  '00123',
  'AbC',
  '  C 42\t',
  ' C42',
  'C42 ',
  'C  42',
  'C\t42',
  'C\n\r42',
  'C\u000b\u000c42',
  'C\u00a042', // no-break space
  '\u00a0C42\u00a0',
  'C\u2007\u200a42', // figure space, hair space
  'C\u3000\u00a0 42', // ideographic space among others
  'C\u2028\u202942', // line and paragraph separators
  '\ufeffC42', // byte-order mark
  'C\u1680\u205f42',
  'Zoe\u0308', // NFD: e + combining diaeresis
  'Zo\u00eb', // NFC
  'A\u030a\u0301',
  '\u1100\u1161\u11a8', // Hangul jamo: composed by NFC
  'ｆｕｌｌ　ｗｉｄｔｈ', // full-width letters stay, the ideographic space becomes one space
  '张伟 ',
  'Łukasz\u2003Nowak',
  '\u2000\u2001', // only spaces (en quad and em quad decompose to spaces under NFC)
  '\u00a0',
  '',
  'C\u200b42', // zero-width space: not whitespace, kept
  'e\u0301\u0323', // marks reordered by NFC
];

describe('normaliseIdentifier', () => {
  it('trims, collapses whitespace (tabs, NBSP, newlines) and applies NFC; keeps case and leading zeros', () => {
    expect(normaliseIdentifier('AbC')).toBe('AbC');
    expect(normaliseIdentifier('  C\t\u00a0 42\n')).toBe('C 42');
    expect(normaliseIdentifier('Zoe\u0308')).toBe('Zo\u00eb');
    expect(normaliseIdentifier('00123')).toBe('00123');
    expect(normaliseIdentifier('C\u200b42')).toBe('C\u200b42');
    expect(normaliseIdentifier('\u2000\u2001')).toBe('');
    expect(normaliseIdentifier(' AbC ', { foldCase: true })).toBe('abc');
  });

  it("treats as whitespace exactly what JavaScript's \\s does (so the SQL form's class is complete)", () => {
    const listed = new Set(IDENTIFIER_WHITESPACE);
    const js: number[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) if (/\s/u.test(String.fromCodePoint(cp))) js.push(cp);
    expect([...listed].sort((a, b) => a - b)).toEqual(js);
  });
});

describe('normaliseIdentifierSql (DuckDB) against normaliseIdentifier', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await warehouse.execute('CREATE TABLE ids (n INTEGER, id VARCHAR)');
    await warehouse.append('ids', { n: TRICKY_IDS.map((_, i) => i), id: [...TRICKY_IDS] });
  });
  afterAll(() => warehouse.close());

  it('gives the same text for every tricky id', async () => {
    const rows = await warehouse.query(`SELECT n, ${normaliseIdentifierSql(warehouse.dialect, 'id')} AS normal FROM ids ORDER BY n`);
    const got = rows.map((r) => r.normal);
    const want = TRICKY_IDS.map((id) => normaliseIdentifier(id));
    for (let i = 0; i < TRICKY_IDS.length; i++) expect(got[i], `id ${JSON.stringify(TRICKY_IDS[i])}`).toBe(want[i]);
  });

  it('leaves NULL as NULL and plain ASCII ids unchanged', async () => {
    const [row] = await warehouse.query(`SELECT ${normaliseIdentifierSql(warehouse.dialect, 'CAST(NULL AS VARCHAR)')} AS a, ${normaliseIdentifierSql(warehouse.dialect, "'C-1001'")} AS b`);
    expect(row).toEqual({ a: null, b: 'C-1001' });
  });
});
