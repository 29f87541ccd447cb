import { addDays, dayOfValue, daysBetween } from '../core/calendar-days.js';
import { mixedOrderValuesWarning } from '../features/mixed-order-values.js';
import { lateReturnsWarning } from '../features/late-returns-warning.js';
import { orderGrainWarning } from '../features/order-grain-warning.js';
import { untimedHoursWarning } from '../features/untimed-hours-warning.js';
import { runWords } from '../core/run-words.js';
import { plural } from '../core/plural.js';
import { UserError } from '../core/errors/user-error.js';
import type { TimeUnit } from '../core/time-unit.js';
import type { TrackingAge } from '../core/tracking-age.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { MIN_CUSTOMERS_FOR_MODELS, MIN_REPEAT_CUSTOMERS_FOR_MODELS } from './analyze.js';
import { buildCustomerSummarySql } from '../features/customer-summary.js';
import { queryCalibrationSpan, runHonestTournament, type HonestTournamentResult } from './honest-tournament.js';
import { honestSplitShortfall } from './honest-windows.js';
import { churnDaysRefusal } from './churn-horizon.js';
import { challengerOptions, type ChallengerName } from './tournament-candidates.js';
import { selectValueModel, type ModelSelection } from './value-step.js';
import { daysPastData } from './days-past-data.js';
import { lonePurchasesAfterGapWarning } from './lone-purchases-after-gap.js';
import { MIN_VALUE_HOLDOUT_DAYS, longestBalancedHoldoutDays, minimumHoldoutLeavesHistory, shortCalibrationWarning, shortHoldoutWarning } from './value-holdout.js';
import { formatCount } from '../report/format-number.js';
import { warehouseFlags, warehouseName } from '../engine/warehouse-flags.js';

export interface ValidateModelsOptions {
  /** last day of the calibration window, YYYY-MM-DD */
  readonly calibrationEnd: string;
  /** last day of the holdout window (default: the last purchase day) */
  readonly holdoutEnd?: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  readonly trackingAge?: TrackingAge;
  /** run the honest tournament with the learned models and MBG/CNBD-k too */
  readonly learned: boolean;
  /** the honest tournament's challengers by name (default all; the BTYD models always take part) */
  readonly candidates?: readonly ChallengerName[];
  /** seed of the learned models' sampling and the bootstrap */
  readonly seed: number;
  /** N of the churn early warning (--churn-days; default the holdout length when the windows hold it) */
  readonly churnDays?: number;
}

export interface ValidateModelsResult {
  readonly selection: ModelSelection;
  /** what the run must say about its windows (a holdout that ends well after the last purchase) */
  readonly warnings: readonly string[];
  /** the honest tournament, `{ skipped }` when the data cannot hold it, absent when not asked for */
  readonly honest?: HonestTournamentResult | { readonly skipped: string };
}

/**
 * `clvkit validate` on a warehouse that holds the transactions (DuckDB or a
 * ClickHouse cluster: the SQL is the same, through the dialect): the value
 * models' tournament on a calibration/holdout split and, with `learned`, the
 * honest tournament.
 *
 * Example: `await validateModels(warehouse, { calibrationEnd: '2011-08-31', timeUnit: 'week', grain: 'day', learned: true, seed: 1 })`
 */
