/**
 * A QA pass: the dashboard's customer view showed "churn risk 83% — low". The band is a rank (high = the riskiest
 * 20%, medium = the next 30%, low = the rest; cut-offs in run.json learned.churn.bands), so a high probability can sit
 * in "low". The note now says it is a band by rank, with the run's cut-offs (GET /api/customers/:token `churnBands`).
 */
import { describe, expect, it } from 'vitest';
import { churnBandNote } from '../../web/src/churn-view.js';

describe('the churn risk band next to a customer’s churn probability', () => {
  it('says the band is a rank, with the run’s cut-offs', () => {
    expect(churnBandNote('low', { high: 0.9723, medium: 0.8412, highShare: 0.2, mediumShare: 0.3 })).toBe('band low (by rank: high from 97.2%, medium from 84.1%)');
    expect(churnBandNote('high', { high: 0.5, medium: 0.25, highShare: 0.2, mediumShare: 0.3 })).toBe('band high (by rank: high from 50.0%, medium from 25.0%)');
  });

  it('without cut-offs (an empty band, an older run, none served): still a rank, never the bare word', () => {
    expect(churnBandNote('low', { high: null, medium: 0.4 })).toBe('band low (by rank: medium from 40.0%)');
    expect(churnBandNote('medium', null)).toBe('band medium (by rank)');
    expect(churnBandNote(null, { high: 0.9, medium: 0.5 })).toBe('');
  });
});
