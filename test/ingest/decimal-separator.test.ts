/**
 * The number SQL (`numberTextSql`) compiled per dialect and run on every
 * engine available: each text read with a decimal point, a decimal comma,
 * and without a decided separator; and the decision from sampled evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { clickhouseDialect } from '../../src/engine/clickhouse/clickhouse-dialect.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { duckdbDialect } from '../../src/engine/sql-dialect.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { numberTextSql, parseDecimalSeparator, readWithSeparator, type DecimalSeparator } from '../../src/ingest/decimal-separator.js';
import { decideDecimalSeparator } from '../../src/ingest/detect-decimal-separator.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse } from '../helpers/warehouse.js';

/** text → [read with '.', with ',', without a separator]; null: not a number written so (bad_number). */
const CASES: readonly (readonly [string, number | null, number | null, number | null])[] = [
  ['12', 12, 12, 12],
  ['2.50', 2.5, null, 2.5],
  ['0.125', 0.125, null, 0.125],
  ['1e3', 1000, 1000, 1000],
  ['1,234', 1234, 1.234, null],
  ['1.234', 1.234, 1234, null],
  ['-$1,234', -1234, -1.234, null],
  ['1,234.50', 1234.5, null, 1234.5],
  ['1.234,50', null, 1234.5, 1234.5],
  ['1,234,567', 1234567, null, 1234567],
  ['1.234.567', null, 1234567, 1234567],
  ['12,5', null, 12.5, 12.5],
  ['0,125', null, 0.125, 0.125],
  ['-1,5', null, -1.5, -1.5],
  ['1234,56', null, 1234.56, 1234.56],
  ['1,2345', null, 1.2345, 1.2345],
  ['$1,234.50', 1234.5, null, 1234.5],
  ['€1.234,50', null, 1234.5, 1234.5],
  ['-€12', -12, -12, -12],
  ['12,34,567', null, null, null],
  ['1,23', null, 1.23, 1.23],
  ['0,123', null, 0.123, 0.123],
  ['abc', null, null, null],
  // a currency sign or code after the number, as European exports write it (a space, a no-break space or none)
  ['12,50 €', null, 12.5, 12.5],
  ['12,50\u00a0€', null, 12.5, 12.5],
  ['1.234,50 €', null, 1234.5, 1234.5],
  ['12.50 EUR', 12.5, null, 12.5],
  ['-3,99€', null, -3.99, -3.99],
  ['1,234 $', 1234, 1.234, null],
  ['12 €', 12, 12, 12],
  ['12,50 € €', null, null, null],
  ['12,50 EURO', null, null, null],
  // thousands grouped by a space, a no-break space or a narrow no-break space (French, Swiss and SI style)
  ['1 234,56', null, 1234.56, 1234.56],
  ['1\u202f234,56 €', null, 1234.56, 1234.56],
  ['-1\u00a0234,5', null, -1234.5, -1234.5],
  ['1 234.56', 1234.56, null, 1234.56],
  ['1 234', 1234, 1234, 1234],
  ['12 345 678', 12345678, 12345678, 12345678],
  ['1 23,4', null, null, null],
  ['1234 567', null, null, null],
];
/**
 * A currency sign or code after a run of spaces (a padded or space-grouped export): read as after one space. DuckDB's
 * cast ignored the spaces the currency left behind (`12  €` → `12 ` → 12) where ClickHouse's refuses them (NULL), and
 * a grouped number (`1 234,50  €`) did not fit its shape on either engine.
 */
const PADDED_CURRENCY_CASES: typeof CASES = [
  ['12  €', 12, 12, 12],
  ['12   EUR', 12, 12, 12],
  ['12,50\u00a0 €', null, 12.5, 12.5],
  ['1 234,50  €', null, 1234.5, 1234.5],
  ['1.234,50  €', null, 1234.5, 1234.5],
  ['1,234.50  USD', 1234.5, null, 1234.5],
];
/**
 * A leading sign of one currency and a trailing sign or code of another (`$12 EUR`) contradict each other: not read
 * (bad_number), where it was read as 12. A sign and a code of the same currency, or a `$` with any dollar, still read.
 */
const MIXED_CURRENCY_CASES: typeof CASES = [
  ['$12 EUR', null, null, null],
  ['€12 USD', null, null, null],
  ['-£1,234.50 EUR', null, null, null],
  ['$12 €', null, null, null],
  ['¥12 CHF', null, null, null],
  ['€1.234,50 GBP', null, null, null],
  ['$12 USD', 12, 12, 12],
  ['12 USD', 12, 12, 12],
  ['€12', 12, 12, 12],
  ['€12 €', 12, 12, 12],
  ['$12 CAD', 12, 12, 12],
  ['-$1,234.50 USD', -1234.5, null, -1234.5],
  ['€1.234,50 EUR', null, 1234.5, 1234.5],
];
const SEPARATORS: readonly (DecimalSeparator | undefined)[] = ['.', ',', undefined];

