import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { addDays, dayOfValue } from '../core/calendar-days.js';
import type { ColumnarResult, Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import { permittedAction } from '../privacy/access/rbac.js';
import { audienceSourceSql, populationCount, populationTables } from './audience-source-sql.js';
import { groupBelowFloor } from './assign-control-group.js';
import { checkCategoryValues } from './category-values.js';
import { compileWhereExpression, unvaluedMoneyColumns } from './compile-where-expression.js';
import { hasOrderValues } from '../features/has-order-values.js';
import { checkAudienceName, checkSendDate, createAudience, DRAW_BOUNDS_SQL, farSendDateNote, sendDateNotAfterScoresNote, staleScoresNote } from './create-audience.js';
import { ConflictError } from '../core/errors/conflict-error.js';
import { makeFolders } from '../core/make-folders.js';
import { ensureDerivedTables } from './ensure-derived-tables.js';
import { AUDIENCE_EXPORT_ACTIONS } from './export-audience-file.js';
import { parseWhereExpression, whereName } from './parse-where-expression.js';
import { playWhereSource, type Play } from './playbook.js';
import { campaignWindows, describeSuppression, groupHits, noSuppression, OPT_OUT_TABLE, SUPPRESSION_REASON_LABELS, SUPPRESSION_REASONS, suppressionCondition, suppressionReasonOfCode, suppressionReasonSql, type SuppressionCounts, type SuppressionReason } from './suppression-condition.js';
import { optOutMatchNote } from './opt-out-list.js';
import { featuresAsOf, findUpliftTargeting, predictCustomerUplift } from './uplift-targeting.js';
import { fallbackRanking } from './playbook-fallback-ranking.js';
import { measuredLift } from './playbook-measured-lift.js';
import { formatCount } from '../report/format-number.js';
import { writePlanFiles } from './plan-files.js';
import { playbookInputs, reusePlaybookPlan, storePlaybookRun } from './reuse-playbook-plan.js';
import { dropTakenName } from './reuse-audience.js';
import { collectNotes } from './collect-notes.js';
import { nothingDrawnReason } from './nothing-drawn-reason.js';
import { centsOrNull, toCents } from '../core/money-cents.js';
import { plural } from '../core/plural.js';
import { recommendationsOffer } from './recommendations-offer.js';
import type { PlaySkip } from './play-skip-kind.js';
import type { PlanRow, PlaybookPlan, PlaybookTargeting, RunPlaybookOptions } from './playbook-plan.js';

export type { PlanRow, PlaybookPlan, PlaybookTargeting, RunPlaybookOptions } from './playbook-plan.js';

const CANDIDATES = 'clv_playbook_candidates';
/** per play (and its place in the playbook), every customer its filter matched who was not placed in an earlier play, and why they were left out (`suppressionReasonSql`: 0 for not) */
const SCREENED = 'clv_playbook_screened';
const PICKS = 'clv_playbook_picks';
const UPLIFT = 'clv_playbook_uplift';

/**
 * Runs a playbook: each customer goes to the first play whose filter
 * matches and whose suppression rules do not exclude them (`suppressionCondition`:
 * with `contactedWithinDays`, neither the treated of recent audiences nor the
 * control groups of running campaigns, `runningCampaigns`); every customer
 * a play's filter matches and its rules leave out is counted once, under the
 * first reason (`suppressed`, with `matched` = eligible + suppressed), the
 * customers left out of every play in `totals.suppressed`, and a play whose
 * rules leave fewer customers than they remove, or too few to measure, gets
 * a note saying why; with `budget`,
 * customers of all plays are ranked by expected incremental value per unit
 * of cost and taken while the treated contacts fit the budget: by the
 * uplift model learnt from past campaigns with control groups
 * (`findUpliftTargeting`: τ̂ × margin ÷ cost per contact, customers with
 * τ̂ ≤ 0 never taken; its Qini validation in `plan.targeting`) when one
 * beats random targeting, else by value × P(alive) (lift × predicted CLV ×
 * margin ÷ cost per contact; without order values lift × expected purchases
 * over 12 months ÷ cost, `fallbackRanking`), and `targeting.reason` says why. Each play with at least k
 * customers becomes an audience with its own seeded control group
 * (`createAudience`: stored, audited, `<outDir>/<play>.csv`, its `balance` measured); smaller plays
 * (their customers offered to the later plays that match them: first match
 * among the plays that run), and plays whose control or treatment group would fall below k
 * (`groupBelowFloor`: never measurable), are skipped and say why. Writes `plan.json` and `plan.csv`: who, how many,
 * expected cost, expected incremental value and expected ROI per play. The
 * lift is the playbook's assumption until a campaign of the play has been
 * evaluated; then the newest measured uplift is used where its interval
 * excludes 0 or the assumption (`measuredLift`).
 *
 * The send date is the day after the last transaction, or `sendDate`; one
 * within the data backtests the playbook as of that day (then measure its
 * audiences with `evaluateCampaign` over the days after it): the suppression
 * rules count back from it, the uplift model's features describe the day
 * before it, and only campaigns evaluated over windows that ended before it
 * give a measured lift or an uplift model. Scores describing data from the
 * send date on are noted (`sendDateNotAfterScoresNote`).
 */
export async function runPlaybook(warehouse: Warehouse, asked: RunPlaybookOptions): Promise<PlaybookPlan> {
  // every note of the run is kept for the plan's `warnings` (and still said through the caller's onNote)
  const { options, warnings } = collectNotes(asked);
  permittedAction(options.access.role, AUDIENCE_EXPORT_ACTIONS);
  const givenSendDate = options.sendDate === undefined ? undefined : checkSendDate(options.sendDate, options.api === true);
  const d = warehouse.dialect;
  const { playbook } = options;
  // a filter's refusal names its play and playbook (the CLI's --where and the API's where are neither)
  const sources = playbook.plays.map((play) => playWhereSource(playbook.source, play.name));
  const compiled = playbook.plays.map((play, i) => compileWhereExpression(parseWhereExpression(play.where, sources[i]), d, sources[i]));
  // a table the analysis did not write is refused naming the first play whose filter reads it (every filter reads
  // customer_summary, the audience's source)
  const readerOf = (absent: readonly string[]) => whereName(sources[Math.max(0, compiled.findIndex((c) => c.tables.some((t) => absent.includes(t))))]!);
  await ensureDerivedTables(warehouse, [...new Set(compiled.flatMap((c) => c.tables))], { ...options, readerOf });
  // a text a category column cannot hold (value_tier = 'top'), in any play: refused before any play is drawn
  for (const [i, c] of compiled.entries()) await checkCategoryValues(warehouse, c.categories, sources[i]!);
  const withScores = await tableExists(warehouse, 'customer_scores');
  const population = await populationTables(warehouse); // prospects are drawn too
  const [bounds] = await warehouse.query(DRAW_BOUNDS_SQL);
  const lastDay = dayOfValue(bounds!.last_ts);
  const sendDate = givenSendDate ?? addDays(lastDay!, 1);
  // a send date within the data backtests the playbook: a campaign measured over days from the send date on was not
  // measured yet then, so neither its lift nor an uplift model learnt from it is used (null: every evaluation is past)
  const measuredBefore = lastDay !== null && sendDate <= lastDay ? sendDate : null;
  // drawn on scores older than the data (purchases ingested since the last analysis), or on scores of data from the
  // send date on (a backtest on today's scores), or far ahead (drawn now, on scores stale by then): said, as audience create says it
  const stale = await staleScoresNote(warehouse, bounds!, sendDate, options.api === true);
  if (stale) options.onNote?.(stale);
  const backdated = sendDateNotAfterScoresNote(sendDate, bounds!, { api: options.api === true, what: "the plays' filters", act: 'run the playbook' });
  for (const note of [backdated, farSendDateNote(sendDate, bounds!, options.api === true)]) if (note) options.onNote?.(note);
  const prefix = options.prefix ?? `playbook-${sendDate}-`;
  // every audience name is checked before any is drawn: a clash half-way would leave the earlier plays' audiences behind
  const taken = await warehouse.query(`SELECT name FROM audiences WHERE name IN (${playbook.plays.map((p) => d.literal(`${prefix}${p.name}`)).join(', ')}) ORDER BY name`);
  const inputs = playbookInputs(options);
  // stamped in each audience it draws and in its plan: --idempotent answers only the plan of the run that drew them
  const runId = randomUUID();
  for (const play of playbook.plays) checkAudienceName(`${prefix}${play.name}`);
  const outDir = resolve(options.outDir);
  if (taken.length > 0) {
    const first = String(taken[0]!.name);
    if (options.idempotent) {
      makeFolders(outDir, { flag: options.api ? undefined : '--out' });
      return reusePlaybookPlan(warehouse, { ...options, onNote: options.onNote! }, { prefix, taken: taken.map((row) => String(row.name)), inputs, dates: { sendDate, scoresAsOf: dayOfValue(bounds!.scored) }, outDir });
    }
    const hint = `${options.api ? 'send another prefix' : 'pass another --prefix'}, or drop it first: ${dropTakenName(warehouse, first, options.api === true)}; ${options.api ? '"idempotent": true' : '--idempotent'} answers the plan of a run with the same inputs`;
    throw new ConflictError(`audience ${first} already exists${taken.length > 1 ? ` (and ${taken.length - 1} more of this playbook)` : ''}: nothing was drawn`, hint);
  }
  makeFolders(outDir, { flag: options.api ? undefined : '--out' });
  if (options.optOut) {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${OPT_OUT_TABLE} (customer_id VARCHAR NOT NULL)`);
    if (options.optOut.length > 0) await warehouse.append(OPT_OUT_TABLE, { customer_id: [...options.optOut] });
    options.onNote?.(await optOutMatchNote(warehouse, options.optOutLines ?? options.optOut.length));
  }
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${CANDIDATES} (play VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, value DOUBLE, purchases DOUBLE)`);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${SCREENED} (play VARCHAR NOT NULL, play_rank INTEGER NOT NULL, customer_id VARCHAR NOT NULL, value DOUBLE, purchases DOUBLE, reason INTEGER NOT NULL)`);
  const campaigns = await campaignWindows(warehouse);
  const notes = new Map<string, string[]>(playbook.plays.map((p) => [p.name, []]));
  const lifts = new Map<string, { lift: number; source: string }>();
  /** per play, the running campaigns whose control groups it leaves out */
  const running = new Map<string, readonly string[]>();
  /** plays whose eligible customers are too few to draw a measurable campaign, with why: their customers fall through to the later plays */
  const tooFew = new Map<string, PlaySkip>();
  const runs = () => (tooFew.size > 0 ? ` AND play NOT IN (${[...tooFew.keys()].map((p) => d.literal(p)).join(', ')})` : '');
  const placed = () => `SELECT customer_id FROM ${SCREENED} WHERE reason = 0${runs()}`;
  for (const [i, play] of playbook.plays.entries()) {
    // an opt-out list given is applied to every play: its customers are never to be contacted, whatever a play's rules say
    const suppression = suppressionCondition(playRules(play, options.optOut !== undefined), { sendDate, withScores, withOptOut: options.optOut !== undefined, campaigns }, d);
    notes.get(play.name)!.push(...suppression.skipped.map((s) => `suppression rule not applied: ${s}`));
    running.set(play.name, suppression.runningCampaigns);
    const tables = [...compiled[i]!.tables, ...suppression.tables, ...(withScores ? ['customer_scores'] : []), ...population];
    const conditions = [compiled[i]!.sql, `s.customer_id NOT IN (${placed()})`].filter(Boolean).map((c) => `(${c})`);
    // every customer the filter matches who is in no earlier play that runs, with the first rule that leaves them out: the play's candidates are those of none
    await warehouse.execute(
      `INSERT INTO ${SCREENED} SELECT ${d.literal(play.name)}, ${i}, s.customer_id, ${withScores ? 'c.predicted_clv_12m, c.expected_purchases_365d' : 'CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE)'}, ${suppressionReasonSql(suppression.rules)} FROM ${audienceSourceSql(d, tables)} WHERE ${conditions.join(' AND ')}`,
    );
    // a play too small to measure is skipped before any later play is screened: its customers are offered to those
    const [own] = await warehouse.query(`SELECT count(*) AS n FROM ${SCREENED} WHERE play = ${d.literal(play.name)} AND reason = 0`);
    const n = Number(own!.n);
    const why = n > 0 ? unmeasurableDraw(n, play.holdout, options.minGroupSize) : null;
    // below the k-floor under a budget too: even all its customers are too few, which no larger budget changes
    if (why) tooFew.set(play.name, { reason: `${options.budget !== undefined ? `even all ${formatCount(n)} eligible customers: ${why}; the budget was picked without this play` : why}; they were offered to the later plays that match them`, kind: 'belowMinGroupSize' });
    const measured = await measuredLift(warehouse, play.name, play.expectedLift, measuredBefore);
    lifts.set(play.name, measured ?? { lift: play.expectedLift, source: 'playbook' });
  }
  await warehouse.execute(`INSERT INTO ${CANDIDATES} SELECT play, customer_id, value, purchases FROM ${SCREENED} WHERE reason = 0${runs()}`);
  const matched = new Map<string, number>();
  const suppressed = new Map<string, Record<SuppressionReason, number>>(playbook.plays.map((p) => [p.name, noSuppression()]));
  for (const row of await warehouse.query(`SELECT play, reason, count(*) AS n FROM ${SCREENED} GROUP BY play, reason`)) {
    const play = String(row.play);
    matched.set(play, (matched.get(play) ?? 0) + Number(row.n));
    const reason = suppressionReasonOfCode(Number(row.reason));
    if (reason) suppressed.get(play)![reason] = Number(row.n);
  }
  // the customers no play took, each under the reason of the first play that left them out (the smallest play_rank × 10 + code)
  const suppressedInNoPlay = noSuppression();
  for (const row of await warehouse.query(
    `SELECT first_code % 10 AS reason, count(*) AS n FROM (SELECT min(play_rank * 10 + reason) AS first_code FROM ${SCREENED} WHERE reason > 0 AND customer_id NOT IN (SELECT customer_id FROM ${SCREENED} WHERE reason = 0) GROUP BY customer_id) f GROUP BY first_code % 10`,
  )) {
    suppressedInNoPlay[suppressionReasonOfCode(Number(row.reason))!] = Number(row.n);
  }
  const candidates = await warehouse.queryColumns(`SELECT play, customer_id, value, purchases FROM ${CANDIDATES} ORDER BY play, customer_id`);
  const plays = new Map<string, Play>(playbook.plays.map((p) => [p.name, p]));
  const candidatePlays = candidates.columns.play as string[];
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${PICKS} AS SELECT play, customer_id FROM ${CANDIDATES}`);
  let targeting: PlaybookTargeting | null = null;
  let uplift: Map<string, number> | null = null;
  /** per play, candidates the uplift model expects no gain from */
  const unprofitable = new Map<string, number>();
  /** plays whose share of the budget could not be measured, with why */
  const setAside = new Map<string, PlaySkip>();
  if (options.budget !== undefined) {
    const found = options.ranking === 'value' ? { model: null, reason: 'ranking by value × P(alive) was asked for (--rank-by value)' } : await findUpliftTargeting(warehouse, { access: options.access, minGroupSize: options.minGroupSize, seed: options.seed, api: options.api === true, ...(measuredBefore !== null ? { measuredBefore } : {}) });
    const tokens = candidates.columns.customer_id as string[];
    let gain: (i: number) => number;
    let basis: PlaybookTargeting['basis'] = 'uplift model';
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
      // without order values (or value models) no candidate has a predicted CLV: ranked by the expected purchases
      // instead, never by a CLV counted as 0 (that took customers in token order)
      const ranking = fallbackRanking(candidates, lifts, plays);
      gain = ranking.gain;
      basis = ranking.basis;
      options.onNote?.(`the budget ranks customers by ${ranking.basis} (${ranking.how}): ${found.reason}`);
    }
    targeting = { basis, reason: found.reason, upliftModel: found.model, notProfitable };
    // A play skipped after the picking (its picks too few for the k-floor) would leave its share of the budget unspent.
    // Plays that no share could make measurable — all their eligible customers are too few — were skipped in the
    // screening (`tooFew`: their customers offered to the later plays); then, while some play's picks are too few, the one with the fewest is set aside and the budget picked again: one play a
    // round, so a play short only because another took the budget gets it back when that one goes (a greedy pick over
    // plays of different costs need not give every other play more, so nothing is assumed of the others' picks).
    for (;;) {
      const picked = await pickWithinBudget(warehouse, candidates, plays, gain, options.budget, found.model !== null, new Set(setAside.keys()));
      const short = [...picked]
        .map(([play, n]) => ({ play, n, why: unmeasurableDraw(n, plays.get(play)!.holdout, options.minGroupSize) }))
        .filter((p) => p.n > 0 && p.why !== null)
        .sort((a, b) => a.n - b.n || (a.play < b.play ? -1 : 1));
      if (short.length === 0) break;
      const [fewest] = short;
      setAside.set(fewest!.play, { reason: `within the budget, ${formatCount(fewest!.n)} customers: ${fewest!.why}; the budget was picked again without this play`, kind: 'budget' });
    }
  }
  const rows: PlanRow[] = [];
  /** per drawn play, its expected incremental value unrounded: the totals sum these, then round (the costs, `costUnitsOf`) */
  const values = new Map<string, number | null>();
  // a money column is NULL without order values: a play filtering on it matches nobody, and its skip says why
  const withoutOrderValues = compiled.some((c) => c.money.length > 0) && !(await hasOrderValues(warehouse));
  const offerAsTrue = recommendationsOffer(warehouse, { api: options.api === true }); // an offer naming recommendations.csv: the file there is, or none
  for (const [i, play] of playbook.plays.entries()) {
    const [picked] = await warehouse.query(`SELECT count(*) AS n FROM ${PICKS} WHERE play = ${d.literal(play.name)}`);
    const n = Number(picked!.n);
    const { lift, source } = lifts.get(play.name)!;
    const screened = { matched: matched.get(play.name) ?? 0, suppressed: suppressed.get(play.name)! };
    const left = SUPPRESSION_REASONS.reduce((a, r) => a + screened.suppressed[r], 0);
    const all = screened.matched - left; // eligible: matched and not suppressed, a skipped play's too
    const base = { play: play.name, channel: play.channel ?? null, offer: await offerAsTrue(play.offer ?? null), where: play.where, eligible: all, ...screened, costPerContact: play.costPerContact, lift, liftSource: source, notes: notes.get(play.name)! };
    // suppression that leaves fewer customers than it removes, or too few to measure a campaign on, is explained
    if (left > 0 && (left > all || unmeasurableDraw(all, play.holdout, options.minGroupSize) !== null)) {
      base.notes.push(await suppressionNote(warehouse, play, { sendDate, eligible: all, ...screened, running: running.get(play.name)!, api: options.api === true, optedOutListed: options.optOut !== undefined }));
    }
    const noneFits = all > 0 && unprofitable.get(play.name) === all ? 'the uplift model expects no gain from any customer of this play' : 'no customer of this play fits the budget';
    const money = withoutOrderValues ? compiled[i]!.money : [];
    const unvalued = money.length > 0 ? (({ reason, hint }) => `: ${reason}; ${hint}`)(unvaluedMoneyColumns(money)) : '';
    const noneLeft = screened.matched > 0 ? `all ${screened.matched.toLocaleString('en-US')} customers the filter matches are suppressed (${describeSuppression(screened.suppressed)})` : `no customer matches${unvalued}`;
    const belowFloor = n === 0 ? null : unmeasurableDraw(n, play.holdout, options.minGroupSize);
    const skip: PlaySkip | null = tooFew.get(play.name) ?? setAside.get(play.name) ?? (n === 0 ? (options.budget !== undefined && all > 0 ? { reason: noneFits, kind: 'budget' } : { reason: noneLeft, kind: screened.matched > 0 ? 'suppressed' : 'noMatch' }) : belowFloor ? { reason: belowFloor, kind: 'belowMinGroupSize' } : null);
    if (skip) {
      rows.push({ ...base, audience: null, members: 0, treatment: 0, control: 0, expectedCost: 0, expectedIncrementalValue: null, expectedRoi: null, file: null, valueSource: '', skipped: skip.reason, skipKind: skip.kind, balance: null });
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
      measureDays: play.measureDays,
      play: play.name,
      costPerContact: play.costPerContact,
      api: options.api === true,
      whereSource: playWhereSource(playbook.source, play.name),
      internalCondition: `s.customer_id IN (SELECT customer_id FROM ${PICKS} WHERE play = ${d.literal(play.name)})`,
      out: { path: join(outDir, `${play.name}.csv`) },
      inputs, // the run's: a play's audience is the run's to answer again (--idempotent)
      runId,
      onNote: (note) => void base.notes.push(note), // of this draw alone (its balance not measured): the playbook's own are said once above
    });
    // in cents, as the budget was spent (`pickWithinBudget`): 0.1 × 463 is 46.3, not 46.300000000000004
    const expectedCost = toCents(costUnitsOf({ costPerContact: play.costPerContact, treatment: audience.treatment }) / MONEY_UNITS);
    let value: number | null;
    let valueSource = 'lift × predicted CLV × margin';
    if (uplift && targeting?.upliftModel) {
      // order-free (each uplift to 1e-9, half away from zero, summed exactly): a float sum's last digits moved with the shards' order
      const [sum] = await warehouse.query(`SELECT ${d.orderFreeSum('u.uplift')} AS tau FROM audience_members m JOIN ${UPLIFT} u ON u.customer_id = m.customer_id WHERE m.audience = ${d.literal(name)} AND m.group_name = 'treatment'`);
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
    values.set(play.name, value);
    // the ROI of the figures given (both in cents)
    const valueInCents = centsOrNull(value);
    rows.push({ ...base, audience: name, members: audience.members, treatment: audience.treatment, control: audience.control, expectedCost, expectedIncrementalValue: valueInCents, expectedRoi: valueInCents !== null && expectedCost > 0 ? (valueInCents - expectedCost) / expectedCost : null, file: audience.file?.path ?? null, valueSource, skipped: null, skipKind: null, balance: audience.balance });
  }
  const drawn = rows.filter((r) => r.audience !== null);
  // every customer accounted for: in an audience, suppressed (eligible for no play), eligible but not drawn, or matched by none
  const count = async (sql: string) => Number((await warehouse.query(sql))[0]!.n);
  const customers = await populationCount(warehouse, population);
  const members = drawn.reduce((a, r) => a + r.members, 0);
  const notDrawn = (await count(`SELECT count(DISTINCT customer_id) AS n FROM ${SCREENED} WHERE reason = 0`)) - members;
  const matchedByNone = customers - (await count(`SELECT count(DISTINCT customer_id) AS n FROM ${SCREENED}`));
  // summed in whole units, then in cents: never over the budget by float noise (200.00000000000003 for 200)
  const cost = toCents(drawn.reduce((a, r) => a + costUnitsOf(r), 0) / MONEY_UNITS);
  const value = centsOrNull(drawn.some((r) => values.get(r.play) === null) ? null : drawn.reduce((a, r) => a + values.get(r.play)!, 0));
  const plan: PlaybookPlan = {
    playbook: playbook.source,
    sendDate,
    scoresAsOf: dayOfValue(bounds!.scored),
    seed: options.seed,
    budget: options.budget ?? null,
    plays: rows,
    totals: { customers, members, notDrawn, matchedByNone, treatment: drawn.reduce((a, r) => a + r.treatment, 0), expectedCost: cost, expectedIncrementalValue: value, expectedRoi: value !== null && cost > 0 ? (value - cost) / cost : null, suppressed: suppressedInNoPlay },
    valueBasis: targeting?.upliftModel
      ? `expected incremental value = Σ over the treated of the uplift model’s incremental ${targeting.upliftModel.outcome} (a response window as long as that of ${targeting.upliftModel.audience}) × the play’s margin`
      : 'expected incremental value = lift × predicted_clv_12m (12 months, already weighted by P(alive)) of the treated customers × the play’s margin; lift from the playbook until a campaign of the play is evaluated, then the measured relative uplift where its 95% interval excludes 0 or the assumed lift',
    targeting,
    reused: false,
    drawnAt: null,
    warnings,
  };
  // a plan that drew nothing ends its warnings with why and what to change (`clvkit playbook --json` says it on stderr
  // too, its table under the plays; the API in its `hint` as well), in the caller's words
  const nothingDrawn = nothingDrawnReason(plan, options.minGroupSize, { api: options.api === true });
  if (nothingDrawn) warnings.push(`hint: ${nothingDrawn}`);
  writePlanFiles(outDir, plan);
  if (drawn.length > 0) await storePlaybookRun(warehouse, prefix, { inputs, runId }, plan);
  return plan;
}

