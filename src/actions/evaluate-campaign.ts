import { dayOfValue, daysBetween } from '../core/calendar-days.js';
import { plural } from '../core/plural.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { hasOrderValues } from '../features/has-order-values.js';
import { hasValuedLines, mixesOrderValues } from '../features/mixed-order-values.js';
import { tableExists } from '../features/table-exists.js';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import type { Access } from '../privacy/access/access.js';
import { ACTION_DESCRIPTIONS, assertCan } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { upliftVerdict } from './uplift-verdict.js';
import { readAudience } from './audience-store.js';
import { overlapWarnings } from './campaign-overlap.js';
import { purchasesCounted, resolveResponseWindow, windowPurchaseLines, type MeasuredWindow } from './response-window.js';
import type { PurchasesCounted } from './purchases-counted.js';
import { estimateMeanUplifts, estimateShareUplift, estimateUplift, groupMoments, MEAN_UPLIFT_RESAMPLING, type GroupMoments, type UpliftEstimate } from './estimate-uplift.js';
import type { ActiveCustomers } from '../math/zero-heavy-means.js';
import { controlGroupWarnings, points } from './campaign-control-warnings.js';
import { pEquals } from './format-p-value.js';
import { summariseResponses, type CampaignResponses, type ResponsesSummary } from './campaign-responses.js';
import { formatCount } from '../report/format-number.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { balanceWarning, groupBalance } from './group-balance.js';
import type { GroupBalance } from './balance-summary.js';
import { adjustedUplifts, adjustmentWarning, memberOutcomes, prePeriod, type AdjustedUplifts } from './adjusted-uplift.js';

export type { MeasuredWindow } from './response-window.js';
export { responseMarginSql } from './response-window.js';

export interface EvaluateCampaignOptions {
  readonly audience: string;
  /** response window, YYYY-MM-DD, both days included */
  readonly from: string;
  readonly to: string;
  /** cost of contacting one treated customer (ROI and cost per incremental buyer); default: the one the audience's play stored, if any */
  readonly costPerContact?: number;
  /** share of revenue kept as margin where a line has no cost (default 1: margin = revenue) */
  readonly margin?: number;
  /** groups smaller than this are not published (the privacy k-floor, default 5) */
  readonly minGroupSize: number;
  readonly keyring: Keyring | null;
  readonly access: Access;
  /** responses or redemptions from a file (`readResponsesFile`): response rate per group, cost per response */
  readonly responses?: CampaignResponses;
  /**
   * the caller is the HTTP API (`GET` or `POST /api/campaigns/:audience`): messages, warnings and `unavailable` name its query
   * fields (`from`, `to`, `costPerContact`) and routes, not the CLI's flags and commands, and the audit entry names
   * the route (default: the CLI's words)
   */
  readonly api?: boolean;
  /**
   * store the evaluation in `campaign_evaluations`, where campaign compare, run.json and the report, the API's campaign
   * results and a playbook's measured lift read it (default true: `campaign evaluate`, `POST /api/campaigns/:audience`);
   * false for a read (`GET /api/campaigns/:audience`), which answers it and leaves the stored one as it was
   */
  readonly store?: boolean;
}

