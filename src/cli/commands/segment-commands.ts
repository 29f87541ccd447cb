import { Command } from 'commander';
import { shellPath } from '../../core/shell-word.js';
import { parseDay } from '../../core/calendar-days.js';
import { partMonthNote } from '../../core/part-month.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveWindow } from './resolve-as-of.js';
import { buildCustomerSummarySql } from '../../features/customer-summary.js';
import { hasOrderValues } from '../../features/has-order-values.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { publishCohorts, type PublishedCohorts } from '../../features/publish-cohorts.js';
import { publishLifecycleStages, publishStageValidation } from '../../lifecycle/publish-lifecycle-stages.js';
import { publishRfmSegments } from '../../segments/publish-rfm-segments.js';
import { SuppressionTally } from '../../privacy/disclosure/suppress-rows.js';
import type { Suppression } from '../../privacy/disclosure/suppress-linked-cells.js';
import { publishValueTiers } from '../../segments/publish-value-tiers.js';
import { warnOn, type CliIo } from '../cli-io.js';
import { withInputWarehouse } from './input-warehouse.js';
import { withEngineInputWarehouse } from './engine-input-warehouse.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, addReadOptions, type AccessFlags, type ReadFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { sameForAllWarning } from '../../segments/rfm-same-for-all.js';
import { clusterFlags } from '../../engine/warehouse-flags.js';
import { lonePurchasesAfterGapWarning } from '../../pipeline/lone-purchases-after-gap.js';
import { daysPastData } from '../../pipeline/days-past-data.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const computeCohorts = lazyFunction(() => import('../../features/cohorts.js'), 'computeCohorts');
const assignLifecycleStages = lazyFunction(() => import('../../lifecycle/assign-lifecycle-stages.js'), 'assignLifecycleStages');
const validateLifecycleStages = lazyFunction(() => import('../../lifecycle/validate-lifecycle-stages.js'), 'validateLifecycleStages');
const assignRfmSegments = lazyFunction(() => import('../../segments/assign-rfm-segments.js'), 'assignRfmSegments');
const assignValueTiers = lazyFunction(() => import('../../segments/assign-value-tiers.js'), 'assignValueTiers');
const withClusterReadWarehouse = lazyFunction(() => import('./clickhouse-commands.js'), 'withClusterReadWarehouse');
const withScratchDerivedTables = lazyFunction(() => import('../../engine/staged-derived-tables.js'), 'withScratchDerivedTables');

interface SegmentFlags extends ReadFlags, Partial<AccessFlags>, EngineFlags {
  db?: string;
  asOf?: string;
  holdoutEnd?: string;
  minGroupSize: string;
  json?: boolean;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)}%`);
const money = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 0 }));
/** A group's customer count: `<k` when suppressed for its size, `—*` when withheld to protect a small group. */
const count = (row: { readonly customers: number | null; readonly suppression: Suppression }, k: number) =>
  row.customers !== null ? row.customers.toLocaleString('en-US') : row.suppression === 'complementary' ? '—*' : `<${k}`;
/** The footnote of the marks, when something was suppressed. */
const footnote = (tally: SuppressionTally, k: number) => {
  const s = tally.summary();
  if (s.smallGroups + s.complementary + s.values === 0) return [];
  return [`suppressed (--min-group-size ${k}): <${k} a group of fewer than ${k} customers; —* withheld so that the total cannot reveal such a group; — a number withheld`];
};

/**
 * The window end of a reading command (`--as-of`, else the last purchase day), after warning on stderr when that day
 * is a purchase standing alone a year or more after the others (a mistyped date): as of it every customer looks
 * inactive; a date given with --as-of is warned about when it lies more than a week after the last purchase. With the
 * last purchase day `resolveWindow` read, for the holdout's warning.
 */
async function windowEnd(warehouse: Warehouse, asOf: string | undefined, io: CliIo): Promise<{ readonly end: string; readonly lastPurchase: string }> {
  const window = await resolveWindow(warehouse, asOf);
  const { end, lastPurchase } = window;
  if (asOf !== undefined) {
    // a given end long after the data (a mistyped year): every customer lapsed, said as analyze --as-of says it
    const past = daysPastData(end, lastPurchase);
    if (past !== null) io.stderr.write(`clvkit: warning: --as-of ${end} is ${past.toLocaleString('en-US')} days after the last purchase (${lastPurchase}): every customer looks inactive by then; leave --as-of out to read as of the last purchase\n`);
    return window;
  }
  const lone = await lonePurchasesAfterGapWarning(warehouse, end, (day) => `pass --as-of ${day} to read up to the gap`, (last) => `as of ${last} (the default --as-of) every customer looks inactive`);
  if (lone !== null) io.stderr.write(`clvkit: warning: ${lone}\n`);
  return window;
}

/** The warning of a lifecycle holdout that ends more than a week after the last purchase (as validate --holdout-end warns), or null. */
function holdoutPastDataWarning(last: string, asOf: string, holdoutEnd: string): string | null {
  const past = daysPastData(holdoutEnd, last);
  if (past === null) return null;
  const fix = last > asOf ? `pass --holdout-end ${last} to end the holdout at the last purchase` : `the holdout holds no purchase at all: pass an --as-of before the last purchase`;
  return `--holdout-end ${holdoutEnd} is ${past.toLocaleString('en-US')} days after the last purchase (${last}): those days hold no purchases, so each stage's repurchase rate and spend are of a shorter window than the one named; ${fix}`;
}

