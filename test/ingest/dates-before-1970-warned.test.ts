import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

// Cluster trial (session 41): an order dated 1960 was accepted by a DuckDB warehouse without a word, while a ClickHouse
// warehouse refuses the file (its DateTime starts at 1970). Such a date is rarely a real purchase: the ingest keeps
// it and says so, in one warning naming how many and the earliest.
describe('rows dated before 1970', () => {
  const scratch = useScratchWarehouse();
  const now = new Date('2024-06-01T00:00:00Z');

  it('are kept, and one warning says how many and the earliest', async () => {
    const path = join(scratch.dir, 'orders.csv');
    writeFileSync(path, ['order_id,customer_id,date,amount', 'o1,c1,1960-03-01,10', 'o2,c1,1965-07-02,12', 'o3,c2,2023-05-01,9'].join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 3 });
    expect(report.files[0]!.warnings.filter((w) => /1970/.test(w))).toEqual([
      '2 rows are dated before 1970 (the earliest 1960-03-01): kept as read; if they are not real purchase dates, check the date column and --date-format (a ClickHouse warehouse, --engine clickhouse, refuses a file holding them)',
    ]);
  });

  it('no warning when every date is from 1970 on', async () => {
    const path = join(scratch.dir, 'later.csv');
    writeFileSync(path, ['order_id,customer_id,date,amount', 'o1,c1,1970-01-01,10', 'o3,c2,2023-05-01,9'].join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now });
    expect(report.files[0]!.warnings.filter((w) => /1970/.test(w))).toEqual([]);
  });
});
