/**
 * A mistyped date far after the rest (a new user's trial: one CDNOW line dated 2005-08-02 in purchases of 1997–98)
 * moved the analysis date to it without a word: every customer looked inactive, the value model was chosen on a
 * 365-day holdout holding one purchase (MAE 0.0007), predicted CLV fell from 67,181 to 26 and churn AUC to 0.500.
 * The run now says the last purchases stand alone after a long gap, and how to analyse up to it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWords } from '../../src/core/run-words.js';
import { lonePurchasesAfterGap, lonePurchasesWarning } from '../../src/pipeline/lone-purchases-after-gap.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (offset: number) => new Date(Date.parse('2023-01-01T00:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

/** 80 customers buying in 2022 (the day offsets count from 2023-01-01), and one line mistyped 2026 for 2022: 321 purchase lines. */
function typoFile(dir: string): string {
  const lines = ['customer_id,date,amount'];
  for (let c = 1; c <= 80; c++) for (let k = 0; k < 4; k++) lines.push(`K${c},${day(-365 + ((c * 7 + k * 61) % 330))},${10 + ((c + k) % 30)}.50`);
  lines.push('K1,2026-05-02,12.50');
  const file = join(dir, 'typo.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('purchases that stand alone after a long gap at the end of the data', () => {
  useFixedKey(9);

  it('found: the gap, the days each side and the purchases after it; none for a steady history or a large tail', () => {
    const steady = Array.from({ length: 300 }, (_, i) => ({ day: day(i), purchases: 10 }));
    expect(lonePurchasesAfterGap(steady)).toBeNull();
    const typo = [...steady, { day: '2031-05-02', purchases: 1 }];
    expect(lonePurchasesAfterGap(typo)).toEqual({ before: day(299), after: '2031-05-02', last: '2031-05-02', gapDays: 2_744, purchasesAfter: 1, purchases: 3_001 });
    // a shop that paused a year and came back with a tenth of its orders: a real history, not a stray date
    const resumed = [...steady, ...Array.from({ length: 60 }, (_, i) => ({ day: day(700 + i), purchases: 5 }))];
    expect(lonePurchasesAfterGap(resumed)).toBeNull();
    // review: an early stray date (1989: a longer gap at the start) hid the late one; two late ones are one stretch
    const early = [{ day: '1989-01-01', purchases: 1 }, ...typo];
    expect(lonePurchasesAfterGap(early)).toEqual({ before: day(299), after: '2031-05-02', last: '2031-05-02', gapDays: 2_744, purchasesAfter: 1, purchases: 3_002 });
    const twice = [...typo, { day: '2036-01-01', purchases: 1 }];
    expect(lonePurchasesAfterGap(twice)).toMatchObject({ before: day(299), after: '2031-05-02', last: '2036-01-01', purchasesAfter: 2 });
    expect(lonePurchasesWarning(lonePurchasesAfterGap(typo)!, runWords(false))).toBe(
      'the last purchase day, 2031-05-02, comes 2,744 days after the one before it (2023-10-27), and holds 1 of the 3,001 purchase lines: as of 2031-05-02 every customer looks inactive and the value models are chosen on a holdout with next to no purchases; a mistyped date? pass --as-of 2023-10-27 to analyse up to the gap (or correct the date and ingest the file again)',
    );
  });

  it('analyze warns (run.json warnings), and not once --as-of ends the analysis before the gap', async () => {
    const dir = scratchDir();
    const file = typoFile(dir);
    const args = ['analyze', file, '--quiet', '--skip-report', '--skip-patterns', '--no-churn', '--json'];
    const run = await cli([...args, '--out', join(dir, 'a')]);
    expect(run.code, run.stderr).toBe(0);
    const warnings: string[] = JSON.parse(run.stdout).warnings;
    expect(warnings).toContainEqual(expect.stringMatching(/^the last purchase day, 2026-05-02, comes [\d,]+ days after the one before it \(2022-\d\d-\d\d\), and holds 1 of the 321 purchase lines: .* pass --as-of 2022-\d\d-\d\d to analyse up to the gap/));
    const before = await cli([...args, '--as-of', '2022-12-31', '--out', join(dir, 'b')]);
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout).warnings as string[]).filter((w) => w.startsWith('the last purchase day'))).toEqual([]);
  }, 120_000);

  it('validate warns too when its holdout ends on the last purchase day (no --holdout-end)', async () => {
    const dir = scratchDir();
    const file = typoFile(dir);
    const run = await cli(['validate', file, '--calibration-end', '2022-06-30', '--no-learned', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContainEqual(expect.stringMatching(/^the last purchase day, 2026-05-02, comes [\d,]+ days after the one before it \(2022-\d\d-\d\d\), .*a mistyped date\? pass --holdout-end 2022-\d\d-\d\d to end the holdout at the gap/));
  }, 120_000);
});
