import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors/user-error.js';
import { suppressSmallGroups } from '../../../src/privacy/disclosure/suppress-small-groups.js';

interface Row extends Record<string, unknown> {
  segment: string;
  customers: number | bigint | null;
  revenue: number | null;
}

const options = { countColumn: 'customers', measureColumns: ['revenue'], isTotal: (r: Row) => r.segment === 'ALL' };
const rows = (spec: Array<[string, number]>): Row[] => spec.map(([segment, customers]) => ({ segment, customers, revenue: customers * 100 }));
const marks = (out: ReturnType<typeof suppressSmallGroups<Row>>): Record<string, string> =>
  Object.fromEntries(out.rows.map((r) => [r.segment, r.suppression ?? 'shown']));

describe('suppressSmallGroups', () => {
  it('without a total: nulls measures and count of groups below k = 5, nothing else', () => {
    const out = suppressSmallGroups(rows([['A', 2], ['B', 40], ['C', 5], ['D', 4]]), { countColumn: 'customers', measureColumns: ['revenue'] });
    expect(marks(out)).toEqual({ A: 'small-group', B: 'shown', C: 'shown', D: 'small-group' });
    expect(out.rows[0]).toEqual({ segment: 'A', customers: null, revenue: null, suppressed: true, suppression: 'small-group' });
    expect(out.rows[1]).toEqual({ segment: 'B', customers: 40, revenue: 4000, suppressed: false, suppression: null });
    expect(out.primary).toBe(2);
    expect(out.complementary).toBe(0);
    expect(out.k).toBe(5);
  });

  it('a single suppressed group next to a total row gets a complementary partner (the smallest shown group)', () => {
    const out = suppressSmallGroups(rows([['A', 2], ['B', 40], ['C', 9], ['D', 12], ['ALL', 63]]), options);
    expect(marks(out)).toEqual({ A: 'small-group', B: 'shown', C: 'complementary', D: 'shown', ALL: 'shown' });
    // the total minus the shown groups no longer isolates A
    const shown = out.rows.filter((r) => !r.suppressed && r.segment !== 'ALL').reduce((s, r) => s + (r.revenue as number), 0);
    expect(6300 - shown).toBe(200 + 900);
  });

  it('complementary suppression continues until the suppressed groups cover at least k people', () => {
    // A=1 and B=1 suppressed: together 2 < 5, so C (smallest shown, 6) joins
    const out = suppressSmallGroups(rows([['A', 1], ['B', 1], ['C', 6], ['D', 7], ['ALL', 15]]), options);
    expect(marks(out)).toEqual({ A: 'small-group', B: 'small-group', C: 'complementary', D: 'shown', ALL: 'shown' });
  });

  it('two suppressed groups that already cover k need no partner', () => {
    const out = suppressSmallGroups(rows([['A', 3], ['B', 4], ['C', 30], ['ALL', 37]]), options);
    expect(marks(out)).toEqual({ A: 'small-group', B: 'small-group', C: 'shown', ALL: 'shown' });
  });

  it('ties are broken by input order; empty groups (0) are shown and never used as partners', () => {
    const out = suppressSmallGroups(rows([['A', 3], ['Z', 0], ['B', 8], ['C', 8], ['ALL', 19]]), options);
    expect(marks(out)).toEqual({ A: 'small-group', Z: 'shown', B: 'complementary', C: 'shown', ALL: 'shown' });
  });

  it('a total below k is suppressed itself', () => {
    const out = suppressSmallGroups(rows([['A', 1], ['B', 2], ['ALL', 3]]), options);
    expect(marks(out)).toEqual({ A: 'small-group', B: 'small-group', ALL: 'small-group' });
  });

  it('totalPublished applies complementary suppression with no total row in the table', () => {
    const out = suppressSmallGroups(rows([['A', 2], ['B', 40], ['C', 9]]), { ...options, totalPublished: true });
    expect(marks(out)).toEqual({ A: 'small-group', B: 'shown', C: 'complementary' });
  });

  it('works per partition, each with its own total', () => {
    const data = [
      { region: 'N', segment: 'A', customers: 2, revenue: 1 },
      { region: 'N', segment: 'B', customers: 10, revenue: 1 },
      { region: 'N', segment: 'C', customers: 20, revenue: 1 },
      { region: 'N', segment: 'ALL', customers: 32, revenue: 3 },
      { region: 'S', segment: 'A', customers: 6, revenue: 1 },
      { region: 'S', segment: 'B', customers: 7, revenue: 1 },
      { region: 'S', segment: 'ALL', customers: 13, revenue: 2 },
    ];
    const out = suppressSmallGroups(data, { ...options, isTotal: (r) => r.segment === 'ALL', partitionBy: ['region'] });
    expect(out.rows.map((r) => `${r.region}${r.segment}:${r.suppression ?? '-'}`)).toEqual([
      'NA:small-group',
      'NB:complementary',
      'NC:-',
      'NALL:-',
      'SA:-',
      'SB:-',
      'SALL:-',
    ]);
  });

  it('accepts bigint counts (DuckDB COUNT) and treats a missing count as a small group', () => {
    const data: Row[] = [
      { segment: 'A', customers: 3n, revenue: 10 },
      { segment: 'B', customers: 50n, revenue: 10 },
      { segment: 'C', customers: null, revenue: 10 },
    ];
    const out = suppressSmallGroups(data, { countColumn: 'customers', measureColumns: ['revenue'] });
    expect(marks(out)).toEqual({ A: 'small-group', B: 'shown', C: 'small-group' });
  });

  it('custom k and keeping counts visible', () => {
    const out = suppressSmallGroups(rows([['A', 8], ['B', 12]]), { countColumn: 'customers', measureColumns: ['revenue'], k: 10, suppressCount: false });
    expect(out.rows[0]).toEqual({ segment: 'A', customers: 8, revenue: null, suppressed: true, suppression: 'small-group' });
  });

  it('rejects a bad k or a missing count column', () => {
    expect(() => suppressSmallGroups(rows([['A', 1]]), { ...options, k: 1 })).toThrow(UserError);
    expect(() => suppressSmallGroups(rows([['A', 1]]), { ...options, k: 2.5 })).toThrow(UserError);
    expect(() => suppressSmallGroups(rows([['A', 1]]), { ...options, countColumn: 'n' })).toThrow('count column n is not in the rows');
  });

  it('does not modify its input', () => {
    const input = rows([['A', 1], ['B', 9]]);
    suppressSmallGroups(input, options);
    expect(input[0]).toEqual({ segment: 'A', customers: 1, revenue: 100 });
  });
});