async function prepareSummary(warehouse: Warehouse, asOf: string): Promise<void> {
  await warehouse.execute(`CREATE OR REPLACE TABLE customer_summary AS ${buildCustomerSummarySql(warehouse.dialect, { asOf, timeUnit: 'week' })}`);
}

function common(name: string, description: string): Command {
  return addAccessOptions(
    addReadOptions(
      new Command(name)
        .description(description)
        .argument('[file]', 'transaction file (or --db)')
        .option('--db <path>', 'use the transactions of this warehouse')
        .option('--as-of <date>', 'last day of the window, YYYY-MM-DD (default: the last purchase day; one more than a week after it is warned about)')
        .option('--min-group-size <k>', 'suppress groups of fewer than k customers (and what would reveal them) in the table and the JSON', '5')
        .option('--json', 'print JSON'),
    ),
  );
}

/** `clvkit segments`: RFM named segments and value tiers. */
export function segmentsCommand(io: CliIo): Command {
  return addEngineOptions(common('segments', 'RFM scores and named segments (Champions … Lost) with size and revenue (net spend) share, and value tiers by historic value (net spend − cost); groups of fewer than --min-group-size customers suppressed')).action(async (file: string | undefined, flags: SegmentFlags) => {
    const k = minGroupSizeFlag(flags.minGroupSize);
    // --engine clickhouse: the cluster's transactions (no file: ingest it first with ingest --engine clickhouse)
    const onCluster = checkEngineFlags(flags) === 'clickhouse';
    if (onCluster && file) throw new UserError('segments --engine clickhouse reads the cluster, not a file', `ingest the file first: clvkit ingest ${shellPath(file)} ${clusterFlags({ url: flags.clickhouseUrl!, database: flags.clickhouseDatabase, cluster: flags.cluster })}`);
    const withWarehouse = (work: (warehouse: Warehouse) => Promise<void>, options: { command: string; warn: (warning: string) => void }) =>
      onCluster ? withClusterReadWarehouse(clickhouseTarget(flags), accessFromFlags(flags), options.command, work) : withInputWarehouse(file, flags, work, options);
    // the summary, segments and tiers of this date are scratch tables: the warehouse's stored analysis is left alone
    await withWarehouse((held) => withScratchDerivedTables(held, async (warehouse) => {
      const { end: asOf } = await windowEnd(warehouse, flags.asOf, io);
      await prepareSummary(warehouse, asOf);
      const tally = new SuppressionTally(k);
      const orderValues = await hasOrderValues(warehouse);
      const summaryTable = 'customer_summary';
      const rfm = publishRfmSegments(await assignRfmSegments(warehouse, { asOf, summaryTable, scoresTable: null, ...(orderValues ? {} : { monetary: 'none' as const }) }), k, tally);
      const tiers = publishValueTiers(await assignValueTiers(warehouse, { asOf, summaryTable, scoresTable: null, basis: 'historic', ...(orderValues ? {} : { measure: 'purchases' as const }) }), k, tally);
      const flat = sameForAllWarning(rfm);
      if (flat) io.stderr.write(`clvkit: warning: ${flat}\n`);
      if (flags.json) return void io.stdout.write(JSON.stringify({ asOf, minGroupSize: k, suppressed: tally.summary(), rfm, valueTiers: tiers }, null, 2) + '\n');
      const lines = [`RFM segments as of ${asOf} (${rfm.customers.toLocaleString('en-US')} customers)`, `${'segment'.padEnd(20)}${'customers'.padStart(10)}${'share'.padStart(8)}${'revenue'.padStart(14)}${'rev. share'.padStart(12)}`];
      for (const s of rfm.segments) lines.push(`${s.name.padEnd(20)}${count(s, k).padStart(10)}${pct(s.share).padStart(8)}${money(s.revenue).padStart(14)}${pct(s.revenueShare).padStart(12)}`);
      // the tiers rank by historic value (basis 'historic': net spend − cost, `historicValue`), not by the RFM table's revenue (net spend)
      lines.push('', orderValues ? 'value tiers (by historic value to date: net spend − cost)' : 'value tiers (by purchases to date: the data has no order values)');
      const [measure, measureShare] = orderValues ? ['historic value', 'value share'] : ['purchases', 'purch. share'];
      lines.push(`${'value tier'.padEnd(20)}${'customers'.padStart(10)}${'share'.padStart(8)}${measure.padStart(16)}${measureShare.padStart(13)}`);
      for (const t of tiers.tiers) lines.push(`${t.name.padEnd(20)}${count(t, k).padStart(10)}${pct(t.share).padStart(8)}${money(t.historicValue).padStart(16)}${pct(t.historicValueShare).padStart(13)}`);
      // read from a warehouse: the stored analysis's tiers (what audiences draw) may rank by predicted CLV, not as these
      const stored = file === undefined && orderValues ? await (await import('../../segments/stored-value-tiers-note.js')).storedValueTiersNote(held, k) : null;
      if (stored) lines.push(stored);
      io.stdout.write([...lines, ...footnote(tally, k)].join('\n') + '\n');
    }), { command: 'segments', warn: warnOn(io) });
  });
}

