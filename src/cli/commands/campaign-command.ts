import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { CampaignEvaluation } from '../../actions/evaluate-campaign.js';
import type { PublishedCampaigns } from '../../actions/campaign-kpis.js';
import type { UpliftEstimate } from '../../actions/estimate-uplift.js';
import { nobodyBought, ROI_NOBODY_BOUGHT } from '../../actions/roi-words.js';
import { PURCHASES_COUNTED_MEANING } from '../../actions/purchases-counted.js';
import { balanceCliLine } from '../../actions/balance-summary.js';
import type { AdjustedUplift } from '../../actions/adjusted-uplift.js';
import { formatQiniP, pEquals } from '../../actions/format-p-value.js';
import { adjustedUpliftText, comparedWarningMark, comparisonWarnings, evaluationWarnings } from '../../actions/comparison-warnings.js';
import { daysBetween } from '../../core/calendar-days.js';
import { campaignIntervalTestNotes, intervalTestNote } from '../../actions/uplift-verdict.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { seedFlag, withActionWarehouse } from './audience-command.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, type AccessFlags } from './shared-options.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { plural } from '../../core/plural.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const evaluateCampaign = lazyFunction(() => import('../../actions/evaluate-campaign.js'), 'evaluateCampaign');
const compareCampaigns = lazyFunction(() => import('../../actions/campaign-kpis.js'), 'compareCampaigns');
const trainUpliftModel = lazyFunction(() => import('../../actions/train-uplift-model.js'), 'trainUpliftModel');
const recordAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'recordAudit');

interface EvaluateFlags extends AccessFlags, EngineFlags {
  db: string;
  audience: string;
  from: string;
  to: string;
  costPerContact?: string;
  margin?: string;
  responses?: string;
  minGroupSize: string;
  json?: boolean;
  /** false with --no-store */
  store: boolean;
}

