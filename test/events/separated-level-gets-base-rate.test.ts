/**
 * QA (shop B + 40 events-only visitors): in the prospects' training rows every earlier prospect without a profile
 * later converted (311 of 311: the synthetic sign-up date is the first purchase date), so `has_profile = 0` separated
 * the outcome completely; the L2-penalised logistic regression turned that into a propensity of 0.92 for every
 * events-only visitor today (an expected first-year value ≈ a paying customer's), the prospects' value from 58 to
 * 16,388. A binary feature's level with no non-converter in training has no estimable effect (the likelihood has no
 * finite maximum; the ridge alone sets how near 1 it gets): the prospects at that level now get the base rate, and the
 * run warns, naming the feature, the level, the training counts and how many prospects it affects.
 */
import { describe, expect, it } from 'vitest';
import { scoreProspects, duckdbProspectSql, type ProspectScores, type ProspectSql } from '../../src/events/score-prospects.js';
import { separatedLevelWarnings } from '../../src/pipeline/stages/events-stage.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

const AS_OF = '2024-06-30';
const NUMBERS = ['has_profile', 'days_since_signup', 'days_since_first_session', 'days_since_last_session', 'sessions', 'sessions_30d', 'views_30d', 'cart_adds_30d', 'acquisition_cost'];

interface Row { id: string; profile: 0 | 1; sessions: number; label: 0 | 1 }

/** 60 profile rows (converters those with more sessions, but not perfectly: 20 of 60) and 15 events-only rows, all converted. */
function trainingRows(separated: boolean): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 60; i++) rows.push({ id: `p${i}`, profile: 1, sessions: i % 10, label: (i % 10 >= 6 || i % 7 === 0) && i % 9 !== 0 ? 1 : 0 });
  // with `separated` false two events-only rows did not convert: no separation
  for (let i = 0; i < 15; i++) rows.push({ id: `e${i}`, profile: 0, sessions: 1 + (i % 4), label: !separated && i < 2 ? 0 : 1 });
  return rows;
}

const CURRENT: Row[] = [
  { id: 'now-profile', profile: 1, sessions: 3, label: 0 },
  { id: 'now-visitor', profile: 0, sessions: 3, label: 0 },
];

function values(rows: readonly Row[], cutoff: string): string {
  return rows
    .map((r) => `('${r.id}', DATE '${cutoff}', ${r.profile}, ${r.profile ? 100 + r.sessions : 'NULL'}, 50, 5, ${r.sessions}, ${r.sessions % 3}, ${2 * r.sessions}, 0, ${r.profile ? 10 : 'NULL'}, ${r.label})`)
    .join(', ');
}

/** The prospects step on hand-built feature rows (the engine's statements replaced by VALUES lists). */
function handBuilt(separated: boolean): ProspectSql {
  const columns = `f(customer_id, cutoff, ${NUMBERS.join(', ')}, label)`;
  return {
    ...duckdbProspectSql,
    async writePeople(warehouse) {
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_people AS SELECT * FROM (VALUES ('now-profile', NULL), ('now-visitor', NULL)) t(customer_id, acquisition_channel)`);
    },
    firstSessionDay: `SELECT '2023-01-01' AS first`,
    features: (cutoffs, _horizon, current) => `SELECT * FROM (VALUES ${current ? values(CURRENT, AS_OF) : values(trainingRows(separated), cutoffs[0]!)}) ${columns}`,
    async newCustomerValues() {
      return { byChannel: new Map(), overall: { mean: 400, buyers: 50, standardError: 20 } };
    },
    prospectChannels: `SELECT customer_id, acquisition_channel FROM clv_people`,
  };
}

async function score(separated: boolean): Promise<{ scores: ProspectScores; propensity: Record<string, number>; interval: Record<string, readonly [number, number]> }> {
  return withMemoryWarehouse(async (warehouse) => {
    const scores = await scoreProspects(warehouse, { asOf: AS_OF }, handBuilt(separated));
    const rows = await warehouse.query('SELECT customer_id, conversion_propensity, expected_first_year_value_low AS low, expected_first_year_value_high AS high FROM customer_prospects');
    return {
      scores,
      propensity: Object.fromEntries(rows.map((r) => [String(r.customer_id), Number(r.conversion_propensity)])),
      interval: Object.fromEntries(rows.map((r) => [String(r.customer_id), [Number(r.low), Number(r.high)] as const])),
    };
  });
}

describe('a feature level that separates the outcome in the prospects’ training rows', () => {
  it('gives the prospects at that level the base rate, not a near-certain propensity, and says so', async () => {
    const { scores, propensity, interval } = await score(true);
    const training = trainingRows(true);
    const conversions = training.filter((r) => r.label === 1).length;
    expect(scores.model).toBe('logistic regression');
    expect(scores.conversions).toBe(conversions);
    // every events-only training row converted: the visitor today gets the base rate, not ≈ 1
    expect(propensity['now-visitor']).toBeCloseTo(conversions / training.length, 12);
    // its value interval is the base rate's (Jeffreys draws × the new-customer value 400), around its value, not ≈ 400
    const [low, high] = interval['now-visitor']!;
    expect(low).toBeLessThan(400 * propensity['now-visitor']!);
    expect(high).toBeGreaterThan(400 * propensity['now-visitor']!);
    expect(high).toBeLessThan(300);
    // the profile prospect keeps the model's propensity
    expect(propensity['now-profile']).toBeGreaterThan(0);
    expect(propensity['now-profile']).not.toBeCloseTo(conversions / training.length, 3);
    expect(scores.separatedLevels).toEqual([{ feature: 'has_profile', level: 0, trainingRows: 15, prospects: 1 }]);
    expect(separatedLevelWarnings(scores)).toEqual([
      `conversion_propensity: in training all 15 earlier prospects without a profile (has_profile = 0) converted within ${scores.horizonDays} days and none did not (complete separation: the model cannot estimate that level's effect and would call it near-certain, a sign the feature records the conversion itself, e.g. a profile created at the first purchase); the 1 prospect without a profile gets the base rate ${(100 * conversions / training.length).toFixed(1)}% (${conversions} of ${training.length} training rows) as conversion_propensity instead`,
    ]);
  });

  it('changes nothing when the level has non-converters too', async () => {
    const { scores, propensity } = await score(false);
    expect(scores.separatedLevels).toEqual([]);
    expect(separatedLevelWarnings(scores)).toEqual([]);
    expect(propensity['now-visitor']).toBeGreaterThan(0);
    expect(propensity['now-visitor']).toBeLessThan(1);
  });
});
