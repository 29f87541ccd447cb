import { clvTotalsByMonths, describeClvIntervalDraws } from '../../core/clv-totals.js';
import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFile, checkOutputFolder } from '../../core/output-paths.js';
import type { PurchaseGrain } from '../../features/customer-summary.js';
import type { TimeUnit } from '../../core/time-unit.js';
import type { PurchaseModelName } from '../../models/btyd/purchase-models.js';
import { describeModelChoice } from '../../pipeline/describe-model-choice.js';
import type { RunSummary } from '../../pipeline/analyze.js';
import { inspectSource } from '../../ingest/inspect-source.js';
import { describeWarehouseIngests } from '../../ingest/ingest-report.js';
import { collect, type CliIo } from '../cli-io.js';
import { createProgressReporter } from '../progress-reporter.js';
import { existsSync } from 'node:fs';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { discardNewWarehouseIfEmpty } from './discard-new-warehouse.js';
import { warehouseKeyFilePath } from '../../privacy/keys/resolve-keyring.js';
import { countFlag, fractionFlag, minLiftFlag } from './input-warehouse.js';
import { DEFAULT_MIN_LIFT } from '../../cross-sell/pattern-options.js';
import { resolveCommandKeyring } from './keys-command.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, addReadOptions, ANALYZE_KIND_HINTS, ingestOptionsFromFlags, timeUnitOption, trackingAgeOption, type AccessFlags, type ReadFlags, accessFromFlags } from './shared-options.js';
import type { TrackingAge } from '../../core/tracking-age.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { CHALLENGER_HELP } from './candidates-flag.js';
import { churnDaysFlag } from './churn-days-flag.js';
import { churnHorizonNote, describeChurnAuc } from '../../pipeline/describe-churn.js';
import { describeChurnSource } from '../../pipeline/churn-source.js';
import { runWords } from '../../core/run-words.js';
import { daysBetween } from '../../core/calendar-days.js';
import { interruptedAnalysisLine, stopWhenInterrupted, type AnalysisRunState } from './analysis-interrupt.js';
import { clusterFlags } from '../../engine/warehouse-flags.js';
import { describeRiskBands } from '../../core/describe-risk-bands.js';
import { shellPath } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';
import { QUIET_HELP } from '../quiet-option.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const analyze = lazyFunction(() => import('../../pipeline/analyze.js'), 'analyze');
const runClickHouseAnalyze = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseAnalyze');

interface AnalyzeFlags extends ReadFlags, AccessFlags, EngineFlags {
  revealIds?: boolean;
  minGroupSize: string;
  demo?: boolean;
  db?: string;
  out: string;
  asOf?: string;
  timeUnit: TimeUnit;
  grain: PurchaseGrain;
  trackingAge: TrackingAge;
  json?: boolean;
  quiet?: boolean;
  holdoutDays?: string;
  model?: PurchaseModelName;
  horizonMonths: string;
  discountRate: string;
  margin: string;
  skipModels?: boolean;
  churn: boolean;
  learnedTournament?: boolean;
  regularityCheck: boolean;
  churnDays?: string;
  candidates?: string;
  skipPatterns?: boolean;
  skipReport?: boolean;
  minSupport: string;
  minConfidence: string;
  minLift: string;
  top: string;
  events: string[];
  customers: string[];
  sessionGap: string;
}

/**
 * A number flag within its range; the refusal says the range in the message, as the other number flags do
 * ('--margin 2 is not a number > 0 and ≤ 1'), and the hint what the flag means.
 */
function positiveNumber(value: string, flag: string, { allowZero = false, max = Infinity, hint }: { allowZero?: boolean; max?: number; hint: string }): number {
  const n = numberText(value);
  if (!Number.isFinite(n) || (allowZero ? n < 0 : n <= 0) || n > max) {
    throw new UserError(`${flag} ${value} is not a number ${allowZero ? '≥' : '>'} 0${Number.isFinite(max) ? ` and ≤ ${max}` : ''}`, hint);
  }
  return n;
}