function nonNegative(value: string, flag: string, max = Infinity): number {
  const n = numberText(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new UserError(`${flag} ${value} is not a number ≥ 0${Number.isFinite(max) ? ` and ≤ ${max}` : ''}`, flag === '--margin' ? 'the share of revenue kept as margin, e.g. --margin 0.3' : `e.g. ${flag} 0.5`);
  return n;
}

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}%`;
const num = (v: number, digits = 3) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
const signed = (v: number) => `${v >= 0 ? '+' : ''}${num(v)}`;

/** How a p-value's test is named after it on the text lines. */
const TEST_NAMES: Readonly<Record<NonNullable<UpliftEstimate['test']>, string>> = { 'fisher-exact': "Fisher's exact", permutation: 'permutation', welch: 'Welch' };

/** A share (buyers: 1 = everyone bought) as a percentage, "100%", "5.8%". */
const share = (v: number) => `${num(100 * v, 1)}%`;
/** A difference of shares in percentage points, signed: "+5.8". */
const points = (v: number) => `${v >= 0 ? '+' : ''}${num(100 * v, 1)}`;

/** One uplift row; `shares`: the means are shares of customers (buyers), printed as percentages, their difference in points. */
function upliftLine(label: string, u: UpliftEstimate | null, reason?: string, shares = false): string {
  if (!u) return `  ${label.padEnd(10)} — ${reason ?? 'not available'}`;
  const [low, high] = u.absoluteUpliftInterval;
  const mean = shares ? share : num;
  // without a relative uplift (a control mean of 0) the absolute one with its interval, so that the line still says how uncertain it is
  const relative = u.relativeUplift !== null && u.relativeUpliftInterval
    ? `${pct(u.relativeUplift)} [${pct(u.relativeUpliftInterval[0])}, ${pct(u.relativeUpliftInterval[1])}]`
    : shares
      ? `${points(u.absoluteUplift)} [${points(low)}, ${points(high)}] points (control 0: no relative uplift)`
      : `${signed(u.absoluteUplift)} [${signed(low)}, ${signed(high)}] per customer (control 0: no relative uplift)`;
  // where the interval and the test disagree, the sentence that says so (`intervalTestNote`), under the line
  const note = intervalTestNote(u);
  return `  ${label.padEnd(10)} ${mean(u.treatment).padStart(10)} vs ${mean(u.control).padStart(10)}   ${relative}, ${pEquals(u.pValue)}${u.test ? ` (${TEST_NAMES[u.test]})` : ''}${note ? `\n  ${''.padEnd(10)} ${label}: ${note}` : ''}`;
}

function responseLines(r: NonNullable<CampaignEvaluation['responses']>): string[] {
  const rate = (g: typeof r.treatment) => `${pct(g.responseRate).replace('+', '')} responded${g.redemptionRate !== null ? `, ${pct(g.redemptionRate).replace('+', '')} redeemed` : ''}`;
  return [
    `  responses  ${r.inWindow} in the window (${r.source}): treatment ${rate(r.treatment)}; control ${rate(r.control)}; response rate uplift ${num(100 * r.responseRate.absoluteUplift, 2)} points [${num(100 * r.responseRate.absoluteUpliftInterval[0], 2)}, ${num(100 * r.responseRate.absoluteUpliftInterval[1], 2)}]`,
    ...(r.costPerResponse !== null ? [`  cost per response ${num(r.costPerResponse, 2)}${r.costPerRedemption !== null ? `, per redemption ${num(r.costPerRedemption, 2)}` : ''}`] : []),
  ];
}

/** The line under an outcome adjusted for the pre-period (CUPED): absolute uplift per customer, its interval, p, the variance's change; none where not measured. */
function adjustedLine(a: AdjustedUplift | null | undefined): string[] {
  if (!a) return [];
  const [low, high] = a.absoluteUpliftInterval;
  // a change that rounds to 0% is ±0%: "−0%" kept the sign of a reduction of 0.3%
  const change = Math.round(-100 * a.varianceReduction);
  const variance = `variance ${change > 0 ? '+' : change < 0 ? '−' : '±'}${num(Math.abs(change), 0)}%`;
  return [`  ${''.padEnd(10)} adjusted for the pre-period (CUPED): ${signed(a.absoluteUplift)} [${signed(low)}, ${signed(high)}] per customer, ${pEquals(a.pValue)}, ${variance}`];
}

/**
 * How long the window is and where it starts against the send date: "30 days from the send date 2024-01-01", or for a
 * window that starts later "17 days, starting 14 days after the send date 2024-01-01" (not "17 days from the send
 * date", which reads as its first 17 days).
 */
function windowStart(e: CampaignEvaluation): string {
  const after = daysBetween(e.sendDate, e.window.from);
  return after > 0 ? `${plural(e.window.days, 'day')}, starting ${plural(after, 'day')} after the send date ${e.sendDate}` : `${plural(e.window.days, 'day')} from the send date ${e.sendDate}`;
}

/** The human summary of an evaluation. */
export function formatCampaignEvaluation(e: CampaignEvaluation): string {
  return [
    `campaign ${e.audience}: ${e.window.from} … ${e.window.to} (${windowStart(e)}${e.window.requestedTo !== undefined ? `, of ${daysBetween(e.window.from, e.window.requestedTo) + 1} asked for to ${e.window.requestedTo}: the data ends on ${e.window.to}` : ''}); ${e.groups.treatment.toLocaleString('en-US')} treated, ${e.groups.control.toLocaleString('en-US')} control`,
    `  ${'per customer'.padEnd(10)} ${'treatment'.padStart(10)}    ${'control'.padStart(10)}   relative uplift [95% interval]`,
    upliftLine('purchases', e.purchases),
    ...adjustedLine(e.adjusted?.purchases),
    ...(e.purchasesCounted ? [`  ${''.padEnd(10)} purchases are ${PURCHASES_COUNTED_MEANING[e.purchasesCounted]}`] : []),
    upliftLine('buyers', e.buyers, undefined, true),
    upliftLine('revenue', e.revenue, e.unavailable.revenue),
    ...adjustedLine(e.adjusted?.revenue),
    upliftLine('margin', e.margin, e.unavailable.margin),
    ...adjustedLine(e.adjusted?.margin),
    e.roi !== null && e.roiInterval
      ? nobodyBought(e.buyers)
        ? `  ROI        ${ROI_NOBODY_BOUGHT} (the cost of ${num(e.cost!.total, 2)} set against no purchase; --json keeps roi ${num(e.roi, 2)})`
        : `  ROI        ${num(e.roi, 2)} [${num(e.roiInterval[0], 2)}, ${num(e.roiInterval[1], 2)}] on a cost of ${num(e.cost!.total, 2)}`
      : `  ROI        — ${e.unavailable.roi ?? ''}`,
    ...(e.cost?.source === 'play' ? [`  ${''.padEnd(10)} cost per contact ${num(e.cost.perContact, 2)} from the audience's play ${e.play ?? ''} (stored when the playbook drew it; --cost-per-contact overrides it)`] : []),
    ...(e.costPerIncrementalBuyer !== null
      ? [`  cost per incremental buyer ${num(e.costPerIncrementalBuyer, 2)}`]
      : e.cost && e.unavailable.costPerIncrementalBuyer ? [`  cost per incremental buyer — ${e.unavailable.costPerIncrementalBuyer}`] : []),
    ...(e.responses ? responseLines(e.responses) : []),
    // the balance line: beyond chance, the warning below says more; within it, no warning
    ...(e.balance ? [balanceCliLine(e.balance, 'see the warning below')] : []),
    ...e.warnings.map((w) => `  warning    ${w}`),
  ].join('\n');
}

