import { existsSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';
import { checkOutputFolder } from '../../core/output-paths.js';
import type { PlaybookPlan } from '../../actions/run-playbook.js';
import { describeSuppression } from '../../actions/suppression-condition.js';
import { formatQiniP } from '../../actions/format-p-value.js';
import { balanceText } from '../../actions/balance-summary.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { canScoreFirst, reusedLine, seedFlag, withActionWarehouse } from './audience-command.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, type AccessFlags } from './shared-options.js';
import { plural } from '../../core/plural.js';
import { nothingDrawnReason } from '../../actions/nothing-drawn-reason.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const runPlaybook = lazyFunction(() => import('../../actions/run-playbook.js'), 'runPlaybook');
const scoreWarehouse = lazyFunction(() => import('../../pipeline/score-warehouse.js'), 'scoreWarehouse');

interface PlaybookFlags extends AccessFlags, EngineFlags {
  db: string;
  config?: string;
  out: string;
  budget?: string;
  seed: string;
  prefix?: string;
  sendDate?: string;
  optOut?: string;
  minGroupSize: string;
  json?: boolean;
  idempotent?: boolean;
  rankBy: 'auto' | 'value';
}

const money = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 0 }));

/** How to redraw a play whose balance is beyond chance or above 0.25: the run's names are taken until all its audiences are dropped. */
const REDRAW = "to redraw before sending: drop this run's audiences (clvkit audience drop NAME), then run the playbook again with another --seed";

/**
 * One line when the plan drew nothing (and the playbook has plays): how many plays were skipped for what, and what to
 * change, in the CLI's words (`nothingDrawnReason`); null when a play was drawn.
 *
 * Example: the default playbook on 50 customers → "hint: nothing drawn: 5 of the 6 plays are below the minimum group
 * size 5 (…) and 1 matches no customer; for a shop of 50 customers pass a lower --min-group-size (…), or a playbook (--config) …"
 */
export function nothingDrawnHint(plan: PlaybookPlan, minGroupSize: number): string | null {
  const reason = nothingDrawnReason(plan, minGroupSize);
  return reason === null ? null : `hint: ${reason}`;
}

