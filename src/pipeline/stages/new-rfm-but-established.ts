/**
 * RFM's frequency score is a quintile of the customers' purchase occasions: on a shop where everybody buys often, the
 * recent customers with the fewest purchases score F = 1 and land in the segments named for newcomers ("New",
 * "Promising": recency score 4–5, FM score 1) although they have bought for years. The lifecycle stages call a
 * customer new by their own history; where the two disagree for many, the run says so (a QA pass: on a synthetic shop
 * of regular buyers all 58 "New" customers had 20–21 orders, the stage `new` held nobody, and the report advised
 * onboarding). The sibling of lapsed-rfm-but-active.ts, for the other end of the grid.
 */
import type { Warehouse } from '../../engine/warehouse.js';

/** The customers of recency score 4–5 and FM score 1 (customer_rfm), and those of them the stages do not call new. */
export interface NewByRfmCounts {
  readonly recent: number;
  readonly established: number;
  /** the segments of the established ones, by name */
  readonly segments: readonly string[];
  /** the stages of the established ones */
  readonly stages: readonly string[];
  /** the fewest purchase occasions among the established ones */
  readonly fewestPurchases: number | null;
}

/** The counts of customer_rfm beside customer_stages that `newByRfmButEstablishedWarning` decides on. */
export async function queryNewByRfmButEstablished(warehouse: Warehouse): Promise<NewByRfmCounts> {
  const rows = await warehouse.query(
    `SELECT r.segment AS segment, g.stage AS stage, count(*) AS n, min(r.frequency) AS fewest
     FROM customer_rfm r JOIN customer_stages g ON g.customer_id = r.customer_id WHERE r.r_score >= 4 AND r.fm_score = 1 GROUP BY r.segment, g.stage`,
  );
  const established = rows.filter((r) => String(r.stage) !== 'new');
  const names = (key: string) => [...new Set(established.map((r) => String(r[key])))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    recent: rows.reduce((a, r) => a + Number(r.n), 0),
    established: established.reduce((a, r) => a + Number(r.n), 0),
    segments: names('segment'),
    stages: names('stage'),
    fewestPurchases: established.length > 0 ? Math.min(...established.map((r) => Number(r.fewest))) : null,
  };
}

/**
 * One line when a tenth or more of the customers in the recent low-frequency RFM segments (and at least the smallest
 * group shown) are not new by the lifecycle stages: those segment names would send onboarding offers to customers of
 * long standing. Null otherwise.
 *
 * Example: 58 of 63 → "58 of the 63 customers in the recent low-frequency RFM segments (recency score 4–5, FM score 1: New, Promising) are not new by the lifecycle stages (active, reactivated; 20 or more purchases each) …"
 */
export function newByRfmButEstablishedWarning(c: NewByRfmCounts, minGroupSize: number): string | null {
  if (!(c.established >= minGroupSize) || !(c.established >= 0.1 * c.recent)) return null;
  return (
    `${c.established.toLocaleString('en-US')} of the ${c.recent.toLocaleString('en-US')} customers in the recent low-frequency RFM segments (recency score 4–5, FM score 1: ${c.segments.join(', ')}) ` +
    `are not new by the lifecycle stages (${c.stages.join(', ')}; ${c.fewestPurchases!.toLocaleString('en-US')} or more purchases each): ` +
    "RFM scores frequency against the other customers (quintiles), so these segments hold this shop's least frequent recent buyers, not its newcomers; " +
    'choose onboarding audiences by stage new, not by these segment names'
  );
}