/** `clvkit campaign evaluate --json`: the Contract names are exact (scripts read them). */
export interface CampaignEvaluation {
  readonly audience: string;
  readonly play: string | null;
  readonly sendDate: string;
  /**
   * the window measured: from the send date or later to `to`, the asked end or, when the data ended before it, the
   * day of the last transaction (then `requestedTo` is the asked end, and `days` the days measured); `lines`, the
   * audience's transaction lines in [from, requestedTo ?? to] when evaluated (to tell that they changed since:
   * `staleEvaluation`); `gaps`, stretches without any transaction inside it though the data goes on after them (`windowGaps`).
   * Evaluations stored before say neither.
   */
  readonly window: MeasuredWindow;
  readonly groups: { readonly treatment: number; readonly control: number };
  /** purchases per customer in the window: distinct order ids, and where lines have none, distinct purchase days (`purchasesCounted` says which) */
  readonly purchases: UpliftEstimate;
  /** what a purchase was: orders, purchase days (no order ids in the window), or both (absent in evaluations stored before it was said) */
  readonly purchasesCounted?: PurchasesCounted;
  /** share of customers who bought at least once in the window */
  readonly buyers: UpliftEstimate;
  /** net revenue per customer (returns subtracted); null without order values (see `unavailable`) */
  readonly revenue: UpliftEstimate | null;
  /** revenue − cost per customer (cost where known, else revenue × margin); null without order values */
  readonly margin: UpliftEstimate | null;
  /** cost of the treated contacts, ROI = (incremental margin − cost) / cost, cost per incremental buyer */
  readonly cost: {
    readonly perContact: number;
    readonly total: number;
    /** where the cost per contact came from: `given` (--cost-per-contact, costPerContact) or `play` (the one the audience's playbook play stored); absent in evaluations stored before it was said */
    readonly source?: 'given' | 'play';
  } | null;
  /** the share of revenue kept as margin where a line has no cost (`--margin`, default 1) */
  readonly marginShare?: number;
  readonly roi: number | null;
  /** from the margin's incremental interval: break-even (ROI 0) inside it means the campaign may not pay */
  readonly roiInterval: readonly [number, number] | null;
  /** cost ÷ incremental buyers, only where the buyers' uplift is an effect (its interval excludes 0 and Fisher's test rejects) (else null, and `unavailable` says why) */
  readonly costPerIncrementalBuyer: number | null;
  /** treatment − control change of predicted CLV since the audience was drawn (needs a re-analysis after the window), or null */
  readonly predictedClvChange: UpliftEstimate | null;
  /** responses or redemptions read from a file (`--responses`), per group; absent without one */
  readonly responses?: ResponsesSummary;
  /**
   * whether treatment and control were alike before the send date (`groupBalance`): pre-send covariates per group, their
   * standardised mean differences and what random assignment gives at these sizes; a warning when one is beyond chance.
   * Absent in evaluations stored before it was measured
   */
  readonly balance?: GroupBalance;
  /**
   * secondary to `purchases`, `revenue` and `margin` (the verdict stays theirs): each adjusted for the same outcome in the
   * balance check's pre-period (CUPED, `adjustedUplifts`): θ, the adjusted uplift with its 95% interval and p-value, the
   * variance reduction. Absent in evaluations stored before it was measured
   */
  readonly adjusted?: AdjustedUplifts;
  readonly method: string;
  /** an evaluation stored before the exact tests, as read back (`readStoredEvaluation`); absent otherwise */
  readonly storedBeforeExactTests?: StoredBeforeExactTests;
  /** why an entry is null */
  readonly unavailable: Readonly<Record<string, string>>;
  /** the window moved or cut short, overlapping audiences, lines without an amount, a control group with few buyers or none */
  readonly warnings: readonly string[];
  /**
   * when the evaluation was stored (UTC: campaign compare's `evaluatedAt`, to the whole second on ClickHouse); null when it was not stored
   * (`store` false); absent in an evaluation read back from the store (its time is the row's, not the result's)
   */
  readonly evaluatedAt?: string | null;
}

/**
 * What became of an evaluation stored before campaign evaluate measured with exact tests (Welch's t throughout, no
 * `test` on its estimates) when it is read back: the estimates recomputed with today's tests, those still Welch's
 * t as stored, and a sentence saying which and why.
 */
export interface StoredBeforeExactTests {
  /** recomputed: `buyers` and `responseRate` from the stored counts; `purchases`, `revenue`, `margin` and `roi` from the members' purchases in the window when they still give the stored means */
  readonly recomputed: readonly string[];
  /** left as stored, Welch's t (its `test` says `welch`) */
  readonly welch: readonly string[];
  /** why purchases, revenue and margin were not measured again (the audience dropped, members erased, files ingested or dropped since) */
  readonly notRecomputed?: string;
  readonly note: string;
}

export const UPLIFT_METHOD = `per-customer means of treatment vs control over the window, 95% intervals, two-sided p-values (each estimate's test says which): buyers (a share) by Fisher's exact test, Newcombe's hybrid score interval for the difference and MOVER-R Wilson for the ratio; purchases, revenue and margin (0 for most customers) by a permutation test (${MEAN_UPLIFT_RESAMPLING.permutations.toLocaleString('en-US')} seeded relabellings) and the percentiles of a seeded two-part bootstrap (${MEAN_UPLIFT_RESAMPLING.draws.toLocaleString('en-US')} draws: each group's share of buyers from its Jeffreys posterior (Clopper–Pearson's upper tail for a group without one), their mean by the Bayesian bootstrap); ROI's interval from the margin's`;


