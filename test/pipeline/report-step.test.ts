import { describe, expect, it } from 'vitest';
import { maskQuarantineLine } from '../../src/pipeline/report-step.js';

describe('quarantined lines in the report are masked', () => {
  it('keeps dates, decimals and quantities readable and masks identifiers and text', () => {
    expect(maskQuarantineLine('536365,POST,POSTAGE,3,2011-01-05 10:00:00,18.0,12583,France', ',')).toBe('5***,P***,P***,3,2011-01-05 10:00:00,18.0,1***,F***');
  });
  it('masks e-mail addresses, phone numbers and names wherever they stand', () => {
    const masked = maskQuarantineLine('zhang.li@example.com;+44 7700 900123;Zhang Li;01/02/2011;2.50', ';');
    expect(masked).toBe('z***;+***;Z***;01/02/2011;2.50');
    for (const secret of ['zhang', 'example.com', '7700', '900123', 'Li']) expect(masked).not.toContain(secret);
  });
  it('splits whitespace-separated lines on blanks', () => {
    expect(maskQuarantineLine('00004 0001 19970101 2 29.33', 'whitespace')).toBe('0*** 0*** 1*** 2 29.33');
  });
});
