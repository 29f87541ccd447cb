import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/math/random.js';
import { qiniCurve } from '../../../src/models/uplift/qini-curve.js';
import { fitUpliftModel, predictUplift, type UpliftData } from '../../../src/models/uplift/uplift-learners.js';

/** n customers, two features; P(buy) = 0.2 + 0.1·x2 + effect·x1 when treated (true uplift effect·x1); 30% control. */
function campaign(n: number, effect: number, seed: number): UpliftData & { truth: Float64Array } {
  const r = createRandom(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const treated = new Float64Array(n);
  const outcome = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = r.uniform();
    x2[i] = r.uniform();
    treated[i] = r.uniform() < 0.7 ? 1 : 0;
    truth[i] = effect * x1[i]!;
    outcome[i] = r.uniform() < 0.2 + 0.1 * x2[i]! + treated[i]! * truth[i]! ? 1 : 0;
  }
  return { columns: [x1, x2], treated, outcome, truth };
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('uplift learners and the Qini curve', () => {
  it('the Qini curve of a hand-made case', () => {
    // scores rank rows 0..5; treated 1,1,0,1,0,0; outcome 1,1,0,0,1,0
    const q = qiniCurve([6, 5, 4, 3, 2, 1], [1, 1, 0, 1, 0, 0], [1, 1, 0, 0, 1, 0], 6);
    // after k rows: k=1,2: no control yet → 0; k=3: 2 − 0·2/1 = 2; k=4: 2 − 0 = 2; k=5: 2 − 1·3/2 = 0.5; k=6: 2 − 1·3/3 = 1
    expect(q.qini).toEqual([0, 0, 0, 2, 2, 0.5, 1]);
    expect(q.random.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 1 / 6, 2 / 6, 0.5, 4 / 6, 5 / 6, 1].map((v) => Math.round(v * 1e9) / 1e9));
    expect(q.coefficient).toBeCloseTo(q.area / 1, 12);
  });

  it('both learners recover who responds to the treatment (planted uplift 0.3·x1) and beat random targeting on fresh data', () => {
    const train = campaign(20_000, 0.3, 1);
    const test = campaign(20_000, 0.3, 2);
    for (const learner of ['two-model', 'transformed-outcome'] as const) {
      const model = fitUpliftModel(train, learner, { featureNames: ['x1', 'x2'] });
      const predicted = predictUplift(model, test.columns);
      expect(correlation(predicted, test.truth), learner).toBeGreaterThan(0.9);
      const q = qiniCurve(predicted, test.treated, test.outcome);
      const random = qiniCurve(Float64Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_000), test.treated, test.outcome);
      // about 2,100 incremental buyers in all (0.15 × 14,000 treated); targeting by the model gains ~380 buyer-shares over random
      expect(q.qini.at(-1)!, learner).toBeGreaterThan(1800);
      expect(q.area, learner).toBeGreaterThan(250);
      expect(Math.abs(random.area), learner).toBeLessThan(100);
      expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    }
  });

  it('without heterogeneity the Qini coefficient stays near zero', () => {
    const train = campaign(20_000, 0, 3);
    const test = campaign(20_000, 0, 4);
    const q = qiniCurve(predictUplift(fitUpliftModel(train, 'two-model'), test.columns), test.treated, test.outcome);
    // noise only: |area| ~ 35 here, against ~380 with the planted effect
    expect(Math.abs(q.area)).toBeLessThan(100);
  });

  it('refuses data without a control group', () => {
    const data = campaign(100, 0.3, 5);
    expect(() => fitUpliftModel({ ...data, treated: new Float64Array(100).fill(1) }, 'two-model')).toThrow(/treated and control customers/);
  });
});
