/**
 * QA: `GET /api/value` sent a withheld top-value share and an uncomputable Gini as JSON null (JSON has no NaN) while
 * ValueResponse typed them `number`, so a client reading the type was told a number always came. The type now says
 * `number | null` (the Pareto curve's points too: all null when the customers' value sums to 0), the route turns NaN
 * into null itself, and the dashboard shows "withheld" for a withheld share and a dash for a Gini it cannot compute —
 * never NaN, and never a 0 on the curve for a point that has no value.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { computeValueConcentration, jsonSafeConcentration } from '../../src/report/value-concentration.js';
import type { JsonValueConcentration, ValueResponse } from '../../src/server/routes/read-api-types.js';
import { concentrationKpis, paretoCurveOf } from '../../web/src/value-view.js';

type Concentration = NonNullable<ValueResponse['concentration']>;

describe('GET /api/value: withheld and uncomputable figures', () => {
  it('are typed number | null', () => {
    expectTypeOf<Concentration['gini']>().toEqualTypeOf<number | null>();
    expectTypeOf<Concentration['top'][number]['valueShare']>().toEqualTypeOf<number | null>();
    expectTypeOf<Concentration['valueShare'][number]>().toEqualTypeOf<number | null>();
  });

  it('travel as null: 30 customers at k = 5 (a curve of 7 points, 5 customers apart) withhold the top 1%, 5%, 10% and 20%; value summing to 0 leaves no curve, no positive value no Gini', () => {
    const values = Float64Array.from({ length: 30 }, (_, i) => 10 + i);
    const withheld = jsonSafeConcentration(computeValueConcentration(values, 201, 5));
    expect(withheld.top.map((t) => t.valueShare === null)).toEqual([true, true, true, true, false]);
    expect(withheld.top[4]!.valueShare).toBeCloseTo(0.6531, 4); // the top 15: (39 + … + 25) / 735
    expect(withheld.gini).toBeCloseTo(0.2039, 4);
    const zero = jsonSafeConcentration(computeValueConcentration(Float64Array.from([5, -5, 0, 0, 0, 0]), 201, 1));
    expect(zero.valueShare.every((v) => v === null)).toBe(true);
    expect(JSON.parse(JSON.stringify(zero))).toEqual(zero);
    const noPositive = jsonSafeConcentration(computeValueConcentration(Float64Array.from([0, -3, 0, 0]), 201, 1));
    expect(noPositive.gini).toBeNull();
    expect(noPositive.valueShare.at(-1)).toBe(1);
  });

  it('show "withheld" and a dash on the dashboard, and leave the curve empty, not at 0', () => {
    const c: JsonValueConcentration = {
      customers: 6,
      totalValue: 0,
      customerShare: [0, 0.5, 1],
      valueShare: [null, null, null],
      top: [0.01, 0.05, 0.1, 0.2, 0.5].map((customerShare) => ({ customerShare, valueShare: customerShare === 0.5 ? 0.8 : null })),
      gini: null,
    };
    const tiles = concentrationKpis(c, 5);
    const value = (label: string) => tiles.find((t) => t.label === label)!.value;
    expect(value('top 10% of customers')).toBe('withheld');
    expect(value('top 20% of customers')).toBe('withheld');
    expect(value('Gini coefficient')).toBe('–');
    expect(tiles.map((t) => t.value).join(' ')).not.toMatch(/NaN/);
    const curve = paretoCurveOf(c);
    expect(curve.valueShare.every((v) => Number.isNaN(v))).toBe(true);
    expect(curve.top.find((t) => t.customerShare === 0.5)!.valueShare).toBe(0.8);
    expect(Number.isNaN(curve.gini)).toBe(true);
  });
});