const ratio = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : num(v, digits));
const interval = (v: number | null, i: readonly [number, number] | null) => (v === null || !i ? '—' : `${num(v, 2)} [${num(i[0], 2)}, ${num(i[1], 2)}]`);
/** After a figure that is still Welch's t (an evaluation stored before the exact tests, not measured again): see the note under the table. */
const WELCH = ' †';
/** The relative uplift with its interval; without one (a control without buyers) the absolute one per customer, as campaign evaluate prints it. */
const relative = (u: PublishedCampaigns['campaigns'][number]['revenue']) =>
  u && u.relativeUplift !== null && u.relativeUpliftInterval
    ? `${pct(u.relativeUplift)} [${pct(u.relativeUpliftInterval[0])}, ${pct(u.relativeUpliftInterval[1])}]${u.test === 'welch' ? WELCH : ''}`
    : u && u.absoluteUplift !== undefined && u.absoluteUpliftInterval
      ? `${signed(u.absoluteUplift)} [${signed(u.absoluteUpliftInterval[0])}, ${signed(u.absoluteUpliftInterval[1])}] per customer (control 0)${u.test === 'welch' ? WELCH : ''}`
      : '—';

/** When an evaluation was made, to the minute (UTC); '—' for one read from a run.json that did not say. */
const evaluatedOn = (at: string | null | undefined) => (at ? `${at.slice(0, 10)} ${at.slice(11, 16)}` : '—');
const COST_NOTE =
  "cost per treated buyer: the cost ÷ every treated customer who bought, those who would have bought without the campaign included (not the campaign's efficiency); cost per incremental buyer: the cost ÷ the buyers the campaign added, with its 95% interval, where the buyers' uplift is an effect: its interval excludes 0 and Fisher's test rejects (else not estimable: the added buyers may be none)";

/** After a window whose evaluation is stale (see its warning under the table). */
const STALE = ' ‡';

/** `2023-08-01 … 2023-08-31 (31 of 61 days) ‡`: the days measured, of those asked for when the data ended before, ‡ when stale. */
function windowCell(c: PublishedCampaigns['campaigns'][number]): string {
  const w = c.window;
  const asked = w.requestedTo !== undefined ? daysBetween(w.from, w.requestedTo) + 1 : null;
  return `${w.from} … ${w.to} (${asked !== null ? `${w.days} of ${asked} days` : `${w.days} day${w.days === 1 ? '' : 's'}`})${c.stale ? STALE : ''}`;
}

