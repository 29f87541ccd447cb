import { hasOrderValues } from '../features/has-order-values.js';
import { addDays, dayOfValue, parseDay, parseRequestDay } from '../core/calendar-days.js';
import { plural } from '../core/plural.js';
import { UserError } from '../core/errors/user-error.js';
import type { Row, Warehouse } from '../engine/warehouse.js';
import { tableExists } from '../features/table-exists.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan, permittedAction } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { audienceSourceSql, populationTables } from './audience-source-sql.js';
import { assignControlGroup, CONTROL_ASSIGNMENT_METHOD, groupBelowFloor } from './assign-control-group.js';
import { wholeSecondsIso } from '../core/whole-seconds.js';
import { checkCategoryValues } from './category-values.js';
import { compileWhereExpression, unvaluedMoneyColumns } from './compile-where-expression.js';
import { assertDerivedRowsHeld, ensureDerivedTables, type ScoreWarehouseFunction } from './ensure-derived-tables.js';
import { keptOldScratchFilesLine } from './kept-old-scratch-files-line.js';
import { AUDIENCE_EXPORT_ACTIONS, audienceFileFormat, checkAudienceFilePath, writeAudienceFile, type AudienceFile, type AudienceFileOptions } from './export-audience-file.js';
import { parseWhereExpression, whereName, type WhereSource } from './parse-where-expression.js';
import { recordAudienceExport } from './export-stored-audience.js';
import { formatCount } from '../report/format-number.js';
import { describeRanges, emptyColumns } from './filter-ranges.js';
import { DEFAULT_MEASURE_DAYS, type SuppressionRules } from './playbook.js';
import { campaignWindows, describeSuppression, groupHits, noSuppression, runningCampaigns, suppressionCondition, suppressionReasonOfCode, suppressionReasonSql, type CampaignWindow, type SuppressionCounts } from './suppression-condition.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { DERIVED_TABLES } from '../engine/derived-tables.js';
import { derivedStaleNote, readDerivedTablesStale } from '../engine/derived-tables-stale.js';
import { groupBalance } from './group-balance.js';
import { collectNotes } from './collect-notes.js';
import { errorMessage } from '../core/errors/error-message.js';
import type { AudienceSummary } from './audience-summary.js';
import { drawRequestText, type DrawInputs } from './draw-request.js';
import { nameTakenError, reuseAudience } from './reuse-audience.js';

export interface CreateAudienceOptions {
  readonly name: string;
  /** the filter over scores, stages and segments (`parseWhereExpression`) */
  readonly where: string;
  /** share held out as the control group, in (0, 1) */
  readonly holdout: number;
  readonly seed: number;
  readonly keyring: Keyring | null;
  readonly access: Access;
  /** smallest audience that may be drawn (the privacy k-floor, default 5) */
  readonly minGroupSize: number;
  /** first day a response counts, YYYY-MM-DD (default: the day after the last transaction) */
  readonly sendDate?: string;
  /**
   * the caller is the HTTP API: messages (the filter's refusals too) name its fields (`holdout`, `where`, `name`) and its DELETE route, not the
   * CLI's flags nor the warehouse's path (default: the CLI's words)
   */
  readonly api?: boolean;
  /** where the filter came from, named in its refusals (default: the CLI's flag `--where`, or the API's field `where` with `api`); a playbook's play passes its own (`playWhereSource`) */
  readonly whereSource?: WhereSource;
  /** days from the send date over which the campaign is to be measured (default DEFAULT_MEASURE_DAYS): stored; its control group is held back from draws with the contact rule that long, unless evaluated sooner */
  readonly measureDays?: number;
  /** the playbook play that draws it */
  readonly play?: string;
  /** the cost of one contact (the play's costPerContact): stored, campaign evaluate's cost when none is given */
  readonly costPerContact?: number;
  /** who is left out although the filter matches them (the playbook's rules without optedOut), counted per reason in `suppressed` */
  readonly suppression?: Omit<SuppressionRules, 'optedOut'>;
  /** a further condition written by clvkit itself (playbook suppression rules), ANDed with the filter; never user text */
  readonly internalCondition?: string;
  /** write the members to a file */
  readonly out?: AudienceFileOptions;
  /** a line for the user (e.g. that the warehouse was scored first) */
  readonly onNote?: (line: string) => void;
  /** scores a never-analysed warehouse first (`ensureDerivedTables`) */
  readonly score?: ScoreWarehouseFunction;
  /**
   * a name taken by an audience drawn with the same inputs answers that audience (`reused: true`, nothing drawn again;
   * `reuseAudience`), one drawn with other inputs is refused naming them (`--idempotent`, the API's `"idempotent": true`)
   */
  readonly idempotent?: boolean;
  /** the inputs stored with the draw and compared by `idempotent` (default: this draw's own, `audienceCreateInputs`); a playbook's play passes the run's */
  readonly inputs?: DrawInputs;
  /** a playbook's play: the id of the run drawing it, stored with its inputs (`audiences.request`) and its plan */
  readonly runId?: string;
}

