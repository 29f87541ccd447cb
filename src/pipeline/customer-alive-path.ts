/**
 * One customer's alive path from a warehouse: their purchase days, the chosen
 * purchase model fitted on every customer's summary as of the same day, and
 * `aliveProbabilityPath` over their history. Serves `clvkit customer <id>
 * --alive-path` (and, later, the dashboard's customer 360).
 */
import { addDays, dayNumber, dayOfValue, parseDay } from '../core/calendar-days.js';
import { UserError } from '../core/errors/user-error.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { Warehouse } from '../engine/warehouse.js';
import { buildCompressedSummarySql, buildCustomerSummarySql } from '../features/customer-summary.js';
import { aliveProbabilityPath } from '../models/btyd/alive-probability-path.js';
import { PURCHASE_MODELS, type PurchaseModelName } from '../models/btyd/purchase-models.js';
import { withPositiveAge } from '../models/compress-rfm.js';
import { tableExists } from '../features/table-exists.js';

export interface CustomerAlivePathOptions {
  readonly model: PurchaseModelName;
  readonly timeUnit: TimeUnit;
  /** last day of the path and of the fit (default: the last purchase day in the warehouse) */
  readonly asOf?: string;
  /** grid step in the time unit (default: one day) */
  readonly step?: number;
  /** a known prospect's stage and conversion propensity may be named (a role that sees per-customer internal data) */
  readonly showScores?: boolean;
  /** the id as the caller gave it, for the messages (default: `customerId`, as stored) */
  readonly givenId?: string;
}

export interface CustomerAlivePathPoint {
  /** calendar day of the point (the day the age falls on) */
  readonly day: string;
  /** age since the first purchase, in the time unit */
  readonly age: number;
  readonly frequency: number;
  readonly recency: number;
  readonly pAlive: number;
}

export interface CustomerAlivePath {
  readonly model: PurchaseModelName;
  readonly label: string;
  readonly params: Readonly<Record<string, number>>;
  readonly timeUnit: TimeUnit;
  readonly asOf: string;
  readonly firstPurchase: string;
  readonly purchaseDays: readonly string[];
  readonly points: readonly CustomerAlivePathPoint[];
}

/**
 * The alive path of the customer stored as `customerId` (a token in a keyed
 * warehouse): purchase occasions are distinct purchase days before the end
 * of `asOf`, returns excluded, as in the customer summary. `UserError` when
 * the customer has no purchase up to `asOf`.
 */
export async function computeCustomerAlivePath(warehouse: Warehouse, customerId: string, options: CustomerAlivePathOptions): Promise<CustomerAlivePath> {
  const d = warehouse.dialect;
  const unitDays = DAYS_PER_UNIT[options.timeUnit];
  let asOf = options.asOf === undefined ? undefined : parseDay(options.asOf, '--as-of');
  if (asOf === undefined) {
    const [last] = await warehouse.query(`SELECT max(${d.dayOf('ts')}) AS day FROM transactions WHERE NOT is_return`);
    asOf = dayOfValue(last?.day) ?? undefined;
    if (asOf === undefined) throw new UserError('the warehouse holds no purchases', 'ingest a transaction file first');
  }
  const end = d.timestamp(`${addDays(asOf, 1)}T00:00:00`);
  const rows = await warehouse.query(
    `SELECT DISTINCT ${d.dayOf('ts')} AS day FROM transactions WHERE customer_id = ${d.literal(customerId)} AND NOT is_return AND ts < ${end} ORDER BY day`,
  );
  const purchaseDays = rows.map((row) => dayOfValue(row.day)!);
  if (purchaseDays.length === 0) {
    // a prospect (a profile or events, no purchase yet) is known: said so, not taken for an id never seen
    const prospect = await knownProspect(warehouse, customerId);
    if (prospect) {
      const scores = options.showScores ? `: stage ${prospect.stage ?? 'unknown'}, conversion propensity ${prospect.conversionPropensity === null ? 'not scored' : prospect.conversionPropensity.toFixed(4)}` : '';
      throw new UserError(`customer ${customerId} is a known prospect (a profile or events, no purchase yet)${scores}; no purchase up to ${asOf}, so no alive path`, 'P(alive) follows a customer from their first purchase; prospects are ranked by conversion propensity (customer_prospects; an audience with --where "stage = \'prospect\'")');
    }
    // an id the data does not hold is said to be unknown; a customer who first bought after asOf is told the day
    const given = options.givenId ?? customerId;
    const [first] = await warehouse.query(`SELECT count(*) AS n, min(CASE WHEN NOT is_return THEN ${d.dayOf('ts')} END) AS day FROM transactions WHERE customer_id = ${d.literal(customerId)}`);
    if (Number(first?.n ?? 0) === 0) throw new UserError(`no customer ${given} in the data (no purchase or return of this id)`, 'use the customer id as it appears in the input file, or its token c_… as clvkit shows it');
    const firstDay = dayOfValue(first?.day);
    if (firstDay) throw new UserError(`no purchase of customer ${given} up to ${asOf}: their first is on ${firstDay}`, `pass an --as-of on or after ${firstDay}`);
    throw new UserError(`customer ${given} has only returns in the data, no purchase: no alive path`, 'P(alive) follows a customer from their first purchase');
  }
  const tuples = await warehouse.queryColumns(buildCompressedSummarySql(buildCustomerSummarySql(d, { asOf, timeUnit: options.timeUnit })));
  const c = tuples.columns;
  const entry = PURCHASE_MODELS[options.model];
  const fitted = entry.fit(withPositiveAge({ frequency: c.frequency as Float64Array, recency: c.recency as Float64Array, T: c.T as Float64Array, weight: c.weight as Float64Array }));
  const first = dayNumber(purchaseDays[0]!);
  const path = aliveProbabilityPath(
    options.model, fitted, purchaseDays.map((day) => (dayNumber(day) - first) / unitDays), (dayNumber(asOf) - first) / unitDays, options.step ?? 1 / unitDays,
  );
  const points = Array.from(path.t, (age, i) => ({
    day: addDays(purchaseDays[0]!, Math.floor(age * unitDays + 1e-9)),
    age,
    frequency: path.frequency[i]!,
    recency: path.recency[i]!,
    pAlive: path.pAlive[i]!,
  }));
  return { model: options.model, label: entry.label, params: fitted.params, timeUnit: options.timeUnit, asOf, firstPurchase: purchaseDays[0]!, purchaseDays, points };
}

/** The stage and conversion propensity of a prospect scored by analyze (`customer_prospects`), or null when not one. */
async function knownProspect(warehouse: Warehouse, customerId: string): Promise<{ stage: string | null; conversionPropensity: number | null } | null> {
  if (!(await tableExists(warehouse, 'customer_prospects'))) return null;
  const d = warehouse.dialect;
  const [row] = await warehouse.query(`SELECT conversion_propensity FROM customer_prospects WHERE customer_id = ${d.literal(customerId)}`);
  if (!row) return null;
  const [stage] = (await tableExists(warehouse, 'customer_stages')) ? await warehouse.query(`SELECT stage FROM customer_stages WHERE customer_id = ${d.literal(customerId)}`) : [];
  return { stage: stage?.stage == null ? null : String(stage.stage), conversionPropensity: row.conversion_propensity == null ? null : Number(row.conversion_propensity) };
}