/** Campaigns side by side, then each one's ROI and CLV:CAC by acquisition channel. */
export function formatCampaignComparison(p: PublishedCampaigns): string {
  if (p.campaigns.length === 0) return `no evaluated campaign to compare${p.withheld > 0 ? ` (${p.withheld} withheld: a group below the minimum group size)` : ''}: run clvkit campaign evaluate first`;
  // the name column as wide as the longest name, in full (cut to 23 characters, a playbook's audiences read alike:
  // playbook-2024-05-01-las, -rea, -cro)
  // § after a campaign whose groups other audiences treated in its window, ¶ after one whose balance check found a
  // covariate beyond chance (their warnings under the table)
  const label = (c: PublishedCampaigns['campaigns'][number]) =>
    `${c.play ? `${c.audience} (${c.play})` : c.audience}${c.overlap && c.overlap.length > 0 ? ' §' : ''}${c.balanceBeyondChance && c.balanceBeyondChance.length > 0 ? ' ¶' : ''}`;
  const width = Math.max(24, ...p.campaigns.map((c) => label(c).length + 2));
  const cells = p.campaigns.map((c) => ({
    purchases: relative(c.purchases),
    revenue: relative(c.revenue),
    adjusted: adjustedUpliftText(c.adjustedUplift),
    roi: c.roi !== null && nobodyBought(c.buyers) ? ROI_NOBODY_BOUGHT : interval(c.roi, c.roiInterval) + (c.storedBeforeExactTests?.welch.includes('roi') ? WELCH : ''),
  }));
  // the uplift and ROI columns as wide as their widest cell (a thin control group's interval runs to +12355.9%)
  const wide = (key: keyof (typeof cells)[number], least: number) => Math.max(least, ...cells.map((cell) => cell[key].length + 2));
  const [purchasesWidth, revenueWidth, adjustedWidth, roiWidth] = [wide('purchases', 28), wide('revenue', 28), wide('adjusted', 26), wide('roi', 26)];
  const perIncremental = (c: (typeof p.campaigns)[number]) =>
    c.costPerIncrementalBuyer !== null ? interval(c.costPerIncrementalBuyer, c.costPerIncrementalBuyerInterval ?? null) : c.cost === null ? '—' : 'not estimable';
  const incrementalWidth = Math.max(34, ...p.campaigns.map((c) => perIncremental(c).length + 2));
  const windowWidth = Math.max(36, ...p.campaigns.map((c) => windowCell(c).length + 2));
  const lines = [`${'campaign'.padEnd(width)}${'window'.padEnd(windowWidth)}${'evaluated (UTC)'.padEnd(18)}${'treated/control'.padStart(16)}  ${'purchases uplift'.padEnd(purchasesWidth)}${'revenue uplift'.padEnd(revenueWidth)}${'adjusted uplift (CUPED)'.padEnd(adjustedWidth)}${'ROI [95%]'.padEnd(roiWidth)}${'cost per treated buyer'.padEnd(24)}${'cost per incremental buyer [95%]'.padEnd(incrementalWidth)}${'CLV:CAC'.padStart(7)}`];
  for (const [i, c] of p.campaigns.entries()) {
    const cell = cells[i]!;
    lines.push(`${label(c).padEnd(width)}${windowCell(c).padEnd(windowWidth)}${evaluatedOn(c.evaluatedAt).padEnd(18)}${`${c.groups.treatment}/${c.groups.control}`.padStart(16)}  ${cell.purchases.padEnd(purchasesWidth)}${cell.revenue.padEnd(revenueWidth)}${cell.adjusted.padEnd(adjustedWidth)}${cell.roi.padEnd(roiWidth)}${ratio(c.costPerResponse).padEnd(24)}${perIncremental(c).padEnd(incrementalWidth)}${ratio(c.clvToCac).padStart(7)}`);
  }
  if (p.campaigns.some((c) => c.cost !== null)) lines.push('', COST_NOTE);
  // an interval that excludes 0 beside a test that does not reject (or the other way round): one sentence each
  const disagreements = p.campaigns.flatMap((c) => campaignIntervalTestNotes(c, ['purchases', 'revenue']));
  if (disagreements.length > 0) lines.push('', ...disagreements);
  const warnings = p.warnings ?? [...comparisonWarnings(p.campaigns), ...evaluationWarnings(p.campaigns)];
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `${comparedWarningMark(w)}warning: ${w}`));
  const welch = p.campaigns.filter((c) => c.storedBeforeExactTests && c.storedBeforeExactTests.welch.length > 0);
  if (welch.length > 0) lines.push('', ...welch.map((c) => `† ${c.audience}: ${c.storedBeforeExactTests!.note}`));
  for (const c of p.campaigns) {
    const channels = c.channels ?? [];
    if (channels.length === 0 || (channels.length === 1 && channels[0]!.channel === '(unknown)')) continue;
    lines.push('', `${c.audience} by acquisition channel: ${'treated/control'.padStart(16)}  ${'CLV'.padStart(9)} ${'CAC'.padStart(8)} ${'CLV:CAC'.padStart(8)}  ROI [95%]`);
    for (const ch of channels) {
      if (ch.withheld) lines.push(`  ${ch.channel.padEnd(20)} withheld: a group below the minimum group size`);
      else lines.push(`  ${ch.channel.padEnd(20)} ${`${ch.groups.treatment}/${ch.groups.control}`.padStart(16)}  ${ratio(ch.clv).padStart(9)} ${ratio(ch.acquisitionCost).padStart(8)} ${ratio(ch.clvToCac).padStart(8)}  ${ch.roi !== null && nobodyBought(c.buyers) ? ROI_NOBODY_BOUGHT : interval(ch.roi, ch.roiInterval)}`);
    }
  }
  if (p.withheld > 0) lines.push('', `${p.withheld} evaluation${p.withheld === 1 ? '' : 's'} withheld: a group below the minimum group size`);
  return lines.join('\n');
}

