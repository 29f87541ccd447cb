import { Command } from 'commander';
import { parseDay } from '../../core/calendar-days.js';
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { AudienceSummary } from '../../actions/create-audience.js';
import { balanceCliLine, type GroupBalance } from '../../actions/balance-summary.js';
import type { StoredAudience } from '../../actions/audience-store.js';
import { describeSuppression } from '../../actions/suppression-condition.js';
import { audienceFileGroup, type AudienceFileGroup } from '../../actions/audience-file-group.js';
import { keptOldScratchFilesLine } from '../../actions/kept-old-scratch-files-line.js';
import { resolveAccess, type Access } from '../../privacy/access/access.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { warehouseFlags } from '../../engine/warehouse-flags.js';
import { plural } from '../../core/plural.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const createAudience = lazyFunction(() => import('../../actions/create-audience.js'), 'createAudience');
const scoreWarehouse = lazyFunction(() => import('../../pipeline/score-warehouse.js'), 'scoreWarehouse');
const listAudiences = lazyFunction(() => import('../../actions/audience-store.js'), 'listAudiences');
const readAudience = lazyFunction(() => import('../../actions/audience-store.js'), 'readAudience');
const dropAudience = lazyFunction(() => import('../../actions/audience-store.js'), 'dropAudience');
const exportStoredAudience = lazyFunction(() => import('../../actions/export-stored-audience.js'), 'exportStoredAudience');
const recordAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'recordAudit');
const withClusterActionWarehouse = lazyFunction(() => import('./clickhouse-commands.js'), 'withClusterActionWarehouse');

interface WarehouseFlags extends AccessFlags, EngineFlags {
  db: string;
  json?: boolean;
}

/** The warehouse can be analysed first when a filter needs derived tables it lacks (DuckDB only: on a cluster run analyze --engine clickhouse). */
export function canScoreFirst(flags: EngineFlags): boolean {
  return checkEngineFlags(flags) === 'duckdb';
}

/**
 * Opens `--db` with its key (required: audiences are audited) and closes it
 * after `work`; with `--engine clickhouse`, the cluster of `--clickhouse-url`
 * with the key of `--key-file` / CLVKIT_KEY (clickhouse-commands.ts).
 */
export async function withActionWarehouse<T>(flags: WarehouseFlags, work: (warehouse: Warehouse, keyring: Keyring | null, access: Access) => Promise<T>): Promise<T> {
  const access = resolveAccess(accessFromFlags(flags));
  if (checkEngineFlags(flags) === 'clickhouse') return withClusterActionWarehouse(clickhouseTarget(flags), (warehouse, keyring) => work(warehouse, keyring, access));
  assertWarehouseExists(flags.db);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, requireKey: true, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}) });
  try {
    return await work(warehouse, keyring, access);
  } finally {
    await warehouse.close();
  }
}

/** Parses a fraction strictly between 0 and 1 (`--holdout`). */
export function holdoutFlag(value: string): number {
  const n = numberText(value);
  if (n === 0) throw new UserError('--holdout 0 is a control group of zero: the campaign could not be measured', 'keep a control group, e.g. --holdout 0.1 (10% not contacted)');
  if (!(n > 0 && n < 1)) throw new UserError(`--holdout ${value} is not a fraction between 0 and 1`, 'e.g. --holdout 0.2 keeps 20% of the audience as the control group');
  return n;
}

/** Parses `--seed`: a whole number. */
export function seedFlag(value: string): number {
  const n = numberText(value);
  if (!Number.isSafeInteger(n)) throw new UserError(`--seed ${value} is not a whole number`, 'e.g. --seed 7 (the same seed draws the same control group)');
  return n;
}

const count = (n: number) => n.toLocaleString('en-US');

const GROUP_HELP = "the members written to --out: treatment (the customers to contact: the send file), control, or all with their group column";

/** `--group` parsed (all without it); refused without `--out`, whose members it picks. */
function groupFlag(flags: { group?: string; out?: string }): AudienceFileGroup {
  if (flags.group === undefined) return 'all';
  const group = audienceFileGroup(flags.group);
  if (!flags.out) throw new UserError('--group picks the members written to the --out file, and no --out was given', 'add --out FILE');
  return group;
}

/** The `wrote` line of `create --out` and `show --out`: the rows, and the group when one alone was written. */
function wroteLine(file: { path: string; rows: number; columns: readonly string[]; group: string }): string {
  return `  wrote      ${file.path} (${count(file.rows)} rows${file.group === 'all' ? '' : `, ${file.group} group`}: ${file.columns.join(', ')})\n`;
}

