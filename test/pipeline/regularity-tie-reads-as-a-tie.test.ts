/**
 * QA: when MBG/CNBD-k and the BTYD model predicted the inner window equally well, the run's note said "(inner MAE
 * 0.000 against 0.000 for BG/NBD) and was not chosen: BG/NBD predicted better" — a tie told as a win. A tie now reads
 * as a tie (the rule keeps the BTYD model: a challenger must be more than 1% better), a lower MAE the rule did not take
 * says so, and only a higher one reads "predicted better".
 */
import { describe, expect, it } from 'vitest';
import { regularityTournamentNote } from '../../src/pipeline/stages/learned-stage.js';
import { runWords } from '../../src/core/run-words.js';
import type { HonestTournamentResult } from '../../src/pipeline/honest-tournament.js';

function tournament(regularMae: number, btydMae: number): Pick<HonestTournamentResult, 'candidates'> {
  return {
    candidates: [
      { name: 'bgnbd', label: 'BG/NBD', family: 'btyd', chosen: true, inner: { mae: btydMae } },
      { name: 'mbgcnbd', label: 'MBG/CNBD-6', family: 'regularity', chosen: false, inner: { mae: regularMae } },
    ],
  } as unknown as Pick<HonestTournamentResult, 'candidates'>;
}

const note = (regular: number, btyd: number) => regularityTournamentNote('bgnbd', tournament(regular, btyd), false, runWords(false));

describe('the regularity check’s note on the honest tournament', () => {
  it('a tie reads as a tie, not as BG/NBD predicting better', () => {
    const tie = note(0, 0);
    expect(tie).not.toContain('predicted better');
    expect(tie).toContain('honest tournament (inner MAE 0.000, the same as BG/NBD’s) and was not chosen: a tie, which the rule gives to BG/NBD (a challenger must predict more than 1% better than the best BTYD model);');
    // equal to the digits shown is a tie too
    expect(note(0.41204, 0.41196)).toContain('(inner MAE 0.412, the same as BG/NBD’s) and was not chosen: a tie');
  });

  it('a lower MAE the rule did not take says so; a higher one reads "predicted better"', () => {
    expect(note(0.409, 0.412)).toContain('(inner MAE 0.409 against 0.412 for BG/NBD) and was not chosen: its inner MAE was lower, but not by the more than 1% a challenger needs;');
    expect(note(0.3, 0.412)).toContain('(inner MAE 0.300 against 0.412 for BG/NBD) and was not chosen: its inner MAE was lower, but the rule kept BG/NBD (the honest tournament’s reason says why);');
    expect(note(0.62, 0.41)).toContain('(inner MAE 0.620 against 0.410 for BG/NBD) and was not chosen: BG/NBD predicted better;');
  });
});
