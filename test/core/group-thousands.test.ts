import { describe, expect, it } from 'vitest';
import { groupThousands } from '../../src/core/group-thousands.js';

describe('groupThousands', () => {
  it("writes every number as toLocaleString('en-US') does", () => {
    const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 1234, 12345, 123456, 1234567, -1234567, 100000000, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, 1.5, 1234.5678, -0.25, Number.NaN, Infinity, -Infinity];
    for (let i = 0; i < 2000; i++) values.push(Math.floor((i * 7919) ** 1.7) * (i % 2 ? -1 : 1));
    for (const n of values) expect(groupThousands(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('groups whole numbers without Intl', () => {
    const original = Number.prototype.toLocaleString;
    Number.prototype.toLocaleString = () => 'Intl';
    try {
      expect([groupThousands(1234567), groupThousands(-1000), groupThousands(999)]).toEqual(['1,234,567', '-1,000', '999']);
      expect(groupThousands(1.5)).toBe('Intl');
    } finally {
      Number.prototype.toLocaleString = original;
    }
  });
});