export type { AudienceSummary } from './audience-summary.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/** `UserError` unless the name is 1–80 letters, digits, `_`, `.`, `-`. */
export function checkAudienceName(name: string): void {
  if (!NAME.test(name)) throw new UserError(`audience name ${JSON.stringify(name)} is not valid`, 'use letters, digits, _ . - (up to 80), starting with a letter or digit, e.g. winback-2024-06');
}

/**
 * Draws an audience: the customers of `customer_summary` (and the prospects, `audienceSourceSql`) that match the
 * filter (compiled against the derived-table catalogue, values as escaped
 * literals), a seeded random control group (`assignControlGroup`), stored in
 * `audiences` / `audience_members` and audited as an export — all in one
 * transaction, together with the file when `out` is given (moved into place
 * only after the commit). Refused, with nothing written: an unknown column, a text a category column cannot hold
 * (`checkCategoryValues`),
 * an existing name, an empty audience, one below the k-floor, a control
 * or treatment group below the k-floor (`groupBelowFloor`), an audience the suppression rules (`suppression`: the
 * playbook's, counted per reason) leave empty. Drawn by hand without the contact rule, notes (`onNote`) say how many of
 * its treatment group sit in a running campaign's control group, and how many of its control group an audience sent the
 * same day treats (`overlapNotes`). When the warehouse was never analysed, the scoring stages
 * run first (`ensureDerivedTables`; `onNote` says so). Once stored, the balance of the draw is measured (`balance`:
 * `groupBalance` over the `measureDays` before the send date) — for `audience create`, `POST /api/audiences` and every
 * play of a playbook alike. Notes of the data a whole playbook draws on (stale scores, a send date on or before the
 * scores' date or far ahead) are not said for its plays (`play`): `runPlaybook` says them once.
 *
 * Example: `await createAudience(wh, { name: 'winback', where: "stage IN ('at_risk','dormant')", holdout: 0.2, seed: 7, … })` → `{ members: 410, treatment: 328, control: 82, balance: { covariates: [ … ], beyondChance: [], … }, … }`
 */
