import type { Warehouse } from '../../src/engine/warehouse.js';
import { insertPurchaseLines, type PurchaseLine } from './warehouse.js';

/**
 * Send date 2024-01-01, a pre-period of 10 days (2023-12-22 … 2023-12-31). Per member: purchases in the pre-period,
 * net revenue in it, purchases to date, days since the last purchase at the send date.
 *
 * T1 1, 10, 2, 7 (a purchase after the send date does not count) · T2 two orders on one day: 2, 35, 2, 2 ·
 * T3 0, 0, 1, 365 · T4 two lines without an order id on one day (one purchase day): 1, 10, 1, 4 · T5 a prospect: 0, 0, 0, — ·
 * C1 1, 100, 1, 1 · C2 0, 0, 2, 61 · C3 on the pre-period's first instant: 1, 8, 1, 10 · C4 an hour before it: 0, 0, 1, 11 ·
 * C5 1, 20, 3, 6
 */
export const TINY_LINES: readonly PurchaseLine[] = [
  ['o1', 'T1', '2023-12-25 10:00:00', 10],
  ['o2', 'T1', '2023-06-01 10:00:00', 20],
  ['o1b', 'T1', '2024-01-05 10:00:00', 99],
  ['o3', 'T2', '2023-12-30 09:00:00', 30],
  ['o4', 'T2', '2023-12-30 18:00:00', 5],
  ['o5', 'T3', '2023-01-01 12:00:00', 50],
  [null, 'T4', '2023-12-28 10:00:00', 4],
  [null, 'T4', '2023-12-28 15:00:00', 6],
  ['o6', 'C1', '2023-12-31 23:00:00', 100],
  ['o7', 'C2', '2023-11-01 10:00:00', 40],
  ['o8', 'C2', '2023-10-01 10:00:00', 40],
  ['o9', 'C3', '2023-12-22 00:00:00', 8],
  ['o10', 'C4', '2023-12-21 23:00:00', 12],
  ['o11', 'C5', '2023-12-26 10:00:00', 20],
  ['o12', 'C5', '2023-12-01 10:00:00', 20],
  ['o13', 'C5', '2023-05-05 10:00:00', 20],
];

/** The tiny audience's members: T1–T5 treatment, C1–C5 control. */
export async function fillTinyAudience(warehouse: Warehouse): Promise<void> {
  await insertPurchaseLines(warehouse, TINY_LINES);
  const members = ['T1', 'T2', 'T3', 'T4', 'T5', 'C1', 'C2', 'C3', 'C4', 'C5'];
  await warehouse.execute(`INSERT INTO audience_members VALUES ${members.map((m) => `('tiny', '${m}', '${m.startsWith('T') ? 'treatment' : 'control'}', NULL)`).join(', ')}`);
}