/**
 * Why suppression left a play few customers: the counts per reason, each
 * reason with its rule, and for the control groups of running campaigns
 * which campaigns they belong to (most first) and when they are free again.
 */
async function suppressionNote(
  warehouse: Warehouse,
  play: Play,
  s: { sendDate: string; eligible: number; matched: number; suppressed: SuppressionCounts; running: readonly string[]; api: boolean; optedOutListed: boolean },
): Promise<string> {
  const d = warehouse.dialect;
  const rules = playRules(play, s.optedOutListed);
  const count = (r: SuppressionReason) => `${s.suppressed[r].toLocaleString('en-US')} ${SUPPRESSION_REASON_LABELS[r]}`;
  const why: Record<SuppressionReason, () => Promise<string>> = {
    optedOut: async () => `${count('optedOut')} (on the --opt-out list)`,
    // the rule's window (suppressionCondition): sent on or after the send date − N days, up to and including the send date
    contactedRecently: async () => `${count('contactedRecently')} (treated in an audience sent from ${addDays(s.sendDate, -rules.contactedWithinDays!)} to ${s.sendDate}: the ${plural(rules.contactedWithinDays!, 'day')} before the send date and the send date itself; contactedWithinDays)`,
    runningControlGroup: async () => {
      const hits = await groupHits(warehouse, s.running, 'control', `SELECT customer_id FROM ${SCREENED} WHERE play = ${d.literal(play.name)} AND reason = ${SUPPRESSION_REASONS.indexOf('runningControlGroup') + 1}`);
      const evaluate = s.api ? 'POST /api/campaigns/<audience>' : 'clvkit campaign evaluate';
      const one = hits?.campaigns === 1;
      return `${count('runningControlGroup')} (${hits?.named ?? ''}: contacting them would contaminate the uplift ${one ? 'that campaign measures' : 'those campaigns measure'}; ${one ? 'they are' : 'each group is'} free again once ${one ? 'it is' : 'its campaign is'} evaluated over a window that ends before the send date (${evaluate}), or, never evaluated, once both ${plural(rules.contactedWithinDays!, 'day')} (contactedWithinDays) and its own measurement window (measureDays) have passed since its send date)`;
    },
    boughtRecently: async () => `${count('boughtRecently')} (bought in the ${plural(rules.recentlyBoughtDays!, 'day')} before ${s.sendDate}: recentlyBoughtDays)`,
    nextOrderDue: async () => `${count('nextOrderDue')} (next order expected within ${plural(rules.nextOrderWithinDays!, 'day')} anyway: nextOrderWithinDays)`,
  };
  const parts: string[] = [];
  for (const r of SUPPRESSION_REASONS) if (s.suppressed[r] > 0) parts.push(await why[r]());
  return `suppression left ${s.eligible.toLocaleString('en-US')} of the ${s.matched.toLocaleString('en-US')} customers the filter matches: ${parts.join('; ')}`;
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
  // in whole units of `MONEY_UNITS`: 200 picks of 0.1 summed as floats came to 20.000000000000004, over a budget of 20
  const limit = moneyUnits(budget);
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
    const cost = moneyUnits(play.costPerContact) * (treatedOf(n + 1, play.holdout) - treatedOf(n, play.holdout));
    if (spent + cost > limit) continue;
    spent += cost;
    picked.set(play.name, n + 1);
    keepPlay.push(play.name);
    keepToken.push(tokens[i]!);
  }
  await warehouse.execute(`DELETE FROM ${PICKS}`);
  if (keepToken.length > 0) await warehouse.append(PICKS, { play: keepPlay, customer_id: keepToken });
  return picked;
}

