import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileDifference } from '../../../scripts/compare-customers-csv.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, useTwoEngines } from '../../helpers/clickhouse.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { readFileSync } from 'node:fs';

// Issue 18 item 4: the CSV files the two engines write from the same values are the same bytes. ClickHouse printed
// 1, 0, 0.000009, 1e21 where DuckDB's COPY printed 1.0, 0.0, 9e-06, 1e+21, and an empty text as NULL's empty cell.
// Booleans (a BOOLEAN column, a comparison) are 1 / 0 on both: ClickHouse 18.16's UInt8 cannot be told from a small
// integer, so DuckDB's COPY no longer writes them as true / false.
describe.skipIf(!CLICKHOUSE_URL)(`exportCsv writes the same bytes on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const doubles = [1, 0, -0, 56, 0.5, 9e-6, 1e-4, 1e-5, 1e15, 1e16, 1e21, 1e-7, 0.1, 1 / 3, 20 / 7, 1e100, -2.5e-5, 123456789012345680, 145.36, 32.142857];
  const texts = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', ' lead', 'ünïcode −0.259', null];
  const engines = useTwoEngines('export_csv_bytes', {
    fill: async (duck) => {
      await duck.execute('CREATE TABLE figures (customer_id VARCHAR, n BIGINT, x DOUBLE, maybe DOUBLE, label VARCHAR, day DATE, flag BOOLEAN)');
      const rows = doubles.map((x, i) => ({ customer_id: `c_${String(i).padStart(2, '0')}`, n: i * 7, x, maybe: i % 3 === 0 ? null : x * 3, label: texts[i % texts.length]!, day: i % 4 === 0 ? null : `2024-0${1 + (i % 9)}-1${i % 10}` }));
      await duck.execute(
        `INSERT INTO figures VALUES ${rows.map((r, i) => `('${r.customer_id}', ${r.n}, '${r.x}'::DOUBLE, ${r.maybe === null ? 'NULL' : `'${r.maybe}'::DOUBLE`}, ${r.label === null ? 'NULL' : `'${r.label.replaceAll("'", "''")}'`}, ${r.day === null ? 'NULL' : `DATE '${r.day}'`}, ${i % 5 === 4 ? 'NULL' : i % 2 === 0})`).join(', ')}`,
      );
    },
    copy: ['figures'],
  });

  it('numbers, booleans (1 and 0), NULLs, empty and quoted texts and dates: one file, byte for byte', async () => {
    const dir = scratchDir('clvkit-export-bytes-');
    const sql = 'SELECT customer_id, n, x, maybe, x * 2 AS twice, label, day, flag, x > 1 AS big FROM figures ORDER BY customer_id';
    const [duckPath, clusterPath] = [join(dir, 'duck.csv'), join(dir, 'cluster.csv')];
    expect(await engines.duck.exportCsv(sql, duckPath)).toBe(doubles.length);
    expect(await engines.clickhouse.exportCsv(sql, clusterPath)).toBe(doubles.length);
    expect(fileDifference(duckPath, clusterPath)).toBeNull();
    const text = readFileSync(clusterPath, 'utf8');
    expect(text.split('\n')[1]).toBe('c_00,0,1.0,,2.0,plain,,1,0');
    expect(text).toContain('c_01,7,0.0,0.0,0.0,"",2024-02-11,0,0');
    expect(text).toContain('c_04,28,0.5,1.5,1.0,"two\nlines",,,0'); // a NULL boolean: empty
    expect(text).toContain(',9e-06,');
    expect(text).toContain(',1e+21,');
    expect(text).toContain('"two\nlines"');
  });
});
