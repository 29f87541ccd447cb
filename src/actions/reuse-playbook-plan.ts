/**
 * A playbook run again under the names of audiences it drew (`--idempotent`; the API's `"idempotent": true`): with
 * the same inputs the plan of that run is answered (stored in `playbook_runs` when it finished, with its inputs), its
 * plays' files and plan.json / plan.csv written to this run's folder again, nothing drawn again; with other inputs, or
 * when that run stopped before its plan was stored, it is refused in one line saying so.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ConflictError } from '../core/errors/conflict-error.js';
import { storedSecondsIso, wholeSecondsIso } from '../core/whole-seconds.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { DrawDates, DrawInputs } from './draw-request.js';
import { exportStoredAudience } from './export-stored-audience.js';
import { writePlanFiles } from './plan-files.js';
import type { PlaybookPlan, RunPlaybookOptions } from './playbook-plan.js';
import { assertDrawnWith, dropTakenName } from './reuse-audience.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The inputs of a playbook run, stored with each audience it draws and its plan: the plays (hashed), budget, ranking, seed, dates, prefix, opt-out list (hashed), k-floor. */
export function playbookInputs(options: RunPlaybookOptions): DrawInputs {
  return {
    what: 'playbook',
    plays: sha256(JSON.stringify(options.playbook.plays)),
    budget: options.budget ?? null,
    rankBy: options.budget === undefined ? null : (options.ranking ?? 'auto'),
    seed: options.seed,
    sendDate: options.sendDate ?? null,
    prefix: options.prefix ?? null,
    optOut: options.optOut === undefined ? null : sha256([...new Set(options.optOut)].sort().join('\n')),
    minGroupSize: options.minGroupSize,
  };
}

/** Stores the plan of a run that drew audiences, under their prefix, with its inputs and run id (`playbook_runs.request`: `{ inputs, runId }`). */
export async function storePlaybookRun(warehouse: Warehouse, prefix: string, run: { inputs: DrawInputs; runId: string }, plan: PlaybookPlan): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(`INSERT INTO playbook_runs (prefix, created_at, request, plan) VALUES (${d.literal(prefix)}, ${d.timestamp(wholeSecondsIso())}, ${d.literal(JSON.stringify(run))}, ${d.literal(JSON.stringify(plan))})`);
}

/**
 * The plan of the run that drew the audiences `taken` (names `<prefix><play>`), when it was run with `inputs` on the
 * same `dates`: each audience checked (`assertDrawnWith`: other inputs or dates refused naming them), the plan stored
 * under the run id stamped in them read back — never another run's under the same prefix — with `reused: true` and a
 * first warning saying so (`onNote` too), its plays' members written to `outDir` again (audited as exports) with
 * plan.json and plan.csv, each play's members, treatment and control as its audience holds them now (erasure and
 * retention take members out: a note says so, the costs and values stay as drawn). Refused, naming every audience to
 * drop, when no plan of that run is stored (it stopped before storing it, or one of its audiences was dropped: a drop
 * removes the plans naming it), its audiences are not those taken, or they were drawn by different runs.
 */
export async function reusePlaybookPlan(warehouse: Warehouse, options: RunPlaybookOptions & { onNote: (line: string) => void }, run: { prefix: string; taken: readonly string[]; inputs: DrawInputs; dates: DrawDates; outDir: string }): Promise<PlaybookPlan> {
  const api = options.api === true;
  const again = api ? 'send another prefix' : 'pass another --prefix';
  const names = [...run.taken].sort();
  const refused = (what: string) =>
    new ConflictError(`the audience${names.length > 1 ? 's' : ''} ${names.join(', ')} of a run of this playbook with the same inputs exist${names.length > 1 ? '' : 's'}, but ${what}`, `drop them (${names.map((name) => dropTakenName(warehouse, name, api)).join('; ')}) and run it again, or ${again}`);
  const runIds = new Set<string | undefined>();
  for (const name of names) runIds.add((await assertDrawnWith(warehouse, name, run.inputs, run.dates, api, { answers: 'the stored plan', change: again })).runId);
  const [runId] = [...runIds];
  if (runIds.size > 1) throw refused('they were drawn by different runs');
  const rows = await warehouse.query(`SELECT created_at, request, plan FROM playbook_runs WHERE prefix = ${warehouse.dialect.literal(run.prefix)} ORDER BY created_at DESC`);
  const stored = runId === undefined ? undefined : rows.map((row) => ({ drawnAt: storedSecondsIso(row.created_at), request: JSON.parse(String(row.request)) as { runId?: string }, plan: JSON.parse(String(row.plan)) as PlaybookPlan })).find((r) => r.request.runId === runId);
  if (!stored) throw refused('no plan of that run is stored (it stopped before storing it, or one of its audiences was dropped since)');
  const drawn = stored.plan.plays.flatMap((p) => (p.audience === null ? [] : [p.audience])).sort();
  if (drawn.join('\n') !== names.join('\n')) throw refused(`its plan drew ${drawn.join(', ')}: some were dropped since`);
  const note = `the audiences of this playbook (${names.join(', ')}) exist, drawn with the same inputs: the plan of that run answered as stored, nothing drawn again (${api ? '"idempotent": true' : '--idempotent'})`;
  options.onNote(note);
  const plays = [];
  const changed: string[] = [];
  let removed = 0;
  for (const play of stored.plan.plays) {
    if (play.audience === null || play.file === null) {
      plays.push(play);
      continue;
    }
    const { audience: now, file } = await exportStoredAudience(warehouse, play.audience, { path: join(run.outDir, `${play.play}.csv`) }, options.keyring, options.access, { command: api ? 'POST /api/playbook/run (idempotent)' : 'playbook --idempotent', destination: '', api });
    if (now.members !== play.members) {
      removed += play.members - now.members;
      changed.push(`the audience ${play.audience} holds ${now.members} members now, ${play.members} when the plan was drawn (erasure or retention took them out since): the plan's costs and values are as drawn`);
    }
    plays.push({ ...play, members: now.members, treatment: now.treatment, control: now.control, file: file.path });
  }
  for (const line of changed) options.onNote(line);
  const totals = { ...stored.plan.totals, members: stored.plan.totals.members - removed };
  const plan: PlaybookPlan = { ...stored.plan, plays, totals, reused: true, drawnAt: stored.drawnAt, warnings: [note, ...changed, ...stored.plan.warnings] };
  writePlanFiles(run.outDir, plan);
  return plan;
}