/**
 * --horizon-months: a whole number of months from 1 to 600 — it names customers.csv's predicted_clv_<h>m, and 1.5
 * named a column predicted_clv_1.5m.
 */
function horizonMonthsFlag(value: string): number {
  const n = numberText(value);
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new UserError(`--horizon-months ${value} is not a whole number of months from 1 to 600`, 'months of future value to predict, e.g. --horizon-months 12');
  return n;
}

/** --holdout-days: a whole number of days ≥ 1, as --churn-days and --measure-days are (a fraction was rounded: 0.4 to a 0-day holdout). */
function holdoutDaysFlag(value: string): number {
  const n = numberText(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1) throw new UserError(`--holdout-days ${value} is not a whole number of days ≥ 1`, 'days at the end of the data held out to choose the model, e.g. --holdout-days 90');
  return n;
}

/** null: absent (no order values) */
const money = (n: number | null) => (n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: 0 }));
const pct = (n: number | null) => (n === null ? 'n/a' : `${(100 * n).toFixed(1)}%`);

/** How customer ids appear in the files, and how to get what an analyst may need instead. */
function idsLine(privacy: RunSummary['privacy']): string {
  if (privacy.customerIds !== 'tokens') return 'customer_id is a pseudonymous token; original_id holds the id of the input (audited)';
  return privacy.key === 'ephemeral'
    ? 'customer_id is a pseudonymous token made with a one-run key: it matches no other run (CLVKIT_KEY or --db for stable tokens; --role admin --reveal-ids adds the original ids)'
    : 'customer_id is a pseudonymous token of the warehouse key (--role admin --reveal-ids adds the original ids, audited)';
}

/**
 * The summary's churn line: the horizon N and how it was chosen (run.json `learned.churn.horizonReason` in full), and
 * the AUCs of the learned churn model and of the BTYD score it was compared with (describeChurnAuc), both over those N days.
 *
 * Example: `synth --customers 2000 --seed 7` → "no purchase in the next 243 days (the holdout length): AUC 0.730
 * (P(no purchase) of MBG/NBD 0.761); churn_probability from MBG/NBD's P(no purchase), as the learned model did not win"
 */
/** The flags that only set the value models (the value and learned stages), by commander's option name. */
const VALUE_MODEL_FLAGS: readonly [string, string][] = [
  ['model', '--model'],
  ['holdoutDays', '--holdout-days'],
  ['horizonMonths', '--horizon-months'],
  ['discountRate', '--discount-rate'],
  ['trackingAge', '--tracking-age'],
  ['learnedTournament', '--learned-tournament'],
  ['regularityCheck', '--no-regularity-check'],
];

/** `--skip-models` beside a flag given on the command line that only sets the value models: a UserError (it would do nothing). */
function refuseValueModelFlags(command: Command): void {
  for (const [key, flag] of VALUE_MODEL_FLAGS) {
    if (command.getOptionValueSource(key) === 'cli') throw new UserError(`${flag} sets the value models, and --skip-models skips them`, `drop ${flag} or --skip-models`);
  }
}

export function describeChurnLine(run: Pick<RunSummary, 'learned' | 'valueModel' | 'parameters'>): string {
  const churn = run.learned!.churn!;
  // run.json written before --churn-days has no horizonChosen
  const holdoutDays = run.valueModel ? daysBetween(run.valueModel.calibrationEnd, run.parameters.asOf) : churn.horizonDays;
  const note = churn.horizonChosen ? ` (${churnHorizonNote(churn.horizonChosen, holdoutDays, runWords(false))})` : '';
  // no classifier trained: said first, so the AUCs below are not read as the customers' scores (the warning says why)
  const notScored = churn.scoresSkipped ? 'customers not scored (see the warning); ' : '';
  return `no purchase in the next ${churn.horizonDays} days${note}: ${notScored}${describeChurnAuc(churn.validation)}${describeChurnSource(churn)}`;
}

/**
 * How customers.csv's churn_risk_band is cut, under the churn line, in the report's words (core/describe-risk-bands.ts);
 * nothing when no customer was scored.
 *
 * Example: → ["             churn_risk_band by rank, ties kept together: high the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804), low the other 50%"]
 */
