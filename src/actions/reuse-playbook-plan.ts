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
import { warehouseFlags } from '../engine/warehouse-flags.js';
import { drawInputDifferences, type DrawDates, type DrawInputs } from './draw-request.js';
import { exportStoredAudience } from './export-stored-audience.js';
import { writePlanFiles } from './plan-files.js';
import type { PlaybookPlan, RunPlaybookOptions } from './playbook-plan.js';
import { assertDrawnWith } from './reuse-audience.js';

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

/** Stores the plan of a run that drew audiences, under their prefix, with its inputs (`playbook_runs`). */
export async function storePlaybookRun(warehouse: Warehouse, prefix: string, inputs: DrawInputs, plan: PlaybookPlan): Promise<void> {
  const d = warehouse.dialect;
  await warehouse.execute(`INSERT INTO playbook_runs (prefix, created_at, request, plan) VALUES (${d.literal(prefix)}, ${d.timestamp(wholeSecondsIso())}, ${d.literal(JSON.stringify(inputs))}, ${d.literal(JSON.stringify(plan))})`);
}

/**
 * The plan of the run that drew the audiences `taken` (names `<prefix><play>`), when it was run with `inputs`: each
 * audience checked (`assertDrawnWith`: other inputs refused naming them), the stored plan read back, with `reused:
 * true` and a first warning saying so (`onNote` too), its plays' members written to `outDir` again (audited as
 * exports) with plan.json and plan.csv. Refused when no plan of such a run is stored, or its audiences are not those
 * taken (the run stopped before it finished, or one was dropped since).
 */
export async function reusePlaybookPlan(warehouse: Warehouse, options: RunPlaybookOptions & { onNote: (line: string) => void }, run: { prefix: string; taken: readonly string[]; inputs: DrawInputs; dates: DrawDates; outDir: string }): Promise<PlaybookPlan> {
  const api = options.api === true;
  const again = api ? 'send another prefix' : 'pass another --prefix';
  const drop = (name: string) => (api ? `DELETE /api/audiences/${name}` : `clvkit audience drop ${name} ${warehouseFlags(warehouse)}`);
  for (const name of run.taken) await assertDrawnWith(warehouse, name, run.inputs, run.dates, api, { answers: 'the stored plan', change: again });
  const rows = await warehouse.query(`SELECT created_at, request, plan FROM playbook_runs WHERE prefix = ${warehouse.dialect.literal(run.prefix)} ORDER BY created_at DESC`);
  const stored = rows.map((row) => ({ drawnAt: storedSecondsIso(row.created_at), inputs: JSON.parse(String(row.request)) as DrawInputs, plan: JSON.parse(String(row.plan)) as PlaybookPlan })).find((r) => drawInputDifferences(r.inputs, run.inputs).length === 0);
  const drawn = stored ? stored.plan.plays.flatMap((p) => (p.audience === null ? [] : [p.audience])).sort() : [];
  const names = [...run.taken].sort();
  if (!stored || drawn.join('\n') !== names.join('\n')) {
    const what = stored ? `its plan drew ${drawn.join(', ')}: some were dropped since` : 'that run stopped before its plan was stored';
    throw new ConflictError(`the audience${names.length > 1 ? 's' : ''} ${names.join(', ')} of a run of this playbook with the same inputs exist${names.length > 1 ? '' : 's'}, but ${what}`, `drop them (${drop(names[0]!)}${names.length > 1 ? ', …' : ''}) and run it again, or ${again}`);
  }
  const note = `the audiences of this playbook (${names.join(', ')}) exist, drawn with the same inputs: the plan of that run answered as stored, nothing drawn again (${api ? '"idempotent": true' : '--idempotent'})`;
  options.onNote(note);
  const plays = [];
  for (const play of stored.plan.plays) {
    if (play.audience === null || play.file === null) {
      plays.push(play);
      continue;
    }
    const { file } = await exportStoredAudience(warehouse, play.audience, { path: join(run.outDir, `${play.play}.csv`) }, options.keyring, options.access, { command: api ? 'POST /api/playbook/run (idempotent)' : 'playbook --idempotent', destination: '', api });
    plays.push({ ...play, file: file.path });
  }
  const plan: PlaybookPlan = { ...stored.plan, plays, reused: true, drawnAt: stored.drawnAt, warnings: [note, ...stored.plan.warnings] };
  writePlanFiles(run.outDir, plan);
  return plan;
}
