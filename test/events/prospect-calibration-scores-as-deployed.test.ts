/**
 * QA (issue 16, finding 7): the prospects' calibration table scored its held-out rows with the bare model, while
 * today's prospects at a separated level (a binary feature's level at which every training row converted,
 * separated-levels.ts) get the base rate: rows at that level read ≈ 0.95 in the calibration, and a prospect like them
 * would have been given the base rate — the table described a scoring nobody used. The held-out rows are now scored
 * as today's prospects are, by the model fitted on the other rows with its separated levels at their base rate.
 *
 * The case: 60 profile rows (not held out) whose conversions the sessions only partly tell, 20 events-only rows, all
 * converted, 12 of them held out by their token's MD5 — so every held-out row sits at the separated level.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { duckdbProspectSql, HELD_OUT_MD5_BELOW, scoreProspects, type ProspectSql } from '../../src/events/score-prospects.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

const AS_OF = '2024-06-30';
const NUMBERS = ['has_profile', 'days_since_signup', 'days_since_first_session', 'days_since_last_session', 'sessions', 'sessions_30d', 'views_30d', 'cart_adds_30d', 'acquisition_cost'];
const heldOut = (id: string) => createHash('md5').update(id).digest('hex') < HELD_OUT_MD5_BELOW;

/** The first `n` names `prefix0`, `prefix1`, … that are (or are not) held out. */
function names(prefix: string, n: number, held: boolean): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < n; i++) if (heldOut(`${prefix}${i}`) === held) found.push(`${prefix}${i}`);
  return found;
}

interface Row { id: string; profile: 0 | 1; sessions: number; label: 0 | 1 }
const PROFILES: Row[] = names('p', 60, false).map((id, i) => ({ id, profile: 1, sessions: i % 10, label: (i % 10 >= 6 || i % 7 === 0) && i % 9 !== 0 ? 1 : 0 }));
const VISITORS: Row[] = [...names('e', 12, true), ...names('f', 8, false)].map((id, i) => ({ id, profile: 0, sessions: 1 + (i % 4), label: 1 }));
const TRAINING = [...PROFILES, ...VISITORS];

function values(rows: readonly Row[]): string {
  return rows.map((r) => `('${r.id}', DATE '2023-06-01', ${r.profile}, ${r.profile ? 100 + r.sessions : 'NULL'}, 50, 5, ${r.sessions}, ${r.sessions % 3}, ${2 * r.sessions}, 0, ${r.profile ? 10 : 'NULL'}, ${r.label})`).join(', ');
}

/** The prospects step on hand-built feature rows (the engine's statements replaced by VALUES lists). */
const handBuilt: ProspectSql = {
  ...duckdbProspectSql,
  async writePeople(warehouse) {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE clv_people AS SELECT * FROM (VALUES ('now', NULL)) t(customer_id, acquisition_channel)`);
  },
  firstSessionDay: `SELECT '2023-01-01' AS first`,
  features: (_cutoffs, _horizon, current) => `SELECT * FROM (VALUES ${current ? values([{ id: 'now', profile: 1, sessions: 3, label: 0 }]) : values(TRAINING)}) f(customer_id, cutoff, ${NUMBERS.join(', ')}, label)`,
  async newCustomerValues() {
    return { byChannel: new Map(), overall: { mean: 400, buyers: 50, standardError: 20 } };
  },
  prospectChannels: `SELECT customer_id, acquisition_channel FROM clv_people`,
};

describe('the prospects’ calibration', () => {
  it('scores the held-out rows as today’s prospects are scored: at a separated level, the base rate of the rows it was fitted on', async () => {
    const scores = await withMemoryWarehouse((warehouse) => scoreProspects(warehouse, { asOf: AS_OF }, handBuilt));
    expect(scores.model).toBe('logistic regression');
    expect(scores.separatedLevels).toEqual([{ feature: 'has_profile', level: 0, trainingRows: 20, prospects: 0 }]);
    // the 12 held-out rows, all events-only and converted; fitted on the other 68, of whom these converted
    const fitted = TRAINING.filter((r) => !heldOut(r.id));
    const baseRate = fitted.filter((r) => r.label === 1).length / fitted.length;
    expect(scores.calibration.reduce((a, d) => a + d.rows, 0)).toBe(12);
    expect(scores.calibration.reduce((a, d) => a + d.actual, 0)).toBe(12);
    for (const decile of scores.calibration) expect(decile.predicted, `decile ${decile.decile}`).toBeCloseTo(decile.rows * baseRate, 12);
  });
});
