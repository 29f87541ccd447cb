import { describe, expect, it } from 'vitest';
import { formatP, formatQiniP } from '../../src/actions/format-p-value.js';

describe('p-values as printed', () => {
  it("campaign estimates: three decimals, '<0.001' below — the evaluate lines, the control-group warning and the cost per incremental buyer alike", () => {
    expect([0.3776, 0.05, 0.001, 0.00099, 8.9e-5, 1].map(formatP)).toEqual(['0.378', '0.050', '0.001', '<0.001', '<0.001', '1.000']);
  });

  it('Qini permutation p-values: three significant digits, trailing zeros dropped', () => {
    expect([0.541, 0.05, 0.001, 1, 1 / 2000].map(formatQiniP)).toEqual(['0.541', '0.05', '0.001', '1', '0.0005']);
  });
});
