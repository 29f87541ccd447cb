import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { TimeUnit } from '../../core/time-unit.js';
import { warnOn, type CliIo } from '../cli-io.js';
import type { ScoresModel } from '../../pipeline/scores-model-meta.js';
import { lazyFunction } from '../lazy-function.js';
import { withEngineInputWarehouse } from './engine-input-warehouse.js';
import { addEngineOptions, type EngineFlags } from './engine-flags.js';
import { addAccessOptions, addReadOptions, type AccessFlags, type ReadFlags } from './shared-options.js';
import { clusterFlags } from '../../engine/warehouse-flags.js';
import { erasedAt, erasedCustomerMessage } from '../../engine/erased-customers.js';
import { shellPath, shellWord } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const computeCustomerAlivePath = lazyFunction(() => import('../../pipeline/customer-alive-path.js'), 'computeCustomerAlivePath');
const showCustomerRow = lazyFunction(() => import('./customer-row.js'), 'showCustomerRow');
const readScoresModel = lazyFunction(() => import('../../pipeline/scores-model-meta.js'), 'readScoresModel');

/**
 * `clvkit customer ID FLAGS` for a hint, the id quoted (`shellWord`); an id that starts with `-` after `--` at the
 * end, where it reads as the operand it is, not as an option.
 *
 * Example: `customerHint('-C1', '--db shop.duckdb')` → `clvkit customer --db shop.duckdb -- -C1`
 */
function customerHint(id: string, flags: string): string {
  return id.startsWith('-') ? `clvkit customer ${flags} -- ${shellWord(id)}` : `clvkit customer ${shellWord(id)} ${flags}`;
}

/** The purchase models an alive path can use (continuous time; the BG/BB counts opportunities). */
const PATH_MODELS = ['bgnbd', 'mbgnbd', 'paretonbd'] as const;

interface CustomerFlags extends ReadFlags, Partial<AccessFlags>, EngineFlags {
  db?: string;
  alivePath?: boolean;
  revealIds?: boolean;
  model?: (typeof PATH_MODELS)[number];
  timeUnit?: TimeUnit;
  asOf?: string;
  step?: string;
  json?: boolean;
}

export function customerCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('customer')
      .description('one customer: their row of the last analysis (CLV, P(alive), expected purchases, segment, stage, churn risk, next order; as the API\'s customer 360), or P(alive) over their own history (--alive-path)')
      .argument('<id>', 'the customer id as in the input (with --db also its token)')
      .argument('[file]', 'transaction file (or --db)')
      .option('--db <path>', 'use the transactions of this warehouse')
      .option('--reveal-ids', 'the row: the original id and personal data unmasked beside the token (role admin; audited as a re-identification)')
      .option('--alive-path', 'P(alive) day by day (or every --step) from the first purchase to --as-of (lifetimes calculate_alive_path)')
      .addOption(new Option('--model <model>', 'purchase model fitted on all customers (default: with --db, the model behind customer_scores.p_alive when analyze used one of these; else bgnbd)').choices([...PATH_MODELS]))
      .addOption(new Option('--time-unit <unit>', 'time unit of the model and of --step (default: with --db, the one analyze used; else week)').choices(['day', 'week', 'month']))
      .option('--as-of <date>', 'end of the path and of the fit, YYYY-MM-DD (default: the last purchase day in the data)')
      .option('--step <n>', 'grid step in the time unit (default: one day); purchase days are always on the path')
      .option('--json', 'print JSON'),
  ))).action(async (id: string, file: string | undefined, flags: CustomerFlags) => {
    const where = flags.engine === 'clickhouse' ? clusterFlags({ url: flags.clickhouseUrl ?? 'URL', database: flags.clickhouseDatabase, cluster: flags.cluster }) : `--db ${shellPath(flags.db ?? 'shop.duckdb')}`;
    if (!flags.alivePath) {
      // the row of the last analysis: a warehouse's, not a file's (nothing is analysed from a file here)
      if (file !== undefined) throw new UserError(`the customer's row is read from an analysed warehouse, not a file`, `clvkit analyze ${shellPath(file)} --db shop.duckdb, then ${customerHint(id, '--db shop.duckdb')}; or compute P(alive) from the file with --alive-path`);
      const flagsOfPath = (['model', 'timeUnit', 'asOf', 'step'] as const).filter((name) => flags[name] !== undefined);
      if (flagsOfPath.length > 0) throw new UserError(`--${flagsOfPath[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is for --alive-path`, `add --alive-path, or leave it out to see the customer's row`);
    } else if (flags.revealIds) {
      throw new UserError('--reveal-ids is for the customer\'s row, not --alive-path', `leave out --alive-path to see the row with the original id (role admin): ${customerHint(id, `${where} --role admin --reveal-ids`)}`);
    }
    const step = flags.step === undefined ? undefined : numberText(flags.step);
    if (step !== undefined && !(step > 0 && Number.isFinite(step))) throw new UserError(`--step ${flags.step} is not a number > 0`, 'e.g. --step 1 for one point per time unit');
    // per-customer data: roles that may see tokens and per-customer internal data (not viewers)
    await withEngineInputWarehouse('customer', file, flags, async (warehouse, session) => {
      const stored = await session.storedId(id);
      // an erased customer is said to be so, and when, and nothing else (their rows are gone: "no purchase" read as an id
      // never seen); the look-up is audited as any customer look-up is, so that probing ids for erasures leaves a trace
      const erased = file === undefined ? await erasedAt(warehouse, stored) : null;
      if (erased !== null) {
        await session.record({ action: session.action, target: { customerToken: stored }, rowCounts: { customers: 0 }, details: { command: flags.alivePath ? 'customer --alive-path' : 'customer', erased: true } });
        const { message, hint } = erasedCustomerMessage(id, erased);
        throw new UserError(message, hint);
      }
      if (!flags.alivePath) return showCustomerRow(warehouse, session, id, stored, { revealIds: flags.revealIds === true, json: flags.json === true, where }, io);
      const { model, timeUnit, asOf, note } = alivePathDefaults(flags, file === undefined ? await readScoresModel(warehouse) : null);
      const path = await computeCustomerAlivePath(warehouse, stored, { model, timeUnit, ...(asOf ? { asOf } : {}), ...(step !== undefined ? { step } : {}), showScores: session.action === 'view_tokens', givenId: id }); // the role sees per-customer scores
      // the note on the defaults only with a path: a refusal (no purchase, a prospect) is one line
      if (note) io.stderr.write(`clvkit: ${note}\n`);
      await session.record({ action: session.action, target: { customerToken: stored }, rowCounts: { customers: 1, points: path.points.length }, details: { command: 'customer --alive-path', model } });
      // the customer is shown as stored (a token in a keyed warehouse); only an admin sees the id as given beside it
      const shown = flags.role === 'admin' && stored !== id ? { customer: stored, id } : { customer: stored };
      if (flags.json) {
        io.stdout.write(JSON.stringify({ ...shown, ...path }, null, 2) + '\n');
        return;
      }
      const params = Object.entries(path.params).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ');
      const lines = [
        `customer ${shown.customer}${'id' in shown ? ` (${shown.id})` : ''}: ${path.purchaseDays.length === 1 ? `1 purchase day, ${path.firstPurchase}` : `${path.purchaseDays.length} purchase days from ${path.firstPurchase} to ${path.purchaseDays.at(-1)}`}; P(alive) by ${path.label} (${params}; ${path.timeUnit}s), fitted on all customers as of ${path.asOf}`,
        `day         age (${path.timeUnit}s)  repeat purchases  last at  P(alive)`,
        ...path.points.map((p) => `${p.day}  ${p.age.toFixed(3).padStart(11)}  ${String(p.frequency).padStart(16)}  ${p.recency.toFixed(3).padStart(7)}  ${p.pAlive.toFixed(4).padStart(8)}`),
      ];
      io.stdout.write(lines.join('\n') + '\n');
    }, { actions: ['view_tokens'], command: 'customer', warn: warnOn(io) });
  });
}

