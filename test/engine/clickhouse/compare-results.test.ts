import { describe, expect, it } from 'vitest';
import { differences, expectSameRows } from '../../helpers/clickhouse.js';

// The comparison the two-engine tests rely on must be able to fail.
describe('comparing results of two engines', () => {
  it('accepts float noise within 1e-9 relative, and nothing more', () => {
    expect(differences({ a: [1, 293.88000000000005], d: new Date(0) }, { a: [1, 293.88], d: new Date(0) })).toEqual([]);
    expect(differences({ a: [1, 293.88] }, { a: [1, 293.8801] })).toEqual(['.a[1]: 293.88 vs 293.8801']);
    expect(differences({ n: 3 }, { n: 4 })).toEqual(['.n: 3 vs 4']);
    expect(differences({ n: null }, { n: 0 })).toEqual(['.n: null vs 0']);
    expect(differences([new Date(0)], [new Date(1000)])).toHaveLength(1);
    expect(differences([true, false], [1, 0])).toEqual([]); // ClickHouse booleans are UInt8
    expect(differences([true], [0])).toHaveLength(1);
  });

  it('sorts rows by key before comparing, and reports a differing cell', () => {
    expect(() => expectSameRows([{ id: 'b', x: 2 }, { id: 'a', x: 1 }], [{ id: 'a', x: 1 }, { id: 'b', x: 2 }], ['id'])).not.toThrow();
    expect(() => expectSameRows([{ id: 'a', x: 1 }], [{ id: 'a', x: 1.5 }], ['id'])).toThrow(/deeply equal/);
    expect(() => expectSameRows([{ id: 'a', x: 1 }], [], ['id'])).toThrow();
  });
});