export async function createAudience(warehouse: Warehouse, asked: CreateAudienceOptions): Promise<AudienceSummary> {
  // every note of the draw is kept for the answer's `warnings` (and still said through the caller's onNote)
  const { options, warnings } = collectNotes(asked);
  checkAudienceName(options.name);
  const measureDays = options.measureDays ?? DEFAULT_MEASURE_DAYS;
  if (options.costPerContact !== undefined && !(Number.isFinite(options.costPerContact) && options.costPerContact >= 0)) throw new UserError(`the cost per contact ${options.costPerContact} is not a number ≥ 0`, 'e.g. 0.5');
  if (!(Number.isInteger(measureDays) && measureDays >= 1 && measureDays <= 3650)) throw new UserError(`the measurement window ${measureDays} is not a whole number of days from 1 to 3650`, options.api ? 'send measureDays from 1 to 3650' : 'e.g. --measure-days 30');
  // a given send date is checked before any work (the scoring stages of ensureDerivedTables included)
  const givenSendDate = options.sendDate === undefined ? undefined : checkSendDate(options.sendDate, options.api === true);
  const action = permittedAction(options.access.role, AUDIENCE_EXPORT_ACTIONS);
  if (options.out?.revealIds) assertCan(options.access.role, 'reidentify');
  if (options.out) {
    checkAudienceFilePath(options.out.path);
    audienceFileFormat(options.out.path, options.out.format);
  }
  const d = warehouse.dialect;
  const api = options.api === true;
  const where = api ? 'where' : '--where';
  const given = options.whereSource ?? { field: where }; // the filter's refusals name the flag, the API's field or the play
  const compiled = compileWhereExpression(parseWhereExpression(options.where, given), d, given);
  const inputs = options.inputs ?? audienceCreateInputs(options, measureDays);
  const [exists] = await warehouse.query(`SELECT count(*) AS n FROM audiences WHERE name = ${d.literal(options.name)}`);
  if (Number(exists!.n) > 0) {
    if (!options.idempotent) throw nameTakenError(warehouse, options.name, api);
    // the dates a draw now would resolve: a send date not given moves with the data, and so do the scores
    const [now] = await warehouse.query(DRAW_BOUNDS_SQL);
    const dates = { sendDate: givenSendDate ?? addDays(dayOfValue(now!.last_ts)!, 1), scoresAsOf: dayOfValue(now!.scored) };
    return reuseAudience(warehouse, { name: options.name, inputs, dates, api, minGroupSize: options.minGroupSize, ...(options.out ? { out: options.out } : {}), keyring: options.keyring, access: options.access, onNote: options.onNote!, warnings });
  }
  await ensureDerivedTables(warehouse, compiled.tables, { ...options, readerOf: () => whereName(given) });
  // tables there but emptied (retention apply, erase): analyse again, not "widen the filter"
  await assertDerivedRowsHeld(warehouse, options);
  // a text a category column cannot hold (value_tier = 'top'), read once the tables exist
  await checkCategoryValues(warehouse, compiled.categories, given);
  const withScores = await tableExists(warehouse, 'customer_scores');
  // the population: buyers, and prospects when the run knows some (their customer_summary columns NULL)
  const source = audienceSourceSql(d, [...compiled.tables, ...(withScores ? ['customer_scores'] : []), ...(await populationTables(warehouse))]);
  const condition = options.internalCondition ? `(${compiled.sql}) AND (${options.internalCondition})` : compiled.sql;
  // the send date first: the suppression rules count their days back from it
  const [bounds] = await warehouse.query(DRAW_BOUNDS_SQL);
  const sendDate = givenSendDate ?? addDays(dayOfValue(bounds!.last_ts)!, 1);
  const campaigns = await campaignWindows(warehouse);
  const suppression = options.suppression ? suppressionCondition(options.suppression, { sendDate, withScores, withOptOut: false, campaigns }, d) : null;
  for (const skipped of suppression?.skipped ?? []) options.onNote?.(`suppression rule not applied: ${api ? skipped : skipped.replace('nextOrderWithinDays', '--next-order-within')}`);
  // every customer the filter matches, with the first suppression rule that leaves them out (0: none). In token order:
  // meanPredictedClv sums the treated in this order, so its bits are the same on both engines (the draw itself sorts
  // the tokens, assignControlGroup; audience-two-engines.test.ts guards it)
  const rows = await warehouse.queryColumns(`SELECT s.customer_id, ${withScores ? 'c.predicted_clv_12m' : 'CAST(NULL AS DOUBLE)'} AS value, ${suppressionReasonSql(suppression?.rules ?? [])} AS reason FROM ${source} WHERE ${condition} ORDER BY s.customer_id`);
  const reasons = rows.columns.reason as Float64Array;
  const matchedTokens = rows.columns.customer_id as string[];
  const matchedValues = rows.columns.value as Float64Array;
  const suppressed = noSuppression();
  const tokens: string[] = [];
  const kept: number[] = [];
  for (let i = 0; i < matchedTokens.length; i++) {
    const reason = suppressionReasonOfCode(reasons[i]!);
    if (reason) suppressed[reason]++;
    else (tokens.push(matchedTokens[i]!), kept.push(matchedValues[i]!));
  }
  const values = Float64Array.from(kept);
  // a money column is NULL without order values: the filter can match no one, and widening it would not help
  if (matchedTokens.length === 0 && compiled.money.length > 0 && !(await hasOrderValues(warehouse))) {
    const { reason, hint } = unvaluedMoneyColumns(compiled.money);
    throw new UserError(`${whereName(given)}: ${reason}`, hint);
  }
  if (matchedTokens.length === 0) {
    // a column the analysis left empty for everyone (the churn model not scored): no widening cures it
    const read = [...compiled.categories.map((c) => ({ name: c.column, sql: `${DERIVED_TABLES.find((t) => t.name === c.table)!.alias}.${d.identifier(c.column)}` })), ...compiled.ranged];
    const { empty, customers } = await emptyColumns(warehouse, source, read);
    if (empty.length > 0) {
      const warnings = api ? 'GET /api/overview: run.warnings' : "clvkit analyze's summary, run.json warnings";
      throw new UserError(
        `${whereName(given)}: ${empty.join(', ')} ${empty.length === 1 ? 'holds' : 'hold'} no value for any of the ${customers.toLocaleString('en-US')} customers: the last analysis left ${empty.length === 1 ? 'it' : 'them'} empty`,
        `its warnings say why (${warnings}); filter on columns it wrote, e.g. stage, segment, value_tier, p_alive`,
      );
    }
    const ranges = await describeRanges(warehouse, source, compiled.ranged);
    const hint = `widen the filter${ranges}; ${api ? 'POST /api/audiences/count counts the customers a filter matches' : `clvkit segments / lifecycle ${warehouseFlags(warehouse)} show how many customers each segment and stage holds`}`;
    return emptyAudience(warehouse, options, { why: `no customer matches ${where} ${options.where}`, hint, matched: 0, suppressed, sendDate, scoresAsOf: dayOfValue(bounds!.scored), measureDays, warnings });
  }
  if (tokens.length === 0) {
    const why = `the suppression rules leave out all ${matchedTokens.length.toLocaleString('en-US')} customers who match (${describeSuppression(suppressed)})`;
    return emptyAudience(warehouse, options, { why, hint: api ? 'relax suppression' : 'relax --contacted-within / --bought-within, or widen --where', matched: matchedTokens.length, suppressed, sendDate, scoresAsOf: dayOfValue(bounds!.scored), measureDays, warnings });
  }
  if (tokens.length < options.minGroupSize) {
    throw new UserError(`the audience ${options.name} has ${plural(tokens.length, 'customer')}, fewer than the minimum group size ${options.minGroupSize}: it would single out individuals`, api ? 'widen where (the minimum group size is the server\'s)' : 'widen --where (or lower --min-group-size if a group this small may be targeted)');
  }
  // the floor first: its hint names a holdout that reaches it (assignControlGroup's zero-group hint only reaches one)
  const belowFloor = options.holdout > 0 && options.holdout < 1 ? groupBelowFloor(tokens.length, options.holdout, options.minGroupSize, api ? 'holdout' : '--holdout', where) : null;
  if (belowFloor) throw new UserError(belowFloor.message, belowFloor.hint);
  const groups = assignControlGroup(tokens, options.holdout, options.seed);
  const scoresAsOf = dayOfValue(bounds!.scored);
  // a playbook's play: runPlaybook says these once for all its plays
  if (options.play === undefined) {
    const stale = await staleScoresNote(warehouse, bounds!, sendDate, api);
    const backdated = sendDateNotAfterScoresNote(sendDate, bounds!, { api, what: 'the filter', act: 'draw the audience' });
    for (const note of [stale, backdated, farSendDateNote(sendDate, bounds!, api)]) if (note) options.onNote?.(note);
  }
  const control = [...groups.values()].filter((g) => g === 'control').length;
  let treatedValue = 0;
  let treatedValued = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (groups.get(tokens[i]!) === 'treatment' && Number.isFinite(values[i]!)) {
      treatedValue += values[i]!;
      treatedValued++;
    }
  }
  const meanPredictedClv = treatedValued > 0 ? treatedValue / treatedValued : null;
  // the file is written beside --out inside the transaction and moved into place after the commit
  const scratch: { file: AudienceFile | null } = { file: null };
  try {
    await warehouse.transaction(async () => {
      const ts = (day: string | null) => (day === null ? 'NULL' : d.timestamp(`${day}T00:00:00`));
      await warehouse.execute(
        `INSERT INTO audiences (name, created_at, send_date, where_expr, play, holdout, seed, assignment, members, treatment, control, scores_as_of, measure_days, cost_per_contact, request) VALUES (${d.literal(options.name)}, ${d.timestamp(wholeSecondsIso())}, ${ts(sendDate)}, ${d.literal(options.where)}, ${d.literal(options.play ?? null)}, ${d.literal(options.holdout)}, ${d.literal(Math.trunc(options.seed))}, ${d.literal(CONTROL_ASSIGNMENT_METHOD)}, ${tokens.length}, ${tokens.length - control}, ${control}, ${ts(scoresAsOf)}, ${d.literal(Math.trunc(measureDays))}, ${d.literal(options.costPerContact ?? null)}, ${d.literal(drawRequestText(inputs, { matched: matchedTokens.length, suppressed, meanPredictedClv }, { sendDate, scoresAsOf }, options.runId))})`,
      );
      await warehouse.append('audience_members', {
        audience: tokens.map(() => options.name),
        customer_id: tokens,
        group_name: tokens.map((t) => groups.get(t)!),
        predicted_clv_12m: values,
      });
      const f = options.out ? await writeAudienceFile(warehouse, options.name, options.out, options.keyring, options.access) : null;
      scratch.file = f;
      await recordAudienceExport(warehouse, options.keyring, options.access, {
        action,
        audience: options.name,
        rowCounts: { members: tokens.length, treatment: tokens.length - control, control, ...(f ? { written: f.rows } : {}) },
        details: { where: options.where, holdout: options.holdout, seed: options.seed, send_date: sendDate, play: options.play ?? null },
        file: f,
      });
    });
  } catch (error) {
    scratch.file?.discard();
    throw error;
  }
  const written = scratch.file;
  written?.finish();
  const keptLine = keptOldScratchFilesLine(written?.keptOldScratchFiles ?? []);
  if (keptLine) options.onNote?.(`warning: ${keptLine}`);
  // drawn by hand without the contact rule: say how many of its treatment group (those it contacts) sit in the control
  // group of another campaign still being measured, and how many of its control group another audience sent the same
  // day treats. Notes only: what they cannot count does not undo the draw
  if (options.play === undefined && options.suppression?.contactedWithinDays === undefined) {
    const notes = await overlapNotes(warehouse, { name: options.name, treated: tokens.length - control, control, campaigns, sendDate }).catch(() => []);
    for (const note of notes) options.onNote?.(note + (api ? '' : '; --contacted-within DAYS leaves them out'));
  }
  // the groups before the send date, over the days it is to be measured: redrawn with another seed before sending if
  // they differ. A note only when it cannot be measured: the draw is stored
  const balance = await groupBalance(warehouse, { audience: options.name, sendDate, preDays: measureDays, minGroupSize: options.minGroupSize }).catch((error: unknown) => {
    options.onNote?.(`the balance of the draw could not be measured: ${errorMessage(error)}`);
    return null;
  });
  return {
    name: options.name,
    where: options.where,
    play: options.play ?? null,
    members: tokens.length,
    matched: matchedTokens.length,
    suppressed,
    treatment: tokens.length - control,
    control,
    holdout: options.holdout,
    seed: options.seed,
    assignment: CONTROL_ASSIGNMENT_METHOD,
    sendDate,
    measureDays,
    scoresAsOf,
    meanPredictedClv,
    file: written ? { path: written.path, format: written.format, rows: written.rows, columns: written.columns, group: written.group } : null,
    balance,
    reused: false,
    drawnAt: null,
    warnings,
  };
}