/** `clvkit lifecycle`: stages as of a date, and with a holdout their repurchase rate and spend. */
export function lifecycleCommand(io: CliIo): Command {
  return addEngineOptions(common('lifecycle', 'lifecycle stages (new, active, reactivated, at_risk, dormant, churned) as of a date; with --holdout-end, how each stage bought afterwards; stages of fewer than --min-group-size customers suppressed (the prospects, all customers less those acquired, shown as a run shows them)'))
    .option('--holdout-end <date>', 'validate: repurchase rate and mean spend of each stage from the day after --as-of to this day (one more than a week after the last purchase is warned about)')
    .action(async (file: string | undefined, flags: SegmentFlags) => {
      const k = minGroupSizeFlag(flags.minGroupSize);
      // the summary and stages of this date are scratch tables: the warehouse's stored analysis is left alone
      await withEngineInputWarehouse('lifecycle', file, flags, (held) => withScratchDerivedTables(held, async (warehouse) => {
        const { end: asOf, lastPurchase } = await windowEnd(warehouse, flags.asOf, io);
        await prepareSummary(warehouse, asOf);
        const tally = new SuppressionTally(k);
        // the prospects are all customers less those acquired — this table's total less `clvkit segments`' customers, and a
        // run's published total — so shown whatever their size and never a partner, as in a run of this warehouse
        const stages = publishLifecycleStages(await assignLifecycleStages(warehouse, { asOf, scoresTable: null }), k, { tally, table: 'stages', prospectsKnown: true });
        const holdoutEnd = flags.holdoutEnd ? parseDay(flags.holdoutEnd, '--holdout-end') : null;
        const validation = holdoutEnd ? publishStageValidation(await validateLifecycleStages(warehouse, { asOf, holdoutEnd }), k, tally, 'validation.stages') : null;
        const pastData = holdoutEnd ? holdoutPastDataWarning(lastPurchase, asOf, holdoutEnd) : null;
        if (pastData) io.stderr.write(`clvkit: warning: ${pastData}\n`);
        if (flags.json) return void io.stdout.write(JSON.stringify({ asOf, minGroupSize: k, suppressed: tally.summary(), stages: stages.stages, validation }, null, 2) + '\n');
        const lines = [`lifecycle stages as of ${asOf}${validation ? `, holdout to ${validation.holdoutEnd}` : ''}`, `${'stage'.padEnd(14)}${'customers'.padStart(10)}${'share'.padStart(8)}${validation ? `${'repurchase'.padStart(12)}${'mean spend'.padStart(12)}` : ''}`];
        for (const s of stages.stages) {
          const v = validation?.stages.find((x) => x.stage === s.stage);
          lines.push(`${s.stage.padEnd(14)}${count(s, k).padStart(10)}${pct(s.share).padStart(8)}${validation ? `${pct(v?.repurchaseRate).padStart(12)}${money(v?.meanHoldoutSpend).padStart(12)}` : ''}`);
        }
        io.stdout.write([...lines, ...footnote(tally, k)].join('\n') + '\n');
      }), { command: 'lifecycle', warn: warnOn(io) });
    });
}

