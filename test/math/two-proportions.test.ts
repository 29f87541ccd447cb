import { describe, expect, it } from 'vitest';
import { fisherExactTwoSided, hypergeometricLogPmf, logChoose, moverRatioInterval, newcombeInterval, probabilityOfNone } from '../../src/math/two-proportions.js';

describe('two proportions: Fisher, Newcombe and MOVER-R against published values', () => {
  it('log C(n, k) and the hypergeometric probabilities sum to 1', () => {
    expect(Math.exp(logChoose(10, 3))).toBeCloseTo(120, 9);
    expect(Math.exp(logChoose(1_000_000, 2))).toBeCloseTo(499_999_500_000, -1);
    expect(logChoose(5, 6)).toBe(-Infinity);
    let total = 0;
    for (let x = 0; x <= 15; x++) total += Math.exp(hypergeometricLogPmf(x, 288, 15, 259));
    expect(total).toBeCloseTo(1, 12);
  });

  it("Fisher's exact test, two-sided as R's fisher.test", () => {
    // the user trial: 15 of 259 treated bought, 0 of 29 control (Welch had said p = 8.9e-5); scipy.stats.fisher_exact: 0.37764793400348
    expect(fisherExactTwoSided(15, 259, 0, 29)).toBeCloseTo(0.377647934, 8);
    // R's TeaTasting example, fisher.test(matrix(c(3, 1, 1, 3), 2)): p-value = 0.4857
    expect(fisherExactTwoSided(3, 4, 1, 4)).toBeCloseTo(0.485714286, 8);
    // Fagerland, Lydersen & Laake (2017), ch. 4: Ritland et al. (2007), 0 of 16 against 15 of 72: P = 0.06287
    expect(fisherExactTwoSided(0, 16, 15, 72)).toBeCloseTo(0.06287, 5);
    // Newcombe's (1998) example a, 56/70 against 48/80: scipy 0.012521129749
    expect(fisherExactTwoSided(56, 70, 48, 80)).toBeCloseTo(0.0125211297, 9);
    // symmetric in the groups, 1 when nobody (or everybody) bought
    expect(fisherExactTwoSided(0, 29, 15, 259)).toBeCloseTo(fisherExactTwoSided(15, 259, 0, 29), 12);
    expect(fisherExactTwoSided(0, 259, 0, 29)).toBe(1);
    expect(fisherExactTwoSided(259, 259, 29, 29)).toBe(1);
  });

  it("Newcombe's hybrid score interval (his method 10)", () => {
    // Newcombe (1998), Statistics in Medicine 17, Table II, method 10
    const table: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      // Fagerland et al. (2017): Perondi et al. (2004), 7 of 34 against 1 of 34: 0.0189 to 0.3404
      [7, 34, 1, 34, 0.0189, 0.3404],
    ];
    for (const [x1, n1, x2, n2, low, high] of table) {
      const [l, h] = newcombeInterval(x1, n1, x2, n2);
      expect(l, `${x1}/${n1} − ${x2}/${n2}`).toBeCloseTo(low, 4);
      expect(h, `${x1}/${n1} − ${x2}/${n2}`).toBeCloseTo(high, 4);
    }
    // the trial's table: the control's Wilson width (0 of 29: up to 11.7%) keeps 0 inside
    const [l, h] = newcombeInterval(15, 259, 0, 29);
    expect(l).toBeCloseTo(-0.0612, 4);
    expect(h).toBeCloseTo(0.0933, 4);
  });

  it('MOVER-R Wilson interval of the ratio; none without a control success', () => {
    // Fagerland et al. (2017): Perondi et al. (2004), ratio 7.0 (1.1537 to 41.9763)
    const [low, high] = moverRatioInterval(7, 34, 1, 34)!;
    expect(low).toBeCloseTo(1.1537, 4);
    expect(high).toBeCloseTo(41.9763, 4);
    expect(moverRatioInterval(15, 259, 0, 29)).toBeNull();
    // no treated success: the ratio is 0, its lower limit 0
    expect(moverRatioInterval(0, 16, 15, 72)![0]).toBe(0);
  });

  it('the chance that a control group has no buyer when the campaign did nothing', () => {
    // 15 buyers among 288 customers, 29 of them control: scipy.stats.hypergeom(288, 15, 29).pmf(0) = 0.19508586372
    expect(probabilityOfNone(288, 15, 29)).toBeCloseTo(0.1950858637, 9);
  });
});
