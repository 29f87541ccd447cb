import type { CustomerExport } from '../privacy/customer-export.js';

export interface CustomersCsvParts {
  /** id and PII columns the export may show (`AnalysisPrivacy.prepareExport`) */
  readonly identity: Pick<CustomerExport, 'selectSql' | 'joinSql'>;
  /** the value models ran: `customer_scores` exists */
  readonly scores: boolean;
  /** the segments and lifecycle stages ran */
  readonly segments: boolean;
}

/** The SELECT of customers.csv. */
export function buildCustomersCsvSql(parts: CustomersCsvParts): string {
  const scoreColumns = parts.scores
    ? `, round(c.p_alive, 6) AS p_alive, round(c.expected_purchases_30d, 6) AS expected_purchases_30d, round(c.expected_purchases_90d, 6) AS expected_purchases_90d, round(c.expected_purchases_365d, 6) AS expected_purchases_365d, round(c.predicted_clv_12m, 4) AS predicted_clv_12m, round(c.predicted_clv_12m_low, 4) AS predicted_clv_12m_low, round(c.predicted_clv_12m_high, 4) AS predicted_clv_12m_high, c.next_order_p50, c.next_order_p90`
    : '';
  const segmentColumns = parts.segments ? ', r.rfm_score, r.segment, v.value_tier, v.value_quadrant, k.cluster, g.stage' : '';
  const segmentJoins = parts.segments
    ? ' LEFT JOIN customer_rfm r ON r.customer_id = s.customer_id LEFT JOIN customer_value_tiers v ON v.customer_id = s.customer_id' +
      ' LEFT JOIN customer_clusters k ON k.customer_id = s.customer_id LEFT JOIN customer_stages g ON g.customer_id = s.customer_id'
    : '';
  return `SELECT s.customer_id${parts.identity.selectSql}, s.first_purchase, s.last_purchase, CAST(s.orders AS BIGINT) AS orders, s.frequency, round(s.recency, 6) AS recency, round(s.T, 6) AS T, round(s.monetary_value, 4) AS monetary_value, round(s.total_spend, 4) AS total_spend, round(s.returns, 4) AS returns, round(s.historic_clv, 4) AS historic_clv${scoreColumns}${segmentColumns}
         FROM customer_summary s${parts.scores ? ' JOIN customer_scores c ON c.customer_id = s.customer_id' : ''}${segmentJoins}${parts.identity.joinSql} ORDER BY s.customer_id`;
}
