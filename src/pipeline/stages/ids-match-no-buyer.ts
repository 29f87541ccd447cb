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

/** `if they are of buyers too, do the … files write the ids alike …?` (a list of prospects alone matches no buyer, rightly) */
const alike = (files: string, whose: string) => `if ${whose} buyers too, do the ${files} and transaction files write the ids alike (17850 and 17850.0, leading zeros, a prefix)? (a list of prospects alone is as it should be)`;

/** The warning for `profiles` customer profiles of which none belongs to one of `buyers` customers who bought. */
export function profilesMatchNoBuyerWarning(counts: { readonly profiles: number; readonly buyers: number }): string {
  return `none of the ${count(counts.profiles)} customer profiles has the customer id of one of the ${count(counts.buyers)} customers who bought: every profile counts as a prospect and no buyer has a profile (sign-up date, channel, region); ${alike('profile', 'the profiles include')}`;
}

/** The warning for `ids` customer ids in the events of which none is one of `buyers` customers who bought. */
export function eventIdsMatchNoBuyerWarning(counts: { readonly ids: number; readonly buyers: number }): string {
  return `none of the ${count(counts.ids)} customer ids of the events (their logins) is one of the ${count(counts.buyers)} customers who bought: no session leads to a purchase and every one of them counts as a prospect; ${alike('event', 'the logged-in visitors include')}`;
}

/**
 * The warnings for `customers` (profiles) and `events` (their customer ids) holding MIN_IDS ids or more of which none
 * is a customer of `customer_summary` (the buyers as of the analysis date); none when they match, or hold no rows.
 * One matching row settles a table (a scan that stops at it: an event table of millions of rows is not read whole
 * when its ids match, as they do); the ids are counted only where none matches.
 */
export async function idsMatchNoBuyer(warehouse: Warehouse): Promise<string[]> {
  const d = warehouse.dialect;
  const firstMatch = (table: string) => `(SELECT count(*) FROM (SELECT 1 AS one FROM ${table} WHERE customer_id IN (SELECT customer_id FROM customer_summary) LIMIT 1) m) AS ${table}_matched`;
  const [found] = await warehouse.query(`SELECT (SELECT count(*) FROM customer_summary) AS buyers, ${firstMatch('customers')}, ${firstMatch('events')}`);
  const buyers = Number(found?.buyers ?? 0);
  const unmatched = ['customers', 'events'].filter((table) => buyers > 0 && Number(found?.[`${table}_matched`] ?? 0) === 0);
  if (unmatched.length === 0) return [];
  const [counted] = await warehouse.query(`SELECT ${unmatched.map((table) => `(SELECT ${d.countDistinct('customer_id')} FROM ${table} WHERE customer_id IS NOT NULL) AS ${table}_ids`).join(', ')}`);
  const ids = (table: string) => (unmatched.includes(table) ? Number(counted?.[`${table}_ids`] ?? 0) : 0);
  return [
    ...(ids('customers') >= MIN_IDS ? [profilesMatchNoBuyerWarning({ profiles: ids('customers'), buyers })] : []),
    ...(ids('events') >= MIN_IDS ? [eventIdsMatchNoBuyerWarning({ ids: ids('events'), buyers })] : []),
  ];
}
