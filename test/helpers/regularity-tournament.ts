import { join } from 'node:path';
import { addDays } from '../../src/core/calendar-days.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { evaluateChurnScores } from '../../src/models/evaluate-churn-scores.js';
import { noPurchaseOutcome } from '../../src/models/learned/churn-classifier.js';
import { predictMbgCnbdProbabilityAlive } from '../../src/models/mbgcnbd/predict-mbgcnbd.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { fitRegularity } from '../../src/pipeline/honest-tournament.js';
import { queryLearnedSnapshot } from '../../src/pipeline/learned-snapshot.js';
import { runLearnedStep, type LearnedCard } from '../../src/pipeline/learned-step.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';

/** analyze's value step alone on `file` (90-day holdout) into `dir`/wh.duckdb: customer_scores is the value model M's (regularityCheck false: --no-churn alone no longer stops the check). `horizonMonths`: analyze's --horizon-months. */
export async function analyzeValueOnly(file: string, dir: string, options: { readonly horizonMonths?: number } = {}): Promise<{ run: RunSummary; warehouse: Warehouse }> {
  const db = join(dir, 'wh.duckdb');
  const run = await analyze({ files: [file], db, outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true, skipChurn: true, regularityCheck: false, minGroupSize: 40, holdoutDays: 90, keyring: keyringFromKey(generateKey()), ...options });
  return { run, warehouse: await openDuckDbWarehouse(db, { threads: 2 }) };
}

/** The learned step after it, with the honest tournament of the BTYD models and MBG/CNBD-k (no learned candidates). */
export async function runRegularityTournament(warehouse: Warehouse, run: RunSummary): Promise<LearnedCard> {
  const value = run.valueModel!;
  return (await runLearnedStep(warehouse, {
    asOf: run.parameters.asOf,
    calibrationEnd: value.calibrationEnd,
    timeUnit: value.timeUnit,
    grain: 'day',
    purchaseModel: value.final.model,
    purchaseFit: value.final,
    clv: value.clv,
    tournament: true,
    learnedCandidates: [],
  }))!;
}

/** What the churn validation must hold for 1 − P(alive) of MBG/CNBD-k fitted at the calibration end with this k, recomputed from the library's pieces. */
export async function expectedRegularityChurn(warehouse: Warehouse, run: RunSummary, card: LearnedCard, k: number): Promise<ReturnType<typeof evaluateChurnScores>> {
  const value = run.valueModel!;
  const C = value.calibrationEnd;
  const atC = await queryLearnedSnapshot(warehouse, { asOf: C, labelEnd: addDays(C, card.churn!.horizonDays), timeUnit: value.timeUnit, grain: 'day' });
  const fit = fitRegularity(atC, k);
  const pAlive = Float64Array.from(atC.rfm.T, (T, i) => predictMbgCnbdProbabilityAlive(k, fit.fitted.params, atC.rfm.frequency[i]!, atC.rfm.recency[i]!, T));
  return evaluateChurnScores(noPurchaseOutcome(atC.label), pAlive.map((p) => 1 - p), { seed: 1 });
}