/** Money is reckoned in millionths (a cost per contact may be a fraction of a cent): sums of whole numbers, exact where floats are not. */
const MONEY_UNITS = 1_000_000;
const moneyUnits = (amount: number) => Math.round(amount * MONEY_UNITS);
/** A drawn play's expected cost in `MONEY_UNITS`: its cost per contact × its treated, as the budget spent it. */
const costUnitsOf = (play: { readonly costPerContact: number; readonly treatment: number }) => moneyUnits(play.costPerContact) * play.treatment;

/** The treated customers of an audience of `members` with this holdout (`assignControlGroup` holds out round(n × holdout)). */
function treatedOf(members: number, holdout: number): number {
  return members - Math.round(members * holdout);
}

/** Why a play of `members` customers could not be drawn as a measurable campaign (the k-floor), or null. */
function unmeasurableDraw(members: number, holdout: number, minGroupSize: number): string | null {
  if (members < minGroupSize) return `${members} customer${members === 1 ? '' : 's'}, fewer than the minimum group size ${minGroupSize}`;
  return groupBelowFloor(members, holdout, minGroupSize, 'holdout')?.message ?? null;
}

/** A play's suppression rules as they run: with an opt-out list given (`--opt-out`), optedOut for every play. */
function playRules(play: Play, optOutListed: boolean): Play['suppression'] {
  return optOutListed ? { ...play.suppression, optedOut: true } : play.suppression;
}