/** Parses a suppression rule's days (`--contacted-within`, `--bought-within`, `--next-order-within`): a whole number 1–3650. */
export function suppressionDaysFlag(value: string, flag: string): number {
  const n = numberText(value);
  if (!(Number.isInteger(n) && n >= 1 && n <= 3650)) throw new UserError(`${flag} ${value} is not a whole number of days from 1 to 3650`, `e.g. ${flag} 30`);
  return n;
}

/** `; N removed since the draw …` when erasure or retention took members out of a stored audience. */
function removedSinceDraw(a: AudienceSummary | StoredAudience): string {
  const removed = 'drawn' in a ? a.drawn.members - a.members : 0;
  return removed > 0 ? `; ${count(removed)} removed since the draw by erasure or retention` : '';
}

/** `create`'s balance line: the largest |SMD| of the groups before the send date, and how to redraw when one is beyond chance or above 0.25 (`REDRAW_SMD`; above 0.1 within chance is a note). */
function drawBalanceLine(b: GroupBalance, name: string): string {
  const redraw = `to redraw before sending: clvkit audience drop ${name}, then create it again with another --seed`;
  return `${balanceCliLine(b, redraw, redraw)}\n`;
}

/** The line of a text summary (audience create, playbook) whose answer was reused (`--idempotent`): on stdout, said under --quiet too. */
export function reusedLine(answer: { reused: boolean; drawnAt: string | null }): string {
  return answer.reused ? `reused: answered as stored (--idempotent), drawn ${answer.drawnAt ?? '—'}; nothing drawn again\n` : '';
}

/** A draw that matched nobody (`emptyAudience`): answered, nothing stored (a stored audience erased to nobody is stored). */
function notStored(a: AudienceSummary | StoredAudience): boolean {
  return 'reused' in a && !a.reused && a.members === 0;
}

/** One line per audience, for `create` and `show`. */

export function formatAudience(a: AudienceSummary | StoredAudience): string {
  return [
    `audience ${a.name}: ${count(a.members)} customer${a.members === 1 ? '' : 's'} — ${count(a.treatment)} treatment, ${count(a.control)} control (${(100 * a.holdout).toFixed(1)}% held out, seed ${a.seed}${removedSinceDraw(a)})`,
    `  where      ${a.where}${a.play ? ` (play ${a.play}${'costPerContact' in a && a.costPerContact !== null ? `, ${a.costPerContact} per contact` : ''})` : ''}`,
    ...('suppressed' in a && a.matched > a.members ? [`  left out   ${count(a.matched - a.members)} of ${count(a.matched)} matched: ${describeSuppression(a.suppressed)}`] : []),
    notStored(a)
      ? `  send date  ${a.sendDate} (scores as of ${a.scoresAsOf ?? '—'}); nothing stored: an audience of nobody is neither sent nor measured`
      : `  send date  ${a.sendDate} (responses are counted from this day; scores as of ${a.scoresAsOf ?? '—'})${a.measureDays === null ? '' : `; measured over ${plural(a.measureDays, 'day')}: its control group is held back from other draws until then, unless evaluated sooner`}`,
  ].join('\n');
}

