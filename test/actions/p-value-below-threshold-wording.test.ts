import { describe, expect, it } from 'vitest';
import { controlGroupWarnings } from '../../src/actions/campaign-control-warnings.js';
import { pEquals } from '../../src/actions/format-p-value.js';
import type { UpliftEstimate } from '../../src/actions/estimate-uplift.js';

// A p-value below 0.001 was printed "p = <0.001" (campaign evaluate's lines, the control-group warning, the cost per
// incremental buyer): it reads "p < 0.001".
describe('a p-value as a comparison', () => {
  it("is 'p < 0.001' below 0.001 and 'p = 0.378' above", () => {
    expect([0.3776, 0.001, 0.00099, 8.9e-5].map(pEquals)).toEqual(['p = 0.378', 'p = 0.001', 'p < 0.001', 'p < 0.001']);
  });

  it('reads so in the warning of a control group without a buyer', () => {
    const buyers = { pValue: 2e-6, absoluteUpliftInterval: [0.1, 0.3] } as unknown as UpliftEstimate;
    const [warning] = controlGroupWarnings(400, 120, 50, 0, buyers);
    expect(warning).toContain(', p < 0.001)');
    expect(warning).not.toContain('p = <');
  });
});
