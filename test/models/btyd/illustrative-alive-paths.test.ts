import { describe, expect, it } from 'vitest';
import { illustrateAlivePaths } from '../../../src/models/btyd/illustrative-alive-paths.js';
import { aliveProbabilityPath } from '../../../src/models/btyd/alive-probability-path.js';

const BG = { params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const PARETO = { params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } };

describe('illustrateAlivePaths', () => {
  it('three made-up histories over the horizon: a steady buyer every α/r, one who stopped in the middle, a one-off buyer', () => {
    const [steady, stopped, oneOff] = illustrateAlivePaths('bgnbd', BG, 52, 'week');
    // α/r = 18.2 weeks, capped at a quarter of the horizon so that the steady buyer differs from the one who stopped
    expect(steady!.purchaseTimes).toEqual([0, 13, 26, 39, 52]);
    expect(steady!.label).toBe('buys every 13 weeks');
    expect(stopped!.purchaseTimes).toEqual([0, 13, 26]);
    expect(stopped!.label).toBe('stopped after 26 weeks');
    expect(stopped!.pAlive.at(-1)).toBeLessThan(steady!.pAlive.at(-1)!);
    expect(oneOff!.purchaseTimes).toEqual([0]);
    for (const path of [steady!, stopped!, oneOff!]) {
      expect(path.t[0]).toBe(0);
      expect(path.t.at(-1)).toBe(52);
      expect(path.t.length).toBeGreaterThanOrEqual(201);
      expect(path.pAlive).toEqual(Array.from(aliveProbabilityPath('bgnbd', BG, path.purchaseTimes, 52, 52 / 200).pAlive));
    }
    // BG/NBD cannot lose a customer who never bought again
    expect(oneOff!.pAlive.every((p) => p === 1)).toBe(true);
  });

  it('keeps the gap within a twelfth and a quarter of the horizon; Pareto/NBD lets a one-off buyer fade', () => {
    const [steady, stopped, oneOff] = illustrateAlivePaths('paretonbd', { params: { ...PARETO.params, alpha: 0.01 } }, 52);
    expect(steady!.purchaseTimes).toHaveLength(13); // gap 52/12: 0 … 52
    expect(stopped!.purchaseTimes).toHaveLength(7); // 0 … 26 of 0 … 52
    expect(stopped!.pAlive.at(-1)).toBeLessThan(steady!.pAlive.at(-1)!);
    expect(oneOff!.pAlive.at(-1)).toBeLessThan(0.9);
    expect(illustrateAlivePaths('paretonbd', { params: { ...PARETO.params, alpha: 5 } }, 52)[0]!.purchaseTimes).toHaveLength(6); // α/r = 9.04: 0 … 45.2
    expect(illustrateAlivePaths('bgnbd', { params: { ...BG.params, r: NaN } }, 52)).toEqual([]);
  });
});
