import { describe, expect, it } from 'vitest';
import { valueDistributionLead } from '../../src/report/sections/value-section.js';

// QA (s30 report pass): "Most customers are worth 20–50, while the band 20–50 holds the largest share of value".
describe("the value distribution's caption names the commonest band and the band of most value", () => {
  const labels = ['≤ 0', '0–20', '20–50', '50–100', '> 100'];
  it('once when they are the same band', () => {
    expect(valueDistributionLead({ labels, customers: [2, 20, 50, 18, 10], valueShare: [0, 0.05, 0.4, 0.25, 0.3] }, 100)).toBe(
      'The commonest value is 20–50 (50% of customers), and that band also holds the largest share of value (40%)',
    );
  });
  it('both when they differ; a withheld band counts for neither, its customers still among all customers', () => {
    expect(valueDistributionLead({ labels, customers: [null, 40, 30, 20, 10], valueShare: [null, 0.1, 0.2, 0.3, 0.4] }, 103)).toBe(
      'The commonest value is 0–20 (39% of customers), while the band > 100 holds the largest share of value (40%)',
    );
  });
});
