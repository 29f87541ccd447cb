import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { inspectSource } from '../../ingest/inspect-source.js';
import type { FittedModel } from '../../models/model-types.js';
import { MODEL_NAMES, type ModelName } from '../../core/model-names.js';
import { TIME_UNITS } from '../../core/time-unit.js';
import type { ModelEntry, SummaryRole } from '../../models/model-registry.js';
import { plural } from '../../core/plural.js';
import { MIN_CUSTOMERS_FOR_MODELS } from '../../core/model-minimums.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import type { SummaryTuples } from './fit-summary-checks.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openDuckDbWarehouse = lazyFunction(() => import('../../engine/duckdb-warehouse.js'), 'openDuckDbWarehouse');

export const FIT_MODELS = MODEL_NAMES;

interface FitFlags {
  model: ModelName;
  timeUnit?: string;
  penalty: string;
  qConstraint?: boolean;
  firstPeriods?: string;
  json?: boolean;
}

/** The fit result as the CLI prints it. */
export function fitResultJson(model: string, fitted: FittedModel, timeUnit: string | null): Record<string, unknown> {
  return {
    model,
    timeUnit,
    params: fitted.params,
    logLikelihood: fitted.logLikelihood,
    n: fitted.n,
    converged: fitted.fit.converged,
    iterations: fitted.fit.iterations,
    gradientNorm: fitted.fit.gradientNorm,
    message: fitted.fit.message,
    ...(fitted.fit.boundary ? { boundary: fitted.fit.boundary } : {}),
    stdErrors: fitted.stdErrors,
    intervals95: fitted.intervals95,
    aic: fitted.aic,
    bic: fitted.bic,
    penalty: fitted.penalty,
  };
}

interface FirstPeriodsJson {
  periods: number;
  customers: number;
  byTransactions: { transactions: number; expectedCustomers: number; probability: number }[];
  byPeriod: { period: number; expectedTransactions: number }[];
}

/** `--first-periods N` of a BG/BB fit: the in-sample fit table for the fitted customers. */
async function firstPeriodsJson(fitted: FittedModel, n: number): Promise<FirstPeriodsJson> {
  const { bgbbExpectedTransactionsInFirstNPeriods } = await import('../../models/bgbb/bgbb-expected-transactions-in-first-n-periods.js');
  const table = bgbbExpectedTransactionsInFirstNPeriods(fitted.params as { alpha: number; beta: number; gamma: number; delta: number }, n, fitted.n);
  return {
    periods: n,
    customers: fitted.n,
    byTransactions: Array.from(table.probability, (probability, x) => ({ transactions: x, expectedCustomers: table.expectedCustomers[x]!, probability })),
    byPeriod: Array.from(table.expectedTransactions, (expectedTransactions, k) => ({ period: k + 1, expectedTransactions })),
  };
}

function firstPeriodsLines(first: FirstPeriodsJson): string[] {
  const lines = [`  first ${first.periods} opportunities, ${first.customers.toLocaleString('en-US')} customers:`, '    transactions  expected customers   per period  expected transactions per customer (cumulative)'];
  for (let i = 0; i <= first.periods; i++) {
    const row = first.byTransactions[i]!;
    const period = first.byPeriod[i];
    const right = period ? `${String(period.period).padStart(10)}  ${period.expectedTransactions.toFixed(4).padStart(10)}` : '';
    lines.push(`    ${String(row.transactions).padStart(12)}  ${row.expectedCustomers.toFixed(1).padStart(18)}   ${right}`);
  }
  return lines;
}

