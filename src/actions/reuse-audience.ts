import { ConflictError } from '../core/errors/conflict-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import type { Access } from '../privacy/access/access.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { readAudience } from './audience-store.js';
import { drawInputDifferences, readDrawRequest, type DrawDates, type DrawInputs } from './draw-request.js';
import { dayOfValue } from '../core/calendar-days.js';
import type { AudienceFileOptions } from './export-audience-file.js';
import { exportStoredAudience } from './export-stored-audience.js';
import type { AudienceSummary } from './audience-summary.js';
import { groupBalance } from './group-balance.js';
import { errorMessage } from '../core/errors/error-message.js';
import { DEFAULT_MEASURE_DAYS } from './playbook.js';

/** How to free a taken name, in the CLI's words or the API's (`api`). */
export function dropTakenName(warehouse: Warehouse, name: string, api: boolean): string {
  return api ? `DELETE /api/audiences/${name}` : `clvkit audience drop ${name} ${warehouseFlags(warehouse)}`;
}

/** The refusal of a name already taken, its hint naming the idempotent way (`--idempotent`; the API's `"idempotent": true`). */
export function nameTakenError(warehouse: Warehouse, name: string, api: boolean): ConflictError {
  return new ConflictError(
    `audience ${name} already exists`,
    `choose another ${api ? 'name' : '--name'}, or drop it first: ${dropTakenName(warehouse, name, api)}; ${api ? '"idempotent": true' : '--idempotent'} answers the stored audience when the inputs are the same`,
  );
}

/**
 * `ConflictError` unless the stored audience `name` was drawn with `inputs` (`audiences.request`) on the same dates
 * (`dates`: the send date resolved now and the day the scores describe now, against those stored, else the
 * audience's row's): one drawn with other inputs or dates names those that differ, one drawn before the inputs were
 * kept says so. Returns the stored request (what the draw matched, the playbook run that drew it).
 */
export async function assertDrawnWith(warehouse: Warehouse, name: string, inputs: DrawInputs, dates: DrawDates, api: boolean, words?: { answers: string; change: string }) {
  const [row] = await warehouse.query(`SELECT request, send_date, scores_as_of FROM audiences WHERE name = ${warehouse.dialect.literal(name)}`);
  const stored = readDrawRequest(row?.request);
  // what the same inputs answer and how to pick other names: the audience and --name, or a playbook's plan and --prefix
  const { answers, change } = words ?? { answers: 'the stored audience', change: `choose another ${api ? 'name' : '--name'}` };
  if (stored === null) throw new ConflictError(`audience ${name} already exists, drawn before clvkit kept the inputs of a draw: they cannot be compared`, `${change}, or drop it first: ${dropTakenName(warehouse, name, api)}`);
  const then = stored.dates ?? { sendDate: dayOfValue(row!.send_date)!, scoresAsOf: dayOfValue(row!.scores_as_of) };
  const differences = drawInputDifferences(stored.inputs, inputs, { then, now: dates });
  if (differences.length > 0) throw new ConflictError(`audience ${name} already exists, drawn with other inputs: ${differences.join('; ')}`, `the same inputs answer ${answers}; for these ${change}, or drop it first: ${dropTakenName(warehouse, name, api)}`);
  return stored;
}

/**
 * The answer to a draw run again under a name taken, with the same inputs (`--idempotent`; the API's `"idempotent":
 * true`): the audience as stored — its groups as they are now (erasure and retention take members out), what the
 * first draw matched, the balance of its groups — with `reused: true` and a note saying so; its members written to
 * `out` again (audited as an export), else the read audited as `audience show`'s. Refused (`assertDrawnWith`) when
 * its inputs differ. Nothing is drawn again.
 */
export async function reuseAudience(
  warehouse: Warehouse,
  request: { name: string; inputs: DrawInputs; dates: DrawDates; api: boolean; minGroupSize: number; out?: AudienceFileOptions; keyring: Keyring | null; access: Access; onNote: (line: string) => void; warnings: string[] },
): Promise<AudienceSummary> {
  const { name, api } = request;
  const { drawn } = await assertDrawnWith(warehouse, name, request.inputs, request.dates, api);
  request.onNote(`audience ${name} exists, drawn with the same inputs: answered as stored, nothing drawn again (${api ? '"idempotent": true' : '--idempotent'})`);
  let file: AudienceSummary['file'] = null;
  if (request.out) {
    const exported = await exportStoredAudience(warehouse, name, request.out, request.keyring, request.access, { command: api ? 'POST /api/audiences (idempotent)' : 'audience create --idempotent', destination: '', api });
    file = { path: exported.file.path, format: exported.file.format, rows: exported.file.rows, columns: exported.file.columns, group: exported.file.group };
  } else if (request.keyring) {
    await recordAudit(warehouse, request.keyring, request.access, { action: 'view_aggregates', target: `audience:${name}`, details: { command: api ? 'POST /api/audiences (idempotent)' : 'audience create --idempotent' } });
  }
  const a = await readAudience(warehouse, name);
  const measureDays = a.measureDays ?? DEFAULT_MEASURE_DAYS;
  const balance = await groupBalance(warehouse, { audience: name, sendDate: a.sendDate, preDays: measureDays, minGroupSize: request.minGroupSize }).catch((error: unknown) => {
    request.onNote(`the balance of the draw could not be measured: ${errorMessage(error)}`);
    return null;
  });
  return {
    name,
    where: a.where,
    play: a.play,
    members: a.members,
    matched: drawn.matched,
    suppressed: drawn.suppressed,
    treatment: a.treatment,
    control: a.control,
    holdout: a.holdout,
    seed: a.seed,
    assignment: a.assignment,
    sendDate: a.sendDate,
    measureDays,
    scoresAsOf: a.scoresAsOf,
    meanPredictedClv: drawn.meanPredictedClv,
    file,
    balance,
    reused: true,
    drawnAt: a.createdAt,
    warnings: request.warnings,
  };
}
