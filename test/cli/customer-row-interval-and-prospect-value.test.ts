/**
 * QA (issue 16, finding 10): `clvkit customer` labelled the CLV interval "95%", where predicted_clv_12m_low / _high
 * are the 5th and 95th percentiles over the parameter draws — a 90% interval, as the README and the column
 * contracts say (the dashboard's customer 360 showed no interval at all: it now notes it in the same words). And for a prospect it showed the conversion propensity alone, not the predicted_clv_12m, its
 * interval and the browse stage that customers.csv has for them.
 */
import { describe, expect, it } from 'vitest';
import { customerRowLines } from '../../src/cli/commands/customer-row.js';
import { clvIntervalNote } from '../../web/src/clv-interval-view.js';

const BUYER = {
  customer_summary: { historic_clv: 120, orders: 3, first_purchase: '2023-01-02', last_purchase: '2023-11-30', total_spend: 130 },
  customer_stages: { stage: 'active' },
  customer_scores: { p_alive: 0.9, expected_purchases_30d: 0.2, expected_purchases_90d: 0.5, expected_purchases_365d: 1.8, predicted_clv_12m: 80.5, predicted_clv_12m_low: 61.25, predicted_clv_12m_high: 99.75, next_order_p50: '2024-02-01', next_order_p90: '2024-08-01' },
};

describe('clvkit customer: the CLV interval and a prospect’s value', () => {
  it('calls the 5th–95th percentile interval a 90% interval', () => {
    expect(customerRowLines('customer c_x', BUYER)).toContain('  CLV: historic 120.00, predicted 12 months 80.50 (90% interval, 5th–95th percentile: 61.25 … 99.75)');
  });

  it('the dashboard’s customer 360 notes the interval in the same words (none without one)', () => {
    expect(clvIntervalNote(61.25, 99.75)).toEqual({ note: '90% interval, 5th–95th percentile: 61.25 … 99.75' });
    expect(clvIntervalNote(null, null)).toEqual({});
  });

  it('shows a prospect’s predicted_clv_12m with its interval, and its browse stage, as customers.csv has them', () => {
    const prospect = {
      customer_stages: { stage: 'prospect' },
      customer_prospects: { conversion_propensity: 0.0123, new_customer_value: 300, expected_first_year_value: 3.69, expected_first_year_value_low: 2.1, expected_first_year_value_high: 5.4 },
      customer_scores: { predicted_clv_12m: 3.69, predicted_clv_12m_low: 2.1, predicted_clv_12m_high: 5.4, p_alive: null },
      customer_behaviour: { sessions: 4, browse_stage: 'lapsing', last_event: '2023-11-02' },
    };
    expect(customerRowLines('customer c_p', prospect)).toEqual([
      'customer c_p is a known prospect (a profile or events, no purchase yet): stage prospect, conversion propensity 0.0123',
      '  CLV: predicted 12 months 3.69 (90% interval, 5th–95th percentile: 2.10 … 5.40) = conversion propensity × 300.00, the first-year value of a new customer like them',
      '  browsing: stage lapsing, 4 sessions, last event 2023-11-02',
    ]);
  });

  it('a prospect without events or value models: the value from customer_prospects, no browse stage', () => {
    const prospect = {
      customer_stages: { stage: 'prospect' },
      customer_prospects: { conversion_propensity: 0.02, new_customer_value: 250, expected_first_year_value: 5, expected_first_year_value_low: null, expected_first_year_value_high: null },
    };
    expect(customerRowLines('customer c_q', prospect)).toEqual([
      'customer c_q is a known prospect (a profile or events, no purchase yet): stage prospect, conversion propensity 0.0200',
      '  CLV: predicted 12 months 5.00 (no interval) = conversion propensity × 250.00, the first-year value of a new customer like them',
      '  browsing: no sessions',
    ]);
  });
});