const COLUMN_NAMES: Record<SummaryRole | 'weight', (names: readonly string[]) => string | undefined> = {
  frequency: (names) => names.find((n) => ['frequency', 'x'].includes(n.toLowerCase())),
  recency: (names) => names.find((n) => ['recency', 't_x', 'tx'].includes(n.toLowerCase())),
  T: (names) => names.find((n) => n === 'T') ?? names.find((n) => ['t', 'age'].includes(n.toLowerCase())),
  monetary: (names) => names.find((n) => ['monetary_value', 'monetary', 'm'].includes(n.toLowerCase())),
  periods: (names) => names.find((n) => ['periods', 'n', 'opportunities'].includes(n.toLowerCase())),
  weight: (names) => names.find((n) => ['count', 'weights', 'weight', 'n_customers'].includes(n.toLowerCase())),
};

const UNIT_SOURCE: Record<SummaryTimeUnit['from'], string> = {
  file: "the summary's time_unit column",
  flag: '--time-unit',
  default: 'the default for a summary without a time_unit column; --time-unit says another',
};

const displayName = (role: SummaryRole) => (role === 'monetary' ? 'monetary_value' : role);

/** The hint for a summary without a column the model needs: the model the file's shape fits, when it fits another one. */
function missingColumnHint(role: SummaryRole, names: readonly string[]): string {
  if (role === 'T' && COLUMN_NAMES.periods(names)) {
    return `the file counts opportunities (a ${COLUMN_NAMES.periods(names)} column): a discrete-time summary, as BG/BB models it; fit it with --model bgbb`;
  }
  if (role === 'periods' && COLUMN_NAMES.T(names)) {
    return `the file has a ${COLUMN_NAMES.T(names)} column: a continuous-time summary; fit it with --model bgnbd, mbgnbd or paretonbd, or write a frequency, recency, periods summary for bgbb`;
  }
  return 'write it with clvkit summarize, or name the columns frequency, recency, T, monetary_value';
}

export type { SummaryTuples } from './fit-summary-checks.js';

/**
 * Reads a summary CSV in the engine and groups it to unique tuples of the
 * roles a model needs, with counts: `SELECT roles…, sum(count) … GROUP BY
 * roles`. Rows with a value missing, not a number or negative (or with
 * `keep` false, e.g. Gamma-Gamma's frequency = 0) are not used and counted.
 */
export async function readSummaryTuples(warehouse: Warehouse, path: string, roles: readonly SummaryRole[], keep = 'TRUE'): Promise<SummaryTuples> {
  const d = warehouse.dialect;
  const source = `read_csv(${d.literal(path)}, header = true)`;
  // the column names only: a small sniffing sample (the grouping query below sniffs the types with the default sample)
  const described = await warehouse.query(`DESCRIBE SELECT * FROM read_csv(${d.literal(path)}, header = true, sample_size = 1000)`);
  const names = described.map((row) => String(row.column_name));
  for (const role of roles) {
    if (!COLUMN_NAMES[role](names)) throw new UserError(`${path} has no ${displayName(role)} column (columns found: ${names.join(', ')})`, missingColumnHint(role, names));
  }
  const weightColumn = COLUMN_NAMES.weight(names);
  const cast = (column: string) => `TRY_CAST(${d.identifier(column)} AS DOUBLE)`;
  const selected = roles.map((role) => `${cast(COLUMN_NAMES[role](names)!)} AS ${role}`);
  const weight = weightColumn ? cast(weightColumn) : 'CAST(1 AS DOUBLE)';
  const usable = [...roles.map((role) => `isfinite(${role}) AND ${role} >= 0`), 'isfinite(weight) AND weight >= 0'].join(' AND ');
  // one pass over the file: unique tuples of the usable rows that the model keeps, with counts; unusable rows counted in one group.
  // Every column is a DOUBLE (read straight from DuckDB's vectors) and the kept tuples come first (status 2), in tuple order.
  const grouped = await warehouse.queryColumns(`
    WITH src AS (SELECT ${selected.join(', ')}, ${weight} AS weight, row_number() OVER () + 1 AS line FROM ${source}),
    flagged AS (SELECT *, COALESCE(${usable}, FALSE) AS usable FROM src),
    marked AS (SELECT *, CAST(CASE WHEN NOT usable THEN 0 WHEN COALESCE(${keep}, FALSE) THEN 2 ELSE 1 END AS DOUBLE) AS status FROM flagged)
    SELECT ${roles.map((role) => `CASE WHEN status = 2 THEN ${role} END AS ${role}`).join(', ')}, CAST(sum(CASE WHEN status = 2 THEN weight END) AS DOUBLE) AS weight,
      CAST(count(*) AS DOUBLE) AS rows, CAST(min(line) AS DOUBLE) AS line, status
    FROM marked GROUP BY ALL ORDER BY status DESC, ${roles.join(', ')}`);
  const status = grouped.columns.status as Float64Array;
  const rowCounts = grouped.columns.rows as Float64Array;
  let rowsRead = 0, rowsSkipped = 0, kept = 0;
  for (let i = 0; i < rowCounts.length; i++) {
    rowsRead += rowCounts[i]!;
    if (status[i] === 0) rowsSkipped += rowCounts[i]!;
    else if (status[i] === 2) kept = i + 1;
  }
  const columns: Record<string, Float64Array> = {};
  for (const role of roles) columns[role] = (grouped.columns[role] as Float64Array).subarray(0, kept);
  return { columns, weight: (grouped.columns.weight as Float64Array).subarray(0, kept), rows: rowCounts.subarray(0, kept), lines: (grouped.columns.line as Float64Array).subarray(0, kept), rowsRead, rowsSkipped };
}

