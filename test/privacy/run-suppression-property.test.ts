/**
 * The published run as a whole: `analyze` on a synthetic shop of 300
 * customers (small cohorts, rare stage moves, thin RFM cells), with value
 * models, a report and low cross-sell thresholds. Walks all of run.json and
 * checks that no number that counts customers describes 1…k−1 of them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

/** Fields that count customers (or person-transitions, or baskets of a kept rule), wherever they are. */
const COUNT_FIELDS = new Set(['customers', 'count', 'counts', 'activeCustomers', 'repurchasers', 'customersR', 'customersF', 'customersM', 'grid']);
/** Fields that count customers only at these places (elsewhere the name means something else: a mean, a stage name). */
const COUNT_AT = [/\.calibrationHistogram\.actual$/]; // the lifecycle series counts are under `counts` (transitions.series.counts.<stage>)
/** Totals that stay (they describe everyone), never small here anyway. */
const TOTALS = [/^\$\.privacy\./, /^\$\.ingest\./];

/** Every number under `value` (arrays, nested arrays, records of numbers). */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbers);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

/** Paths and values of customer counts of 1…k−1 in `node`. */
function smallCounts(node: unknown, k: number, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => smallCounts(item, k, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    if (TOTALS.some((t) => t.test(at))) continue;
    if (COUNT_FIELDS.has(key) || COUNT_AT.some((p) => p.test(at))) {
      for (const n of numbers(value)) if (n > 0 && n < k) found.push(`${at} = ${n}`);
    }
    if (value && typeof value === 'object') found.push(...smallCounts(value, k, at));
  }
  return found;
}

/** How many customer counts are shown (not null) in the run. */
function shownCounts(node: unknown, path = '$'): number {
  if (Array.isArray(node)) return node.reduce<number>((sum, item, i) => sum + shownCounts(item, `${path}[${i}]`), 0);
  if (!node || typeof node !== 'object') return 0;
  let shown = 0;
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    if (COUNT_FIELDS.has(key) || COUNT_AT.some((p) => p.test(at))) shown += numbers(value).length;
    else if (value && typeof value === 'object') shown += shownCounts(value, at);
  }
  return shown;
}

describe('analyze publishes no group of fewer than k customers (synthetic shop, 300 customers)', () => {
  let outDir: string;
  let byDefault: RunSummary;
  let small: RunSummary;
  let published: unknown;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-suppress-');
    await generateShop({ outDir: dir, customers: 300, seed: 5, events: false });
    const files = [join(dir, 'transactions.csv')];
    // low cross-sell thresholds: rules of a few customers are mined, and must be left out
    const patterns = { minSupport: 0.002, minConfidence: 0.05, sequenceMinSupport: 0.005 };
    outDir = join(dir, 'k5');
    byDefault = await analyze({ files, db: ':memory:', outDir, patterns });
    published = JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8'));
    small = await analyze({ files, db: ':memory:', outDir: join(dir, 'k2'), patterns, skipReport: true, minGroupSize: 2 });
  }, 120_000);

  it('runs every step that publishes groups', () => {
    expect(byDefault.valueModel).not.toBeNull();
    expect(byDefault.segments).not.toBeNull();
    expect(byDefault.patterns).not.toBeNull();
    expect(byDefault.privacy.minGroupSize).toBe(5);
  });

  it('run.json: no customer count anywhere is 1…4 with the default k = 5', () => {
    expect(smallCounts(published, 5)).toEqual([]);
    // the walk itself finds small counts where they hide
    expect(smallCounts({ a: [{ customers: 3 }], m: { counts: [[0, 7], [2, 9]] }, v: { diagnostics: { calibrationHistogram: { actual: [9, 1] } } } }, 5)).toEqual([
      '$.a[0].customers = 3',
      '$.m.counts = 2',
      '$.v.diagnostics.calibrationHistogram.actual = 1',
    ]);
    // the walk finds counts everywhere it should (a typo in a field name would make it vacuous)
    expect(shownCounts(published)).toBeGreaterThan(500);
  });

  it('the returned summary is run.json', () => {
    expect(JSON.parse(JSON.stringify(byDefault))).toEqual(published);
  });

  it('the data has small groups: without suppression the walk would fail, and rules of fewer than 5 customers were mined and left out', () => {
    const s = byDefault.privacy.suppressed!;
    expect(s.smallGroups).toBeGreaterThan(20);
    expect(s.complementary).toBeGreaterThan(0);
    expect(s.values).toBeGreaterThan(0);
    expect(s.rulesWithheld).toBeGreaterThan(0);
    expect(Object.keys(s.tables)).toEqual(expect.arrayContaining(['segments.cohorts', 'segments.rfm.segments', 'segments.transitions.steps', 'patterns.rules']));
    for (const rule of byDefault.patterns!.rules) expect(rule.customers).toBeGreaterThanOrEqual(5);
    for (const rule of byDefault.patterns!.sequenceRules) expect(rule.count).toBeGreaterThanOrEqual(5);
  });

  it('with --min-group-size 2 no count is 1 and more is shown than with the default', () => {
    expect(small.privacy.minGroupSize).toBe(2);
    expect(smallCounts(JSON.parse(JSON.stringify(small)), 2)).toEqual([]);
    expect(smallCounts(JSON.parse(JSON.stringify(small)), 5).length).toBeGreaterThan(0); // groups of 2–4 now shown
    expect(shownCounts(small)).toBeGreaterThan(shownCounts(published));
    expect(small.patterns!.rules.length).toBeGreaterThan(byDefault.patterns!.rules.length);
    const suppressed = (r: RunSummary) => r.privacy.suppressed!.smallGroups + r.privacy.suppressed!.complementary;
    expect(suppressed(small)).toBeLessThan(suppressed(byDefault));
  });

  it('report.html is written from the suppressed run: it says so and prints no NaN', () => {
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('suppressed (fewer than 5 customers, or protecting such a group)');
    // (the quarantine rule text “customer id empty (or NaN/NULL/None)” is the only NaN allowed)
    expect(html.replaceAll('NaN/NULL/None', '')).not.toMatch(/NaN|undefined/);
  });
});
