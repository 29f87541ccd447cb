import { maskRawField, namesLookLikeData } from '../privacy/access/raw-values.js';

/** The hint an error adds when the names it lists look like a data row (see `columnsFound`). */
export const DATA_ROW_AS_HEADER_HINT = 'the first line looks like data, not a header (its names are masked here): pass --no-header, and --map roles by position';

/**
 * The columns of a file as an error lists them (`1:customer_id, 2:date` with `positions`, else `customer_id, date`).
 * When the names look like a data row — a file without a header read with one (`--header`, or a guess) — they are
 * the first row's values, personal data: each is masked as a quarantined line's fields are (`maskRawField`), and
 * `dataRow` is true so the error can say why (`DATA_ROW_AS_HEADER_HINT`).
 *
 * Example: `columnsFound(['100001', 'ana@example.com'], true)` → `{ text: '1:1***, 2:a***', dataRow: true }`
 */
export function columnsFound(columns: readonly string[], positions: boolean): { readonly text: string; readonly dataRow: boolean } {
  const dataRow = namesLookLikeData(columns);
  const names = dataRow ? columns.map(maskRawField) : columns;
  return { text: names.map((name, i) => (positions ? `${i + 1}:${name}` : name)).join(', '), dataRow };
}
