import { describe, expect, it } from 'vitest';
import { whyChosen } from '../../src/models/model-tournament.js';

// QA (s30 report pass): the headline read "MBG/NBD has a holdout error within 1% of the best and the lowest BIC among
// those" of the model whose holdout error was the best.
describe('why the tournament chose its model, in words', () => {
  it('the winner with the smallest error, in a tie, is said to have the smallest error', () => {
    expect(whyChosen(3, true, 'holdout')).toBe('the smallest per-customer holdout error and the lowest BIC of the 3 models within 1% of it');
  });
  it('a winner within 1% of the best, by its BIC', () => {
    expect(whyChosen(2, false, 'inner-window')).toBe('an inner-window error within 1% of the best and the lowest BIC among those');
    expect(whyChosen(2, false, 'holdout')).toBe('a holdout error within 1% of the best and the lowest BIC among those');
  });
  it('no tie: the smallest error alone', () => {
    expect(whyChosen(1, true, 'holdout')).toBe('the smallest per-customer holdout error');
  });
});