async function readAll(warehouse: Pick<Warehouse, 'query'>, dialect: typeof duckdbDialect, cases = CASES): Promise<(number | null)[][]> {
  const values = (separator: DecimalSeparator | undefined, i: number) => cases.map(([text], c) => `${numberTextSql(dialect, dialect.literal(text), separator)} AS v${i}_${c}`);
  const [row] = await warehouse.query(`SELECT ${SEPARATORS.flatMap((s, i) => values(s, i)).join(', ')}`);
  return cases.map((_, c) => SEPARATORS.map((__, s) => (row![`v${s}_${c}`] === null ? null : Number(row![`v${s}_${c}`]))));
}

const expected = CASES.map(([, ...readings]) => readings);
const paddedExpected = PADDED_CURRENCY_CASES.map(([, ...readings]) => readings);
const mixedExpected = MIXED_CURRENCY_CASES.map(([, ...readings]) => readings);

describe('numberTextSql on DuckDB', () => {
  let warehouse: Warehouse;
  beforeAll(async () => {
    warehouse = await memoryWarehouse();
  });
  afterAll(() => warehouse.close());

  it('reads every text by the separator, or not at all', async () => {
    expect(await readAll(warehouse, duckdbDialect)).toEqual(expected);
  });

  it('reads a currency sign after several spaces as after one', async () => {
    expect(await readAll(warehouse, duckdbDialect, PADDED_CURRENCY_CASES)).toEqual(paddedExpected);
  });

  it('does not read a number with the signs of two different currencies', async () => {
    expect(await readAll(warehouse, duckdbDialect, MIXED_CURRENCY_CASES)).toEqual(mixedExpected);
  });

  it('a file without separators keeps the plain cast alone in front: with a decimal point, the fallback is reached only through COALESCE', () => {
    expect(numberTextSql(duckdbDialect, 'v', '.')).toMatch(/^COALESCE\(TRY_CAST\(v AS DOUBLE\), /);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`numberTextSql on ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('numbertext');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('reads every text as DuckDB does', async () => {
    expect(await readAll(cluster, clickhouseDialect)).toEqual(expected);
  });

  it('reads a currency sign after several spaces as after one, as DuckDB does', async () => {
    expect(await readAll(cluster, clickhouseDialect, PADDED_CURRENCY_CASES)).toEqual(paddedExpected);
  });

  it('does not read a number with the signs of two different currencies, as DuckDB does', async () => {
    expect(await readAll(cluster, clickhouseDialect, MIXED_CURRENCY_CASES)).toEqual(mixedExpected);
  });
});

describe('decideDecimalSeparator', () => {
  const none = { point: 0, comma: 0, ambiguous: 0 };
  it('one kind of evidence decides; ambiguous values then follow it', () => {
    expect(decideDecimalSeparator({ ...none, point: 3, pointExample: '2.50', ambiguous: 2, ambiguousExample: { value: '1,234', column: 'price' } })).toEqual({ separator: '.' });
    expect(decideDecimalSeparator({ ...none, comma: 1, commaExample: '12,5' })).toEqual({ separator: ',' });
    expect(decideDecimalSeparator(none)).toEqual({});
  });

  it('only ambiguous values: refused, the hint reading the example both ways', () => {
    const decide = () => decideDecimalSeparator({ ...none, ambiguous: 2, ambiguousExample: { value: '1.234', column: 'amount' } }, undefined, 'eu.csv');
    expect(decide).toThrow(UserError);
    expect(decide).toThrow(/^eu\.csv: numbers such as 1\.234 \(column amount\) may use a decimal point or a decimal comma/);
    try {
      decide();
    } catch (error) {
      expect((error as UserError).hint).toBe('pass --decimal-separator . (reads 1.234 as 1.234) or --decimal-separator , (reads it as 1234)');
    }
  });

  it('a given separator wins, with a warning counting the sampled values that do not fit it', () => {
    expect(decideDecimalSeparator({ ...none, ambiguous: 5, ambiguousExample: { value: '1,234', column: 'p' } }, ',')).toEqual({ separator: ',' });
    expect(decideDecimalSeparator({ ...none, point: 2, pointExample: '2.50', comma: 1, commaExample: '3,99' }, '.').warning).toMatch(/^1 sampled numbers \(e\.g\. 3,99\) do not fit a decimal point/);
  });

  it('--decimal-separator takes . and , only', () => {
    expect(parseDecimalSeparator(',')).toBe(',');
    expect(() => parseDecimalSeparator(';')).toThrow(/--decimal-separator ; is neither \. nor ,/);
    expect([readWithSeparator('-$1,234.5', '.'), readWithSeparator('1.234,5', ',')]).toEqual(['-1234.5', '1234.5']);
  });
});
