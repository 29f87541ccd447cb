import { Command } from 'commander';
import { type PurchaseGrain } from '../../features/customer-summary.js';
import { parseDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';
import type { TimeUnit } from '../../core/time-unit.js';
import type { ModelSelection } from '../../pipeline/value-step.js';
import { formatHonestTournament } from './format-honest-tournament.js';
import type { CliIo } from '../cli-io.js';
import { ingestRunWarnings, quarantinedRowsWarnings } from '../../ingest/ingest-run-warnings.js';
import { addReadOptions, ingestOptionsFromFlags, timeUnitOption, trackingAgeOption, transactionFileOptions, type ReadFlags } from './shared-options.js';
import type { TrackingAge } from '../../core/tracking-age.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { CHALLENGER_HELP } from './candidates-flag.js';
import { churnDaysFlag } from './churn-days-flag.js';
import { withInputWarehouse } from './input-warehouse.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openDuckDbWarehouse = lazyFunction(() => import('../../engine/duckdb-warehouse.js'), 'openDuckDbWarehouse');
const ingestFiles = lazyFunction(() => import('../../ingest/ingest-files.js'), 'ingestFiles');
const validateModels = lazyFunction(() => import('../../pipeline/validate-models.js'), 'validateModels');
const runClickHouseValidate = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseValidate');

interface ValidateFlags extends ReadFlags, EngineFlags {
  db?: string;
  keyFile?: string;
  calibrationEnd: string;
  holdoutEnd?: string;
  timeUnit: TimeUnit;
  grain: PurchaseGrain;
  trackingAge: TrackingAge;
  json?: boolean;
  learned: boolean;
  candidates?: string;
  seed: string;
  churnDays?: string;
}

const fixed = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/**
 * The tournament's JSON with `chosenBy: 'holdout'` and `hindsight: true` right after its `chosen` and `reason`: that
 * choice looked at the holdout it is scored on (the honest choice, which does not, is `honest.chosen`). A script read
 * `.chosen` as the choice to use (s43 data-science pass); the keys stay, marked.
 */
export function markedHindsight<T extends { readonly reason: string }>(selection: T): T & { readonly chosenBy: 'holdout'; readonly hindsight: true } {
  const entries = Object.entries(selection).flatMap(([key, value]) => (key === 'reason' ? [[key, value], ['chosenBy', 'holdout'], ['hindsight', true]] : [[key, value]]));
  return Object.fromEntries(entries) as T & { readonly chosenBy: 'holdout'; readonly hindsight: true };
}

/**
 * The tournament as a table. With `honestFollows` (the honest tournament is printed after it) its choice is named
 * for what it is — the BTYD models chosen on the holdout itself, in hindsight — so that the two choices of one output
 * do not read as two answers to one question.
 */
export function formatModelSelection(selection: ModelSelection, honestFollows = false): string {
  const lines = [
    `calibration to ${selection.calibrationEnd}, holdout to ${selection.holdoutEnd} (${selection.holdoutDuration.toFixed(2)} ${selection.timeUnit}s); ${selection.calibrationCustomers.toLocaleString('en-US')} customers, ${selection.calibrationTuples.toLocaleString('en-US')} unique (x, t_x, T)`,
    '',
    `${'model'.padEnd(13)}${'logL'.padStart(12)}${'BIC'.padStart(11)}${'conv'.padStart(6)}${'pred'.padStart(10)}${'actual'.padStart(9)}${'MAE'.padStart(8)}${'Spearman'.padStart(10)}${'Gini'.padStart(7)}`,
  ];
  for (const c of selection.comparison) {
    lines.push(
      `${(c.label + (c.chosen ? ' *' : '')).padEnd(13)}${c.logLikelihood.toFixed(1).padStart(12)}${c.bic.toFixed(1).padStart(11)}${(c.fit.converged ? 'yes' : c.fit.boundary ? 'edge' : 'NO').padStart(6)}${c.holdout.predictedTotal.toFixed(0).padStart(10)}${c.holdout.actualTotal.toFixed(0).padStart(9)}${fixed(c.holdout.mae).padStart(8)}${fixed(c.holdout.spearman).padStart(10)}${fixed(c.holdout.gini).padStart(7)}`,
    );
  }
  for (const c of selection.comparison) {
    const b = c.fit.boundary;
    if (b) lines.push(`${c.label}: estimates run off to ${b.limit} — ${b.meaning}${b.limitModel ? ` (the ${b.limitModel} was fitted in its place)` : ''}`);
  }
  if (selection.comparison.some((c) => c.holdout.giniRankedBy === 'value')) {
    lines.push(`Gini: customers ranked by predicted value against their holdout spend${honestFollows ? ' (the honest tournament’s Gini below ranks purchases)' : ''}`);
  }
  lines.push('', `${honestFollows ? 'chosen on the holdout (hindsight; the honest choice below does not look at it)' : 'chosen'}: ${selection.reason}`);
  return lines.join('\n');
}

export function validateCommand(io: CliIo): Command {
  return addEngineOptions(addReadOptions(
    new Command('validate')
      .description('compare the purchase models on a calibration/holdout split: fit, holdout error, ranking quality, diagnostics')
      .argument('[transactions]', 'transaction file (with --engine clickhouse: ingested into the cluster first; none: what the cluster holds); none with --db: what the warehouse holds')
      .option('--db <path>', 'use the transactions of this warehouse (clvkit ingest makes one)')
      .requiredOption('--calibration-end <date>', 'last day of the calibration window, YYYY-MM-DD')
      .option('--holdout-end <date>', 'last day of the holdout window (default: the last purchase day)')
      .addOption(timeUnitOption('week'))
      .option('--grain <grain>', 'purchase occasion: day (clock hours with --time-unit hour) or order', 'day')
      .addOption(trackingAgeOption())
      .option('--json', 'print the whole model selection (with the diagnostic plots’ data) as JSON')
      .option('--no-learned', 'skip the honest tournament with the learned models and MBG/CNBD-k')
      .option('--candidates <names>', `the honest tournament’s challengers only, comma-separated: ${CHALLENGER_HELP} (default all; the BTYD models always take part)`)
      .option('--seed <n>', 'seed of the learned models’ sampling and the bootstrap', '1')
      .option('--churn-days <n>', 'churn early warning: the N of “no purchase in the next N days”, from 14 to the longest the windows hold (default: the holdout length, shortened when the calibration window cannot hold it)')
      .option('--key-file <path>', 'key file: with --db the warehouse\'s (default: CLVKIT_KEY, CLVKIT_KEY_FILE, or <db>.key beside it); with --engine clickhouse the key that tokenises the file (else CLVKIT_KEY / CLVKIT_KEY_FILE)'),
  ), 'with files').action(async (file: string | undefined, flags: ValidateFlags) => {
    const calibrationEnd = parseDay(flags.calibrationEnd, '--calibration-end');
    const holdoutEnd = flags.holdoutEnd ? parseDay(flags.holdoutEnd, '--holdout-end') : undefined;
    const seed = numberText(flags.seed);
    if (!Number.isInteger(seed)) throw new UserError(`--seed ${flags.seed} is not a whole number`, 'pass e.g. --seed 1');
    if (flags.candidates !== undefined && !flags.learned) throw new UserError('--candidates picks the honest tournament’s challengers, and --no-learned skips that tournament', 'drop one of --candidates and --no-learned');
    if (flags.churnDays !== undefined && !flags.learned) throw new UserError('--churn-days sets the churn early warning of the honest tournament, and --no-learned skips that tournament', 'drop one of --churn-days and --no-learned');
    const churnDays = flags.churnDays === undefined ? undefined : churnDaysFlag(flags.churnDays, '--churn-days');
    const candidates = flags.candidates === undefined ? undefined : (await import('../../pipeline/tournament-candidates.js')).parseChallengerNames(flags.candidates, '--candidates'); // not at start-up: it loads the model names
    const onClickHouse = checkEngineFlags(flags) === 'clickhouse';
    if (!file && !flags.db && !onClickHouse) throw new UserError('validate needs a transaction file or --db PATH', 'pass the file: clvkit validate orders.csv --calibration-end DATE, or a warehouse: --db shop.duckdb (or --engine clickhouse to validate what a cluster holds)');
    const options = { calibrationEnd, ...(holdoutEnd ? { holdoutEnd } : {}), timeUnit: flags.timeUnit, grain: flags.grain, trackingAge: flags.trackingAge, learned: flags.learned, ...(candidates ? { candidates } : {}), ...(churnDays !== undefined ? { churnDays } : {}), seed };
    // `fileWarnings`: the file's (dates read month-first, columns guessed, …), as `clvkit ingest` gives them, first
    const write = ({ selection, honest, warnings: validation }: Awaited<ReturnType<typeof validateModels>>, fileWarnings: readonly string[] = []) => {
      const warnings = [...fileWarnings, ...validation];
      for (const warning of warnings) io.stderr.write(`clvkit: warning: ${warning}\n`);
      const json = { ...markedHindsight(selection), ...(honest ? { honest } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
      io.stdout.write(flags.json ? JSON.stringify(json, null, 2) + '\n' : formatModelSelection(selection, Boolean(honest)) + '\n' + (honest ? '\n' + formatHonestTournament(honest) + '\n' : ''));
    };
    if (onClickHouse) {
      write(await runClickHouseValidate(clickhouseTarget(flags), file ? [file] : [], { ...ingestOptionsFromFlags(flags), ...transactionFileOptions('validate') }, options, (line) => io.stderr.write(`${line}\n`)));
      return;
    }
    if (flags.db) {
      // as the other read commands read a warehouse: its key resolved, the role's view of aggregates checked, the read audited
      write(await withInputWarehouse(file, flags, (warehouse) => validateModels(warehouse, options), { command: 'validate' }));
      return;
    }
    const warehouse = await openDuckDbWarehouse(':memory:');
    try {
      // the warehouse's mix of files with and without order values: said by validateModels
      const reading = ingestOptionsFromFlags(flags);
      const ingested = await ingestFiles(warehouse, [file!], { ...reading, ...transactionFileOptions('validate'), mixedOrderValuesWarning: false, keepsFiles: false });
      write(await validateModels(warehouse, options), [...quarantinedRowsWarnings(ingested.files, reading), ...ingestRunWarnings(ingested)]);
    } finally {
      await warehouse.close();
    }
  });
}
