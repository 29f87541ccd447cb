/**
 * Profiles whose customer ids match no buyer: most often ids written otherwise in the profile file than in the
 * transactions (17850.0 for 17850 as a spreadsheet exports it, leading zeros, a prefix). Every profile then counts as a
 * prospect and no buyer gets a profile, which the prospects' own notes do not say.
 */
import type { Warehouse } from '../../engine/warehouse.js';

const count = (n: number) => n.toLocaleString('en-US');

/** Profiles below this many are not warned about (a handful of test profiles). */
const MIN_PROFILES = 10;

/** The warning for `profiles` customer profiles of which none belongs to one of `buyers` customers who bought. */
export function profilesMatchNoBuyerWarning(counts: { readonly profiles: number; readonly buyers: number }): string {
  return `none of the ${count(counts.profiles)} customer profiles has the customer id of one of the ${count(counts.buyers)} customers who bought: every profile counts as a prospect and no buyer has a profile (sign-up date, channel, region); do the profile and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)?`;
}

/**
 * The warning when `customers` holds MIN_PROFILES profiles or more and none of them is a customer of `customer_summary`
 * (the buyers as of the analysis date); null otherwise.
 */
export async function profilesMatchNoBuyer(warehouse: Warehouse): Promise<string | null> {
  const d = warehouse.dialect;
  const [row] = await warehouse.query(
    `SELECT (SELECT ${d.countDistinct('customer_id')} FROM customers) AS profiles, (SELECT count(*) FROM customer_summary) AS buyers, (SELECT ${d.countDistinct('customer_id')} FROM customers WHERE customer_id IN (SELECT customer_id FROM customer_summary)) AS matched`,
  );
  const [profiles, buyers, matched] = [Number(row?.profiles ?? 0), Number(row?.buyers ?? 0), Number(row?.matched ?? 0)];
  return profiles >= MIN_PROFILES && buyers > 0 && matched === 0 ? profilesMatchNoBuyerWarning({ profiles, buyers }) : null;
}