export function audienceCommand(io: CliIo): Command {
  const audience = new Command('audience').description('audiences with a seeded random control group: create (filter over scores, stages and segments), list, show, drop');
  const warehouseOptions = (command: Command) => addEngineOptions(addAccessOptions(command.option('--db <path>', 'warehouse file', './clvkit.duckdb').option('--json', 'print JSON')));
  warehouseOptions(
    audience
      .command('create')
      .description('select customers with --where over the derived tables (docs/actions.md), hold out a seeded random control group, store both in the warehouse (audited) and write the members (--out); prints the balance of the draw: the largest standardised mean difference of the groups before the send date (purchases, buyers and revenue in the --measure-days before it, purchases to date, days since the last purchase) and whether chance gives it at these group sizes — redraw with another --seed if not')
      .requiredOption('--name <name>', 'audience name (letters, digits, _ . -)')
      .requiredOption('--where <expr>', "filter, e.g. \"stage IN ('at_risk','dormant') AND predicted_clv_12m > 50\" (docs/actions.md); a text a category column cannot hold (value_tier = 'top') is refused with its values")
      .option('--holdout <fraction>', 'share of the audience held out as the control group (not contacted)', '0.1')
      .option('--seed <n>', 'seed of the control-group draw (recorded)', '1')
      .option('--send-date <date>', 'first day a response counts, YYYY-MM-DD (default: the day after the last transaction; one on or before the scores\' date, or more than 90 days after the last purchase and today, is noted on stderr)')
      .option('--out <file>', 'write the members: customer_id (token), group; CSV or JSON (its folder is created when missing)')
      .option('--format <format>', 'csv or json (default: from the --out name: .json is JSON, any other CSV; a name of a spreadsheet or Parquet file, .xlsx .xls .xlsm .ods .parquet, is refused without --format)')
      .option('--group <group>', GROUP_HELP)
      .option('--reveal-ids', 'add the original customer ids in a column original_id (role admin; audited as a re-identification)')
      .option('--min-group-size <k>', 'refuse audiences of fewer customers than this, and control or treatment groups smaller than this (the privacy k-floor; campaign evaluate refuses such groups)', '5')
      .option('--measure-days <days>', 'days from the send date over which the campaign is to be measured: with the contact rule (--contacted-within, a playbook\'s contactedWithinDays) other draws leave its control group out until then, unless it is evaluated sooner', '30')
      .option('--contacted-within <days>', "leave out customers treated by an audience sent in the DAYS before the send date or on it, and the control groups of running campaigns (the playbook's contactedWithinDays); without it, a draw that takes customers out of a running campaign's control group (one sent on the send date included), or whose control group an audience sent the same day treats, is noted")
      .option('--bought-within <days>', "leave out customers who bought in the DAYS before the send date (the playbook's recentlyBoughtDays)")
      .option('--next-order-within <days>', "leave out customers whose next order is expected (P50) within DAYS of the send date anyway (the playbook's nextOrderWithinDays; needs the value models)")
      .option('--idempotent', 'safe to run again (a retried nightly job): a --name taken by an audience drawn with the same inputs (filter, holdout, seed, dates, suppression, --min-group-size) answers it as stored — exit 0, nothing drawn again, --out written again, --json reused: true and a warning — while one drawn with other inputs is refused naming them (exit 2)'),
  ).action(async (flags: WarehouseFlags & { name: string; where: string; holdout: string; seed: string; sendDate?: string; out?: string; format?: string; group?: string; revealIds?: boolean; minGroupSize: string; measureDays: string; contactedWithin?: string; boughtWithin?: string; nextOrderWithin?: string; idempotent?: boolean }) => {
    const holdout = holdoutFlag(flags.holdout);
    const seed = seedFlag(flags.seed);
    const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
    const sendDate = flags.sendDate === undefined ? undefined : parseDay(flags.sendDate, '--send-date');
    const suppression = {
      ...(flags.contactedWithin !== undefined ? { contactedWithinDays: suppressionDaysFlag(flags.contactedWithin, '--contacted-within') } : {}),
      ...(flags.boughtWithin !== undefined ? { recentlyBoughtDays: suppressionDaysFlag(flags.boughtWithin, '--bought-within') } : {}),
      ...(flags.nextOrderWithin !== undefined ? { nextOrderWithinDays: suppressionDaysFlag(flags.nextOrderWithin, '--next-order-within') } : {}),
    };
    if (flags.revealIds && !flags.out) throw new UserError('--reveal-ids writes original ids to the --out file, and no --out was given', 'add --out FILE');
    const group = groupFlag(flags);
    // the draw with its balance (createAudience measures it; a failure to is a note on stderr)
    const result = await withActionWarehouse(flags, (warehouse, keyring, access) =>
      createAudience(warehouse, {
        name: flags.name,
        where: flags.where,
        holdout,
        seed,
        keyring,
        access,
        minGroupSize,
        measureDays: suppressionDaysFlag(flags.measureDays, '--measure-days'),
        ...(Object.keys(suppression).length > 0 ? { suppression } : {}),
        ...(sendDate ? { sendDate } : {}),
        ...(flags.out ? { out: { path: flags.out, ...(flags.format ? { format: flags.format as 'csv' } : {}), revealIds: flags.revealIds === true, group } } : {}),
        idempotent: flags.idempotent === true,
        onNote: (line) => void io.stderr.write(`clvkit: ${line}\n`),
        ...(canScoreFirst(flags) ? { score: (w: Warehouse) => scoreWarehouse(w, { keyring, access, minGroupSize }) } : {}),
      }),
    );
    if (flags.json) return void io.stdout.write(JSON.stringify(result, null, 2) + '\n');
    io.stdout.write(formatAudience(result) + '\n' + (result.balance ? drawBalanceLine(result.balance, result.name) : '') + (result.file ? wroteLine(result.file) : '') + reusedLine(result));
  });
  warehouseOptions(audience.command('list').description('the stored audiences with their size, control group and filter')).action(async (flags: WarehouseFlags) => {
    // the flags naming this warehouse again, for the hint of an empty list: its file on DuckDB, the cluster's flags on
    // ClickHouse, as audience show's "no audience" names them
    let again = '--db PATH';
    const audiences = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      const list = await listAudiences(warehouse);
      if (keyring) await recordAudit(warehouse, keyring, access, { action: 'view_aggregates', target: 'table:audiences', details: { command: 'audience list' } });
      again = warehouseFlags(warehouse);
      return list;
    });
    if (flags.json) return void io.stdout.write(JSON.stringify(audiences, null, 2) + '\n');
    if (audiences.length === 0) return void io.stdout.write(`no audiences (clvkit audience create ${again} --name NAME --where EXPR)\n`);
    // the name column as wide as the longest name (a playbook's names run past 24 characters)
    const width = Math.max(24, ...audiences.map((a) => a.name.length + 2));
    const lines = [`${'name'.padEnd(width)}${'members'.padStart(10)}${'control'.padStart(9)}${'send date'.padStart(12)}  where`];
    for (const a of audiences) lines.push(`${a.name.padEnd(width)}${count(a.members).padStart(10)}${count(a.control).padStart(9)}${a.sendDate.padStart(12)}  ${a.where}`);
    io.stdout.write(lines.join('\n') + '\n');
  });
  warehouseOptions(
    audience
      .command('show')
      .description('one audience: filter, control-group draw, sizes; with --out, its members written again (masked by role, audited)')
      .argument('<name>', 'audience name')
      .option('--out <file>', 'write the members: customer_id (token), group; CSV or JSON (its folder is created when missing)')
      .option('--format <format>', 'csv or json (default: from the --out name: .json is JSON, any other CSV; a name of a spreadsheet or Parquet file, .xlsx .xls .xlsm .ods .parquet, is refused without --format)')
      .option('--group <group>', GROUP_HELP)
      .option('--reveal-ids', 'add the original customer ids in a column original_id (role admin; audited as a re-identification)'),
  ).action(async (name: string, flags: WarehouseFlags & { out?: string; format?: string; group?: string; revealIds?: boolean }) => {
    if (flags.revealIds && !flags.out) throw new UserError('--reveal-ids writes original ids to the --out file, and no --out was given', 'add --out FILE');
    const group = groupFlag(flags);
    const { found, file } = await withActionWarehouse(flags, async (warehouse, keyring, access) => {
      if (flags.out) {
        const exported = await exportStoredAudience(warehouse, name, { path: flags.out, ...(flags.format ? { format: flags.format as 'csv' } : {}), revealIds: flags.revealIds === true, group }, keyring, access);
        return { found: exported.audience, file: exported.file };
      }
      const a = await readAudience(warehouse, name);
      if (keyring) await recordAudit(warehouse, keyring, access, { action: 'view_aggregates', target: `audience:${name}`, details: { command: 'audience show' } });
      return { found: a, file: null };
    });
    const wrote = file ? wroteLine(file) : '';
    const kept = keptOldScratchFilesLine(file?.keptOldScratchFiles ?? []);
    if (kept) io.stderr.write(`clvkit: warning: ${kept}\n`);
    io.stdout.write(flags.json ? JSON.stringify({ ...found, ...(file ? { file: { path: file.path, format: file.format, rows: file.rows, columns: file.columns, group: file.group } } : {}) }, null, 2) + '\n' : `${formatAudience(found)}\n  assignment ${found.assignment}\n  created    ${found.createdAt}\n${wrote}`);
  });
  warehouseOptions(
    audience
      .command('drop')
      .description('delete an audience and its members (audited); campaign evaluations already made are kept. One that is the record of a campaign (evaluated, or drawn before a send date that has passed) is refused unless --force --role admin')
      .argument('<name>', 'audience name')
      .option('--force', 'drop it even when it is the record of a campaign: who was treated and who was held out are deleted (role admin; audited)'),
  ).action(async (name: string, flags: WarehouseFlags & { force?: boolean }) => {
    const dropped = await withActionWarehouse(flags, (warehouse, keyring, access) => dropAudience(warehouse, name, keyring, access, { force: flags.force === true }));
    io.stdout.write(flags.json ? JSON.stringify({ dropped: dropped.name, members: dropped.members }) + '\n' : `dropped audience ${dropped.name} (${count(dropped.members)} members)\n`);
  });
  return audience;
}