/** The plan as a table: a row per play, under it the eligible customers, the balance of its draw and its notes; with `minGroupSize`, the hint of a plan that drew nothing. */
export function formatPlan(plan: PlaybookPlan, minGroupSize?: number): string {
  const lines = [
    `playbook ${plan.playbook}: send date ${plan.sendDate}${plan.budget !== null ? `, budget ${money(plan.budget)}` : ''}`,
    `${'play'.padEnd(22)}${'members'.padStart(9)}${'control'.padStart(9)}${'cost'.padStart(10)}${'exp. value'.padStart(12)}${'exp. ROI'.padStart(10)}  lift`,
  ];
  for (const r of plan.plays) {
    if (r.skipped) lines.push(`${r.play.padEnd(22)}  skipped: ${r.skipped}`);
    else lines.push(`${r.play.padEnd(22)}${r.members.toLocaleString('en-US').padStart(9)}${r.control.toLocaleString('en-US').padStart(9)}${money(r.expectedCost).padStart(10)}${money(r.expectedIncrementalValue).padStart(12)}${(r.expectedRoi === null ? '—' : r.expectedRoi.toFixed(2)).padStart(10)}  ${(100 * r.lift).toFixed(1)}% (${r.liftSource})`);
    // what the eligible count is: the customers the filter matched, less those suppressed, by reason (a play none is
    // left to says so in its skipped reason)
    const suppressed = describeSuppression(r.suppressed);
    if (suppressed && r.eligible > 0) lines.push(`${''.padEnd(24)}eligible ${r.eligible.toLocaleString('en-US')} of ${r.matched.toLocaleString('en-US')} matched; suppressed: ${suppressed}`);
    // the balance of the play's draw, in the words of audience create's line
    if (r.balance) lines.push(`${''.padEnd(24)}balance: ${balanceText(r.balance, REDRAW, REDRAW)}`);
    for (const note of r.notes) lines.push(`${''.padEnd(24)}note: ${note}`);
  }
  const t = plan.totals;
  const tg = plan.targeting;
  if (tg) {
    lines.splice(1, 0, `budget ranked by ${tg.basis}: ${tg.reason}`);
    if (tg.upliftModel) {
      const m = tg.upliftModel;
      const qini = m.learners.map((l) => `${l.learner} ${l.qiniCoefficient.toFixed(3)} (p = ${formatQiniP(l.qiniPValue)})`).join(', ');
      const curve = m.qini.fractions.filter((_, j) => j % 5 === 0).map((f, j) => `${(100 * f).toFixed(0)}%: ${m.qini.qini[j * 5]!.toFixed(1)} (random ${m.qini.random[j * 5]!.toFixed(1)})`).join(', ');
      lines.splice(2, 0, `  Qini on the held-out half of ${m.audience} (${m.validation.treatment} treated / ${m.validation.control} control): coefficients ${qini}; the better of the two against shuffled scores: p = ${formatQiniP(m.qiniTest.pValue)} (${m.qiniTest.permutations} shuffles); incremental ${m.outcome} when the top share is targeted: ${curve}`);
      if (tg.notProfitable > 0) lines.splice(3, 0, `  ${tg.notProfitable.toLocaleString('en-US')} candidates left out: the model expects no gain from contacting them`);
    }
  }
  lines.push(`${'total'.padEnd(22)}${t.members.toLocaleString('en-US').padStart(9)}${''.padStart(9)}${money(t.expectedCost).padStart(10)}${money(t.expectedIncrementalValue).padStart(12)}${(t.expectedRoi === null ? '—' : t.expectedRoi.toFixed(2)).padStart(10)}`);
  const left = describeSuppression(t.suppressed);
  const suppressed = Object.values(t.suppressed).reduce((a, n) => a + n, 0);
  if (left) lines.push(`${''.padEnd(24)}suppressed: ${left} (${plural(suppressed, 'customer')} eligible for no play)`);
  // nothing lost: every customer is in a play, suppressed, eligible but not drawn, or matched by no play
  const parts = [`${t.members.toLocaleString('en-US')} in plays`];
  if (suppressed > 0) parts.push(`${suppressed.toLocaleString('en-US')} suppressed (eligible for no play)`);
  if (t.notDrawn > 0) parts.push(`${t.notDrawn.toLocaleString('en-US')} eligible but not drawn (only skipped plays match them, or the budget did not reach them)`);
  if (t.matchedByNone > 0) parts.push(`${t.matchedByNone.toLocaleString('en-US')} matched by no play's filter`);
  lines.push(`${''.padEnd(24)}all ${t.customers.toLocaleString('en-US')} customers accounted for: ${parts.join(', ')}`);
  const hint = minGroupSize === undefined ? null : nothingDrawnHint(plan, minGroupSize);
  if (hint) lines.push(hint);
  return lines.join('\n');
}

