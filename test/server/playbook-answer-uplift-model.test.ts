/**
 * `POST /api/playbook/run`'s response schema (`PlaybookRunAnswer`) names every field of a plan whose budget an uplift
 * model ranked, down to the model's Qini curve and its tests: fastify serialises the answer by it and drops what it
 * does not name. A served run learns such a model only from past campaigns (test/actions/playbook-uplift-budget.test.ts
 * builds 2,000 customers for one), so a plan is written out here, typed as the route's answer (every field the types
 * require), and serialised by the schema on a bare fastify: it must arrive as JSON.stringify gives it.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { LinearModel } from '../../src/models/learned/linear-model.js';
import { PlaybookRunAnswer, asAnswer, type PlaybookRun } from '../../src/server/routes/action-answers.js';
import { balanceOfSums, type GroupSums } from '../../src/actions/group-balance.js';

const linear = (intercept: number): LinearModel => ({
  kind: 'linear-model',
  family: 'gaussian',
  l2: 1e-4,
  featureNames: ['frequency', 'recency'],
  means: [2.5, 120],
  scales: [1.2, 80],
  standardisedIntercept: intercept,
  standardisedCoefficients: [0.3, -0.1],
  intercept: intercept - 0.2,
  coefficients: [0.25, -0.00125],
  fit: { converged: true, iterations: 12, objective: 0.42, message: 'converged' },
});

const sums = (n: number, mean: number): readonly [number, number] => [n * mean, (n - 1) + n * mean * mean];
// `withHistory` members with a purchase before the send date: 1 … 4 withholds the covariates they make up
const group = (n: number, mean: number, withHistory = n - 3): GroupSums => ({ n, prePurchases: sums(n, mean), preBuyers: n / 2, preRevenue: sums(n, 20 * mean), purchasesToDate: sums(n, 3), withHistory, daysSinceLastPurchase: sums(withHistory, 40) });
const suppressed = { optedOut: 0, contactedRecently: 12, runningControlGroup: 3, boughtRecently: 40, nextOrderDue: 0 };

const plan: PlaybookRun = {
  playbook: 'default',
  sendDate: '2024-03-01',
  scoresAsOf: '2024-02-29',
  reused: false,
  drawnAt: null,
  seed: 3,
  budget: 400.5,
  plays: [
    {
      play: 'win-back',
      audience: 'playbook-2024-03-01-win-back',
      channel: 'email',
      offer: '10% off',
      where: "stage IN ('at_risk')",
      eligible: 180,
      matched: 235,
      suppressed,
      members: 120,
      treatment: 108,
      control: 12,
      costPerContact: 0.75,
      expectedCost: 81,
      lift: 0.05,
      liftSource: 'playbook',
      expectedIncrementalValue: 212.25,
      expectedRoi: 1.62,
      file: null,
      valueSource: 'uplift model × margin (incremental revenue over 2024-01-01 … 2024-01-30-long window)',
      skipped: null,
      skipKind: null,
      balance: balanceOfSums({ treatment: group(108, 1.1), control: group(12, 1, 4) }, { sendDate: '2024-03-01', preDays: 30, minGroupSize: 5 }),
      notes: ['a note'],
      export: '/api/audiences/playbook-2024-03-01-win-back/export',
    },
    { play: 'last-offer', audience: null, channel: null, offer: null, where: 'orders >= 9', eligible: 3, matched: 3, suppressed, members: 0, treatment: 0, control: 0, costPerContact: 1, expectedCost: 0, lift: 0.03, liftSource: 'playbook', expectedIncrementalValue: null, expectedRoi: null, file: null, valueSource: '', skipped: '3 customers, fewer than the minimum group size 5', skipKind: 'belowMinGroupSize', balance: null, notes: [], export: null },
  ],
  totals: { customers: 600, members: 120, notDrawn: 63, matchedByNone: 362, treatment: 108, expectedCost: 81, expectedIncrementalValue: 212.25, expectedRoi: 1.62, suppressed },
  valueBasis: 'expected incremental value = Σ over the treated of the uplift model’s incremental revenue …',
  targeting: {
    basis: 'uplift model',
    reason: 'the two-model learner beat random targeting on past',
    notProfitable: 17,
    upliftModel: {
      audience: 'past',
      window: { from: '2024-01-01', to: '2024-01-30' },
      outcome: 'revenue',
      learner: 'two-model',
      train: { treatment: 700, control: 300 },
      validation: { treatment: 690, control: 310 },
      qini: { fractions: [0, 0.5, 1], qini: [0, 41.5, 60.25], random: [0, 30.125, 60.25], area: 5.6875, coefficient: 0.0944 },
      qiniTest: { test: 'permutation', permutations: 999, pValue: 0.002, alpha: 0.05 },
      campaignTest: { correction: 'holm', alpha: 0.05, tested: 2, adjustedPValue: 0.004, campaigns: [{ audience: 'past', pValue: 0.002, adjustedPValue: 0.004 }, { audience: 'older', pValue: 0.4, adjustedPValue: 0.4 }] },
      learners: [
        { learner: 'two-model', qiniCoefficient: 0.0944, qiniArea: 5.6875, qiniPValue: 0.002 },
        { learner: 'transformed-outcome', qiniCoefficient: 0.03, qiniArea: 1.8, qiniPValue: 0.21 },
      ],
      model: { kind: 'two-model', treatment: linear(0.5), control: linear(0.4) },
    },
  },
  warnings: ['the scores and stages describe the data to …'],
  notes: ['the scores and stages describe the data to …'],
  hint: null,
};

describe("POST /api/playbook/run's response schema", () => {
  it('serialises a plan ranked by an uplift model whole: every field, the model and its tests included', async () => {
    const app = Fastify();
    app.get('/plan', { schema: { response: { 200: PlaybookRunAnswer } } }, async () => asAnswer(plan));
    try {
      const answered = await app.inject({ method: 'GET', url: '/plan' });
      expect(answered.statusCode, answered.body).toBe(200);
      expect(answered.json()).toEqual(JSON.parse(JSON.stringify(plan)));
      // a covariate's withheld reason is optional: here on some covariates, absent on those measured
      const covariates = plan.plays[0]!.balance!.covariates;
      expect([covariates.some((c) => c.withheld !== undefined), covariates.some((c) => c.withheld === undefined)]).toEqual([true, true]);
    } finally {
      await app.close();
    }
  });
});