/** The unit a file without a time_unit column (a lifetimes export) is taken to be in, unless --time-unit says another. */
const UNMARKED_TIME_UNIT = 'week';

export interface SummaryTimeUnit {
  readonly unit: string;
  /** where the unit came from, as the text output says it */
  readonly from: 'file' | 'flag' | 'default';
}

/**
 * The time unit of a summary's recency and T: its time_unit column (clvkit summarize writes one), else --time-unit, else
 * weeks. A --time-unit that contradicts the column, a column with two units or one that is not a time unit: refused.
 */
export async function readSummaryTimeUnit(warehouse: Warehouse, path: string, given: string | undefined): Promise<SummaryTimeUnit> {
  const d = warehouse.dialect;
  const described = await warehouse.query(`DESCRIBE SELECT * FROM read_csv(${d.literal(path)}, header = true, sample_size = 1000)`);
  const column = described.map((row) => String(row.column_name)).find((name) => name.toLowerCase() === 'time_unit');
  if (!column) return given === undefined ? { unit: UNMARKED_TIME_UNIT, from: 'default' } : { unit: given, from: 'flag' };
  const rows = await warehouse.query(`SELECT DISTINCT lower(trim(CAST(${d.identifier(column)} AS VARCHAR))) AS unit FROM read_csv(${d.literal(path)}, header = true, all_varchar = true) WHERE ${d.identifier(column)} IS NOT NULL AND trim(${d.identifier(column)}) <> '' ORDER BY unit LIMIT 5`);
  const units = rows.map((row) => String(row.unit));
  if (units.length === 0) return given === undefined ? { unit: UNMARKED_TIME_UNIT, from: 'default' } : { unit: given, from: 'flag' };
  if (units.length > 1) throw new UserError(`${path}: its time_unit column holds more than one unit (${units.join(', ')})`, 'fit one summary written in one unit (clvkit summarize writes one)');
  const unit = units[0]!;
  if (!(TIME_UNITS as readonly string[]).includes(unit)) throw new UserError(`${path}: its time_unit column says ${unit}, not hour, day, week or month`, 'write the summary with clvkit summarize --time-unit …, or drop the time_unit column and pass --time-unit');
  if (given !== undefined && given !== unit) {
    throw new UserError(`--time-unit ${given}, but ${path} says its recency and T are in ${unit}s (its time_unit column)`, `leave out --time-unit, or write the summary again with clvkit summarize --time-unit ${given}`);
  }
  return { unit, from: 'file' };
}

