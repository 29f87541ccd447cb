import { dayOfValue, daysBetween } from '../core/calendar-days.js';
import { storedSecondsIso } from '../core/whole-seconds.js';
import { readDrawRequest } from './draw-request.js';
import { measuredWindowOf, type WindowDays } from './measured-window.js';
import { ConflictError } from '../core/errors/conflict-error.js';
import { NAMES_SHOWN, NotFoundError, shownNames } from '../core/errors/not-found-error.js';
import type { Row, Warehouse } from '../engine/warehouse.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan, can, permittedAction } from '../privacy/access/rbac.js';
import { belowK } from '../privacy/disclosure/below-k.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { AUDIENCE_EXPORT_ACTIONS } from './export-audience-file.js';
import { warehouseFlags, warehouseName } from '../engine/warehouse-flags.js';

/** An audience as stored in `audiences`. */
export interface StoredAudience {
  readonly name: string;
  readonly createdAt: string;
  readonly sendDate: string;
  /** days from the send date over which it is to be measured; null for audiences drawn before it was kept */
  readonly measureDays: number | null;
  readonly where: string;
  readonly play: string | null;
  /** the cost of one contact of the play that drew it (campaign evaluate's cost when none is given); null: drawn by hand, or before it was kept */
  readonly costPerContact: number | null;
  readonly holdout: number;
  readonly seed: number;
  readonly assignment: string;
  /** members left in `audience_members` (erasure and retention remove members) */
  readonly members: number;
  readonly treatment: number;
  readonly control: number;
  /** the group sizes when the audience was drawn */
  readonly drawn: { readonly members: number; readonly treatment: number; readonly control: number };
  readonly scoresAsOf: string | null;
}

type GroupCounts = Map<string, { treatment: number; control: number }>;

/** Members left per audience and group (of `names`; every audience without them). */
async function membersLeft(warehouse: Warehouse, names?: readonly string[]): Promise<GroupCounts> {
  const d = warehouse.dialect;
  const where = names ? `WHERE audience IN (${names.map((n) => d.literal(n)).join(', ')})` : '';
  const counts: GroupCounts = new Map();
  for (const row of await warehouse.query(`SELECT audience, group_name, count(*) AS n FROM audience_members ${where} GROUP BY audience, group_name`)) {
    const entry = counts.get(String(row.audience)) ?? { treatment: 0, control: 0 };
    entry[String(row.group_name) === 'control' ? 'control' : 'treatment'] += Number(row.n);
    counts.set(String(row.audience), entry);
  }
  return counts;
}

function audienceOf(row: Row, left: GroupCounts): StoredAudience {
  const now = left.get(String(row.name)) ?? { treatment: 0, control: 0 };
  return {
    name: String(row.name),
    createdAt: storedSecondsIso(row.created_at),
    sendDate: dayOfValue(row.send_date)!,
    measureDays: row.measure_days === null || row.measure_days === undefined ? null : Number(row.measure_days),
    where: String(row.where_expr),
    play: row.play === null ? null : String(row.play),
    costPerContact: row.cost_per_contact === null || row.cost_per_contact === undefined ? null : Number(row.cost_per_contact),
    holdout: Number(row.holdout),
    seed: Number(row.seed),
    assignment: String(row.assignment),
    members: now.treatment + now.control,
    treatment: now.treatment,
    control: now.control,
    drawn: { members: Number(row.members), treatment: Number(row.treatment), control: Number(row.control) },
    scoresAsOf: dayOfValue(row.scores_as_of),
  };
}

/** Every stored audience, newest first, with the members left and the sizes drawn. */
export async function listAudiences(warehouse: Warehouse): Promise<StoredAudience[]> {
  const rows = await warehouse.query('SELECT * FROM audiences ORDER BY created_at DESC, name');
  const left = await membersLeft(warehouse);
  return rows.map((row) => audienceOf(row, left));
}

/**
 * One stored audience (members left, sizes drawn); a `NotFoundError` naming the ones there are, newest first, when
 * it is not stored (the HTTP API answers it with 404, the CLI with its message and hint).
 */
export async function readAudience(warehouse: Warehouse, name: string): Promise<StoredAudience> {
  const [row] = await warehouse.query(`SELECT * FROM audiences WHERE name = ${warehouse.dialect.literal(name)}`);
  if (row) return audienceOf(row, await membersLeft(warehouse, [name]));
  const known = (await warehouse.query(`SELECT name FROM audiences ORDER BY created_at DESC, name LIMIT ${NAMES_SHOWN + 1}`)).map((r) => String(r.name));
  throw new NotFoundError(
    `no audience ${name} in ${warehouseName(warehouse, warehouse.location)}`,
    known.length > 0 ? `audiences: ${shownNames(known)}` : `create one with clvkit audience create ${warehouseFlags(warehouse)} --name NAME --where EXPR`,
    { what: 'audience', name, known },
  );
}

export interface DropAudienceOptions {
  /** drop it even when it is the record of a campaign (`campaignRecordReasons`): needs `drop_campaign_audience` (admin) */
  readonly force?: boolean;
  /** the refusal's hint names the API's way (`DELETE /api/audiences/NAME?force=1`), not the CLI's */
  readonly api?: boolean;
  /** today, YYYY-MM-DD (default: the clock's, UTC) */
  readonly today?: string;
}

/**
 * Why a stored audience is the record of a campaign — who was treated and who was held out, which an evaluation
 * reads again and the contact rules of later draws read (suppression-condition.ts) — in words; [] when it is not:
 * its campaign was evaluated, or it was drawn on or before its send date and that day has passed (it may have been
 * sent). An audience drawn after its send date (a backtest) was never sent on it.
 *
 * Example: an audience drawn on 2024-02-20 for 2024-03-01, evaluated once, on 2024-04-02 → `['its campaign was evaluated (the latest window 2024-03-01 … 2024-03-31)', 'its send date 2024-03-01 has passed (it was drawn on 2024-02-20, before it: it may have been sent)']`
 */
