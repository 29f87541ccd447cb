/**
 * Profiles, or the customer ids of events (their logins), that match no buyer: most often ids written otherwise than in
 * the transactions (17850.0 for 17850 as a spreadsheet exports it, leading zeros, a prefix). Every profile or logged-in
 * visitor then counts as a prospect, no buyer gets a profile and no session leads to a purchase, which the prospects'
 * own notes do not say.
 */
import type { Warehouse } from '../../engine/warehouse.js';

const count = (n: number) => n.toLocaleString('en-US');

/** Fewer ids than this are not warned about (a handful of test rows). */
const MIN_IDS = 10;

/** `do the … files write the ids alike …?` */
const alike = (files: string) => `do the ${files} and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)?`;

/** The warning for `profiles` customer profiles of which none belongs to one of `buyers` customers who bought. */
export function profilesMatchNoBuyerWarning(counts: { readonly profiles: number; readonly buyers: number }): string {
  return `none of the ${count(counts.profiles)} customer profiles has the customer id of one of the ${count(counts.buyers)} customers who bought: every profile counts as a prospect and no buyer has a profile (sign-up date, channel, region); ${alike('profile')}`;
}

/** The warning for `ids` customer ids in the events of which none is one of `buyers` customers who bought. */
export function eventIdsMatchNoBuyerWarning(counts: { readonly ids: number; readonly buyers: number }): string {
  return `none of the ${count(counts.ids)} customer ids of the events (their logins) is one of the ${count(counts.buyers)} customers who bought: no session leads to a purchase and every one of them counts as a prospect; ${alike('event')}`;
}

/**
 * The warnings for `customers` (profiles) and `events` (their customer ids) holding MIN_IDS ids or more of which none
 * is a customer of `customer_summary` (the buyers as of the analysis date); none when they match, or hold no rows.
 */
export async function idsMatchNoBuyer(warehouse: Warehouse): Promise<string[]> {
  const d = warehouse.dialect;
  const ids = (table: string) =>
    `(SELECT ${d.countDistinct('customer_id')} FROM ${table} WHERE customer_id IS NOT NULL) AS ${table}_ids, (SELECT ${d.countDistinct('customer_id')} FROM ${table} WHERE customer_id IN (SELECT customer_id FROM customer_summary)) AS ${table}_matched`;
  const [row] = await warehouse.query(`SELECT (SELECT count(*) FROM customer_summary) AS buyers, ${ids('customers')}, ${ids('events')}`);
  const n = (key: string) => Number(row?.[key] ?? 0);
  const unmatched = (table: string) => n(`${table}_ids`) >= MIN_IDS && n('buyers') > 0 && n(`${table}_matched`) === 0;
  return [
    ...(unmatched('customers') ? [profilesMatchNoBuyerWarning({ profiles: n('customers_ids'), buyers: n('buyers') })] : []),
    ...(unmatched('events') ? [eventIdsMatchNoBuyerWarning({ ids: n('events_ids'), buyers: n('buyers') })] : []),
  ];
}