/**
 * Per group: purchases, revenue and margin of the members who bought (or returned) in [start, end) — the others' are 0
 * (the group sizes: `readAudience`). `memberOutcomes`' window with an empty pre-period: one query and one reading of
 * its rows for both (a stored evaluation measured again, `stored-evaluation.ts`, reads no pre-period).
 */
export async function responseValues(warehouse: Warehouse, name: string, start: string, end: string, margin: number): Promise<Record<'treatment' | 'control', Float64Array[]>> {
  return (await memberOutcomes(warehouse, name, { preStart: start, send: start, start, end }, margin)).window;
}

/**
 * Purchases, revenue and margin per customer, treatment against control, from the members who bought in the window
 * (`responseValues`) and the group sizes: the permutation test and the two-part bootstrap (`estimateMeanUplifts`);
 * revenue and margin null without order values.
 */
export function measureMeanUplifts(active: Record<'treatment' | 'control', Float64Array[]>, groups: { readonly treatment: number; readonly control: number }, orderValues: boolean): { purchases: UpliftEstimate; revenue: UpliftEstimate | null; margin: UpliftEstimate | null } {
  const group = (g: 'treatment' | 'control'): ActiveCustomers => ({ n: groups[g], values: orderValues ? active[g] : [active[g][0]!] });
  const [purchases, revenue = null, margin = null] = estimateMeanUplifts(group('treatment'), group('control'));
  return { purchases: purchases!, revenue, margin };
}

/** ROI = (incremental margin − cost) / cost, its interval from the margin's incremental interval (break-even is 0). */
export function roiOf(margin: UpliftEstimate, total: number): { roi: number; roiInterval: [number, number] } {
  return { roi: (margin.incremental - total) / total, roiInterval: [(margin.incrementalInterval[0] - total) / total, (margin.incrementalInterval[1] - total) / total] };
}

/**
 * Cost ÷ incremental buyers — only where the buyers' uplift is an effect as evaluate counts one (its interval excludes
 * 0 and Fisher's test rejects: `upliftVerdict`): from a point estimate whose interval holds 0 it would divide by a
 * number that may be 0 (710.83 from 0.13 buyers); otherwise why not.
 */
export function costPerIncrementalBuyerOf(buyers: UpliftEstimate, total: number): { readonly value: number } | { readonly unavailable: string } {
  if (upliftVerdict(buyers) === 'raised') return { value: total / buyers.incremental };
  if (buyers.incremental <= 0) return { unavailable: 'no incremental buyers (treatment bought no more often than control)' };
  if (buyers.absoluteUpliftInterval[0] > 0) return { unavailable: `not estimable: the buyers' uplift interval ${points(buyers.absoluteUpliftInterval)} excludes 0 but Fisher's exact test does not reject equal shares (${pEquals(buyers.pValue)}), so the incremental buyers may be none` };
  return { unavailable: `not estimable: the buyers' uplift interval ${points(buyers.absoluteUpliftInterval)} includes 0 (${pEquals(buyers.pValue)}), so the incremental buyers may be none` };
}

/**
 * Treatment against control over a response window: purchases, buyers,
 * revenue and margin per customer, each with absolute and relative uplift,
 * 95% intervals and a p-value (buyers: `estimateShareUplift`, Fisher's
 * exact test; the others: `estimateMeanUplifts`, a permutation test and a
 * two-part bootstrap; `UPLIFT_METHOD`), and a warning when the control group
 * has no or few buyers (`controlGroupWarnings`); ROI (its interval from the
 * margin's) and cost per incremental buyer (only when the buyers' uplift
 * interval excludes 0) with `costPerContact`. Responses are the transactions
 * dated in [from, to] and not before the audience's send date (an earlier
 * `from` is moved to it, with a warning; a window wholly before it is
 * refused). Refused too: a group smaller than the k-floor, no transaction
 * at all in the window. Members treated by other audiences sent in the
 * window, by its last day with transactions, are named in `warnings`
 * (`overlapWarnings`). Whether the groups were alike before the send date
 * is `balance` (`groupBalance`: pre-send covariates, their standardised mean
 * differences), with a warning when one is beyond chance (`balanceWarning`); `adjusted`, purchases, revenue and margin
 * adjusted for the same outcome in that pre-period (CUPED, `adjustedUplifts`; secondary). Stored in
 * `campaign_evaluations` (unless `store` is false: a read) and audited.
 *
 * Example: `await evaluateCampaign(wh, { audience: 'winback', from: '2024-01-01', to: '2024-01-31', costPerContact: 0.5, … })`
 * → `{ purchases: { relativeUplift: 0.27, relativeUpliftInterval: [0.12, 0.44], … }, roi: 3.1, … }`
 */