export async function campaignRecordReasons(warehouse: Warehouse, audience: StoredAudience, today: string): Promise<string[]> {
  const reasons: string[] = [];
  // the newest evaluation's window as it measured it (window_to is the end asked for: the data may have ended before)
  const d = warehouse.dialect;
  const [evaluated] = await warehouse.query(`SELECT count(*) AS n, ${d.argMax('result', 'evaluated_at')} AS result FROM campaign_evaluations WHERE audience = ${d.literal(audience.name)}`);
  if (Number(evaluated?.n ?? 0) > 0) reasons.push(`its campaign was evaluated (the latest window ${evaluatedWindowText(measuredWindowOf(JSON.parse(String(evaluated!.result)) as { window: WindowDays; warnings: string[] }))})`);
  const drawn = audience.createdAt.slice(0, 10);
  if (drawn <= audience.sendDate && today > audience.sendDate) reasons.push(`its send date ${audience.sendDate} has passed (it was drawn on ${drawn}, before it: it may have been sent)`);
  return reasons;
}

/** `2023-12-16 … 2024-01-20: 36 of the 47 days asked for, to 2024-01-31, the data ended`; the days asked for only when the data ended before. */
function evaluatedWindowText(w: WindowDays): string {
  if (w.requestedTo === undefined) return `${w.from} … ${w.to}`;
  return `${w.from} … ${w.to}: ${w.days} of the ${daysBetween(w.from, w.requestedTo) + 1} days asked for, to ${w.requestedTo}, the data ended`;
}

/**
 * Deletes an audience and its members in one transaction, audited
 * (`drop_audience`). Campaign evaluations already made are kept. Needs the
 * right to export audiences (`export_audience` or `export_customers`). An
 * audience that is the record of a campaign (`campaignRecordReasons`:
 * evaluated, or drawn before a send date that has passed) is refused with a
 * `ConflictError` — dropping it deletes who was treated and who was held
 * out — unless `force`, which needs `drop_campaign_audience` (admin) and is
 * audited with the reasons.
 */
export async function dropAudience(warehouse: Warehouse, name: string, keyring: Keyring | null, access: Access, options: DropAudienceOptions = {}): Promise<StoredAudience> {
  permittedAction(access.role, AUDIENCE_EXPORT_ACTIONS);
  const audience = await readAudience(warehouse, name);
  const reasons = await campaignRecordReasons(warehouse, audience, options.today ?? new Date().toISOString().slice(0, 10));
  if (reasons.length > 0) {
    if (!options.force) {
      const forced = options.api ? `DELETE /api/audiences/${name}?force=1` : `clvkit audience drop ${name} --force --role admin ${warehouseFlags(warehouse)}`;
      throw new ConflictError(
        `audience ${name} is the record of a campaign: ${reasons.join('; ')}; dropping it would delete who was treated and who was held out`,
        `keep it (an evaluation reads its members again, later draws' contact rules read them); an admin can drop it anyway: ${forced}`,
      );
    }
    assertCan(access.role, 'drop_campaign_audience');
  }
  const d = warehouse.dialect;
  // the plans of the playbook run that drew it (playbook_runs) go with it: --idempotent answers none for newer draws
  const [row] = await warehouse.query(`SELECT request FROM audiences WHERE name = ${d.literal(name)}`);
  const runId = readDrawRequest(row?.request)?.runId;
  await warehouse.transaction(async () => {
    await warehouse.execute(`DELETE FROM audience_members WHERE audience = ${d.literal(name)}`);
    await warehouse.execute(`DELETE FROM audiences WHERE name = ${d.literal(name)}`);
    if (runId !== undefined) await warehouse.execute(`DELETE FROM playbook_runs WHERE request LIKE ${d.literal(`%${JSON.stringify({ runId }).slice(1, -1)}%`)}`);
    if (keyring) await recordAudit(warehouse, keyring, access, { action: 'drop_audience', target: `audience:${name}`, rowCounts: { audience_members: audience.members }, details: reasons.length > 0 ? { forced: true, campaign_record: reasons.join('; ') } : {} });
  });
  return audience;
}

/** A stored audience as a role may see it (`audienceForRole`): a size left below the k-floor is null for a viewer. */
export type AudienceForRole = Omit<StoredAudience, 'members' | 'treatment' | 'control'> & {
  readonly members: number | null;
  readonly treatment: number | null;
  readonly control: number | null;
  /** some size left is 1 to k − 1 and hidden (null) for this role */
  readonly belowMinGroupSize: boolean;
};

/**
 * An audience as `role` may see it (the HTTP API's audience routes): for a role without `view_tokens` (a viewer, who reads aggregates only), the
 * members, treatment and control left are null where 1 to `minGroupSize` − 1 (a draw is refused below the floor, but
 * erasure and retention remove members after it), with `belowMinGroupSize`; the sizes drawn are kept (at or above it).
 */
export function audienceForRole(audience: StoredAudience, role: string, minGroupSize: number): AudienceForRole {
  const hide = (n: number) => !can(role, 'view_tokens') && belowK(n, minGroupSize);
  const below = hide(audience.members) || hide(audience.treatment) || hide(audience.control);
  const shown = (n: number) => (hide(n) ? null : n);
  return { ...audience, members: shown(audience.members), treatment: shown(audience.treatment), control: shown(audience.control), belowMinGroupSize: below };
}
