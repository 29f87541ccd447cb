import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import type { ColumnarResult, Warehouse } from '../../src/engine/warehouse.js';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import { predictLearnedWinner } from '../../src/pipeline/learned-scores.js';
import { snapshotReader } from '../../src/pipeline/learned-snapshot.js';
import type { LearnedCard } from '../../src/pipeline/learned-step.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { analyzeValueOnly, runRegularityTournament } from '../helpers/regularity-tournament.js';
import { scratchDir } from '../helpers/warehouse.js';

// A server run on the ClickHouse cluster sent the learned-feature snapshot query 8 times for 5 windows (1–2 s each):
// the honest tournament, the churn step and the MBG/CNBD-k winner's scores each read the windows they need, and several
// are the same (C − N → C, C → H = asOf, asOf). One reader per run now reads each window once and hands the same
// snapshot to every user; the snapshots are read-only, which the check against copies below holds every user to.

/** The warehouse, counting the learned-feature statements (the snapshot query: its `litt` column) and keeping their results and a copy of each. */
function countingSnapshots(warehouse: Warehouse) {
  const sent: string[] = [];
  const results: { live: ColumnarResult; copy: Record<string, unknown[]> }[] = [];
  const counted: Warehouse = new Proxy(warehouse, {
    get(target, property) {
      if (property === 'queryColumns') {
        return async (sql: string) => {
          const result = await target.queryColumns(sql);
          if (/ AS litt\b/.test(sql)) {
            sent.push(sql);
            results.push({ live: result, copy: Object.fromEntries(Object.entries(result.columns).map(([name, values]) => [name, Array.from(values as ArrayLike<unknown>)])) });
          }
          return result;
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { counted, sent, results };
}

describe('one analyze reads each learned-feature snapshot once (regular-buyer shop, 250 customers: the tournament runs unasked, MBG/CNBD-k scores)', () => {
  let run: RunSummary;
  let warehouse: Warehouse;
  let card: LearnedCard;
  let probe: ReturnType<typeof countingSnapshots>;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-snapshot-reuse-');
    await generateShop({ outDir: dir, customers: 250, seed: 3, events: false, shape: 'regular' });
    ({ run, warehouse } = await analyzeValueOnly(join(dir, 'transactions.csv'), dir));
    probe = countingSnapshots(warehouse);
    card = await runRegularityTournament(probe.counted, run);
  }, 600_000);
  afterAll(() => warehouse?.close());

  it('the MBG/CNBD-k winner scored the customers, so the tournament, the churn step and the scores all read snapshots', () => {
    expect(card.tournament!.chosen).toBe('mbgcnbd');
    expect(card.scores?.model).toBe('mbgcnbd');
  });

  // the windows (N = L = the 90-day holdout = the inner window): C′ − 90 → C′, C′ → C (the inner test, the churn
  // training), C → asOf (the holdout, the churn validation, the churn training at asOf − L) and asOf (the scores, the churn
  // scores); before, 8 queries: C′ → C twice, C → asOf three times, asOf twice
  it('no snapshot statement is sent twice: 4 windows, 4 queries (8 before)', () => {
    expect(new Set(probe.sent).size).toBe(probe.sent.length);
    expect(probe.sent).toHaveLength(4);
  });

  it('no user of a shared snapshot changed it: every column holds what the query returned', () => {
    for (const { live, copy } of probe.results) {
      for (const [name, values] of Object.entries(live.columns)) expect(Array.from(values as ArrayLike<unknown>), name).toEqual(copy[name]);
    }
  });

  it('a learned winner\'s scores read their windows through the run\'s reader: none again once the run has them', async () => {
    const asOf = run.parameters.asOf;
    const { timeUnit } = run.valueModel!;
    const value = run.valueModel!;
    const own = countingSnapshots(warehouse);
    const snapshots = snapshotReader(own.counted);
    const labelDays = 56;
    const train = await snapshots.read({ asOf: addDays(asOf, -labelDays), labelEnd: asOf, timeUnit, grain: 'day' });
    const score = await snapshots.read({ asOf, timeUnit, grain: 'day' });
    expect(own.sent).toHaveLength(2);
    // the same window again: the same snapshot, no query; another window (or profiles off): its own query
    expect(await snapshots.read({ asOf, timeUnit, grain: 'day' })).toBe(score);
    const winner = await predictLearnedWinner(own.counted, { asOf, timeUnit, grain: 'day', winner: 'linear-poisson', labelDays, featureModel: value.final.model, purchaseModel: value.final.model, purchaseFit: value.final, snapshots });
    expect(own.sent).toHaveLength(2);
    if ('withheld' in winner) throw new Error(winner.withheld);
    expect(winner.score).toBe(score);
    expect(winner.predicted).toHaveLength(score.customerIds.length);
    expect(train.labelEnd).toBe(asOf);
    // the learned winner's training and scoring left the shared snapshots as read
    for (const { live, copy } of own.results) {
      for (const [name, values] of Object.entries(live.columns)) expect(Array.from(values as ArrayLike<unknown>), name).toEqual(copy[name]);
    }
    await snapshots.read({ asOf, timeUnit, grain: 'day', profiles: false });
    expect(own.sent).toHaveLength(3);
  }, 120_000);
});
