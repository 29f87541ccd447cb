import { describe, expect, it } from 'vitest';
import { funnelConversionCaption } from '../../src/report/funnel-caption.js';

// Review (session 41, low): a withheld count of sessions that bought without a cart add (1…k−1, null when published)
// was read as 0 and its clause dropped, so the caption said nothing of purchases outside the funnel instead of saying
// their count is withheld.
describe('the funnel caption', () => {
  it('says the sessions that bought without a cart add are withheld when their count is', () => {
    expect(funnelConversionCaption({ conversionRate: 0.229, purchasedWithoutCart: null })).toBe(
      '22.9% of sessions reach a purchase through a view and a cart add; the count of sessions that bought without a recorded cart add (outside the nested funnel) is suppressed',
    );
  });

  it('names a shown count, and nothing when there is none', () => {
    expect(funnelConversionCaption({ conversionRate: 0.229, purchasedWithoutCart: 513 })).toBe(
      '22.9% of sessions reach a purchase through a view and a cart add; 513 more sessions bought without a recorded cart add (outside the nested funnel)',
    );
    expect(funnelConversionCaption({ conversionRate: 0.229, purchasedWithoutCart: 0 })).toBe('22.9% of sessions reach a purchase through a view and a cart add');
  });
});
