import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { aliveProbabilityPath } from '../../../src/models/btyd/alive-probability-path.js';
import { predictBgNbdProbabilityAlive } from '../../../src/models/bgnbd/bgnbd.js';
import { predictParetoNbdProbabilityAlive } from '../../../src/models/paretonbd/paretonbd.js';
import { predictMbgNbdProbabilityAlive } from '../../../src/models/mbgnbd/mbgnbd.js';

/** CDNOW estimates (weeks) */
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARETO = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

describe('aliveProbabilityPath', () => {
  it('BG/NBD: 1 until the first repeat purchase, up to (b+x−1)/(a+b+x−1) at each repeat purchase, decaying in between (lifetimes calculate_alive_path)', () => {
    const path = aliveProbabilityPath('bgnbd', { params: BG }, [10, 12, 15], 8, 1); // weeks 10, 12, 15: ages 0, 2, 5
    expect(Array.from(path.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(path.frequency)).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 2]);
    expect(Array.from(path.recency)).toEqual([0, 0, 2, 2, 2, 5, 5, 5, 5]);
    expect(path.pAlive[0]).toBe(1); // lifetimes' test: alive_path[0] == 1
    expect(path.pAlive[1]).toBe(1); // no repeat purchase yet: a BG/NBD customer can only drop out at one
    // right after a repeat purchase only that purchase's dropout chance is left: P(alive) = (b+x−1)/(a+b+x−1) (lifetimes' expit(−log(a/(b+x−1))))
    expect(path.pAlive[2]).toBeCloseTo(BG.b / (BG.a + BG.b), 14);
    expect(path.pAlive[5]).toBeCloseTo((BG.b + 1) / (BG.a + BG.b + 1), 14);
    expect(path.pAlive[5]).toBeGreaterThan(path.pAlive[4]!); // the purchase lifts it
    for (const i of [3, 4, 6, 7, 8]) expect(path.pAlive[i]).toBeLessThan(path.pAlive[i - 1]!);
    // each point is the model's P(alive) of the summary known then; the last is the customer's summary at T
    for (let i = 0; i < path.t.length; i++) {
      expect(path.pAlive[i]).toBe(predictBgNbdProbabilityAlive(BG, path.frequency[i]!, path.recency[i]!, path.t[i]!));
    }
    // lifetimes' test: alive_path[T] == conditional_probability_alive(frequency, recency, T); here by FHL (2008)'s closed form
    const atT = 1 / (1 + (BG.a / (BG.b + 1)) * ((BG.alpha + 8) / (BG.alpha + 5)) ** (BG.r + 2));
    expect(path.pAlive[8]).toBeCloseTo(atT, 14);
  });

  it('adds purchases between grid points and T off the grid; repeated times count once; later purchases are ignored', () => {
    const path = aliveProbabilityPath('bgnbd', { params: BG }, [0, 3 / 7, 3 / 7, 2.5], 2.2, 1 / 7);
    // the purchase at 3/7 week is a grid point (3 · 1/7 up to rounding): it appears once, exactly
    expect(path.t.filter((t) => Math.abs(t - 3 / 7) < 1e-9)).toHaveLength(1);
    expect(path.t.includes(3 / 7)).toBe(true);
    expect(path.t[path.t.length - 1]).toBe(2.2);
    expect(path.frequency[path.frequency.length - 1]).toBe(1); // the purchase at 2.5 is after T
    const jump = path.t.indexOf(3 / 7);
    expect(path.frequency[jump]).toBe(1);
    expect(path.recency[jump]).toBe(3 / 7);
    expect(path.pAlive[jump]).toBeCloseTo(BG.b / (BG.a + BG.b), 14);
    const offGrid = aliveProbabilityPath('bgnbd', { params: BG }, [0, 1.5], 3, 1);
    expect(Array.from(offGrid.t)).toEqual([0, 1, 1.5, 2, 3]);
    expect(Array.from(offGrid.frequency)).toEqual([0, 0, 1, 1, 1]);
  });

  it('Pareto/NBD and MBG/NBD paths are the models’ own P(alive) of the unfolding summary', () => {
    const times = [0, 4, 9, 10];
    const pareto = aliveProbabilityPath('paretonbd', { params: PARETO }, times, 20, 1);
    for (let i = 0; i < pareto.t.length; i++) {
      expect(Math.abs(pareto.pAlive[i]! - predictParetoNbdProbabilityAlive(PARETO, pareto.frequency[i]!, pareto.recency[i]!, pareto.t[i]!))).toBeLessThan(1e-15);
    }
    // Pareto/NBD: alive for certain at a purchase (t_x = t), then decaying
    for (const age of times) expect(pareto.pAlive[pareto.t.indexOf(age)]).toBeCloseTo(1, 12);
    expect(pareto.pAlive[20]).toBeLessThan(pareto.pAlive[15]!);
    const mbg = aliveProbabilityPath('mbgnbd', { params: BG }, times, 20, 2);
    for (let i = 0; i < mbg.t.length; i++) expect(mbg.pAlive[i]).toBe(predictMbgNbdProbabilityAlive(BG, mbg.frequency[i]!, mbg.recency[i]!, mbg.t[i]!));
    // MBG/NBD: a customer may drop out at the first purchase, so P(alive) < 1 even at t = 0
    expect(mbg.pAlive[0]).toBeLessThan(1);
  });

  it('refuses an empty history, a bad T or step, and an unknown model with UserError', () => {
    expect(() => aliveProbabilityPath('bgnbd', { params: BG }, [], 5, 1)).toThrow(UserError);
    expect(() => aliveProbabilityPath('bgnbd', { params: BG }, [0, NaN], 5, 1)).toThrow(UserError);
    expect(() => aliveProbabilityPath('bgnbd', { params: BG }, [0], -1, 1)).toThrow(UserError);
    expect(() => aliveProbabilityPath('bgnbd', { params: BG }, [0], 5, 0)).toThrow(UserError);
    expect(() => aliveProbabilityPath('bgnbd', { params: BG }, [0], 5, 1e-9)).toThrow(/points/);
    expect(() => aliveProbabilityPath('bgbb' as never, { params: BG }, [0], 5, 1)).toThrow(/unknown model/);
  });
});