/**
 * The answer of a valid filter that matches nobody, or whom the suppression rules leave out to the last: an audience
 * of nobody, not stored (it could be neither sent nor measured; its name stays free), its `out` file written with its
 * header alone (audited as an export of no row), and a warning saying so with `why` and `hint` (`onNote`). A nightly
 * job's empty night, not an error: a filter's typo (an unknown column, a stage or segment no customer can be in) is
 * refused before (`compileWhereExpression`, `checkCategoryValues`).
 */
async function emptyAudience(
  warehouse: Warehouse,
  options: CreateAudienceOptions,
  empty: { why: string; hint: string; matched: number; suppressed: SuppressionCounts; sendDate: string; scoresAsOf: string | null; measureDays: number; warnings: string[] },
): Promise<AudienceSummary> {
  const scratch: { file: AudienceFile | null } = { file: null };
  if (options.out) {
    const out = options.out;
    const action = permittedAction(options.access.role, AUDIENCE_EXPORT_ACTIONS);
    try {
      await warehouse.transaction(async () => {
        scratch.file = await writeAudienceFile(warehouse, options.name, out, options.keyring, options.access);
        await recordAudienceExport(warehouse, options.keyring, options.access, { action, audience: options.name, rowCounts: { members: 0, treatment: 0, control: 0, written: 0 }, details: { where: options.where, empty: true }, file: scratch.file });
      });
    } catch (error) {
      scratch.file?.discard();
      throw error;
    }
    scratch.file!.finish();
  }
  const f = scratch.file;
  options.onNote?.(`warning: the audience ${options.name} is empty: ${empty.why}: nothing stored${f ? `; ${f.path} ${f.format === 'json' ? 'holds an empty list ([])' : 'holds its header alone'}` : ''} (hint: ${empty.hint})`);
  return {
    name: options.name,
    where: options.where,
    play: options.play ?? null,
    members: 0,
    matched: empty.matched,
    suppressed: empty.suppressed,
    treatment: 0,
    control: 0,
    holdout: options.holdout,
    seed: options.seed,
    assignment: CONTROL_ASSIGNMENT_METHOD,
    sendDate: empty.sendDate,
    measureDays: empty.measureDays,
    scoresAsOf: empty.scoresAsOf,
    meanPredictedClv: null,
    file: f ? { path: f.path, format: f.format, rows: f.rows, columns: f.columns, group: f.group } : null,
    balance: null,
    reused: false,
    drawnAt: null,
    warnings: empty.warnings,
  };
}