export async function evaluateCampaign(warehouse: Warehouse, options: EvaluateCampaignOptions): Promise<CampaignEvaluation> {
  const api = options.api === true;
  assertMayEvaluate(options.access.role, options.store !== false, api);
  const audience = await readAudience(warehouse, options.audience);
  for (const [group, n] of [['treatment', audience.treatment], ['control', audience.control]] as const) {
    // a group drawn empty (a holdout too small): a larger holdout; one emptied since (erasure, retention): a new draw
    const emptied = audience.drawn[group] > 0;
    if (n === 0) {
      throw new UserError(
        `audience ${audience.name} has a ${group} group of zero${emptied ? ' left (its members were erased or purged)' : ''}: there is nothing to compare`,
        emptied
          ? api ? 'draw a new audience (POST /api/audiences): its members are no longer in the warehouse' : 'draw a new audience with clvkit audience create: its members are no longer in the warehouse'
          : api ? 'draw the audience again with "holdout": 0.1 or more (POST /api/audiences)' : 'draw the audience again with --holdout 0.1 or more',
      );
    }
    // through the API (open to viewers, who read aggregates only) the size below the floor is not named
    if (n < options.minGroupSize) throw new UserError(`the ${group} group of ${audience.name} has ${api ? 'fewer customers than' : `${plural(n, 'customer')}, fewer than`} the minimum group size ${options.minGroupSize}: its figures would describe individuals`, api ? "evaluate a larger audience (the minimum group size is the server's)" : 'evaluate a larger audience (or lower --min-group-size if figures of so few customers may be published)');
  }
  const d = warehouse.dialect;
  const window = await resolveResponseWindow(warehouse, audience, options.from, options.to, api);
  const { start, end, from, to } = window;
  const measuredTo = window.lastDay;
  const warnings = [...window.warnings, ...(await overlapWarnings(warehouse, audience, to, window.lastDay))];
  const lines = await windowPurchaseLines(warehouse, window);
  // the warehouse has order values, and the window's purchases have some (a file of ids and dates beside order files may
  // hold all of the window's: its revenue is unknown, not 0)
  const warehouseValues = await hasOrderValues(warehouse);
  const orderValues = warehouseValues && hasValuedLines(lines);
  if (warehouseValues && mixesOrderValues(lines)) {
    warnings.push(`${formatCount(lines.purchases - lines.valued)} of the window's ${formatCount(lines.purchases)} purchase lines have no amount (a file without order values): revenue and margin count them as 0, purchases and buyers count them`);
  }
  const margin = options.margin ?? 1;
  const name = d.literal(audience.name);
  // the groups before the send date are measured over as many days as the window measured (the balance check's pre-period)
  const preDays = daysBetween(from, measuredTo) + 1;
  // one scan of the members' purchases in the window and in the pre-period: the estimates read the window's, the adjustment both
  const outcomes = await memberOutcomes(warehouse, name, { ...prePeriod(d, audience.sendDate, preDays), start, end }, margin);
  const active = outcomes.window;
  // the group sizes readAudience counted (members left), which passed the k-floor above
  const treated = audience.treatment;
  const controls = audience.control;
  const { purchases, revenue, margin: marginUplift } = measureMeanUplifts(active, { treatment: treated, control: controls }, orderValues);
  const buyersOf = (g: 'treatment' | 'control') => active[g][0]!.reduce((a, p) => a + (p > 0 ? 1 : 0), 0);
  const treatedBuyers = buyersOf('treatment'), controlBuyers = buyersOf('control');
  const buyers = estimateShareUplift({ n: treated, count: treatedBuyers }, { n: controls, count: controlBuyers });
  warnings.push(...controlGroupWarnings(treated, treatedBuyers, controls, controlBuyers, buyers));
  const unavailable: Record<string, string> = {};
  if (!orderValues) {
    const reason = warehouseValues
      ? "the window's purchases have no order values (a file of customer ids and dates): revenue and margin cannot be measured"
      : 'the data has no order values (customer and date only): revenue and margin cannot be measured';
    unavailable.revenue = reason;
    unavailable.margin = reason;
  }
  let cost: CampaignEvaluation['cost'] = null;
  let roi: number | null = null;
  let roiInterval: [number, number] | null = null;
  let costPerIncrementalBuyer: number | null = null;
  // the cost per contact given, else the one the audience's play stored (a playbook's draw)
  const perContact = options.costPerContact ?? audience.costPerContact ?? undefined;
  if (perContact === undefined) {
    unavailable.roi = api ? 'no costPerContact given' : 'no --cost-per-contact given';
  } else {
    const total = perContact * treated;
    cost = { perContact, total, source: options.costPerContact === undefined ? 'play' : 'given' };
    if (total <= 0) unavailable.roi = 'the cost is 0: ROI is not defined';
    else if (marginUplift) ({ roi, roiInterval } = roiOf(marginUplift, total));
    else unavailable.roi = unavailable.margin!;
    const perBuyer = costPerIncrementalBuyerOf(buyers, total);
    if ('value' in perBuyer) costPerIncrementalBuyer = perBuyer.value;
    else unavailable.costPerIncrementalBuyer = perBuyer.unavailable;
  }
  let responses: ResponsesSummary | undefined;
  if (options.responses) {
    const assigned = await warehouse.queryColumns(`SELECT customer_id, group_name FROM audience_members WHERE audience = ${name}`);
    const groups = assigned.columns.group_name as ('treatment' | 'control')[];
    const members = new Map((assigned.columns.customer_id as string[]).map((token, i) => [token, groups[i]!]));
    responses = summariseResponses(options.responses, members, { from, to }, cost?.total ?? null);
    if (responses.inWindow === 0) warnings.push(`no row of the responses file ${options.responses.source} is dated in ${from} … ${to}`);
    else if (responses.notInAudience > 0) warnings.push(`${formatCount(responses.notInAudience)} of ${formatCount(responses.inWindow)} responses in the window name customers outside the audience ${audience.name}: ignored`);
  }
  // the groups before the send date, over as many days as the window measured: an imbalance would read as uplift
  const balance = await groupBalance(warehouse, { audience: audience.name, sendDate: audience.sendDate, preDays, minGroupSize: options.minGroupSize });
  const imbalance = balanceWarning(balance, audience.sendDate);
  if (imbalance) warnings.push(imbalance);
  // secondary: the uplift adjusted for the same outcome in the pre-period (CUPED), and a warning where it disagrees with the verdict
  const adjusted = adjustedUplifts(outcomes.periods, { treatment: treated, control: controls }, orderValues, audience.sendDate, preDays);
  const disagreement = adjustmentWarning(adjusted, { purchases, revenue, margin: marginUplift }, balance.beyondChance.length > 0 ? 'beyond chance' : balance.imbalanced.length > 0 ? 'within chance' : null);
  if (disagreement) warnings.push(disagreement);
  const predictedClvChange = await estimateClvChange(warehouse, audience.name, audience.sendDate);
  if (!predictedClvChange) unavailable.predictedClvChange = `needs predicted CLV when the audience was drawn and from an analysis of data after the send date ${audience.sendDate}: ${api ? 'start one after the window (POST /api/runs)' : `run clvkit analyze ${warehouseFlags(warehouse)} after the window`}`;
  const result: CampaignEvaluation = {
    audience: audience.name,
    play: audience.play,
    sendDate: audience.sendDate,
    // the days measured: to the last transaction when the data ended before the asked end
    window: {
      from,
      to: measuredTo,
      days: daysBetween(from, measuredTo) + 1,
      ...(measuredTo < to ? { requestedTo: to } : {}),
      lines: window.lines,
      ...(window.gaps.length > 0 ? { gaps: window.gaps } : {}),
    },
    groups: { treatment: treated, control: controls },
    purchases,
    purchasesCounted: purchasesCounted(lines),
    buyers,
    revenue,
    margin: marginUplift,
    cost,
    marginShare: margin,
    roi,
    roiInterval,
    costPerIncrementalBuyer,
    predictedClvChange,
    ...(responses ? { responses } : {}),
    balance,
    adjusted,
    method: UPLIFT_METHOD,
    unavailable,
    warnings,
  };
  const store = options.store !== false;
  // the instant stored, as campaign compare reads it back (a ClickHouse warehouse keeps whole seconds of it)
  const evaluatedAt = store ? new Date().toISOString() : null;
  const command = !api ? 'campaign evaluate' : store ? 'POST /api/campaigns/:audience' : 'GET /api/campaigns/:audience';
  await warehouse.transaction(async () => {
    // window_to: the end asked for, not the measured one — a campaign measured to the end of the data is still being
    // measured until then (a playbook holds its control group back, uplift targeting does not take it as known)
    if (store) await warehouse.execute(`INSERT INTO campaign_evaluations VALUES (${name}, ${d.timestamp(evaluatedAt!)}, ${start}, ${d.timestamp(`${to}T00:00:00`)}, ${d.literal(JSON.stringify(result))})`);
    // storing an evaluation is analysis (POST /api/campaigns/:audience needs analyze); reading one, a view of aggregates
    if (options.keyring) await recordAudit(warehouse, options.keyring, options.access, { action: store ? 'analyze' : 'view_aggregates', target: `audience:${audience.name}`, rowCounts: { treatment: treated, control: controls }, details: { command, from, to, stored: store } });
  });
  return { ...result, evaluatedAt };
}

