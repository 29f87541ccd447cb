import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

// A user trial (session 40): DuckDB's COPY picks its format from the file's extension when none is named, so
// `summarize --out summary.json` and `audience show NAME --out send.json --format csv` ended in an internal error
// ("Unknown option for COPY … (FORMAT JSON): header", exit 1), `audience show NAME --out send.xlsx` too ("Copy Function
// with name xlsx is not in the catalog"); a `.parquet` name would have been written as Parquet. The CSV exports now
// name their format; an audience file named as a spreadsheet or Parquet file, which
// clvkit does not write, is refused before anything is written.
describe('a CSV export to a file whose name says another format', () => {
  it('summarize --out summary.json writes the CSV it promises', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'orders.csv'), 'customer_id,date,amount\nA,2024-01-02,10\nA,2024-02-03,12\nB,2024-01-05,7\n');
    const run = await cli(['summarize', join(dir, 'orders.csv'), '--out', join(dir, 'summary.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8').split('\n')[0]).toBe('customer_id,frequency,recency,T,monetary_value,time_unit');
  });

  it('audience show --out send.json --format csv writes CSV; --out send.xlsx is refused in one line', async () => {
    const db = await smallAnalysedShop();
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'all', '--where', 'frequency >= 0', '--holdout', '0.5']);
    expect(drawn.code, drawn.stderr).toBe(0);
    const dir = scratchDir();
    const asCsv = await cli(['audience', 'show', 'all', '--db', db, '--out', join(dir, 'send.json'), '--format', 'csv']);
    expect(asCsv.code, asCsv.stderr).toBe(0);
    expect(readFileSync(join(dir, 'send.json'), 'utf8').split('\n')[0]).toBe('customer_id,group');
    const xlsx = await cli(['audience', 'show', 'all', '--db', db, '--out', join(dir, 'send.xlsx')]);
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toBe(`clvkit: error: --out ${join(dir, 'send.xlsx')}: audience files are CSV or JSON, not .xlsx (hint: name it send.csv (a spreadsheet opens it) or send.json, or pass --format csv to write CSV under this name)\n`);
  });
});