/** The inputs of `audience create` (`POST /api/audiences`) stored with its draw: what it was asked, a flag not given null. */
function audienceCreateInputs(options: CreateAudienceOptions, measureDays: number): DrawInputs {
  const rules = options.suppression ? Object.fromEntries(Object.entries(options.suppression).filter(([, v]) => typeof v === 'number')) : {};
  return {
    what: 'audience create',
    where: options.where,
    holdout: options.holdout,
    seed: options.seed,
    sendDate: options.sendDate ?? null,
    measureDays,
    suppression: Object.keys(rules).length > 0 ? (rules as Record<string, number>) : null,
    minGroupSize: options.minGroupSize,
  };
}

/**
 * The overlap of the stored audience `name` (drawn on `sendDate`) with other campaigns, as sentences naming the
 * campaigns with their counts (most first); none when nothing overlaps. Read from `audience_members` after the draw
 * is stored: no scratch table (shared between requests on ClickHouse).
 *
 * - its treatment group (the customers it contacts) in the control group of a campaign still being measured on
 *   `sendDate`: the playbook's rule, `runningCampaigns`, with no contact window of its own (a campaign sent on the send
 *   date or before it, never evaluated and within its planned window — drawn before windows were kept: until
 *   evaluated — or evaluated over a window that reaches the send date);
 * - its control group treated by another audience sent on the same day: `campaign evaluate` counts an audience sent
 *   from the send date on as contaminating its control group (`overlapWarnings`), and one sent that day is already
 *   known at the draw.
 *
 * `--contacted-within` (any number of days) leaves both out: the control groups of running campaigns and the treated
 * of audiences sent on the send date.
 */