export function campaignCommand(io: CliIo): Command {
  const campaign = new Command('campaign').description('measure a campaign: treatment against the control group of its audience');
  addEngineOptions(addAccessOptions(
    campaign
      .command('evaluate')
      .description("purchases, buyers, revenue and margin per customer in the response window, treatment vs control: uplift with 95% intervals and p-values (buyers: Fisher's exact test; purchases, revenue, margin: a permutation test and a two-part bootstrap; docs/actions.md), a warning when the control group has few buyers or none, the balance of treatment and control before the send date (standardised mean differences of purchases, buyers and revenue in as many days before it as the window, purchases to date and days since the last purchase; a warning when one is beyond what random assignment gives at these group sizes, a note on the line when one is above 0.1 within chance), purchases, revenue and margin adjusted for the same outcome in that pre-period (CUPED: a secondary estimate, with a warning where it and the verdict disagree), ROI, cost per incremental buyer (where the buyers' uplift is an effect: its interval excludes 0 and Fisher's test rejects)")
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .requiredOption('--audience <name>', 'the audience the campaign was sent to (clvkit audience create)')
      .requiredOption('--from <date>', 'first day of the response window, YYYY-MM-DD (not before the send date)')
      .requiredOption('--to <date>', 'last day of the response window, YYYY-MM-DD (when the data ends before it, the window measured and stored ends on the last transaction day, with a warning)')
      .option('--cost-per-contact <c>', "cost of one contact (ROI with its interval, cost per incremental buyer); default: for a playbook's audience, its play's costPerContact (stored with the audience)")
      .option('--margin <share>', 'share of revenue kept as margin where a line has no cost (default 1)')
      .option('--responses <file>', 'responses or redemptions: a CSV (gzip too) with customer_id (as in the input; CustomerID, id), date and optionally redeemed (1/0): response rate per group, cost per response and per redemption')
      .option('--min-group-size <k>', 'refuse groups smaller than this (the privacy k-floor)', '5')
      .option('--no-store', "compute the evaluation without storing it (audited as a read of aggregates; any role): campaign compare, the report and the playbook's measured lift keep reading the one stored before. Storing needs the role allowed to analyze (analyst, admin), as POST /api/campaigns does")
      .option('--json', 'print the evaluation as JSON'),
  )).action(async (flags: EvaluateFlags) => {
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    const costPerContact = flags.costPerContact === undefined ? undefined : nonNegative(flags.costPerContact, '--cost-per-contact');
    const margin = flags.margin === undefined ? undefined : nonNegative(flags.margin, '--margin', 1);
    if (flags.responses !== undefined && !existsSync(flags.responses)) throw new UserError(`no responses file ${flags.responses}`, 'pass a CSV with the columns customer_id, date[, redeemed]');
    const result = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      let responses;
      if (flags.responses !== undefined) {
        if (!keyring) throw new UserError('--responses needs the warehouse key to match ids', 'pass --key-file or set CLVKIT_KEY');
        const { createPseudonymiser } = await import('../../privacy/tokens/pseudonymise.js');
        const { readResponsesFile } = await import('../../actions/campaign-responses.js');
        responses = readResponsesFile(flags.responses, createPseudonymiser(keyring));
      }
      return evaluateCampaign(warehouse, { audience: flags.audience, from: flags.from, to: flags.to, minGroupSize, keyring, access, ...(costPerContact !== undefined ? { costPerContact } : {}), ...(margin !== undefined ? { margin } : {}), ...(responses ? { responses } : {}), store: flags.store !== false });
    });
    // the human summary lists the warnings itself; with --json they go to stderr too
    if (flags.json) for (const w of result.warnings) io.stderr.write(`clvkit: warning: ${w}\n`);
    const notStored = flags.store === false ? `  not stored (--no-store): campaign compare, the report and the playbook's measured lift read the evaluation stored before, if any\n` : '';
    if (flags.json && notStored) io.stderr.write(`clvkit: ${notStored.trim()}\n`);
    io.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatCampaignEvaluation(result) + '\n' + notStored);
  });
  addEngineOptions(addAccessOptions(
    campaign
      .command('compare')
      .description('every evaluated campaign side by side (its newest evaluation): each row’s window (the days measured, of those asked for when the data ended before) and when it was evaluated, a warning when the windows differ in length or start, an evaluation marked ‡ stale (with the command to measure it again) when transactions after its measured end were ingested since or its audience’s transactions in the window changed (an ingest, a dropped ingest, an erasure or retention), a warning for a stretch of a window without transactions, a campaign marked § whose control or treatment group other audiences treated in its window (its evaluation’s overlap warnings under the table), a campaign marked ¶ whose balance check found a covariate beyond what random assignment gives before the send date (its SMD under the table); uplifts with 95% intervals, the revenue uplift per customer adjusted for the pre-period (CUPED; purchases without order values; — for an evaluation stored before it), ROI, cost per treated buyer, cost per incremental buyer with its interval (where the buyers’ uplift is an effect: its interval excludes 0 and Fisher’s test rejects), CLV:CAC, and ROI and CLV:CAC by acquisition channel (from customer profiles ingested with --kind customers); one evaluated before the exact tests is measured again where its inputs are there, else its Welch figures are marked †')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--min-group-size <k>', 'withhold campaigns and channels with a group smaller than this (the privacy k-floor)', '5')
      .option('--json', 'print the comparison as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; minGroupSize: string; json?: boolean }) => {
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    const result = await withActionWarehouse(flags, (warehouse, keyring, access) => compareCampaigns(warehouse, { minGroupSize, keyring, access }));
    io.stdout.write(flags.json ? JSON.stringify(result, null, 2) + '\n' : formatCampaignComparison(result) + '\n');
  });
  addEngineOptions(addAccessOptions(
    campaign
      .command('uplift-model')
      .description('who responds to the campaign: two-model and transformed-outcome uplift learners trained on half of a past campaign with a control group, each validated by its Qini curve (of the outcome modelled) on the other half; the better is chosen when a permutation test of shuffled scores gives p < 0.05. Refused when a treated or control group of either half has fewer than 10 buyers or non-buyers in the window (no control responses: the Qini would rank who buys, not who responds)')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .requiredOption('--audience <name>', 'the past campaign’s audience')
      .requiredOption('--from <date>', 'first day of its response window, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last day of its response window, YYYY-MM-DD')
      .addOption(new Option('--outcome <outcome>', 'what is modelled').choices(['buyers', 'purchases', 'revenue']).default('buyers'))
      .option('--seed <n>', 'seed of the training/validation split (half of each group) and of the Qini permutation test', '1')
      .option('--min-group-size <k>', 'the privacy k-floor: refuse halves with fewer treated or control customers, and say counts below it as "fewer than k"', '5')
      .option('--json', 'print the report (with the fitted models) as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; audience: string; from: string; to: string; outcome: 'buyers' | 'purchases' | 'revenue'; seed: string; minGroupSize: string; json?: boolean }) => {
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    const seed = seedFlag(flags.seed);
    const report = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      const trained = await trainUpliftModel(warehouse, { audience: flags.audience, from: flags.from, to: flags.to, outcome: flags.outcome, seed, minGroupSize, access });
      // it reads every member's group and purchases: audited as every --db read is (campaign evaluate records its own)
      const members = { treatment: trained.train.treatment + trained.validation.treatment, control: trained.train.control + trained.validation.control };
      if (keyring) await recordAudit(warehouse, keyring, access, { action: 'analyze', target: `audience:${trained.audience}`, rowCounts: members, details: { command: 'campaign uplift-model', from: trained.window.from, to: trained.window.to, outcome: trained.outcome } });
      return trained;
    });
    for (const w of report.warnings) io.stderr.write(`clvkit: warning: ${w}\n`);
    if (flags.json) return void io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    io.stdout.write(
      [
        `uplift models for ${report.audience} (${report.outcome}, ${report.window.from} … ${report.window.to}): trained on ${report.train.treatment} treated / ${report.train.control} control, validated on ${report.validation.treatment} / ${report.validation.control}`,
        ...report.learners.map((l) => `  ${l.learner.padEnd(20)} Qini coefficient ${l.qini.coefficient.toFixed(3)}, area ${l.qini.area.toFixed(2)}, p = ${formatQiniP(l.qiniPValue)}`),
        `  the better learner against ${report.qiniTest.permutations} shuffles of the scores (both learners alike): p = ${formatQiniP(report.qiniTest.pValue)} (used below ${report.qiniTest.alpha})`,
        `  ${report.reason}`,
      ].join('\n') + '\n',
    );
  });
  return campaign;
}