/**
 * Refuses tuples with frequency 0 and recency > 0: with no repeat purchase the last purchase is the first. Such rows
 * come from an RFM-style recency (time since the last purchase) or a frequency counting something else; the models
 * would fit them without a word (lifetimes refuses them too).
 */
function refuseRecencyWithoutRepeat(summary: string, columns: Record<string, Float64Array>, weight: Float64Array): void {
  const frequency = columns.frequency!, recency = columns.recency!, T = columns.T!;
  let rows = 0, first = -1;
  for (let i = 0; i < weight.length; i++) {
    if (frequency[i] === 0 && recency[i]! > 0 && weight[i]! > 0) {
      rows += weight[i]!;
      if (first < 0) first = i;
    }
  }
  if (first < 0) return;
  throw new UserError(
    `${summary}: ${rows.toLocaleString('en-US')} row${rows === 1 ? ' has' : 's have'} frequency 0 but recency > 0 (e.g. frequency 0, recency ${recency[first]}, T ${T[first]}): with no repeat purchase the last purchase is the first, so recency must be 0`,
    'recency is the time from the first to the last purchase, not the time since the last one; frequency counts repeat purchases; clvkit summarize writes both',
  );
}


/**
 * Refuses a summary of fewer customers (rows, or the weights column summed) than the model has parameters: a fit on
 * one customer "converged" on r = 1.03e7.
 */
function refuseTooFewCustomers(summary: string, customers: number, entry: ModelEntry): void {
  const k = entry.paramNames.length;
  if (customers >= k) return;
  throw new UserError(
    `${summary}: ${plural(customers, 'customer')}, fewer than the ${k} parameters of ${entry.label} (${entry.paramNames.join(', ')}): too few to estimate them (the fit lands on arbitrary values and may still say it converged)`,
    `fit a summary of many customers: validate and analyze fit the models on at least ${MIN_CUSTOMERS_FOR_MODELS}`,
  );
}