/**
 * Storing an evaluation (the one campaign compare, the report and the playbook's measured lift read) is analysis:
 * `analyze`, on the CLI as on the API (POST /api/campaigns/:audience); computing one without storing it (`store`
 * false: GET /api/campaigns/:audience, campaign evaluate --no-store) is a view of aggregates.
 *
 * Example: `assertMayEvaluate('viewer', true, false)` → AccessDeniedError "role viewer may not store a campaign evaluation (…)"
 */
function assertMayEvaluate(role: string, store: boolean, api: boolean): void {
  if (!store) return assertCan(role, 'view_aggregates');
  try {
    assertCan(role, 'analyze');
  } catch (error) {
    if (!(error instanceof AccessDeniedError) || error.allowedRoles.length === 0) throw error;
    const instead = api ? 'GET /api/campaigns/:audience computes it without storing it' : '--no-store computes it without storing it';
    throw new AccessDeniedError(`role ${role} may not store a campaign evaluation (analyze: ${ACTION_DESCRIPTIONS.analyze})`, `roles allowed: ${error.allowedRoles.join(', ')}; ${instead}`, error.allowedRoles);
  }
}

/**
 * Change of predicted CLV (now − when drawn) per group, when the scores were recomputed on data after the send date.
 * Each group's mean and sample variance are taken over its members' changes in ascending order (as `estimateMeanUplifts`
 * takes its values), not by `avg`/`var_samp` over doubles in the order the engine met the rows: the same members give
 * the same bits on every engine and thread count. One double per member, as the responses are read.
 */