/**
 * The model, time unit and end of an alive path: as given; else, for a warehouse analyze has scored, those behind
 * customer_scores.p_alive — its model, time unit and as-of day, so that the path ends at the P(alive) customers.csv
 * shows — with a note naming every default taken from it; else BG/NBD in weeks to the last purchase day. MBG/CNBD-k
 * (no alive path here) falls back to BG/NBD, and clock hours to days, noted; an analysis by order counts orders where
 * the path counts purchase days, noted too.
 */
export function alivePathDefaults(flags: CustomerFlags, scored: ScoresModel | null): { model: (typeof PATH_MODELS)[number]; timeUnit: TimeUnit; asOf?: string; note?: string } {
  const usable = scored && (PATH_MODELS as readonly string[]).includes(scored.model) ? (scored.model as (typeof PATH_MODELS)[number]) : null;
  const model = flags.model ?? usable ?? 'bgnbd';
  if (!scored) return { model, timeUnit: flags.timeUnit ?? 'week', ...(flags.asOf ? { asOf: flags.asOf } : {}) };
  const taken: string[] = [];
  const caveats: string[] = [];
  if (flags.model === undefined) {
    if (usable) taken.push(`the model ${usable}`);
    else caveats.push(`customer_scores.p_alive is ${scored.model}'s, which has no alive path here: the path uses bgnbd`);
  }
  let timeUnit = flags.timeUnit;
  if (timeUnit === undefined) {
    timeUnit = scored.timeUnit === 'hour' ? 'day' : scored.timeUnit;
    if (scored.timeUnit === 'hour') caveats.push('analyze counted clock hours, the path counts days');
    else taken.push(`${timeUnit}s`);
  }
  // the as-of day only with the model analyze used: another model's path has no customers.csv value to end at
  const asOf = flags.asOf ?? (flags.model === undefined && usable ? scored.asOf : undefined);
  if (flags.asOf === undefined && asOf !== undefined) taken.push(`as of ${asOf}`);
  if (scored.grain === 'order') caveats.push('analyze counted orders, the path counts purchase days');
  const parts = [
    ...(taken.length > 0 ? [`${taken.join(', ')}: as analyze scored customer_scores.p_alive (--model, --time-unit, --as-of choose others)`] : []),
    ...caveats,
  ];
  return { model, timeUnit, ...(asOf ? { asOf } : {}), ...(parts.length > 0 ? { note: `alive path: ${parts.join('; ')}` } : {}) };
}
