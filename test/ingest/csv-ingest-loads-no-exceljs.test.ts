import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_LOAD_HOOK as HOOK } from '../helpers/module-load-hook.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * Ingesting a delimited file loads no ExcelJS: stage-xlsx.ts imports it when a workbook is staged. Imported with the
 * module, it cost 0.65 of the 1.8 CPU s of `clvkit ingest` of a two-line CSV (built CLI, mean of 6, load 7), paid by
 * every clvkit process that ingests a file — analyze, validate, ingest — whether or not the file was a workbook. Guarded as cli-start-up.test.ts guards --help:
 * a module resolve hook lists every module one child process loads, and the test checks the list; a workbook ingested
 * after the CSV in the same process shows the hook sees ExcelJS when it is loaded.
 */
const INGEST_FILES = fileURLToPath(new URL('../../src/ingest/ingest-files.ts', import.meta.url));
const WAREHOUSE = fileURLToPath(new URL('../../src/engine/duckdb-warehouse.ts', import.meta.url));


const driver = (csv: string, xlsx: string) => `
const { ingestFiles } = await import(${JSON.stringify(INGEST_FILES)});
const { openDuckDbWarehouse } = await import(${JSON.stringify(WAREHOUSE)});
const warehouse = await openDuckDbWarehouse(':memory:', { threads: 1 });
const csv = await ingestFiles(warehouse, [${JSON.stringify(csv)}]);
process.stderr.write('csv ingested ' + csv.accepted + '\\n');
const xlsx = await ingestFiles(warehouse, [${JSON.stringify(xlsx)}]);
process.stderr.write('xlsx ingested ' + xlsx.accepted + '\\n');
await warehouse.close();
`;

describe('ingesting a CSV file', () => {
  it('loads no ExcelJS; a workbook ingested after it does', async () => {
    const dir = scratchDir('clvkit-no-exceljs-');
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'order_id,customer_id,date,amount\nO1,A,2023-01-05,10.50\nO2,B,2023-02-07,20.00\n');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['order_id', 'customer_id', 'date', 'amount']);
    sheet.addRow(['O3', 'C', '2023-03-09', 30]);
    const xlsx = join(dir, 'orders.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, '--input-type=module', '-e', driver(csv, xlsx)], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    const csvDone = lines.findIndex((line) => line.startsWith('csv ingested '));
    expect(lines[csvDone]).toBe('csv ingested 2');
    const xlsxDone = lines.findIndex((line) => line.startsWith('xlsx ingested '));
    expect(lines[xlsxDone]).toBe('xlsx ingested 1');
    const exceljs = (line: string) => line.startsWith('loaded ') && line.includes('/node_modules/exceljs/');
    // the hook saw the ingest code load (so an empty list cannot pass), and ExcelJS only once a workbook came
    expect(lines.slice(0, csvDone).some((line) => line.startsWith('loaded ') && line.endsWith('/src/ingest/stage-source.ts'))).toBe(true);
    expect(lines.slice(0, csvDone).filter(exceljs)).toEqual([]);
    expect(lines.slice(csvDone, xlsxDone).some(exceljs)).toBe(true);
  }, 60_000);
});