export async function validateModels(warehouse: Warehouse, options: ValidateModelsOptions): Promise<ValidateModelsResult> {
  const { calibrationEnd, timeUnit, grain } = options;
  const d = warehouse.dialect;
  // an empty table first: ClickHouse's max() of no rows is 1970-01-01, not NULL
  const [held] = await warehouse.query('SELECT count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM transactions WHERE NOT is_return');
  if (Number(held?.n ?? 0) === 0) {
    // DuckDB: the file given was read into memory; a cluster may have its files ingested first
    throw new UserError(`${warehouseName(warehouse, 'the warehouse')} holds no purchases to validate the models on`, d.name === 'clickhouse' ? `give a transaction file, or ingest one first: clvkit ingest FILE ${warehouseFlags(warehouse)}` : 'give a transaction file that holds purchases');
  }
  const lastDay = dayOfValue(held!.last_ts);
  // one purchase day: any calibration end leaves the calibration or the holdout empty (a user trial was told to pick one before it)
  if (lastDay != null && dayOfValue(held!.first_ts) === lastDay) {
    throw new UserError(`every purchase is on ${lastDay}: there is no history to split into a calibration window and a holdout`, 'validate needs purchases on more days than one: give data that spans the calibration window and the holdout');
  }
  const holdoutEnd = options.holdoutEnd ?? lastDay ?? calibrationEnd;
  const past = options.holdoutEnd !== undefined && lastDay != null ? daysPastData(options.holdoutEnd, lastDay) : null;
  const grainWarning = await orderGrainWarning(warehouse, grain, runWords(false));
  // files with and without order values: the tournament's value ranking (Gamma-Gamma) takes the occasions with an amount
  const mixed = await mixedOrderValuesWarning(warehouse, { occasions: grain === 'order' ? 'orders' : 'days' });
  // --time-unit hour on dates only: hours that are whole days
  const hours = await untimedHoursWarning(warehouse, timeUnit);
  const warnings = [...(grainWarning ? [grainWarning] : []), ...(hours ? [hours] : []), ...(mixed ? [mixed] : [])];
  // the holdout ends on the last purchase day by default: returns booked after it would be left out without a word
  const late = options.holdoutEnd === undefined ? await lateReturnsWarning(warehouse, holdoutEnd, { end: 'the holdout end', leftOutOf: "the holdout's spend", setEnd: (day) => `pass --holdout-end ${day}` }) : null;
  if (late) warnings.push(late);
  const lone = options.holdoutEnd === undefined ? await lonePurchasesAfterGapWarning(warehouse, holdoutEnd, (day) => `pass --holdout-end ${day} to end the holdout at the gap`) : null;
  if (lone) warnings.push(lone);
  if (past !== null) warnings.push(`--holdout-end ${holdoutEnd} is ${plural(past, 'day')} after the last purchase (${lastDay}): those days hold no purchases, so every model is scored as if nobody bought then; leave --holdout-end out to end the holdout at the last purchase`);
  if (options.holdoutEnd === undefined && holdoutEnd <= calibrationEnd) {
    throw new UserError(`--calibration-end ${calibrationEnd} leaves no holdout: the last purchase is on ${holdoutEnd}`, `pass a --calibration-end before ${holdoutEnd} (the holdout runs from the day after it to the last purchase, or to --holdout-end)`);
  }
  // buyers on or before the calibration end day (a timestamp bound: 18.16 compares a Date with a DateTime poorly)
  const [seen] = await warehouse.query(`SELECT count(DISTINCT customer_id) AS customers FROM transactions WHERE NOT is_return AND ts < ${d.timestamp(`${addDays(calibrationEnd, 1)}T00:00:00`)}`);
  const customers = Number(seen?.customers ?? 0);
  if (customers < MIN_CUSTOMERS_FOR_MODELS) {
    throw new UserError(`${plural(customers, 'customer')} bought by the calibration end ${calibrationEnd}: the value models need at least ${MIN_CUSTOMERS_FOR_MODELS}`, 'use more data or a later --calibration-end (analyze skips the models below this, too)');
  }
  // repeat buyers of the calibration window, as the models see them (frequency > 0 at the calibration end): analyze skips the models below the same floor
  const [repeat] = await warehouse.query(`SELECT count(*) AS n FROM (${buildCustomerSummarySql(d, { asOf: calibrationEnd, timeUnit, grain })}) s WHERE frequency > 0`);
  const repeatBuyers = Number(repeat?.n ?? 0);
  if (repeatBuyers < MIN_REPEAT_CUSTOMERS_FOR_MODELS) {
    throw new UserError(
      `${formatCount(repeatBuyers)} of the ${formatCount(customers)} customers who bought by the calibration end ${calibrationEnd} bought again by then: the value models need at least ${MIN_REPEAT_CUSTOMERS_FOR_MODELS} repeat buyers to estimate purchase rates and dropout`,
      'use a later --calibration-end or more data (analyze skips the models below this, too)',
    );
  }
  if (options.learned && options.churnDays !== undefined) {
    // refused (exit 2) before any fit, not turned into a skipped tournament: the windows cannot hold the N asked for
    const window = { calibrationDays: (await queryCalibrationSpan(warehouse, calibrationEnd)).days, holdoutDays: daysBetween(calibrationEnd, holdoutEnd) };
    const refusal = honestSplitShortfall(window) === null ? churnDaysRefusal(window, options.churnDays) : null;
    if (refusal) throw refusal;
  }
  const selection = await selectValueModel(warehouse, { calibrationEnd, holdoutEnd, timeUnit, grain, ...(options.trackingAge ? { trackingAge: options.trackingAge } : {}) });
  // a holdout shorter than analyze's shortest default: the choice rests on a few purchases
  if (daysBetween(calibrationEnd, holdoutEnd) < MIN_VALUE_HOLDOUT_DAYS) {
    // the earlier calibration end it names must leave history before it, else a longer history is the way
    const longest = addDays(holdoutEnd, -MIN_VALUE_HOLDOUT_DAYS);
    const room = minimumHoldoutLeavesHistory((await queryCalibrationSpan(warehouse, calibrationEnd)).days + daysBetween(calibrationEnd, holdoutEnd));
    const short = shortHoldoutWarning(selection, { subject: 'the model is', lengthen: room ? `--calibration-end ${longest} or earlier (a holdout of ${MIN_VALUE_HOLDOUT_DAYS} days, the shortest analyze chooses by default)` : `a longer history (a holdout of ${MIN_VALUE_HOLDOUT_DAYS} days, the shortest analyze chooses by default, leaves none of these data before it)` });
    if (short) warnings.push(short);
  }
  // a calibration window shorter than the holdout it predicts: P(alive) and the predictions rest on too short a history
  // (the holdout's days with purchases: those after the last purchase have their own warning above)
  const boughtEnd = lastDay != null && lastDay < holdoutEnd ? lastDay : holdoutEnd;
  const holdoutDays = daysBetween(calibrationEnd, boughtEnd);
  const calibrationDays = (await queryCalibrationSpan(warehouse, calibrationEnd)).days;
  const balanced = longestBalancedHoldoutDays(calibrationDays + holdoutDays);
  const later = `--calibration-end ${addDays(boughtEnd, -balanced)} or later${balanced < MIN_VALUE_HOLDOUT_DAYS ? ` (a holdout under ${MIN_VALUE_HOLDOUT_DAYS} days, itself weak) or a longer history` : ''}`;
  const thin = shortCalibrationWarning({ calibrationDays, calibrationEnd, holdoutDays }, { subject: 'the model', lengthen: later });
  if (thin) warnings.push(thin);
  if (!options.learned) return { selection, warnings };
  try {
    return { selection, warnings, honest: await runHonestTournament(warehouse, { calibrationEnd, holdoutEnd, timeUnit, grain, seed: options.seed, profiles: false, ...challengerOptions(options.candidates), ...(options.churnDays !== undefined ? { churnDays: options.churnDays } : {}) }) };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // with what to change (windows too short: a later --calibration-end …)
    return { selection, warnings, honest: { skipped: error.hint ? `${error.message}; ${error.hint}` : error.message } };
  }
}
