/**
 * The words of `clvkit customer <id>`'s row. A QA read "next order: by none foreseen (50% chance), by none foreseen
 * (90%)" and "purchases: 1 orders" for a customer whose next-order quantiles are never reached (NULL).
 */
import { describe, expect, it } from 'vitest';
import { customerRowLines } from '../../src/cli/commands/customer-row.js';

const row = (scores: Record<string, unknown>, orders: number) =>
  customerRowLines('customer c_x', {
    customer_summary: { orders, first_purchase: '2022-07-12', last_purchase: '2022-07-12', total_spend: 59.65, historic_clv: 32.98 },
    customer_scores: { p_alive: 0.1659, expected_purchases_30d: 0.0051, expected_purchases_90d: 0.0147, expected_purchases_365d: 0.0514, predicted_clv_12m: 1.62, ...scores },
  } as never);

describe('the customer row in words', () => {
  it('says once that no next order is foreseen, and counts one order in the singular', () => {
    const lines = row({ next_order_p50: null, next_order_p90: null }, 1);
    expect(lines).toContain('  next order: not foreseen (a 50% chance of another order is never reached within a century)');
    expect(lines).toContain('  purchases: 1 order, first 2022-07-12, last 2022-07-12, total spend 59.65');
  });

  it('gives both dates when both are reached, and the 90% one as never reached when only it is NULL', () => {
    expect(row({ next_order_p50: '2024-03-02', next_order_p90: '2024-09-14' }, 3)).toContain('  next order: by 2024-03-02 (50% chance), by 2024-09-14 (90%)');
    expect(row({ next_order_p50: '2024-03-02', next_order_p90: null }, 3)).toContain('  next order: by 2024-03-02 (50% chance), a 90% chance never reached within a century');
  });
});

describe('the churn band in the customer row', () => {
  it('says the band is a rank, with the shares the bands hold, and "no band" for a customer without one', () => {
    const lines = (band: string | null) =>
      customerRowLines('customer c_x', {
        customer_summary: { orders: 2, first_purchase: '2022-01-01', last_purchase: '2022-05-01', total_spend: 10, historic_clv: 10 },
        customer_scores: { p_alive: 0.5 },
        customer_churn: { churn_probability: 0.83, churn_risk_band: band },
      } as never);
    expect(lines('low')[1]).toBe('  P(alive) 0.5000, churn probability 0.830000 (band low by rank: high the riskiest 20%, medium the next 30%)');
    expect(lines(null)[1]).toBe('  P(alive) 0.5000, churn probability 0.830000 (no band)');
  });

  // a trial of session 41: bands are cut on the probability as customers.csv prints it (6 decimals); shown with 4 here,
  // 0.699996 (medium, below a cut-off of 0.700000) and 0.700000 (high) both read 0.7000 in different bands
  it('gives the churn probability with the decimals customers.csv prints, by which the bands are cut', () => {
    const line = (p: number, band: string) =>
      customerRowLines('customer c_x', {
        customer_summary: { orders: 2, first_purchase: '2022-01-01', last_purchase: '2022-05-01', total_spend: 10, historic_clv: 10 },
        customer_scores: { p_alive: 0.5 },
        customer_churn: { churn_probability: p, churn_risk_band: band },
      } as never)[1];
    expect(line(0.699996, 'medium')).toContain('churn probability 0.699996 (band medium');
    expect(line(0.7, 'high')).toContain('churn probability 0.700000 (band high');
  });
});