export function describeChurnBands(churn: NonNullable<NonNullable<RunSummary['learned']>['churn']>): string[] {
  const words = churn.scoresSkipped ? null : describeRiskBands(churn.bands);
  return words ? [`             churn_risk_band ${words}`] : [];
}

/**
 * The rules of a run.json table (`patterns.rules`, `patterns.sequenceRules`) the minimum group size withheld, said
 * where the summary counts those it kept (the progress line counted them all); '' when none was.
 *
 * Example: `rulesWithheld(run.privacy, 'patterns.sequenceRules', 'followed by', ' (', ')')` → `' (45 more withheld: followed by fewer than 5 customers, --min-group-size)'`
 */
function rulesWithheld(privacy: RunSummary['privacy'], table: string, rest: string, before: string, after = ''): string {
  const n = privacy.suppressed?.tables[table] ?? 0;
  return n > 0 ? `${before}${n.toLocaleString('en-US')} more withheld: ${rest} fewer than ${privacy.suppressed!.minGroupSize} customers, --min-group-size${after}` : '';
}

/** The short human summary printed after a run. */
export function formatRunSummary(run: RunSummary): string {
  const h = run.headline;
  const i = run.ingest;
  return [
    `clvkit analyze — as of ${run.parameters.asOf}, time unit ${run.parameters.timeUnit}`,
    i.fromWarehouse
      ? `  ingest     none in this run; the warehouse's ${describeWarehouseIngests(i.fromWarehouse.ingestIds)}: ${i.rowsRead.toLocaleString('en-US')} rows read = ${i.accepted.toLocaleString('en-US')} accepted + ${i.quarantined.toLocaleString('en-US')} quarantined`
      : i.files.length > 0
        ? `  ingest     ${i.rowsRead.toLocaleString('en-US')} rows read = ${i.accepted.toLocaleString('en-US')} accepted + ${i.quarantined.toLocaleString('en-US')} quarantined`
        : '  ingest     (none: analysed the warehouse as it is)',
    `  customers  ${h.customers.toLocaleString('en-US')} (${pct(h.repeatRate)} bought again${h.returnOnlyCustomers > 0 ? `; ${h.returnOnlyCustomers.toLocaleString('en-US')} more with returns only, not counted` : ''}), ${h.orders.toLocaleString('en-US')} orders, ${h.firstPurchase} … ${h.lastPurchase}`,
    ...(run.spend
      ? [`  spend      ${run.spend.note}`]
      : [
          `  revenue    ${money(h.netRevenue)} net (returns ${money(h.returnsValue)}), average order ${h.averageOrderValue === null ? 'n/a' : `${h.averageOrderValue.toFixed(2)} before returns (gross purchases ÷ orders)`}`,
          `  value      top 20% of customers bring ${pct(h.top20RevenueShare)} of net revenue`,
        ]),
    ...(run.valueModel ? [`  model      ${describeModelChoice(run.valueModel)}`] : []),
    // the honest tournament's winner rewrote customers.csv's predictions: said next to the value model's choice above
    ...(run.valueModel && run.learned?.scores ? [`  scores     customers.csv carries ${run.learned.scores.label}'s predictions: the honest tournament chose it over the value model (${run.learned.tournament?.reason.split(';')[0] ?? 'see run.json learned.tournament'})`] : []),
    // the honest tournament chose another BTYD model, which does not rewrite them: said so, lest its choice be read as the scores' model
    ...(run.valueModel && run.learned?.valueModelScores ? [`  scores     ${run.learned.valueModelScores.replace(/^customer_scores keep/, 'customers.csv keeps')}`] : []),
    ...(run.valueModel && !run.spend
      ? [`  predicted  ${clvTotalsByMonths(run.valueModel.clv).map(({ months, total }, i) => `${money(total)}${i === 0 ? ' CLV' : ''} over ${months} months`).join('; ') || money(run.valueModel.clv.totalPredicted)} (discount ${(100 * run.valueModel.clv.discountRatePerYear).toFixed(0)}%/year, margin ${run.valueModel.clv.margin})${describeClvIntervalDraws(run.valueModel.clv).replace(/^(?=.)/, '; ')}${prospectsValue(run.prospects)}`]
      : []),
    ...(run.learned?.churn ? [`  churn      ${describeChurnLine(run)}`, ...describeChurnBands(run.learned.churn)] : []),
    ...(run.patterns
      ? [
          `  cross-sell ${run.patterns.rules.length} rules (support ≥ ${(100 * run.patterns.minSupport).toFixed(1)}%, ${run.patterns.minLift > 1 ? `lift ≥ ${run.patterns.minLift}` : 'lift > 1'}${run.patterns.lowLiftRules > 0 ? `; ${run.patterns.lowLiftRules} of lower lift left out` : ''}${rulesWithheld(run.privacy, 'patterns.rules', 'resting on', '; ')}), ${run.patterns.sequenceRules.length} next-purchase rules${rulesWithheld(run.privacy, 'patterns.sequenceRules', 'followed by', ' (', ')')}` +
            (run.patterns.recommender
              ? `; recommendations from ${run.patterns.recommender.choice.label}, MAP@${run.patterns.recommender.k} ${run.patterns.recommender.model.mapAtK.toFixed(3)} vs best-sellers ${run.patterns.recommender.baseline.mapAtK.toFixed(3)}`
              : run.patterns.evaluationNote
                ? `; ${run.patterns.evaluationNote}`
                : ''),
          ...(run.patterns.sequenceMinSupportNote ? [`             ${run.patterns.sequenceMinSupportNote}`] : []),
        ]
      : []),
    ...(run.events
      ? [
          `  events     ${run.events.stitching.sessions.toLocaleString('en-US')} sessions (${run.events.stitching.sessionsStitched.toLocaleString('en-US')} stitched), ` +
            (run.events.buyerTypes === null ? 'buyer types not measured, ' : `${run.events.buyerTypes.customers.impulsive.toLocaleString('en-US')} impulsive / ${run.events.buyerTypes.customers.deliberate.toLocaleString('en-US')} deliberate buyers, `) +
            `${run.events.prospects.prospects.toLocaleString('en-US')} prospects (${run.events.prospects.model})`,
        ]
      : []),
    ...run.warnings.map((w) => `  warning    ${w}`),
    `  ids        ${idsLine(run.privacy)}`,
    `  wrote      ${run.outputs.customersCsv}`,
    ...(run.outputs.recommendationsCsv ? [`             ${run.outputs.recommendationsCsv}`] : []),
    ...(run.outputs.reportHtml ? [`             ${run.outputs.reportHtml}`] : []),
    `             ${run.outputs.runJson}`,
  ].join('\n');
}

