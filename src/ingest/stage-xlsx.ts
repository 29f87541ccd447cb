// ExcelJS is loaded when a workbook is staged (in stageXlsx), not with this module, which stage-source.ts imports: its
// import cost 0.65 of the 1.8 CPU s of `clvkit ingest` of a two-line CSV, paid by every process that ingests a delimited file
import type ExcelJS from 'exceljs';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { SourceInspection } from './inspect-source.js';
import { firstLineIsData } from './first-line-is-data.js';
import { REJECTS_TABLE, STAGE_TABLE, stagedTable, type StagedSource, type StageOptions } from './stage-tables.js';
import { columnLetter, uniqueName, unnamedColumnName } from './unnamed-columns.js';

function cellText(value: ExcelJS.CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof value === 'object') {
    if ('result' in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('error' in value) return null;
    return JSON.stringify(value);
  }
  return String(value);
}

export async function stageXlsx(warehouse: Warehouse, source: SourceInspection, options: StageOptions = {}): Promise<StagedSource> {
  const d = warehouse.dialect;
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(source.path, { sharedStrings: 'cache', worksheets: 'emit', styles: 'cache', hyperlinks: 'ignore' });
  let header: string[] | null = null;
  let hasHeader = true;
  let batch: (string | null)[][] = [];
  let lines: number[] = [];
  // Cells beyond the header's columns: in a worksheet a cell keeps its column, so the named cells of such a row have not
  // shifted (as a delimited line's fields may have). They form an unnamed column, as an empty header cell does
  // (column4 for column D, …): read, stored only when mapped, and told by a warning with the rows that hold values there.
  let named = 0;
  const beyond = new Map<number, number>();
  const flush = async () => {
    if (!header || batch.length === 0) return;
    const columns: Record<string, (string | null)[] | number[]> = { __line: lines };
    header.forEach((name, i) => (columns[name] = batch.map((row) => row[i] ?? null)));
    await warehouse.append(STAGE_TABLE, columns);
    batch = [];
    lines = [];
  };
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = Array.from((row.values as ExcelJS.CellValue[]).slice(1), cellText); // an empty cell is a hole: null, not skipped
        if (!header) {
          // the first row is the header, unless --no-header or it holds contact details (as in a delimited file: isContactValue)
          hasHeader = options.header ?? !firstLineIsData(values.map((v) => v ?? ''));
          header = values.map((v, i) => (hasHeader && v && v.trim() ? v.trim() : unnamedColumnName(i + 1))); // an empty header cell: by its position, as in a delimited file
          header = header.map((name, i) => (header!.indexOf(name) === i ? name : `${name}_${i}`));
          named = header.length;
          await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} (__line BIGINT, ${header.map((n) => `${d.identifier(n)} VARCHAR`).join(', ')})`);
          if (hasHeader) continue;
        }
        if (values.every((v) => v === null || v === '')) continue;
        for (let i = named; i < values.length; i++) if ((values[i] ?? '') !== '') beyond.set(i, (beyond.get(i) ?? 0) + 1);
        while (header.length < values.length) {
          const name = uniqueName(header, unnamedColumnName(header.length + 1));
          await warehouse.execute(`ALTER TABLE ${STAGE_TABLE} ADD COLUMN ${d.identifier(name)} VARCHAR`);
          header.push(name);
        }
        batch.push(values);
        lines.push(row.number);
        if (batch.length >= 50_000) await flush();
      }
      break; // first worksheet only
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${source.path} as XLSX: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'is it a valid .xlsx workbook? save it again from Excel, or export CSV');
  }
  if (!header) throw new UserError(`${source.path} has no rows in its first worksheet`, 'put the data in the first worksheet with a header row');
  await flush();
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${REJECTS_TABLE} AS SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS raw, CAST(NULL AS VARCHAR) AS detail WHERE FALSE`);
  const staged = await stagedTable(warehouse, { columns: header, hasHeader, delimiter: null, encoding: 'utf-8', lineSql: '__line' });
  return beyond.size === 0 ? staged : { ...staged, cellsBeyondHeader: new Map([...beyond].map(([i, rows]) => [header![i]!, rows])) };
}

/** The warning for the columns beyond an XLSX header that no role reads (not stored), or null when there is none. */
export function cellsBeyondHeaderWarning(staged: StagedSource, mapping: Readonly<Partial<Record<string, string>>>): string | null {
  const mapped = new Set(Object.values(mapping));
  const unread = [...(staged.cellsBeyondHeader ?? [])].filter(([name]) => !mapped.has(name)).map(([name, n]) => ({ name, n, index: staged.columns.indexOf(name) }));
  if (unread.length === 0) return null;
  const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  const parts = unread.sort((a, b) => a.index - b.index).map(({ name, n, index }, k) => `column ${columnLetter(index)} (read as ${name}) ${k === 0 ? 'has values ' : ''}on ${rows(n)}`);
  return `cells beyond the header: ${parts.join(', ')}; not stored (to keep one, map it to a role: --map <role>=${unread[0]!.name}, e.g. note)`;
}
