/**
 * clvkit's own CSV cells (plan.csv, recommendations.csv) quote a text holding a carriage return: a product
 * description with a lone CR (old Mac line ends, text pasted from Windows) written bare ended the row for RFC 4180
 * readers (DuckDB's read_csv, Python's csv module) and shifted every later column.
 */
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/core/csv-cell.js';
import { memoryWarehouse } from '../helpers/warehouse.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

describe('csvCell', () => {
  it('quotes a carriage return, as it quotes a line feed, a comma and a quote', () => {
    expect(csvCell('MUG\rRED')).toBe('"MUG\rRED"');
    expect(csvCell('MUG\r\nRED')).toBe('"MUG\r\nRED"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(2.5)).toBe('2.5');
  });

  it('a row with a carriage return in a cell reads back as one row with its columns in place', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clvkit-csv-cell-')), 'rows.csv');
    writeFileSync(file, `code,label,score\n${['P1', 'MUG\rRED', '0.5'].map(csvCell).join(',')}\n${['P2', 'CUP', '0.25'].map(csvCell).join(',')}\n`);
    const warehouse = await memoryWarehouse();
    try {
      const rows = await warehouse.query(`SELECT code, label, score FROM read_csv('${file}', header = true, all_varchar = true) ORDER BY code`);
      expect(rows).toEqual([
        { code: 'P1', label: 'MUG\rRED', score: '0.5' },
        { code: 'P2', label: 'CUP', score: '0.25' },
      ]);
    } finally {
      await warehouse.close();
    }
  });
});
