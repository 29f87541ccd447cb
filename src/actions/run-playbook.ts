import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addDays, dayOfValue } from '../core/calendar-days.js';
import type { ColumnarResult, Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import type { Access } from '../privacy/access/access.js';
import { permittedAction } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { audienceSourceSql } from './audience-source-sql.js';
import { groupBelowFloor } from './assign-control-group.js';
import { compileWhereExpression } from './compile-where-expression.js';
import { checkAudienceName, createAudience } from './create-audience.js';
import { UserError } from '../core/errors/user-error.js';
import { ensureDerivedTables, type ScoreWarehouseFunction } from './ensure-derived-tables.js';
import { AUDIENCE_EXPORT_ACTIONS } from './export-audience-file.js';
import { parseWhereExpression } from './parse-where-expression.js';
import type { Play, Playbook } from './playbook.js';
import { OPT_OUT_TABLE, suppressionCondition } from './suppression-condition.js';
import { featuresAsOf, findUpliftTargeting, predictCustomerUplift, type UpliftTargetingModel } from './uplift-targeting.js';

export interface RunPlaybookOptions {
  readonly playbook: Playbook;
  readonly outDir: string;
  /** audience names are `<prefix><play>` (default `playbook-<send date>-`) */
  readonly prefix?: string;
  /** the caller is the HTTP API: a name clash names its `prefix` field and DELETE route, not the CLI's flag nor the warehouse's path */
  readonly api?: boolean;
  readonly seed: number;
  /** spend at most this on treated contacts: customers are taken by expected incremental value per unit of cost */
  readonly budget?: number;
  /**
   * what ranks customers for the budget: `auto` (default) the uplift model
   * learnt from past campaigns with control groups when one beats random
   * targeting, else value × P(alive); `value` always value × P(alive)
   */
  readonly ranking?: 'auto' | 'value';
  /** tokens of opted-out customers */
  readonly optOut?: readonly string[];
  readonly keyring: Keyring | null;
  readonly access: Access;
  readonly minGroupSize: number;
  readonly onNote?: (line: string) => void;
  /** scores a never-analysed warehouse first (`ensureDerivedTables`) */
  readonly score?: ScoreWarehouseFunction;
}

export interface PlanRow {
  readonly play: string;
  readonly audience: string | null;
  readonly channel: string | null;
  readonly offer: string | null;
  readonly where: string;
  /** customers the filter and suppression rules left for the play (before the budget) */
  readonly eligible: number;
  readonly members: number;
  readonly treatment: number;
  readonly control: number;
  readonly costPerContact: number;
  readonly expectedCost: number;
  readonly lift: number;
  /** `playbook` (assumed) or `measured: <audience> <from>…<to>` */
  readonly liftSource: string;
  /** lift × predicted CLV of the treated × margin; null without CLV (frequency-only data, or no value models) */
  readonly expectedIncrementalValue: number | null;
  readonly expectedRoi: number | null;
  readonly file: string | null;
  /** how expectedIncrementalValue was reckoned: `lift × predicted CLV × margin`, or `uplift model × margin` */
  readonly valueSource: string;
  /** why the play drew no audience */
  readonly skipped: string | null;
  readonly notes: readonly string[];
}

export interface PlaybookPlan {
  readonly playbook: string;
  readonly sendDate: string;
  readonly seed: number;
  readonly budget: number | null;
  readonly plays: readonly PlanRow[];
  readonly totals: { readonly members: number; readonly treatment: number; readonly expectedCost: number; readonly expectedIncrementalValue: number | null; readonly expectedRoi: number | null };
  readonly valueBasis: string;
  /** with a budget: what ranked the customers, and the uplift model with its Qini validation when one was used */
  readonly targeting: PlaybookTargeting | null;
}

export interface PlaybookTargeting {
  /** `uplift model` (learnt from a past campaign) or `value × P(alive)` (the fallback) */
  readonly basis: 'uplift model' | 'value × P(alive)';
  readonly reason: string;
  readonly upliftModel: UpliftTargetingModel | null;
  /** candidates left out because the model expects no gain from contacting them (τ̂ ≤ 0) */
  readonly notProfitable: number;
}

const CANDIDATES = 'clv_playbook_candidates';
const PICKS = 'clv_playbook_picks';
const UPLIFT = 'clv_playbook_uplift';

/** The relative uplift measured by the newest evaluated campaign of this play (revenue, else purchases), or null. */
async function measuredLift(warehouse: Warehouse, play: string): Promise<{ lift: number; source: string } | null> {
  const [row] = await warehouse.query(
    `SELECT e.audience, e.result FROM campaign_evaluations e JOIN audiences a ON a.name = e.audience WHERE a.play = ${warehouse.dialect.literal(play)} ORDER BY e.evaluated_at DESC LIMIT 1`,
  );
  if (!row) return null;
  const result = JSON.parse(String(row.result)) as { window: { from: string; to: string }; revenue: { relativeUplift: number | null } | null; purchases: { relativeUplift: number | null } };
  const lift = result.revenue?.relativeUplift ?? result.purchases.relativeUplift;
  return lift === null ? null : { lift, source: `measured: ${String(row.audience)} ${result.window.from}…${result.window.to}` };
}

/**
 * Runs a playbook: each customer goes to the first play whose filter
 * matches and whose suppression rules do not exclude them; with `budget`,
 * customers of all plays are ranked by expected incremental value per unit
 * of cost and taken while the treated contacts fit the budget: by the
 * uplift model learnt from past campaigns with control groups
 * (`findUpliftTargeting`: τ̂ × margin ÷ cost per contact, customers with
 * τ̂ ≤ 0 never taken; its Qini validation in `plan.targeting`) when one
 * beats random targeting, else by value × P(alive) (lift × predicted CLV ×
 * margin ÷ cost per contact), and `targeting.reason` says why. Each play with at least k
 * customers becomes an audience with its own seeded control group
 * (`createAudience`: stored, audited, `<outDir>/<play>.csv`); smaller plays,
 * and plays whose control or treatment group would fall below k
 * (`groupBelowFloor`: never measurable), are skipped and say why. Writes `plan.json` and `plan.csv`: who, how many,
 * expected cost, expected incremental value and expected ROI per play. The
 * lift is the playbook's assumption until a campaign of the play has been
 * evaluated; then the newest measured uplift is used.
 */
export async function runPlaybook(warehouse: Warehouse, options: RunPlaybookOptions): Promise<PlaybookPlan> {
  permittedAction(options.access.role, AUDIENCE_EXPORT_ACTIONS);
  const d = warehouse.dialect;
  const { playbook } = options;
  const compiled = playbook.plays.map((play) => compileWhereExpression(parseWhereExpression(play.where), d));
  await ensureDerivedTables(warehouse, [...new Set(compiled.flatMap((c) => c.tables))], options);
  const withScores = await tableExists(warehouse, 'customer_scores');
  const [bounds] = await warehouse.query('SELECT max(ts) AS last_ts FROM transactions');
  const sendDate = addDays(dayOfValue(bounds!.last_ts)!, 1);
  const prefix = options.prefix ?? `playbook-${sendDate}-`;
  // every audience name is checked before any is drawn: a clash half-way would leave the earlier plays' audiences behind
  const taken = await warehouse.query(`SELECT name FROM audiences WHERE name IN (${playbook.plays.map((p) => d.literal(`${prefix}${p.name}`)).join(', ')}) ORDER BY name`);
  if (taken.length > 0) {
    const first = String(taken[0]!.name);
    const hint = options.api ? `send another prefix, or drop it first: DELETE /api/audiences/${first}` : `pass another --prefix, or drop it first: clvkit audience drop ${first} --db ${warehouse.location}`;
    throw new UserError(`audience ${first} already exists${taken.length > 1 ? ` (and ${taken.length - 1} more of this playbook)` : ''}: nothing was drawn`, hint);
  }
  for (const play of playbook.plays) checkAudienceName(`${prefix}${play.name}`);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  if (options.optOut) {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${OPT_OUT_TABLE} (customer_id VARCHAR NOT NULL)`);
    if (options.optOut.length > 0) await warehouse.append(OPT_OUT_TABLE, { customer_id: [...options.optOut] });
  }
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${CANDIDATES} (play VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, value DOUBLE)`);
  const notes = new Map<string, string[]>(playbook.plays.map((p) => [p.name, []]));
  const lifts = new Map<string, { lift: number; source: string }>();
  for (const [i, play] of playbook.plays.entries()) {
    const suppression = suppressionCondition(play.suppression, { sendDate, withScores, withOptOut: options.optOut !== undefined }, d);
    notes.get(play.name)!.push(...suppression.skipped.map((s) => `suppression rule not applied: ${s}`));
    const tables = [...compiled[i]!.tables, ...suppression.tables, ...(withScores ? ['customer_scores'] : [])];
    const conditions = [compiled[i]!.sql, suppression.sql, `s.customer_id NOT IN (SELECT customer_id FROM ${CANDIDATES})`].filter(Boolean).map((c) => `(${c})`);
    await warehouse.execute(
      `INSERT INTO ${CANDIDATES} SELECT ${d.literal(play.name)}, s.customer_id, ${withScores ? 'c.predicted_clv_12m' : 'CAST(NULL AS DOUBLE)'} FROM ${audienceSourceSql(d, tables)} WHERE ${conditions.join(' AND ')}`,
    );
    const measured = await measuredLift(warehouse, play.name);
    lifts.set(play.name, measured ?? { lift: play.expectedLift, source: 'playbook' });
  }
  const candidates = await warehouse.queryColumns(`SELECT play, customer_id, value FROM ${CANDIDATES} ORDER BY play, customer_id`);
  const plays = new Map<string, Play>(playbook.plays.map((p) => [p.name, p]));
  const eligible = new Map<string, number>();
  const candidatePlays = candidates.columns.play as string[];
  for (const play of candidatePlays) eligible.set(play, (eligible.get(play) ?? 0) + 1);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${PICKS} AS SELECT play, customer_id FROM ${CANDIDATES}`);
  let targeting: PlaybookTargeting | null = null;
  let uplift: Map<string, number> | null = null;
  /** per play, candidates the uplift model expects no gain from */
  const unprofitable = new Map<string, number>();
  /** plays whose share of the budget could not be measured, with why */
  const setAside = new Map<string, string>();
  if (options.budget !== undefined) {
    const found = options.ranking === 'value' ? { model: null, reason: 'ranking by value × P(alive) was asked for (--rank-by value)' } : await findUpliftTargeting(warehouse, { access: options.access, minGroupSize: options.minGroupSize, seed: options.seed });
    const tokens = candidates.columns.customer_id as string[];
    const values = candidates.columns.value as Float64Array;
    let gain: (i: number) => number;
    let notProfitable = 0;
    if (found.model) {
      const model = found.model;
      uplift = await predictCustomerUplift(warehouse, model.model, CANDIDATES, 'value', featuresAsOf(sendDate));
      await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${UPLIFT} (customer_id VARCHAR NOT NULL, uplift DOUBLE)`);
      if (uplift.size > 0) await warehouse.append(UPLIFT, { customer_id: [...uplift.keys()], uplift: Float64Array.from(uplift.values()) });
      // incremental revenue × the play's margin, or incremental purchases without order values
      gain = (i) => uplift!.get(tokens[i]!)! * (model.outcome === 'revenue' ? plays.get(candidatePlays[i]!)!.expectedMargin : 1);
      for (let i = 0; i < tokens.length; i++) {
        if (gain(i) > 0) continue;
        notProfitable++;
        unprofitable.set(candidatePlays[i]!, (unprofitable.get(candidatePlays[i]!) ?? 0) + 1);
      }
      options.onNote?.(`the budget ranks customers by the ${found.reason}`);
    } else {
      gain = (i) => lifts.get(candidatePlays[i]!)!.lift * (Number.isFinite(values[i]!) ? values[i]! : 0) * plays.get(candidatePlays[i]!)!.expectedMargin;
      options.onNote?.(`the budget ranks customers by value × P(alive) (predicted CLV × the play’s lift): ${found.reason}`);
    }
    targeting = { basis: found.model ? 'uplift model' : 'value × P(alive)', reason: found.reason, upliftModel: found.model, notProfitable };
    // A play skipped after the picking (its picks too few for the k-floor) would leave its share of the budget unspent.
    // Plays that no share could make measurable — all their eligible customers are too few — are set aside first; then,
    // while some play's picks are too few, the one with the fewest is set aside and the budget picked again: one play a
    // round, so a play short only because another took the budget gets it back when that one goes (a greedy pick over
    // plays of different costs need not give every other play more, so nothing is assumed of the others' picks).
    for (const [play, n] of eligible) {
      const why = unmeasurableDraw(n, plays.get(play)!.holdout, options.minGroupSize);
      if (why !== null) setAside.set(play, `even all ${n} eligible customers: ${why}; the budget was picked without this play`);
    }
    for (;;) {
      const picked = await pickWithinBudget(warehouse, candidates, plays, gain, options.budget, found.model !== null, new Set(setAside.keys()));
      const short = [...picked]
        .map(([play, n]) => ({ play, n, why: unmeasurableDraw(n, plays.get(play)!.holdout, options.minGroupSize) }))
        .filter((p) => p.n > 0 && p.why !== null)
        .sort((a, b) => a.n - b.n || (a.play < b.play ? -1 : 1));
      if (short.length === 0) break;
      const [fewest] = short;
      setAside.set(fewest!.play, `within the budget, ${fewest!.n} customers: ${fewest!.why}; the budget was picked again without this play`);
    }
  }
  const rows: PlanRow[] = [];
  for (const play of playbook.plays) {
    const [picked] = await warehouse.query(`SELECT count(*) AS n FROM ${PICKS} WHERE play = ${d.literal(play.name)}`);
    const n = Number(picked!.n);
    const { lift, source } = lifts.get(play.name)!;
    const base = { play: play.name, channel: play.channel ?? null, offer: play.offer ?? null, where: play.where, eligible: eligible.get(play.name) ?? 0, costPerContact: play.costPerContact, lift, liftSource: source, notes: notes.get(play.name)! };
    const all = eligible.get(play.name) ?? 0;
    const noneFits = all > 0 && unprofitable.get(play.name) === all ? 'the uplift model expects no gain from any customer of this play' : 'no customer of this play fits the budget';
    const skip = setAside.get(play.name) ?? (n === 0 ? (options.budget !== undefined && all > 0 ? noneFits : 'no customer matches') : unmeasurableDraw(n, play.holdout, options.minGroupSize));
    if (skip) {
      rows.push({ ...base, audience: null, members: 0, treatment: 0, control: 0, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, file: null, valueSource: '', skipped: skip });
      continue;
    }
    const name = `${prefix}${play.name}`;
    const audience = await createAudience(warehouse, {
      name,
      where: play.where,
      holdout: play.holdout,
      seed: options.seed,
      keyring: options.keyring,
      access: options.access,
      minGroupSize: options.minGroupSize,
      sendDate,
      play: play.name,
      internalCondition: `s.customer_id IN (SELECT customer_id FROM ${PICKS} WHERE play = ${d.literal(play.name)})`,
      out: { path: join(outDir, `${play.name}.csv`) },
    });
    const expectedCost = play.costPerContact * audience.treatment;
    let value: number | null;
    let valueSource = 'lift × predicted CLV × margin';
    if (uplift && targeting?.upliftModel) {
      const [sum] = await warehouse.query(`SELECT sum(u.uplift) AS tau FROM audience_members m JOIN ${UPLIFT} u ON u.customer_id = m.customer_id WHERE m.audience = ${d.literal(name)} AND m.group_name = 'treatment'`);
      const tau = Number(sum!.tau ?? 0);
      if (targeting.upliftModel.outcome === 'revenue') {
        value = tau * play.expectedMargin;
        valueSource = `uplift model × margin (incremental revenue over ${targeting.upliftModel.window.from} … ${targeting.upliftModel.window.to}-long window)`;
      } else {
        value = null;
        valueSource = 'uplift model (incremental purchases; no order values)';
        base.notes.push(`expected incremental purchases of the treated: ${tau.toFixed(1)}`);
      }
    } else {
      value = audience.meanPredictedClv === null ? null : lift * audience.meanPredictedClv * audience.treatment * play.expectedMargin;
      if (value === null) base.notes.push('no predicted CLV (frequency-only data, or the value models did not run): expected value unknown');
    }
    rows.push({ ...base, audience: name, members: audience.members, treatment: audience.treatment, control: audience.control, expectedCost, expectedIncrementalValue: value, expectedRoi: value !== null && expectedCost > 0 ? (value - expectedCost) / expectedCost : null, file: audience.file?.path ?? null, valueSource, skipped: null });
  }
  const drawn = rows.filter((r) => r.audience !== null);
  const cost = drawn.reduce((a, r) => a + r.expectedCost, 0);
  const value = drawn.some((r) => r.expectedIncrementalValue === null) ? null : drawn.reduce((a, r) => a + r.expectedIncrementalValue!, 0);
  const plan: PlaybookPlan = {
    playbook: playbook.source,
    sendDate,
    seed: options.seed,
    budget: options.budget ?? null,
    plays: rows,
    totals: { members: drawn.reduce((a, r) => a + r.members, 0), treatment: drawn.reduce((a, r) => a + r.treatment, 0), expectedCost: cost, expectedIncrementalValue: value, expectedRoi: value !== null && cost > 0 ? (value - cost) / cost : null },
    valueBasis: targeting?.upliftModel
      ? `expected incremental value = Σ over the treated of the uplift model’s incremental ${targeting.upliftModel.outcome} (a response window as long as that of ${targeting.upliftModel.audience}) × the play’s margin`
      : 'expected incremental value = lift × predicted_clv_12m (12 months, already weighted by P(alive)) of the treated customers × the play’s margin; lift from the playbook until a campaign of the play is evaluated, then the measured relative uplift',
    targeting,
  };
  writeFileSync(join(outDir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
  const csvCell = (v: unknown) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const columns = ['play', 'audience', 'channel', 'offer', 'where', 'eligible', 'members', 'treatment', 'control', 'costPerContact', 'expectedCost', 'lift', 'liftSource', 'expectedIncrementalValue', 'expectedRoi', 'file', 'skipped'] as const;
  writeFileSync(join(outDir, 'plan.csv'), [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n');
  return plan;
}

/**
 * Keeps, across plays, the customers with the most expected incremental
 * value per unit of cost (`gain(i)` ÷ the play's cost per contact) whose
 * treated contacts fit the budget; with `onlyGains`, customers whose gain is
 * not positive (the uplift model expects nothing, or harm) are never taken.
 */
async function pickWithinBudget(warehouse: Warehouse, candidates: ColumnarResult, plays: Map<string, Play>, gain: (i: number) => number, budget: number, onlyGains: boolean, setAside: ReadonlySet<string>): Promise<Map<string, number>> {
  const playOf = candidates.columns.play as string[];
  const tokens = candidates.columns.customer_id as string[];
  const ratios = Float64Array.from({ length: tokens.length }, (_, i) => {
    const play = plays.get(playOf[i]!)!;
    const g = gain(i);
    if (!Number.isFinite(g)) return Number.NEGATIVE_INFINITY;
    return play.costPerContact > 0 ? g / play.costPerContact : g > 0 ? Number.POSITIVE_INFINITY : 0;
  });
  const order = Array.from({ length: tokens.length }, (_, i) => i).sort((a, b) => ratios[b]! - ratios[a]! || (tokens[a]! < tokens[b]! ? -1 : 1));
  let spent = 0;
  const picked = new Map<string, number>();
  const keepPlay: string[] = [];
  const keepToken: string[] = [];
  for (const i of order) {
    if (onlyGains && !(ratios[i]! > 0)) break;
    if (setAside.has(playOf[i]!)) continue;
    const play = plays.get(playOf[i]!)!;
    // the treated contacts cost: of n drawn, round(n × holdout) are held out (assignControlGroup), so one more pick
    // costs a contact exactly when it adds a treated customer
    const n = picked.get(play.name) ?? 0;
    const cost = play.costPerContact * (treatedOf(n + 1, play.holdout) - treatedOf(n, play.holdout));
    if (spent + cost > budget) continue;
    spent += cost;
    picked.set(play.name, n + 1);
    keepPlay.push(play.name);
    keepToken.push(tokens[i]!);
  }
  await warehouse.execute(`DELETE FROM ${PICKS}`);
  if (keepToken.length > 0) await warehouse.append(PICKS, { play: keepPlay, customer_id: keepToken });
  return picked;
}

/** The treated customers of an audience of `members` with this holdout (`assignControlGroup` holds out round(n × holdout)). */
function treatedOf(members: number, holdout: number): number {
  return members - Math.round(members * holdout);
}

/** Why a play of `members` customers could not be drawn as a measurable campaign (the k-floor), or null. */
function unmeasurableDraw(members: number, holdout: number, minGroupSize: number): string | null {
  if (members < minGroupSize) return `${members} customers, fewer than the minimum group size ${minGroupSize}`;
  return groupBelowFloor(members, holdout, minGroupSize, 'holdout')?.message ?? null;
}
