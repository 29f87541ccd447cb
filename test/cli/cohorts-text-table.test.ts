import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cohortLines } from '../../src/cli/commands/segment-commands.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

// QA: `clvkit cohorts` printed each cohort as a row of numbers without a header, and its help promised revenue and
// value per customer that only --json showed. Two cohorts of 10 customers each: January (12 lines, 10 + 2 in
// February) and February (10 lines, 5 + 5 in March: none in the first month's later months but all at 20.00).
describe('clvkit cohorts (text)', () => {
  let out: string;
  let json: { cohorts: { label: string; customers: number; revenue: number[]; cumulativeValuePerCustomer: number[] }[] };
  beforeAll(async () => {
    const dir = scratchDir('clvkit-cohorts-text-');
    const lines = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 10; c++) lines.push(`A${c},J${c},2023-01-${String(c + 1).padStart(2, '0')},10.00`);
    for (let c = 1; c <= 10; c++) lines.push(`B${c},F${c},2023-02-${String(c + 1).padStart(2, '0')},20.00`);
    for (let c = 1; c <= 10; c++) lines.push(`D${c},F${c},2023-03-${String(c + 1).padStart(2, '0')},20.00`);
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    const text = await cli(['cohorts', join(dir, 'orders.csv'), '--min-group-size', '2']);
    expect(text.code, text.stderr).toBe(0);
    out = text.stdout;
    json = JSON.parse((await cli(['cohorts', join(dir, 'orders.csv'), '--min-group-size', '2', '--json'])).stdout);
  }, 60_000);

  it('has a header naming every column, revenue and value per customer among them', () => {
    const header = out.split('\n')[1]!;
    expect(header).toMatch(/^cohort +customers +revenue +value\/customer +m0 +m1 +m2$/);
  });

  it('prints each cohort’s revenue and value per customer to date, as --json gives them', () => {
    const jan = json.cohorts.find((c) => c.label === '2023-01')!;
    expect(jan.cumulativeValuePerCustomer.at(-1)).toBe(10);
    expect(out).toMatch(/^2023-01 +10 +100 +10\.00 +100% +0% +0%$/m);
    expect(out).toMatch(/^2023-02 +10 +400 +40\.00 +100% +100% *$/m);
  });
});

// QA (session 36): the table's legend says <k a group of fewer than k customers, —* withheld so that the total cannot
// reveal such a group; but a month withheld for a small group (periodSuppression 'small-group') printed —, and the
// months of a cohort withheld as a complement printed — too.
describe('cohortLines marks each withheld month as its legend says', () => {
  type Row = Parameters<typeof cohortLines>[0]['cohorts'][number];
  const row = (label: string, customers: number | null, suppression: Row['suppression'], retention: (number | null)[], periodSuppression: Row['periodSuppression']): Row =>
    ({ label, customers, suppression, retention, periodSuppression, cumulativeValuePerCustomer: retention.map((r) => (r === null ? null : 10)) }) as unknown as Row;
  const lines = cohortLines(
    {
      cohorts: [
        row('2023-01', 12, null, [1, null, 0.5], [null, 'small-group', null]),
        row('2023-02', null, 'small-group', [null, null], [null, null]),
        row('2023-03', null, 'complementary', [null], [null]),
      ],
    } as unknown as Parameters<typeof cohortLines>[0],
    '2023-03-31',
    5,
  );

  it('a month withheld for a small group: <5', () => {
    expect(lines.find((l) => l.startsWith('2023-01'))).toMatch(/^2023-01 +12 +120 +10\.00 +100% +<5 +50%$/);
  });

  it('a cohort of fewer than 5: <5 in its count and its months', () => {
    expect(lines.find((l) => l.startsWith('2023-02'))).toMatch(/^2023-02 +<5 +— +— +<5 +<5$/);
  });

  it('a cohort withheld as a complement: —* in its count and its months', () => {
    expect(lines.find((l) => l.startsWith('2023-03'))).toMatch(/^2023-03 +—\* +— +— +—\*$/);
  });
});

// A new user's trial on Online Retail (as of 2011-12-09): each cohort's last month, December 2011, held 9 days of 31 and
// showed retention falling to 26%, 12%, 7% … beside the full months, with nothing to say the month was a part one.
describe('cohortLines names a last month counted only part of the way', () => {
  const cohorts = { cohorts: [{ label: '2023-01', customers: 12, suppression: null, retention: [1, 0.4, 0.1], periodSuppression: [null, null, null], cumulativeValuePerCustomer: [10, 12, 13] }] } as unknown as Parameters<typeof cohortLines>[0];

  it('as of a day before the month’s end: a note naming the days counted', () => {
    expect(cohortLines(cohorts, '2023-03-11', 5).at(-1)).toBe('the last month, 2023-03, is counted to 2023-03-11 (11 of its 31 days): the last figure of each row is of part of a month, lower than a whole month would show');
    expect(cohortLines(cohorts, '2024-02-28', 5).at(-1)).toContain('(28 of its 29 days)');
  });

  it('as of a month’s last day: no note', () => {
    expect(cohortLines(cohorts, '2023-03-31', 5).filter((line) => line.startsWith('the last month'))).toEqual([]);
  });
});