export function analyzeCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('analyze')
      .description('the whole run: ingest and clean, customer summary, value models (P(alive), CLV with parameter-uncertainty intervals, next order), segments and lifecycle stages, cross-sell → <out>/report.html, customers.csv, recommendations.csv, run.json')
      .argument('[files...]', 'transaction files (an event or profile file is refused: pass it with --events or --customers); none: analyse what --db already holds')
      .option('--demo', 'use the bundled demo data (UCI Online Retail, 541,909 rows)')
      .option('--db <path>', 'warehouse file (default: in memory when files or --demo are given, ./clvkit.duckdb otherwise)')
      .option('--out <dir>', 'output folder', 'out')
      .option('--as-of <date>', 'last day of the analysis window, YYYY-MM-DD (default: the last purchase day)')
      .addOption(timeUnitOption('week'))
      .option('--grain <grain>', 'purchase occasion: day (clock hours with --time-unit hour) or order', 'day')
      .option('--holdout-days <days>', 'holdout window used to choose the value model (default: a third of the data, 28–365 days)')
      .addOption(new Option('--model <model>', 'use this purchase model instead of the tournament’s choice').choices(['bgnbd', 'mbgnbd', 'paretonbd']))
      .addOption(trackingAgeOption())
      .option('--horizon-months <months>', 'CLV horizon h in whole months (1–600): other than 12, adds predicted_clv_<h>m (+ _low, _high) to customers.csv and its total to run.json; predicted_clv_12m stays 12 months', '12')
      .option('--discount-rate <rate>', 'annual discount rate for CLV', '0.1')
      .option('--margin <share>', 'share of spend kept as margin (1 = revenue CLV)', '1')
      .option('--skip-models', 'no value models (no scores in customers.csv): refused beside the flags that only set them (--model, --holdout-days, --horizon-months, --discount-rate, --tracking-age, --learned-tournament, --no-regularity-check, --churn-days)')
      .option('--no-churn', 'no churn early warning (churn_probability, churn_risk_band, churn_top_drivers in customers.csv); the value scores, the regularity check and --learned-tournament stay')
      .option('--churn-days <n>', 'churn early warning: the N of “no purchase in the next N days” (customers.csv churn_probability, its labels and metrics), from 14 to the longest the windows hold (default: the holdout length, shortened when the history before it cannot hold it)')
      .option('--learned-tournament', 'also run the honest tournament with the learned models and MBG/CNBD-k (run.json learned.tournament; a learned or MBG/CNBD-k winner writes the expected purchases and predicted CLV, MBG/CNBD-k also P(alive) and next-order dates; slower)')
      .option('--no-regularity-check', 'do not run MBG/CNBD-k (the honest tournament with it alone) when the value model’s fit shows every customer buying at one steady rate, as regular buyers look to the BTYD models')
      .option('--candidates <names>', `with --learned-tournament: its challengers only, comma-separated: ${CHALLENGER_HELP} (default all; the BTYD models always take part)`)
      .option('--skip-patterns', 'no cross-sell rules, sequences or recommendations')
      .option('--skip-report', 'no report.html')
      .option('--min-support <fraction>', 'cross-sell rules: minimum share of orders', '0.01')
      .option('--min-confidence <fraction>', 'cross-sell rules: minimum confidence', '0.3')
      .option('--min-lift <lift>', 'cross-sell rules: minimum lift, at least 1 (rules of lift 1 or less say nothing beyond the popularity of what they recommend: never reported nor used for recommendations)', String(DEFAULT_MIN_LIFT))
      .option('--top <n>', 'recommendations per customer', '10')
      .option('--reveal-ids', 'add the original customer ids to customers.csv and recommendations.csv, which then lists its customers by them (role admin; audited as a re-identification)')
      .option('--min-group-size <k>', 'aggregates in run.json, report.html and the summary never describe fewer customers than this: smaller groups (and groups that would reveal them) are suppressed, rules of fewer customers left out (docs/privacy.md)', '5')
      .option('--events <file>', 'event file (views, searches, cart edits, logins; repeatable): identity stitching, sessions, funnels, buyer types, prospects (docs/events.md)', collect, [])
      .option('--customers <file>', 'customer profile file (sign-up date, acquisition channel and cost, region, demographics; repeatable): prospects and channels', collect, [])
      .option('--session-gap <minutes>', 'inactivity gap that splits events into sessions where the file has no session id', '30')
      .option('--json', 'print run.json instead of the human summary')
      .option('--quiet', QUIET_HELP),
  )), 'with files').action(async (files: string[], flags: AnalyzeFlags, command: Command) => {
    if (flags.candidates !== undefined && flags.learnedTournament !== true) throw new UserError('--candidates picks the honest tournament’s challengers, which runs only with --learned-tournament', 'add --learned-tournament, or drop --candidates');
    if (flags.churnDays !== undefined && !flags.churn) throw new UserError('--churn-days sets the churn early warning, and --no-churn skips it', 'drop one of --churn-days and --no-churn');
    if (flags.churnDays !== undefined && flags.skipModels === true) throw new UserError('--churn-days sets the churn early warning, which runs after the value models, and --skip-models skips them', 'drop one of --churn-days and --skip-models');
    if (flags.skipModels === true) refuseValueModelFlags(command);
    const churnDays = flags.churnDays === undefined ? undefined : churnDaysFlag(flags.churnDays, '--churn-days');
    const tournamentCandidates = flags.candidates === undefined ? undefined : (await import('../../pipeline/tournament-candidates.js')).parseChallengerNames(flags.candidates, '--candidates'); // not at start-up: it loads the model names
    if (flags.grain !== 'day' && flags.grain !== 'order') throw new UserError(`--grain ${flags.grain} is not day or order`, 'pass --grain day or --grain order');
    if (flags.demo === true && files.length > 0) throw new UserError(`--demo and a transaction file (${files[0]}) would be analysed together as one shop`, `drop --demo to analyse ${files.length > 1 ? 'your files' : files[0]}, or drop the file to run the demo`);
    const hasInput = files.length > 0 || flags.demo === true || flags.events.length > 0 || flags.customers.length > 0;
    for (const file of [...files, ...flags.events, ...flags.customers]) inspectSource(file); // a missing file fails before a warehouse or key is created
    const onClickHouse = checkEngineFlags(flags) === 'clickhouse';
    const db = onClickHouse ? 'clickhouse' : flags.db ?? (hasInput ? ':memory:' : './clvkit.duckdb');
    if (!hasInput && !onClickHouse) assertWarehouseExists(db);
    // where the run writes, checked before a warehouse or key file is made and the stages run
    checkOutputFolder(flags.out, '--out');
    if (!onClickHouse && db !== ':memory:') checkOutputFile(db, '--db', './clvkit.duckdb');
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    // Ctrl-C: one line on what the warehouse holds (an analysis is stored whole or not at all)
    const state: AnalysisRunState = {
      warehouse: onClickHouse ? `the cluster's database ${flags.clickhouseDatabase ?? 'clvkit'}` : db === ':memory:' ? null : db,
      flags: onClickHouse ? clusterFlags({ url: flags.clickhouseUrl!, database: flags.clickhouseDatabase, cluster: flags.cluster }) : `--db ${shellPath(db)}`, // the URL without its user and password
      ingests: hasInput,
      outDir: flags.out,
      step: null,
      storage: null,
    };
    // installed before the first slow step (loading the stages, making a key file): a Ctrl-C from here on stops the run
    // at its next statement (what it staged is dropped) and gets its line
    let stopProgress = (): void => undefined;
    const interrupts = stopWhenInterrupted(io, () => interruptedAnalysisLine(state), () => stopProgress());
    // a warehouse file this run makes (and the key file made for it) is removed again when the run ingests nothing into it
    const newDb = !onClickHouse && hasInput && db !== ':memory:' && !existsSync(db);
    const keyPath = flags.keyFile ?? warehouseKeyFilePath(db);
    const keyExisted = existsSync(keyPath);
    try {
      // on ClickHouse the key comes from --key-file or the environment (clickhouse-commands.ts), never invented
      const keyring = onClickHouse ? null : await resolveCommandKeyring(io, { db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), create: hasInput });
      const { plannedStageNames } = await import('../../pipeline/analysis-stages.js'); // not at start-up: it holds every stage
      const steps = onClickHouse
        ? plannedStageNames({ ...(await import('../../pipeline/analyze-on-clickhouse.js')).clickhouseAnalyzeOptions({ db, outDir: flags.out, skipModels: flags.skipModels === true, skipChurn: !flags.churn, learnedTournament: flags.learnedTournament === true, skipPatterns: flags.skipPatterns === true, skipReport: flags.skipReport === true }), hasInput })
        : plannedStageNames({ hasInput, skipModels: flags.skipModels === true, skipChurn: !flags.churn, learnedTournament: flags.learnedTournament === true, skipPatterns: flags.skipPatterns === true, skipReport: flags.skipReport === true });
      const progress = createProgressReporter(steps, { quiet: flags.quiet === true, stream: io.stderr as NodeJS.WriteStream });
      stopProgress = () => progress.stop();
      const run = await (onClickHouse ? (options: Parameters<typeof analyze>[0]) => runClickHouseAnalyze(clickhouseTarget(flags), options, (line) => io.stderr.write(`${line}\n`)) : analyze)({
        ...ingestOptionsFromFlags(flags),
        kindHints: ANALYZE_KIND_HINTS,
        files,
        eventFiles: flags.events,
        customerFiles: flags.customers,
        sessionGapMinutes: positiveNumber(flags.sessionGap, '--session-gap', { max: 7 * 24 * 60, hint: 'minutes of inactivity that end a session (at most a week), e.g. --session-gap 30' }),
        demo: flags.demo === true,
        db,
        outDir: flags.out,
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        timeUnit: flags.timeUnit,
        grain: flags.grain,
        ...(flags.holdoutDays !== undefined ? { holdoutDays: holdoutDaysFlag(flags.holdoutDays) } : {}),
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        trackingAge: flags.trackingAge,
        horizonMonths: horizonMonthsFlag(flags.horizonMonths),
        discountRatePerYear: positiveNumber(flags.discountRate, '--discount-rate', { allowZero: true, max: 10, hint: 'the yearly discount rate, e.g. --discount-rate 0.1 for 10% a year' }),
        margin: positiveNumber(flags.margin, '--margin', { max: 1, hint: 'the share of revenue kept as margin, e.g. --margin 0.3' }),
        skipModels: flags.skipModels === true,
        skipChurn: !flags.churn,
        learnedTournament: flags.learnedTournament === true,
        regularityCheck: flags.regularityCheck,
        ...(churnDays !== undefined ? { churnDays } : {}),
        ...(tournamentCandidates ? { tournamentCandidates } : {}),
        skipPatterns: flags.skipPatterns === true,
        skipReport: flags.skipReport === true,
        patterns: { minSupport: fractionFlag(flags.minSupport, '--min-support'), minConfidence: fractionFlag(flags.minConfidence, '--min-confidence'), minLift: minLiftFlag(flags.minLift, '--min-lift'), topN: countFlag(flags.top, '--top') },
        ...(keyring ? { keyring } : {}),
        ...accessFromFlags(flags),
        revealIds: flags.revealIds === true,
        minGroupSize,
        signal: interrupts.signal,
        onProgress: (event) => {
          if (event.phase === 'start') state.step = event.step;
          progress.report(event);
        },
        onStorage: (event) => {
          state.storage = event;
        },
      });
      progress.stop();
      io.stdout.write(flags.json ? JSON.stringify(run, null, 2) + '\n' : formatRunSummary(run) + '\n');
    } catch (error) {
      stopProgress();
      if (newDb) await discardNewWarehouseIfEmpty(io, { db, keyPath, keyCreated: !keyExisted && existsSync(keyPath) });
      await interrupts.endIfStopped(); // Ctrl-C: the line, and the end by the signal
      // refused after its ingest stage (too few customers, a holdout too short…): the files it ingested stay in the warehouse
      const ingested = state.ingests && state.warehouse !== null && state.step !== null && state.step !== 'ingest' && (onClickHouse || existsSync(db));
      if (ingested && error instanceof UserError && error.constructor === UserError) {
        throw new UserError(`${error.message}; this run's files were ingested into ${state.warehouse} and are kept (a file held adds nothing when ingested again)`, error.hint);
      }
      throw error;
    } finally {
      interrupts.remove();
      stopProgress();
    }
  });
}

/**
 * Money that may be small: whole from 10 on (`1,234`), to the cent below (`0.47`), `< 0.01` for less than a cent but
 * more than nothing — a small total rounded to 0 reads as a failed model.
 */
function smallMoney(n: number): string {
  const size = Math.abs(n);
  if (size >= 10 || n === 0) return money(n);
  if (size < 0.005) return n > 0 ? '< 0.01' : '> -0.01';
  return n.toFixed(2);
}

/** `; prospects: 1,234 expected first-year value from 62 who have not bought yet` beside the customers' predicted CLV (customers.csv carries both), '' without prospects. */
function prospectsValue(prospects: { readonly prospects: number; readonly expectedFirstYearValueTotal: number } | null | undefined): string {
  if (!prospects || !(prospects.prospects > 0) || !Number.isFinite(prospects.expectedFirstYearValueTotal)) return '';
  return `; prospects: ${smallMoney(prospects.expectedFirstYearValueTotal)} expected first-year value from ${prospects.prospects.toLocaleString('en-US')} who have not bought yet`;
}