export function fitCommand(io: CliIo): Command {
  return new Command('fit')
    .description('fit one value model on a customer summary file (the output of clvkit summarize, or lifetimes-style columns)')
    .argument('<summary>', 'CSV with frequency, recency, T (+ monetary_value for gammagamma; frequency, recency, periods for bgbb; optional count/weights per row)')
    .addOption(new Option('--model <model>', 'bgnbd, mbgnbd, paretonbd, bgbb (discrete opportunities) or gammagamma').choices([...MODEL_NAMES]).makeOptionMandatory())
    .addOption(new Option('--time-unit <unit>', 'the time unit of recency and T (recorded in the output); by default the unit in the summary\'s time_unit column (clvkit summarize writes it; a different --time-unit is refused), and weeks for a file without one (a lifetimes export)').choices([...TIME_UNITS]))
    .option('--penalty <l2>', 'L2 penalty on the parameters (lifetimes penalizer_coef)', '0')
    .option('--q-constraint', 'gammagamma: keep q > 1 so the mean spend is finite (lifetimes q_constraint)')
    .option('--first-periods <n>', 'bgbb: expected customers per transaction count, and expected transactions, in the first N opportunities (lifetimes expected_number_of_transactions_in_first_n_periods)')
    .option('--json', 'print the result as JSON')
    .action(async (summary: string, flags: FitFlags) => {
      const penalty = numberText(flags.penalty);
      if (!(penalty >= 0)) throw new UserError(`--penalty ${flags.penalty} is not a number ≥ 0`, 'e.g. --penalty 0.001');
      const firstPeriods = flags.firstPeriods === undefined ? undefined : numberText(flags.firstPeriods);
      if (firstPeriods !== undefined) {
        if (flags.model !== 'bgbb') throw new UserError(`--first-periods is for --model bgbb, not ${flags.model}`, 'fit the BG/BB on a summary with frequency, recency, periods');
        if (!Number.isInteger(firstPeriods) || firstPeriods < 1 || firstPeriods > 10_000) throw new UserError(`--first-periods ${flags.firstPeriods} is not a whole number from 1 to 10000`, 'e.g. --first-periods 6');
      }
      const { MODEL_REGISTRY } = await import('../../models/model-registry.js');
      const { withPositiveAge } = await import('../../models/compress-rfm.js');
      const checks = await import('./fit-summary-checks.js');
      inspectSource(summary);
      const entry = MODEL_REGISTRY[flags.model];
      const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
      let tuples: SummaryTuples;
      let fileUnit: SummaryTimeUnit;
      let repeatedIds: string | null;
      try {
        fileUnit = await readSummaryTimeUnit(warehouse, summary, flags.timeUnit);
        // the fit runs on unique tuples with counts (same estimates and log-likelihood as per customer)
        tuples = await readSummaryTuples(warehouse, summary, entry.columns, entry.kind === 'spend' ? 'frequency > 0' : 'TRUE');
        repeatedIds = await checks.repeatedIdsWarning(warehouse, summary);
      } finally {
        await warehouse.close();
      }
      const { rowsRead: rows, rowsSkipped: rowsUnusable } = tuples;
      if (rows === 0) throw new UserError(`${summary} has no data rows (a header only)`, 'write the summary with clvkit summarize');
      if (rows - rowsUnusable === 0) throw new UserError(`${summary}: no row has usable values (all ${rows.toLocaleString('en-US')} have a missing, non-numeric or negative value)`, 'write the summary with clvkit summarize');
      // rows the model cannot read are refused by their line in the file; rows it cannot fit (T = 0; Gamma-Gamma: a mean spend of 0) are left out, and said
      checks.refuseUnreadableRows(summary, entry, tuples);
      const { tuples: aged, rowsLeftOut } = checks.withoutUnfittable(entry, tuples);
      if (entry.kind === 'purchase' && rowsLeftOut > 0 && aged.weight.length === 0) {
        throw new UserError(`${summary}: every usable row has T = 0 (a first purchase on the last day of the window): there is no time to learn purchase rates or dropout from`, 'write the summary with a later --as-of (clvkit summarize), or check that T is the time from the first purchase to the end of the window');
      }
      if (entry.kind === 'spend' && aged.weight.length === 0) {
        throw new UserError(`${summary}: no row has frequency > 0 and monetary_value > 0: ${entry.label} is fitted on the mean spends of repeat buyers, and there are none`, 'fit it on a summary with repeat buyers: monetary_value is the mean spend of the repeat purchases, as clvkit summarize writes it');
      }
      const { columns, weight } = aged;
      const rowsSkipped = rowsUnusable + rowsLeftOut;
      // without a repeat purchase the purchase models' likelihood rises as the purchase rates go to 0: no estimate exists
      if (entry.kind !== 'spend' && !columns.frequency!.some((x, i) => x > 0 && weight[i]! > 0)) {
        throw new UserError(
          `${summary}: no repeat purchase (every usable row has frequency 0): ${entry.label}'s purchase rates and dropout cannot be estimated (the likelihood keeps rising as the purchase rates go to 0: there is no estimate to converge to)`,
          'fit a summary with repeat buyers (validate and analyze need at least 10)',
        );
      }
      if (entry.kind !== 'spend' && entry.kind !== 'opportunity') refuseRecencyWithoutRepeat(summary, columns, weight);
      const customers = weight.reduce((sum, w) => sum + w, 0);
      refuseTooFewCustomers(summary, customers, entry);
      let fitted: FittedModel;
      if (entry.kind === 'spend') {
        fitted = entry.fit({ frequency: columns.frequency!, monetary: columns.monetary!, weight }, { penalty, qConstraint: flags.qConstraint === true });
      } else if (entry.kind === 'opportunity') {
        fitted = entry.fit({ frequency: columns.frequency!, recency: columns.recency!, periods: columns.periods!, weight }, { penalty });
      } else {
        fitted = entry.fit(withPositiveAge({ frequency: columns.frequency!, recency: columns.recency!, T: columns.T!, weight }), { penalty });
      }
      // a fit whose estimates ran off to a limit that was fitted in its place and converged found its optimum there: not
      // "NOT CONVERGED", nor a warning (the rule of the tournaments and the report, reachedOptimum)
      const { reachedOptimum } = await import('../../models/fit-boundary.js');
      const settled = reachedOptimum(fitted.fit);
      const fitState = fitted.fit.converged ? 'converged' : settled ? `converged (${fitted.fit.boundary?.limitModel ?? 'its limit'}, fitted in its place)` : 'NOT CONVERGED';
      const timeUnit = entry.time === 'none' ? null : entry.time === 'opportunity' ? 'opportunity' : fileUnit.unit;
      const first = firstPeriods === undefined ? undefined : await firstPeriodsJson(fitted, firstPeriods);
      const result = { ...fitResultJson(flags.model, fitted, timeUnit), rowsRead: rows, rowsSkipped, uniqueTuples: weight.length, ...(first ? { firstPeriods: first } : {}) };
      if (customers < MIN_CUSTOMERS_FOR_MODELS) io.stderr.write(`clvkit: warning: fitted on ${plural(customers, 'customer')}: estimates from so few are rough (see the standard errors); validate and analyze fit the models on at least ${MIN_CUSTOMERS_FOR_MODELS}\n`);
      if (rowsUnusable > 0) io.stderr.write(`clvkit: warning: ${rowsUnusable.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows skipped: a value of ${entry.columns.map(displayName).join(', ')} missing, not a number or negative\n`);
      if (rowsLeftOut > 0) io.stderr.write(`clvkit: warning: ${rowsLeftOut.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows left out: ${checks.leftOutReason(entry)}\n`);
      if (repeatedIds !== null) io.stderr.write(`clvkit: warning: ${repeatedIds}\n`);
      if (flags.json) {
        io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else {
        const lines = [`${flags.model}: ${fitState} — ${fitted.fit.message}`];
        for (const [name, value] of Object.entries(fitted.params)) {
          const [lo, hi] = (fitted.intervals95 as Record<string, readonly [number, number]>)[name]!;
          const se = fitted.stdErrors[name]!;
          // none at a boundary (or a singular Hessian): said, not printed as "se NaN, 95% NaN … NaN"
          const uncertainty = Number.isFinite(se) ? `se ${se.toPrecision(3)}, 95% ${lo.toPrecision(4)} … ${hi.toPrecision(4)}` : `no standard error${fitted.fit.boundary ? ' at a boundary' : ''}`;
          lines.push(`  ${name.padEnd(6)} ${value.toPrecision(5).padStart(12)}  (${uncertainty})`);
        }
        // the parameters above are the limit written in the model's own; its predictions are the limit's, at its own
        const own = fitted.fit.boundary?.limitParams;
        if (own) lines.push(`  ${fitted.fit.boundary!.limitModel}: ${Object.entries(own).map(([name, value]) => `${name} ${value.toPrecision(5)}`).join(', ')}`);
        if (timeUnit !== null && timeUnit !== 'opportunity') lines.push(`  time unit: ${timeUnit} (${UNIT_SOURCE[fileUnit.from]})`);
        lines.push(`  log-likelihood ${fitted.logLikelihood.toFixed(2)}, n ${fitted.n}, AIC ${fitted.aic.toFixed(1)}, BIC ${fitted.bic.toFixed(1)}`);
        if (first) lines.push(...firstPeriodsLines(first));
        io.stdout.write(lines.join('\n') + '\n');
      }
      if (!settled) io.stderr.write(`clvkit: warning: the fit did not converge: ${fitted.fit.message}\n`);
    });
}