export function playbookCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(
    new Command('playbook')
      .description('run a playbook (stage × segment × value tier → play): one audience with a control group per play, and plan.json / plan.csv with who, how many, expected incremental value, cost and ROI (docs/actions.md); under each play drawn the balance of its draw, as audience create prints it (--json and plan.json: its balance; plan.csv: balance, within or beyond chance, and balanceLargestAbsSmd); suppression rules leave out recent buyers, recently contacted customers, the control groups of running campaigns (until evaluated over a window that has ended, or contactedWithinDays after their send date) and opt-outs, counted by reason; a plan that draws nothing ends with a hint saying why (stderr with --json)')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--config <file>', 'playbook file, JSON or YAML (.yaml/.yml) (default: the shipped data/playbooks/default-playbook.json)')
      .requiredOption('--out <dir>', 'folder for plan.json, plan.csv and one <play>.csv per audience')
      .option('--budget <amount>', 'spend at most this on contacts: customers ranked by expected incremental value per unit of cost (from an uplift model learnt from past campaigns with control groups — up to 5 tried, those too small ever to give one screened out first, used when one beats shuffled scores at p < 0.05 after Holm\'s correction over those tested — else value × P(alive), or expected purchases × P(alive) when the data has no order values)')
      .addOption(new Option('--rank-by <basis>', 'with --budget: auto (the uplift model when a past campaign gives one that beats random targeting) or value (value × P(alive) always; expected purchases × P(alive) without order values)').choices(['auto', 'value']).default('auto'))
      .option('--seed <n>', 'seed of the control-group draws (recorded)', '1')
      .option('--send-date <date>', 'first day a response counts, YYYY-MM-DD (default: the day after the last transaction); a past day backtests the playbook: suppression, the uplift model\'s features and measured lifts as of that day, one on or before the scores\' date noted on stderr; measure it with campaign evaluate over the days after it')
      .option('--prefix <text>', 'audience names are <prefix><play> (default playbook-<send date>-)')
      .option('--opt-out <file>', 'customer ids (as in the input, or their tokens c_… as clvkit shows them) never to contact: one per line, or a CSV export whose header names customer_id (gzip too); left out of every play (the optedOut suppression rule), and the run says how many of them are customers')
      .option('--min-group-size <k>', 'plays of fewer customers, or whose control or treatment group would be smaller, are skipped (the privacy k-floor)', '5')
      .option('--json', 'print plan.json: with scoresAsOf, and warnings (what stderr says, the hint of a plan that drew nothing last); money in cents')
      .option('--idempotent', 'safe to run again (a retried nightly job): when the audiences of a run with the same inputs (playbook, budget, --rank-by, seed, dates, prefix, opt-out list, --min-group-size) exist, its stored plan is answered — exit 0, nothing drawn again, plan.json, plan.csv and the plays\' files written to --out again, --json reused: true and a warning — while audiences drawn with other inputs are refused naming them (exit 2)'),
  )).action(async (flags: PlaybookFlags) => {
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    const seed = seedFlag(flags.seed);
    const sendDate = flags.sendDate === undefined ? undefined : parseDay(flags.sendDate, '--send-date');
    let budget: number | undefined;
    if (flags.budget !== undefined) {
      budget = numberText(flags.budget);
      if (!(budget > 0) || !Number.isFinite(budget)) throw new UserError(`--budget ${flags.budget} is not a positive amount`, 'e.g. --budget 5000');
    }
    checkOutputFolder(flags.out, '--out'); // before the scoring stages and the draws
    if (flags.optOut !== undefined && !existsSync(flags.optOut)) throw new UserError(`no opt-out file ${flags.optOut}`, 'pass a file with one customer id per line');
    if (flags.optOut !== undefined && statSync(flags.optOut).isDirectory()) throw new UserError(`--opt-out ${flags.optOut} is a folder, not a file`, 'pass a file with one customer id per line');
    // read before the warehouse is opened: a list that cannot be read as ids is refused, not applied to nobody
    const optOutList = flags.optOut !== undefined ? (await import('../../actions/opt-out-list.js')).readOptOutFile(flags.optOut) : undefined;
    const { readPlaybookFile } = await import('../../actions/playbook.js');
    const playbook = await readPlaybookFile(flags.config);
    const plan = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      let optOut: string[] | undefined;
      if (optOutList !== undefined) {
        if (!keyring) throw new UserError('--opt-out needs the warehouse key to match ids', 'pass --key-file or set CLVKIT_KEY');
        const { createPseudonymiser } = await import('../../privacy/tokens/pseudonymise.js');
        const { optOutTokens } = await import('../../privacy/warehouse/held-customer-token.js');
        const token = createPseudonymiser(keyring);
        // a line that is a customer token (what a marketer sees of customers) is that customer; it used to be
        // pseudonymised again, matched nobody, and the opted-out customer was drawn to be contacted. A token-shaped line
        // may also be an original id of that shape: both readings are left out
        optOut = optOutList.ids.flatMap((id) => optOutTokens(id, token));
      }
      return runPlaybook(warehouse, { playbook, outDir: flags.out, seed, keyring, access, minGroupSize, ...(budget !== undefined ? { budget, ranking: flags.rankBy } : {}), ...(flags.prefix !== undefined ? { prefix: flags.prefix } : {}), ...(sendDate !== undefined ? { sendDate } : {}), ...(optOut ? { optOut, optOutLines: optOutList!.ids.length } : {}), idempotent: flags.idempotent === true, onNote: (line) => void io.stderr.write(`clvkit: ${line}\n`), ...(canScoreFirst(flags) ? { score: (w: Warehouse) => scoreWarehouse(w, { keyring, access, minGroupSize }) } : {}) });
    });
    io.stdout.write(flags.json ? JSON.stringify(plan, null, 2) + '\n' : formatPlan(plan, minGroupSize) + '\n' + reusedLine(plan));
    // --json: stdout is the plan alone; the hint of a plan that drew nothing goes to stderr
    const hint = flags.json ? nothingDrawnHint(plan, minGroupSize) : null;
    if (hint) io.stderr.write(`clvkit: ${hint}\n`);
  });
}
