import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFile } from '../../core/output-paths.js';
import { buildCustomerSummarySql, type PurchaseGrain, type SummaryPeriod } from '../../features/customer-summary.js';
import { SUMMARY_PERIODS, summaryClock } from '../../features/summary-clock.js';
import { duckdbDialect } from '../../engine/sql-dialect.js';
import type { TimeUnit } from '../../core/time-unit.js';
import { warnOn, type CliIo } from '../cli-io.js';
import { addReadOptions, ingestOptionsFromFlags, transactionFileOptions, type ReadFlags } from './shared-options.js';
import { TIME_UNITS } from '../../core/time-unit.js';
import { lazyFunction } from '../lazy-function.js';
import { resolveWindow } from './resolve-as-of.js';
import { orderGrainWarning } from '../../features/order-grain-warning.js';
import { untimedHoursWarning } from '../../features/untimed-hours-warning.js';
import { lateReturnsWarning } from '../../features/late-returns-warning.js';
import { ingestRunWarnings } from '../../ingest/ingest-run-warnings.js';
import { runWords } from '../../core/run-words.js';
import { plural } from '../../core/plural.js';
import { daysPastData } from '../../pipeline/days-past-data.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openDuckDbWarehouse = lazyFunction(() => import('../../engine/duckdb-warehouse.js'), 'openDuckDbWarehouse');
const ingestFiles = lazyFunction(() => import('../../ingest/ingest-files.js'), 'ingestFiles');

interface SummarizeFlags extends ReadFlags {
  asOf?: string;
  calibrationEnd?: string;
  holdoutEnd?: string;
  timeUnit?: TimeUnit;
  out: string;
  grain: PurchaseGrain;
  period: SummaryPeriod;
}

/** The warnings for a summary window (--as-of / --calibration-end, --holdout-end) ending more than a week after the last purchase, `lastDay`. */
function windowPastDataWarnings(lastDay: string, end: { flag: string; day: string } | null, holdoutEnd: string | undefined): string[] {
  const warnings: string[] = [];
  const pastEnd = end ? daysPastData(end.day, lastDay) : null;
  if (end && pastEnd !== null) {
    warnings.push(`${end.flag} ${end.day} is ${plural(pastEnd, 'day')} after the last purchase (${lastDay}): those days hold no purchases, so every customer looks inactive by then (T grows, recency does not); leave ${end.flag} out to summarize as of the last purchase`);
  }
  const pastHoldout = holdoutEnd !== undefined ? daysPastData(holdoutEnd, lastDay) : null;
  if (pastHoldout !== null) {
    warnings.push(`--holdout-end ${holdoutEnd} is ${plural(pastHoldout, 'day')} after the last purchase (${lastDay}): those days hold no purchases, so frequency_holdout counts none in them; leave --holdout-end at the last purchase or before`);
  }
  return warnings;
}

