import { describe, expect, it } from 'vitest';
import { assignControlGroup } from '../../src/actions/assign-control-group.js';
import { UserError } from '../../src/core/errors/user-error.js';

const tokens = Array.from({ length: 1000 }, (_, i) => `c_${(i * 7919).toString(36)}`);

describe('assignControlGroup', () => {
  it('holds out exactly round(n × holdout), the same for the same seed whatever the input order, another for another seed', () => {
    const a = assignControlGroup(tokens, 0.2, 7);
    const control = [...a].filter(([, g]) => g === 'control').map(([t]) => t).sort();
    expect(control).toHaveLength(200);
    const reversed = assignControlGroup([...tokens].reverse(), 0.2, 7);
    expect([...reversed].filter(([, g]) => g === 'control').map(([t]) => t).sort()).toEqual(control);
    const other = [...assignControlGroup(tokens, 0.2, 8)].filter(([, g]) => g === 'control').map(([t]) => t).sort();
    expect(other).not.toEqual(control);
    // two draws with different seeds overlap about as chance says (20% of 200 = 40)
    const overlap = other.filter((t) => control.includes(t)).length;
    expect(overlap).toBeGreaterThan(20);
    expect(overlap).toBeLessThan(60);
  });

  it('refuses a control group of zero and a treatment group of zero', () => {
    expect(() => assignControlGroup(tokens.slice(0, 10), 0.01, 1)).toThrow(UserError);
    expect(() => assignControlGroup(tokens.slice(0, 10), 0.01, 1)).toThrow(/a control group of zero: 1\.0% of 10 customers rounds to nobody/);
    expect(() => assignControlGroup(tokens.slice(0, 10), 0.97, 1)).toThrow(/leaves nobody to contact/);
    expect(() => assignControlGroup(tokens, 0, 1)).toThrow(/not a fraction between 0 and 1/);
  });
});