async function overlapNotes(warehouse: Warehouse, drawn: { name: string; treated: number; control: number; campaigns: readonly CampaignWindow[]; sendDate: string }): Promise<string[]> {
  const { name, sendDate } = drawn;
  const others = drawn.campaigns.filter((c) => c.name !== name);
  const members = (group: string) => `SELECT customer_id FROM audience_members WHERE audience = ${warehouse.dialect.literal(name)} AND group_name = '${group}'`;
  const running = runningCampaigns(others.map((c) => ({ ...c, measureDays: c.measureDays ?? 365_000 })), sendDate, 0);
  const contacted = await groupHits(warehouse, running, 'control', members('treatment'));
  const sameDay = others.filter((c) => c.sendDate === sendDate).map((c) => c.name);
  const treated = await groupHits(warehouse, sameDay, 'treatment', members('control'));
  const notes: string[] = [];
  if (contacted) notes.push(`${formatCount(contacted.total)} of the ${formatCount(drawn.treated)} customers to contact (the treatment group) are in the control group of a campaign not yet measured past ${sendDate} (${contacted.named}): contacting them would contaminate the uplift it measures`);
  if (treated) notes.push(`${formatCount(treated.total)} of the ${formatCount(drawn.control)} customers held out (the control group) are treated by ${treated.campaigns === 1 ? 'an audience' : 'audiences'} sent on the same day (${treated.named}): this campaign's uplift would be measured against a partly contacted control group`);
  return notes;
}

