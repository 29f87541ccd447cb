/**
 * RFM's recency score is a quintile of the customers' days since their last purchase: on a shop of steady buyers its
 * lowest two quintiles — the segments named for long-gone customers ("At risk", "Lost", "Hibernating", "Can't lose
 * them") — still hold customers who bought within their usual gap. The lifecycle stages judge recency against each
 * customer's own rhythm; where the two disagree for many, the run says so (a QA pass: on a synthetic shop of monthly
 * buyers, 30 "Lost" and 41 "At risk" customers were stage `active`, and nothing said the segment names misled).
 */
import type { Warehouse } from '../../engine/warehouse.js';

/** The customers of recency score 1–2 (customer_rfm), and those of them the lifecycle stages call active. */
export interface LapsedByRfmCounts {
  readonly lapsed: number;
  readonly active: number;
  /** the segments of the active ones, by name */
  readonly segments: readonly string[];
}

/** The counts of customer_rfm beside customer_stages that `lapsedByRfmButActiveWarning` decides on. */
export async function queryLapsedByRfmButActive(warehouse: Warehouse): Promise<LapsedByRfmCounts> {
  const rows = await warehouse.query(
    "SELECT r.segment AS segment, count(*) AS n, sum(CASE WHEN g.stage = 'active' THEN 1 ELSE 0 END) AS active FROM customer_rfm r JOIN customer_stages g ON g.customer_id = r.customer_id WHERE r.r_score <= 2 GROUP BY r.segment",
  );
  const withActive = rows.filter((r) => Number(r.active) > 0).map((r) => String(r.segment));
  return {
    lapsed: rows.reduce((a, r) => a + Number(r.n), 0),
    active: rows.reduce((a, r) => a + Number(r.active), 0),
    segments: withActive.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/**
 * One line when a tenth or more of the customers in the low-recency RFM segments (and at least the smallest group
 * shown) are stage active: those segment names would send win-back offers to customers who are not overdue. Null
 * otherwise.
 *
 * Example: 71 of 100 → "71 of the 100 customers in the low-recency RFM segments (recency score 1–2: At risk, Lost) are active by their own purchase rhythm …"
 */
export function lapsedByRfmButActiveWarning(c: LapsedByRfmCounts, minGroupSize: number): string | null {
  if (!(c.active >= minGroupSize) || !(c.active >= 0.1 * c.lapsed)) return null;
  return (
    `${c.active.toLocaleString('en-US')} of the ${c.lapsed.toLocaleString('en-US')} customers in the low-recency RFM segments (recency score 1–2: ${c.segments.join(', ')}) ` +
    "are active by their own purchase rhythm (stage active: not overdue on their usual gap): RFM scores recency against the other customers (quintiles), not against each customer's gap; " +
    'choose win-back audiences by stage or p_alive, not by these segment names'
  );
}