export function summarizeCommand(io: CliIo): Command {
  return addReadOptions(
    new Command('summarize')
      .description('one row per customer (frequency, recency, T, monetary_value; lifetimes column names), optionally with a holdout window; a last column time_unit says the unit of recency and T, which clvkit fit reads')
      .argument('<file>', 'transaction file')
      .option('--as-of <date>', 'last day of the observation window, YYYY-MM-DD (default: the last purchase day, as lifetimes\' observation_period_end)')
      .option('--calibration-end <date>', 'last day of the calibration window, YYYY-MM-DD (use with --holdout-end; alone it is --as-of, with a warning)')
      .option('--holdout-end <date>', 'last day of the holdout window; adds frequency_holdout, monetary_value_holdout, duration_holdout')
      .addOption(new Option('--time-unit <unit>', 'time unit of recency/T: hour (clock hours, as lifetimes freq="h"), day, week or month (default: day, as lifetimes; week with --period calendar-week, month with calendar-month)').choices(TIME_UNITS))
      .option('--grain <grain>', 'purchase occasion: day (distinct purchase days; clock hours with --time-unit hour) or order', 'day')
      .addOption(
        new Option('--period <period>', 'fractional: days / unit (default); calendar-week | calendar-month: purchases counted per calendar week (Mon–Sun) or month, times in whole periods, as lifetimes freq="W" / "M"')
          .choices(SUMMARY_PERIODS)
          .default('fractional'),
      )
      .requiredOption('--out <file>', 'CSV file to write'),
  ).action(async (file: string, flags: SummarizeFlags) => {
    if (flags.asOf && flags.calibrationEnd) throw new UserError('--as-of and --calibration-end both given', 'use --as-of for a plain summary, --calibration-end (+ --holdout-end) for a split');
    const given = flags.asOf ?? flags.calibrationEnd;
    if (flags.holdoutEnd && !flags.calibrationEnd) throw new UserError('--holdout-end needs --calibration-end', 'pass --calibration-end YYYY-MM-DD too');
    if (flags.grain !== 'day' && flags.grain !== 'order') throw new UserError(`--grain ${flags.grain} is not day or order`, 'pass --grain day or --grain order');
    // no unit given: days, as lifetimes; a calendar period's own unit
    flags.timeUnit ??= flags.period === 'calendar-week' ? 'week' : flags.period === 'calendar-month' ? 'month' : 'day';
    summaryClock(duckdbDialect, flags.timeUnit, flags.period, flags.grain); // a unit the period cannot be counted in: refused before reading the file
    checkOutputFile(flags.out, '--out', 'summary.csv'); // a folder, a missing folder, no permission: refused before reading the file too
    const warehouse = await openDuckDbWarehouse(':memory:');
    try {
      // A stateless file → file converter: in memory, nothing stored; it keeps the input's ids so the
      // summary joins back to the user's data and matches lifetimes (docs/privacy.md, "The summarize exception").
      const report = await ingestFiles(warehouse, [file], { ...ingestOptionsFromFlags(flags), ...transactionFileOptions('summarize'), keepCustomerIds: true, keepsFiles: false });
      // a window before the data: refused, not a file of 0 customers; none given: the last purchase day
      const { end: asOf, lastPurchase } = await resolveWindow(warehouse, given, flags.calibrationEnd ? '--calibration-end' : '--as-of');
      const summary = buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit: flags.timeUnit, grain: flags.grain, period: flags.period, ...(flags.holdoutEnd ? { holdoutEnd: flags.holdoutEnd } : {}) });
      // an end well after the last purchase (as analyze --as-of and validate --holdout-end say): days of silence no one had
      for (const warning of windowPastDataWarnings(lastPurchase, given ? { flag: flags.calibrationEnd ? '--calibration-end' : '--as-of', day: asOf } : null, flags.holdoutEnd)) io.stderr.write(`clvkit: warning: ${warning}\n`);
      // --calibration-end alone is --as-of by another name (lifetimes' calibration_and_holdout_data takes both): said
      if (flags.calibrationEnd && !flags.holdoutEnd) io.stderr.write(`clvkit: warning: --calibration-end without --holdout-end: a summary as of ${asOf}, as --as-of ${asOf} gives, with no holdout columns; add --holdout-end YYYY-MM-DD for a calibration/holdout split\n`);
      const grainWarning = await orderGrainWarning(warehouse, flags.grain, runWords(false));
      if (grainWarning) io.stderr.write(`clvkit: warning: ${grainWarning}\n`);
      const hours = await untimedHoursWarning(warehouse, flags.timeUnit);
      if (hours) io.stderr.write(`clvkit: warning: ${hours}\n`);
      // as of the last purchase day by default: returns booked after it would be left out without a word
      const late = given ? null : await lateReturnsWarning(warehouse, asOf, { end: 'the summary date', leftOutOf: 'the summary', setEnd: (day) => `pass --as-of ${day}` });
      if (late) io.stderr.write(`clvkit: warning: ${late}\n`);
      // a monetary mean that is a short decimal but for float noise in its last digits is written as that decimal:
      // (valued spend − the first occasion's) / repeats gives 11.769999999999996 for one repeat of 11.77, which
      // lifetimes' mean of the repeat values writes 11.77. Rounded to 10 significant digits when the 11th and 12th are
      // zero; any other value (23.723333333333333, a mean that does not end) is written in full, as lifetimes writes it.
      const significant = (column: string) => {
        const at = (digits: number) => `round(${column}, CAST(${digits - 1} - floor(log10(abs(${column}))) AS INTEGER))`;
        return `CASE WHEN ${column} IS NULL OR ${column} = 0 OR NOT isfinite(${column}) THEN ${column} WHEN ${at(12)} = ${at(10)} THEN ${at(10)} ELSE ${column} END AS ${column}`;
      };
      const holdoutColumns = flags.holdoutEnd ? `, frequency_holdout, ${significant('monetary_value_holdout')}, duration_holdout` : '';
      const out = resolve(flags.out);
      // time_unit last: the lifetimes columns keep their names and places, and clvkit fit reads the unit from the file
      const unit = warehouse.dialect.literal(flags.timeUnit);
      const rows = await warehouse.exportCsv(`SELECT customer_id, frequency, recency, T, ${significant('monetary_value')}${holdoutColumns}, ${unit} AS time_unit FROM (${summary}) s ORDER BY customer_id`, out);
      // the file's warnings (dates read month-first, columns guessed, …), as `clvkit ingest` gives them: with the
      // summary written, as analyze's among its run's (a refusal is one line)
      ingestRunWarnings(report).forEach(warnOn(io));
      const window = given ? '' : ` as of ${asOf} (the last purchase day; --as-of picks another) in ${flags.timeUnit}s`;
      io.stderr.write(`clvkit: ${report.rowsRead.toLocaleString('en-US')} rows read, ${report.accepted.toLocaleString('en-US')} accepted, ${report.quarantined.toLocaleString('en-US')} quarantined; wrote ${rows.toLocaleString('en-US')} customers${window} to ${out}\n`);
    } finally {
      await warehouse.close();
    }
  });
}
