import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { DATE_SAMPLE_ROWS } from '../../src/ingest/detect-date-format.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

// A user trial: a day/month export whose first 20,000 rows (the date sample) hold only days 1–12 was read
// month-first; the judging pass quarantined every later row with a day after the 12th as bad_date and kept the others
// with day and month swapped. Now the whole column settles what the sample cannot.
describe('an ingest whose date sample cannot tell day/month from month/day', () => {
  const scratch = useScratchWarehouse();

  it('reads the file day-first when a row past the sample says so: nothing quarantined, no date swapped', async () => {
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < DATE_SAMPLE_ROWS; i++) lines.push(`c${i % 500},${String((i % 12) + 1).padStart(2, '0')}/03/2024 10:00,5`);
    lines.push('c1,13/03/2024 10:00,7', 'c2,31/03/2024 10:00,8');
    const path = join(scratch.dir, 'day-first.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files[0]!.rules.bad_date).toBe(0);
    // two rows of 20,002 tell it (under 1 in 20): read so, with the ambiguity warning
    expect(report.files[0]!.warnings.filter((w) => /ambiguous/.test(w))).toEqual([expect.stringMatching(/read as day\/month/)]);
    const [span] = await scratch.warehouse.query(`SELECT strftime(min(ts), '%Y-%m-%d') AS first, strftime(max(ts), '%Y-%m-%d') AS last, count(DISTINCT month(ts)) AS months FROM transactions`);
    expect([span!.first, span!.last, Number(span!.months)]).toEqual(['2024-03-01', '2024-03-31', 1]);
  });
});

describe('an order file with values and no product column recognised', () => {
  const scratch = useScratchWarehouse();

  it('warns that postage and fee lines could not be told, naming the unread columns and the --map', async () => {
    const path = join(scratch.dir, 'ventes.csv');
    writeFileSync(path, ['N° client;Date de facture;Référence;Quantité;Prix unitaire', '1;2024-01-02;POST;1;18', '1;2024-01-02;85123A;2;2,55', '2;2024-01-03;85123A;1;2,55'].join('\n') + '\n');
    const report = await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z') });
    expect(report.files[0]!.warnings).toContain("no product column recognised (not read: Référence): the non_product rule (postage, fees, manual adjustments) could not be applied and cross-sell has no products; if one of them is the product code, pass --map 'product_id=Référence'");
    const mapped = await ingestFiles(scratch.warehouse, [path], { now: new Date('2025-01-01T00:00:00Z'), map: { product_id: 'Référence' } });
    expect(mapped.files[0]!.warnings.some((w) => /no product column/.test(w))).toBe(false);
  });
});
