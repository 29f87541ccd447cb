/**
 * The churn early warning's horizon N ("no purchase in the next N days"). Found in a trial on the CDNOW sample (39
 * weeks of calibration, 39 of holdout): the churn model looked 181 days ahead while the holdout was 273 days, nothing
 * said so, and nothing could set N. Now N is said with how it was chosen, `churnDays` (--churn-days) sets it, a value
 * the windows cannot hold is refused before any fit, and the learned model and 1 − P(alive) are scored on the same N.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { UserError } from '../../src/core/errors/user-error.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { churnDaysRefusal, longestChurnDays, planChurnHorizon } from '../../src/pipeline/churn-horizon.js';
import { runHonestTournament, type HonestTournamentResult } from '../../src/pipeline/honest-tournament.js';
import { FIXTURES, memoryWarehouse } from '../helpers/warehouse.js';

const CDNOW_WINDOWS = { calibrationDays: 272, holdoutDays: 273 };

describe('planChurnHorizon: N from the windows, or as asked', () => {
  it('CDNOW 39 + 39 weeks: the default is 181 days, shorter than the 273-day holdout, and says why', () => {
    const plan = planChurnHorizon(CDNOW_WINDOWS, undefined)!;
    expect(plan).toMatchObject({ days: 181, chosen: 'shortened' });
    expect(plan.reason).toBe(
      'shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third, which the classifier keeps as history before its training cut-off (a 273-day label needs 410 days of calibration data); the churn figures score no purchase in the first 181 days of the 273-day holdout',
    );
  });

  it('the holdout length when the calibration window holds it, said as such', () => {
    expect(planChurnHorizon({ calibrationDays: 600, holdoutDays: 180 }, undefined)).toEqual({ days: 180, chosen: 'holdout', reason: "the holdout's length; --churn-days sets a shorter one" });
  });

  it('an asked N that fits is kept, and said as asked, in the run\'s words', () => {
    expect(planChurnHorizon(CDNOW_WINDOWS, 90)).toEqual({ days: 90, chosen: 'asked', reason: 'as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout' });
    expect(planChurnHorizon(CDNOW_WINDOWS, 181, { give: 'send', name: 'churnDays' })?.reason).toBe('as churnDays 181 asked: the churn figures score no purchase in the first 181 days of the 273-day holdout');
    expect(planChurnHorizon({ calibrationDays: 600, holdoutDays: 180 }, 180)?.reason).toBe("as --churn-days 180 asked, the holdout's length");
  });

  it('an N the windows cannot hold is refused with the range that fits: the CLI\'s flag, the API\'s field', () => {
    expect(longestChurnDays(CDNOW_WINDOWS)).toBe(181);
    expect(() => planChurnHorizon(CDNOW_WINDOWS, 273)).toThrow(UserError);
    const cli = churnDaysRefusal(CDNOW_WINDOWS, 273)!;
    expect(cli.message).toBe('--churn-days 273 does not fit the windows: the churn labels need N days after the first third of the 272 days from the first purchase to the calibration end (at most 181) and N days of the 273-day holdout to check them on');
    expect(cli.hint).toBe('pass --churn-days from 14 to 181, or leave it out for the longest that fits');
    // longer than the holdout though the calibration window holds it
    expect(churnDaysRefusal({ calibrationDays: 900, holdoutDays: 120 }, 150, { give: 'send', name: 'churnDays' })?.hint).toBe('send churnDays from 14 to 120, or leave it out for the longest that fits');
    expect(churnDaysRefusal(CDNOW_WINDOWS, 13)?.message).toBe('--churn-days 13 is shorter than 14 days: a shorter churn label says too little');
    expect(churnDaysRefusal(CDNOW_WINDOWS, 181)).toBeNull();
    // windows that hold no 14-day label: the hint says so instead of an empty range
    expect(churnDaysRefusal({ calibrationDays: 15, holdoutDays: 90 }, 30)?.hint).toBe('the windows hold no churn label of 14 days: use a longer history or a longer holdout');
  });
});

describe('the honest tournament’s churn early warning over N days (CDNOW sample, 39 + 39 weeks)', () => {
  const OPTIONS = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', timeUnit: 'week', grain: 'day', seed: 1, learned: ['linear-poisson'], regularity: false } as const;
  let warehouse: Warehouse;
  let byDefault: HonestTournamentResult;
  let asked: HonestTournamentResult;
  /** the share of the customers who bought by the calibration end with no purchase in its next `days` days */
  const churnedShare = async (days: number) => {
    const [row] = await warehouse.query(
      `SELECT avg(CASE WHEN n = 0 THEN 1 ELSE 0 END) AS share FROM (SELECT customer_id, count(*) FILTER (WHERE ts >= TIMESTAMP '1997-10-01' AND ts < TIMESTAMP '${addDays('1997-09-30', days + 1)}') AS n FROM transactions WHERE NOT is_return GROUP BY customer_id HAVING min(ts) < TIMESTAMP '1997-10-01')`,
    );
    return Number(row!.share);
  };
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [`${FIXTURES}cdnow/CDNOW_sample.txt.gz`], { map: { customer_id: '2', date: '3', quantity: '4', amount: '5' } });
    byDefault = await runHonestTournament(warehouse, OPTIONS);
    asked = await runHonestTournament(warehouse, { ...OPTIONS, churnDays: 90 });
  }, 180_000);
  afterAll(() => warehouse.close());

  it('by default: 181 days, said as shortened from the 273-day holdout; both scores judged on the same 181 days', async () => {
    expect(byDefault.holdoutDays).toBe(273);
    expect(byDefault.churnHorizon).toMatchObject({ days: 181, chosen: 'shortened' });
    expect(byDefault.churn.horizonDays).toBe(181);
    const share = await churnedShare(181);
    expect(share).toBeCloseTo(0.75, 2);
    expect(byDefault.churn.learned.baseRate).toBeCloseTo(share, 12);
    expect(byDefault.churn.btydOneMinusPAlive.baseRate).toBeCloseTo(share, 12);
  });

  it('churnDays 90: the labels, the learned model and 1 − P(alive) all over 90 days', async () => {
    expect(asked.churnHorizon).toEqual({ days: 90, chosen: 'asked', reason: 'as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout' });
    expect(asked.churn.horizonDays).toBe(90);
    const share = await churnedShare(90);
    expect(share).toBeCloseTo(0.831, 3);
    expect(asked.churn.learned.baseRate).toBeCloseTo(share, 12);
    expect(asked.churn.btydOneMinusPAlive.baseRate).toBeCloseTo(share, 12);
    expect(asked.churn.learned.auc).toBeGreaterThan(asked.churn.btydOneMinusPAlive.auc);
    // the value models' figures do not depend on N
    expect(asked.candidates.map((c) => c.holdout.mae)).toEqual(byDefault.candidates.map((c) => c.holdout.mae));
  });

  it('churnDays 273, the whole holdout, does not fit the 272-day calibration window: refused before any fit', async () => {
    await expect(runHonestTournament(warehouse, { ...OPTIONS, churnDays: 273 })).rejects.toThrow(/^--churn-days 273 does not fit the windows: .*\(at most 181\)/);
    await expect(runHonestTournament(warehouse, { ...OPTIONS, churnDays: 273, churnWords: { give: 'send', name: 'churnDays' } })).rejects.toMatchObject({ hint: 'send churnDays from 14 to 181, or leave it out for the longest that fits' });
  });
});
