import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { MbgCnbdFit } from '../../src/models/mbgcnbd/mbgcnbd.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { fitRegularity } from '../../src/pipeline/honest-tournament.js';
import { writeRegularityScores } from '../../src/pipeline/regularity-scores.js';
import { valueClvSchedule } from '../../src/pipeline/value-step.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

const COLUMNS = ['p_alive', 'expected_purchases_30d', 'expected_purchases_90d', 'expected_purchases_365d', 'predicted_clv_12m', 'predicted_clv_12m_low', 'predicted_clv_12m_high', 'next_order_p50', 'next_order_p90'];

/** customer_scores as text per customer (NaN shows as 'nan', NULL as null) */
async function readScores(warehouse: Warehouse): Promise<Map<string, (string | null)[]>> {
  const rows = await warehouse.query(`SELECT customer_id, ${COLUMNS.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')} FROM customer_scores`);
  return new Map(rows.map((r) => [String(r.customer_id), COLUMNS.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c])))]));
}

/**
 * The MBG/CNBD-k refit at the as-of date can fail (non-finite estimates, or
 * predictions that are not numbers): customer_scores must then keep the value
 * model's scores — never NaN — and the card must say why. A refit that did not
 * converge but predicts finite values is written, with a warning. The refit is
 * replaced by a broken one to make each case happen.
 */
describe('a failed MBG/CNBD-k refit keeps the value model’s scores (regular-buyer shop, 600 customers)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  let before: Map<string, (string | null)[]>;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-regularity-refit-');
    await generateShop({ outDir: dir, customers: 600, seed: 5, events: false, shape: 'regular' });
    const db = join(dir, 'wh.duckdb');
    run = await analyze({ files: [join(dir, 'transactions.csv')], db, outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true, skipChurn: true, regularityCheck: false, minGroupSize: 40, holdoutDays: 90, keyring: keyringFromKey(generateKey()) });
    warehouse = await openDuckDbWarehouse(db, { threads: 2 });
    before = await readScores(warehouse);
    await warehouse.execute('CREATE TABLE customer_scores_saved AS SELECT * FROM customer_scores');
  }, 300_000);
  const restore = () => warehouse.execute('CREATE OR REPLACE TABLE customer_scores AS SELECT * FROM customer_scores_saved');
  afterAll(() => warehouse?.close());

  const write = (refit: (snapshot: Parameters<typeof fitRegularity>[0], k: number) => MbgCnbdFit) => {
    const value = run.valueModel!;
    return writeRegularityScores(warehouse, {
      asOf: run.parameters.asOf,
      timeUnit: value.timeUnit,
      grain: 'day',
      k: 4,
      horizonDays: 90,
      purchaseModel: value.final.model,
      purchaseFit: value.final,
      clvSchedule: valueClvSchedule(value.clv.horizonMonths, value.clv.discountRatePerYear, value.timeUnit),
      refit,
    });
  };

  const broken = (change: (fit: MbgCnbdFit) => MbgCnbdFit) => (snapshot: Parameters<typeof fitRegularity>[0], k: number) => change(fitRegularity(snapshot, k));

  it('non-finite parameters: nothing is written, the card says the value model’s scores stay and why', async () => {
    const result = await write(broken((fit) => ({ ...fit, fitted: { ...fit.fitted, params: { ...fit.fitted.params, alpha: NaN } } })));
    expect(await readScores(warehouse)).toEqual(before);
    expect('kept' in result && result.kept).toMatch(/MBG\/CNBD-4.*not finite.*alpha/);
  }, 120_000);

  it('a refit that did not converge but predicts finite values: written, and the card says it did not converge, with the optimiser’s message', async () => {
    // an interior fit that stopped short (the shop's own refit settles on a boundary whose limit converged: reachedOptimum)
    const stoppedShort = broken(({ fitted: { fit: { boundary: _boundary, ...fit }, ...fitted }, ...rest }) => ({ ...rest, fitted: { ...fitted, fit: { ...fit, converged: false, message: 'iteration limit reached' } } }));
    const result = await write(stoppedShort);
    expect('kept' in result).toBe(false);
    const card = result as { refitWarning?: string; note: string };
    expect(card.refitWarning).toMatch(/MBG\/CNBD-4 refitted .* did not converge \(iteration limit reached\).*written/);
    expect(card.note).toContain(card.refitWarning);
    const after = await readScores(warehouse);
    let changed = 0;
    for (const [id, row] of after) {
      for (const v of row.slice(0, 5)) expect(v === null || Number.isFinite(Number(v)), `${id} ${row.join(' ')}`).toBe(true);
      if (row[2] !== before.get(id)![2]) changed++;
    }
    expect(changed).toBeGreaterThan(after.size / 2);
    await restore();
  }, 120_000);

  it('finite parameters whose predictions are not numbers (b = 0 is outside the model; a = 0 is not since session 10: the no-dropout limit): nothing is written', async () => {
    const result = await write(broken((fit) => ({ ...fit, fitted: { ...fit.fitted, params: { ...fit.fitted.params, b: 0 } } })));
    expect(await readScores(warehouse)).toEqual(before);
    expect('kept' in result && result.kept).toMatch(/MBG\/CNBD-4.*p_alive/);
  }, 120_000);

  it('a sound refit writes its scores, every one a number, without a warning (nobody drops out, all at one rate: the limit it sits on converged, which the note names)', async () => {
    const result = await write((snapshot, k) => fitRegularity(snapshot, k));
    expect('kept' in result).toBe(false);
    // session 9's refit said converged at a ≈ 0 with a singular information matrix; sessions 10–12 warned that it did not converge,
    // although its limit (CNBD-4, whose own rates ran off to one: r → ∞) was fitted; since session 13 that limit, CNBD-4 with one
    // purchase rate, is fitted and converged (cnbd-one-rate.ts), so the refit settled and the note says where
    const card = result as { refitWarning?: string; note: string };
    expect(card.refitWarning).toBeUndefined();
    expect(card.note).toMatch(/; the refit sits on a boundary: its estimates run off to a\/b → 0, and r, alpha → ∞ with r\/alpha fixed \(no dropout: .*all at one purchase rate.*\): CNBD-4 with one purchase rate was fitted in its place$/);
    const after = await readScores(warehouse);
    let changed = 0;
    for (const [id, row] of after) {
      for (const v of row.slice(0, 5)) expect(v === null || Number.isFinite(Number(v)), `${id} ${row.join(' ')}`).toBe(true);
      if (row[2] !== before.get(id)![2]) changed++;
    }
    expect(changed).toBeGreaterThan(after.size / 2);
  }, 120_000);
});