/** The window bounds a draw reads: the last row, the last purchase, and the day the scores describe (customer_summary). */
export const DRAW_BOUNDS_SQL = 'SELECT (SELECT max(ts) FROM transactions) AS last_ts, (SELECT max(ts) FROM transactions WHERE NOT is_return) AS last_purchase, (SELECT max(last_purchase) FROM customer_summary) AS scored';

/**
 * A note when the send date is on or before the day the scores describe (`bounds.scored`, `DRAW_BOUNDS_SQL`): what
 * was drawn on them read purchases made from the send date on, and those count as responses; else null. `what` read
 * them (`the filter`, `the plays' filters`), `act` is what to do before the send date instead; in the API's words
 * (`sendDate`) with `api`.
 */
export function sendDateNotAfterScoresNote(sendDate: string, bounds: Row, words: { api: boolean; what: string; act: string }): string | null {
  const scoresAsOf = dayOfValue(bounds.scored);
  if (scoresAsOf === null || sendDate > scoresAsOf) return null;
  return `${words.api ? 'sendDate' : '--send-date'} ${sendDate} is not after the date the scores describe (${scoresAsOf}): ${words.what} read purchases made after it (stages, values, who bought at all), and those purchases count as responses — ${words.act} before the send date, on data up to the day before it`;
}

