/**
 * A QA pass: the dashboard's customer view showed "churn risk 83% — low". The band is a rank (high = the riskiest
 * 20%, medium = the next 30%, low = the rest; cut-offs in run.json learned.churn.bands), so a high probability can sit
 * in "low". The note now says it is a band by rank, with the run's cut-offs (GET /api/customers/:token `churnBands`), in the
 * analyze summary's and the report's words (core/describe-risk-bands.ts).
 */
import { describe, expect, it } from 'vitest';
import { churnBandNote } from '../../web/src/churn-view.js';

describe('the churn risk band next to a customer’s churn probability', () => {
  it('says the band is a rank, with the run’s cut-offs', () => {
    // in the analyze summary's and the report's words (core/describe-risk-bands.ts; churn-band-note-same-as-cli-and-report.test.ts)
    expect(churnBandNote('low', { high: 0.9723, medium: 0.8412, highShare: 0.2, mediumShare: 0.3 })).toBe('band low: by rank, ties kept together: high the riskiest 20% (probability ≥ 0.972), medium the next 30% (≥ 0.841), low the other 50%');
    expect(churnBandNote('high', { high: 0.5, medium: 0.25, highShare: 0.2, mediumShare: 0.3 })).toBe('band high: by rank, ties kept together: high the riskiest 20% (probability ≥ 0.500), medium the next 30% (≥ 0.250), low the other 50%');
  });

  it('without cut-offs (an empty band, an older run, none served): still a rank, never the bare word', () => {
    expect(churnBandNote('low', { high: null, medium: 0.4, highShare: 0.2, mediumShare: 0.3 })).toBe('band low (by rank)');
    // an older run.json: fixed cut-offs, no shares (describeRiskBands' words for it)
    expect(churnBandNote('low', { high: 0.6, medium: 0.3 })).toBe('band low: high ≥ 0.6, medium ≥ 0.3, low below');
    expect(churnBandNote('medium', null)).toBe('band medium (by rank)');
    expect(churnBandNote(null, { high: 0.9, medium: 0.5 })).toBe('');
  });
});