export async function estimateClvChange(warehouse: Warehouse, audience: string, sendDate: string): Promise<UpliftEstimate | null> {
  if (!(await tableExists(warehouse, 'customer_scores')) || !(await tableExists(warehouse, 'customer_summary'))) return null;
  const [scored] = await warehouse.query('SELECT max(last_purchase) AS day FROM customer_summary');
  if ((dayOfValue(scored!.day) ?? '') < sendDate) return null;
  const rows = await warehouse.queryColumns(`SELECT a.group_name AS group_name, s.predicted_clv_12m - a.predicted_clv_12m AS change
    FROM audience_members a JOIN customer_scores s ON s.customer_id = a.customer_id
    WHERE a.audience = ${warehouse.dialect.literal(audience)} AND a.predicted_clv_12m IS NOT NULL AND s.predicted_clv_12m IS NOT NULL`);
  const groups = rows.columns.group_name as readonly unknown[];
  const changes = rows.columns.change as Float64Array;
  const moments = (group: 'treatment' | 'control'): GroupMoments | null => {
    const values = changes.filter((_, i) => groups[i] === group).sort();
    return values.length < 2 ? null : groupMoments(values.length, values);
  };
  const [t, c] = [moments('treatment'), moments('control')];
  return t && c ? estimateUplift(t, c) : null;
}