/** Days a send date may lie after both the last purchase and today before a draw says its scores will be stale by then. */
export const FAR_SEND_DATE_DAYS = 90;

/**
 * A note when the send date is more than `FAR_SEND_DATE_DAYS` after the later of the last purchase (`bounds`,
 * `DRAW_BOUNDS_SQL`) and today, else null: the audience is drawn now, from the scores as of the last purchase, and
 * they will be stale by the send date. Not a refusal: planning ahead is legitimate. In the API's words (`sendDate`)
 * with `api`.
 */
export function farSendDateNote(sendDate: string, bounds: Row, api: boolean, today = new Date().toISOString().slice(0, 10)): string | null {
  const lastPurchase = dayOfValue(bounds.last_purchase);
  const later = lastPurchase !== null && lastPurchase > today ? lastPurchase : today;
  if (sendDate <= addDays(later, FAR_SEND_DATE_DAYS)) return null;
  const scoresAsOf = dayOfValue(bounds.scored) ?? lastPurchase;
  return `${api ? 'sendDate' : '--send-date'} ${sendDate} is more than ${FAR_SEND_DATE_DAYS} days after both the last purchase (${lastPurchase ?? '—'}) and today (${today}): the audience is drawn from the scores as of ${scoresAsOf ?? '—'}, and they will be stale by then — draw it nearer the send date`;
}

/** The send date as a YYYY-MM-DD day (`2023-02-30` is none), else a `UserError` in the CLI's words (`parseDay`), or the API's (`parseRequestDay`). */
export function checkSendDate(sendDate: string, api: boolean): string {
  return api ? parseRequestDay(sendDate, 'sendDate', '"sendDate": "2024-03-01"') : parseDay(sendDate, '--send-date');
}

/**
 * A note when the scores and stages describe older data than the purchases before the send date (purchases ingested
 * since the last analysis), else null. Purchases from the send date on are the responses a draw dated in the past (a
 * backtest) is to measure, not data its scores should have seen: scores as of the day before the send date
 * (`analyze --as-of`) are not stale. Scores marked stale by a drop since the analysis (`clvkit ingests drop`: they
 * still count the rows it removed) are said first, whatever the dates. What to run is the CLI's `analyze`, or with
 * `api` the API's `POST /api/runs`.
 */
export async function staleScoresNote(warehouse: Warehouse, bounds: Row, sendDate: string, api = false): Promise<string | null> {
  const changed = await readDerivedTablesStale(warehouse);
  if (changed) return derivedStaleNote(changed, warehouseFlags(warehouse), api);
  const lastPurchase = dayOfValue(bounds.last_purchase);
  if (lastPurchase === null) return null;
  let seen: string | null = lastPurchase;
  if (lastPurchase >= sendDate) {
    const [row] = await warehouse.query(`SELECT max(ts) AS last FROM transactions WHERE NOT is_return AND ts < ${warehouse.dialect.timestamp(`${sendDate}T00:00:00`)}`);
    seen = dayOfValue(row?.last);
  }
  const scored = dayOfValue(bounds.scored);
  if (seen === null || (scored ?? '') >= seen) return null;
  const backtest = seen !== lastPurchase;
  const asOf = addDays(sendDate, -1);
  const refresh = api ? `start an analysis (POST /api/runs${backtest ? ` with "asOf": "${asOf}"` : ''})` : `run clvkit analyze ${warehouseFlags(warehouse)}${backtest ? ` --as-of ${asOf}` : ''}`;
  return `the scores and stages describe the data to ${scored}, the warehouse holds purchases to ${seen}${backtest ? ` before the send date ${sendDate}` : ''}: ${refresh} to refresh them before drawing on new data`;
}
