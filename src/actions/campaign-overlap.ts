import type { Warehouse } from '../engine/warehouse.js';
import type { StoredAudience } from './audience-store.js';
import { formatCount } from '../report/format-number.js';
import { groupHits, type GroupHits } from './suppression-condition.js';

/**
 * Warnings for members of `audience` who were treated by other audiences
 * sent inside the window measured: from its send date to the window's last
 * day with transactions (`lastDay`, `to` or before; both days included — a
 * response counts from the send date on, so an audience sent on that day may
 * have touched its purchases, one sent after it touched none). Control
 * customers contacted by another campaign make the
 * uplift one against a partly contacted control (a playbook's
 * `contactedWithinDays` leaves out the control groups of running campaigns,
 * but a playbook without it, or an audience drawn by hand, may take them);
 * treated customers contacted again make it the
 * uplift of the contacts combined. Audiences sent before the send date are
 * not counted: they reached both groups alike. Each warning names the audiences that treated members of its group,
 * each with its count, most first (`groupHits`): not every audience sent in the window. Empty when nothing overlaps.
 *
 * Example: `await overlapWarnings(wh, first, '2023-07-31', '2023-07-31')` → `['16 of the 40 control customers were treated by other audiences sent between 2023-07-01 and 2023-07-31 (16 customers also in during): …']`;
 * with `lastDay` '2023-07-28' (the data ends before `to`) only audiences sent by then count, and the warning says
 * `sent between 2023-07-01 and 2023-07-28, the window's last day with transactions (12 customers also in during)`.
 */
export async function overlapWarnings(warehouse: Warehouse, audience: StoredAudience, to: string, lastDay: string = to): Promise<string[]> {
  const d = warehouse.dialect;
  const until = lastDay < to ? lastDay : to;
  const others = await warehouse.query(
    `SELECT name FROM audiences WHERE name <> ${d.literal(audience.name)} AND send_date >= ${d.timestamp(`${audience.sendDate}T00:00:00`)} AND send_date <= ${d.timestamp(`${until}T00:00:00`)} ORDER BY name`,
  );
  if (others.length === 0) return [];
  const names = others.map((r) => String(r.name));
  // per group, the audiences whose treatment groups hold its members, each with its count (a customer treated by
  // two counted once in the total): only those that overlap are named, not every audience sent in the window
  const members = (group: string) => `SELECT customer_id FROM audience_members WHERE audience = ${d.literal(audience.name)} AND group_name = '${group}'`;
  const control = await groupHits(warehouse, names, 'treatment', members('control'));
  const treatment = await groupHits(warehouse, names, 'treatment', members('treatment'));
  const sent = (hits: GroupHits) => `sent between ${audience.sendDate} and ${until}${until < to ? ", the window's last day with transactions" : ''} (${hits.named})`;
  const warnings: string[] = [];
  if (control) warnings.push(`${formatCount(control.total)} of the ${formatCount(audience.control)} control customers were treated by other audiences ${sent(control)}: the uplift is measured against a partly contacted control group`);
  if (treatment) warnings.push(`${formatCount(treatment.total)} of the ${formatCount(audience.treatment)} treated customers were also treated by other audiences ${sent(treatment)}: the uplift is that of the contacts combined`);
  return warnings;
}