/**
 * `clvkit cohorts`'s table: a header, then per cohort its customers, revenue and value per customer to date (the
 * cumulative value per customer at the last month elapsed, times the customers: "—" where withheld or without order
 * values) and its retention by month since acquisition (m0, m1, …; withheld: "<k" for a small group, "—*" for a
 * complement, as the footnote says; blank after the as-of month).
 *
 * Example: → ["cohorts as of 2023-03-11: …", "cohort   customers  revenue  value/customer    m0    m1", "2023-01         10      100           10.00  100%    0%", …]
 */
export function cohortLines(cohorts: PublishedCohorts, asOf: string, k: number): string[] {
  const months = Math.max(0, ...cohorts.cohorts.map((c) => c.retention.length));
  const cell = (text: string) => text.padStart(6);
  const header = `${'cohort'.padEnd(9)}${'customers'.padStart(10)}${'revenue'.padStart(12)}${'value/customer'.padStart(16)}${Array.from({ length: months }, (_, j) => cell(`m${j}`)).join('')}`;
  const rows = cohorts.cohorts.map((c) => {
    const withheld = (j: number) => c.suppression !== null || c.periodSuppression[j] !== null;
    // the last month elapsed: retention null and nothing withheld is a month after the as-of date
    let last = -1;
    c.retention.forEach((r, j) => {
      if (r !== null || withheld(j)) last = j;
    });
    const perCustomer = last >= 0 ? c.cumulativeValuePerCustomer[last] ?? null : null;
    const revenue = perCustomer !== null && c.customers !== null ? money(perCustomer * c.customers) : '—';
    const value = perCustomer !== null ? perCustomer.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—';
    // a withheld month marked as the legend says: <k for a small group, —* for a complement (the cohort's reason when the whole cohort is withheld)
    const mark = (j: number) => ((c.periodSuppression[j] ?? c.suppression) === 'complementary' ? '—*' : `<${k}`);
    const cells = c.retention.map((r, j) => cell(r !== null ? `${Math.round(100 * r)}%` : withheld(j) ? mark(j) : ''));
    return `${c.label.padEnd(9)}${count(c, k).padStart(10)}${revenue.padStart(12)}${value.padStart(16)}${cells.join('')}`.trimEnd();
  });
  const part = partMonthNote(asOf, 'the last figure of each row');
  return [`cohorts as of ${asOf}: customers, revenue and value per customer to date; retention (share of the cohort buying) by month since acquisition (m0 = the first month)`, header, ...rows, ...(part === null ? [] : [part])];
}

/** `clvkit cohorts`: retention by acquisition month. */
export function cohortsCommand(io: CliIo): Command {
  return addEngineOptions(common('cohorts', 'acquisition cohorts by first-purchase month: retention by months since acquisition, revenue, value per customer; cohorts and months of fewer than --min-group-size customers suppressed')).action(async (file: string | undefined, flags: SegmentFlags) => {
    const k = minGroupSizeFlag(flags.minGroupSize);
    await withEngineInputWarehouse('cohorts', file, flags, async (warehouse) => {
      const { end: asOf } = await windowEnd(warehouse, flags.asOf, io);
      const tally = new SuppressionTally(k);
      const cohorts = publishCohorts(await computeCohorts(warehouse, { asOf }), k, tally);
      if (flags.json) return void io.stdout.write(JSON.stringify({ ...cohorts, minGroupSize: k, suppressed: tally.summary() }, null, 2) + '\n');
      io.stdout.write([...cohortLines(cohorts, asOf, k), ...footnote(tally, k)].join('\n') + '\n');
    }, { command: 'cohorts', warn: warnOn(io) });
  });
}
