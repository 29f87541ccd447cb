import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze, type RunSummary } from '../../../src/pipeline/analyze.js';
import { analyzeOnClickHouse, clickhouseAnalyzeOptions } from '../../../src/pipeline/analyze-on-clickhouse.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { compareCustomersCsv, fileDifference, parseCsv } from '../../../scripts/compare-customers-csv.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences, dropScratchDatabase } from '../../helpers/clickhouse.js';

// Issue 18 item 4: analyze on the cluster gives the customers.csv DuckDB gives, on the same input and key.
describe.skipIf(!CLICKHOUSE_URL)(`analyze gives the same answers on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse;
  let duck: RunSummary;
  let onCluster: RunSummary;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 18), { source: 'memory' });

  beforeAll(async () => {
    // no events file: nothing reads it (the transactions are the same bytes with or without)
    await generateShop({ outDir: dir, customers: 3000, seed: 1818, events: false });
    const files = [join(dir, 'transactions.csv')];
    duck = await analyze({ ...clickhouseAnalyzeOptions({ db: ':memory:', outDir: join(dir, 'duckdb'), skipChurn: false }), files, keyring });
    cluster = await clickhouseWarehouse('same_answers');
    onCluster = (await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'clickhouse'), files, keyring, skipChurn: false })).run;
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  /** the two customers.csv files compared (compareCustomersCsv), once for the three tests that read the comparison */
  let comparedOnce: ReturnType<typeof compareCustomersCsv> | undefined;
  const comparison = () => (comparedOnce ??= compareCustomersCsv(readFileSync(duck.outputs.customersCsv, 'utf8'), readFileSync(onCluster.outputs.customersCsv, 'utf8')));

  it('customers.csv: the same customers and columns, integers exact, floats within 1e-9 relative', () => {
    const compared = comparison();
    expect(compared.customers).toBeGreaterThan(2500);
    expect(compared.columns).toContain('predicted_clv_12m');
    expect(compared.differences.slice(0, 10)).toEqual([]);
  });

  // regression: equal numbers, other text — DuckDB wrote 2.0, 0.0, 9e-06 where ClickHouse wrote 2, 0, 0.000009, and
  // diff or cmp of the two files showed every row; counts (orders, frequency) are written as integers on both
  it('customers.csv is the same bytes on both engines, counts written as integers', () => {
    expect(fileDifference(duck.outputs.customersCsv, onCluster.outputs.customersCsv)).toBeNull();
    const [header, ...rows] = parseCsv(readFileSync(onCluster.outputs.customersCsv, 'utf8'));
    const cells = (column: string) => rows.map((row) => row[header!.indexOf(column)]!);
    for (const count of ['orders', 'frequency', 'cluster']) expect(cells(count).filter((cell) => !/^\d+$/.test(cell))).toEqual([]);
    expect(new Set(cells('frequency')).has('0')).toBe(true);
    // floats in one form: a decimal point in every float, e.g. returns 0.0 and T 104.0
    expect(cells('returns').filter((cell) => !cell.includes('.') && !cell.includes('e'))).toEqual([]);
    expect(cells('T').filter((cell) => !cell.includes('.'))).toEqual([]);
  });

  it('the same chosen model, parameters and headline', () => {
    expect(onCluster.valueModel?.chosen).toBe(duck.valueModel?.chosen);
    expect(onCluster.valueModel?.final.params).toEqual(duck.valueModel?.final.params);
    // plain float sums (net revenue) add in another order on the cluster: within 1e-9 relative
    expect(differences(onCluster.headline, duck.headline)).toEqual([]);
    expect(onCluster.headline.customers).toBe(3000);
    expect(onCluster.ingest.accepted).toBe(duck.ingest.accepted);
  });

  // segments, value tiers, clusters, lifecycle stages (+ validation, transitions, cohorts, KPIs) ran on both engines
  const withoutTimings = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutTimings)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'timingsMs').map(([key, v]) => [key, withoutTimings(v)]))
        : value;

  it('customers.csv holds the segment, value tier, cluster and lifecycle stage columns, equal on both engines', () => {
    const compared = comparison();
    for (const column of ['segment', 'value_tier', 'cluster', 'stage']) expect(compared.columns).toContain(column);
    expect(compared.differences.slice(0, 10)).toEqual([]);
  });

  it("run.json's segments section (RFM, value tiers, clusters, lifecycle stages, transitions, cohorts, KPIs) is the same", () => {
    expect(onCluster.segments?.rfm.segments.filter((s) => (s.customers ?? 0) > 0).length).toBeGreaterThan(3);
    expect(onCluster.segments?.stages.stages.length).toBeGreaterThan(2);
    expect(differences(withoutTimings(onCluster.segments), withoutTimings(duck.segments))).toEqual([]);
  });

  it("the churn warning: customers.csv's churn columns and run.json's learned section are the same", () => {
    const compared = comparison();
    for (const column of ['churn_probability', 'churn_risk_band', 'churn_top_drivers']) expect(compared.columns).toContain(column);
    expect(compared.differences.slice(0, 10)).toEqual([]);
    expect(onCluster.learned?.churn).toBeTruthy();
    expect(differences(withoutTimings(onCluster.learned), withoutTimings(duck.learned))).toEqual([]);
  });

  it('writes report.html on both engines', () => {
    expect(onCluster.outputs.reportHtml).not.toBeNull();
    const [duckHtml, clusterHtml] = [readFileSync(duck.outputs.reportHtml!, 'utf8'), readFileSync(onCluster.outputs.reportHtml!, 'utf8')];
    expect(clusterHtml.length).toBeGreaterThan(10_000);
    expect(clusterHtml).toContain('Lifecycle');
    // the same sections, and the same content in each but the run's own (timings, start time) and the
    // privacy section's list of held tables (each engine keeps its own bookkeeping tables)
    // (and the envelopes of encrypted quarantine details: each ingest encrypts with fresh nonces)
    const envelope = /v1:k[0-9a-f]+:[A-Za-z0-9_-]+/g;
    const sections = (html: string) => new Map([...html.matchAll(/<section class="report-section" id="([^"]+)">([\s\S]*?)<\/section>/g)].map((m) => [m[1]!, m[2]!.replace(envelope, 'envelope')]));
    const [duckSections, clusterSections] = [sections(duckHtml), sections(clusterHtml)];
    expect([...clusterSections.keys()]).toEqual([...duckSections.keys()]);
    expect([...duckSections.keys()]).toEqual(expect.arrayContaining(['data-quality', 'segments', 'clusters', 'lifecycle', 'cohorts', 'cross-sell']));
    const differing = [...duckSections.keys()].filter((id) => !['run', 'privacy'].includes(id) && duckSections.get(id) !== clusterSections.get(id));
    expect(differing).toEqual([]);
  });

  it("cross-sell runs on the cluster: run.json's patterns section (rules, next-purchase rules, the recommender's time split) and recommendations.csv are the same", () => {
    expect(duck.patterns?.rules.length).toBeGreaterThan(0);
    expect(duck.patterns?.recommender).not.toBeNull();
    expect(onCluster.patterns).not.toBeNull();
    const withoutFile = (run: RunSummary) => ({ ...run.patterns!, recommendations: { ...run.patterns!.recommendations, csv: null } });
    expect(differences(withoutFile(onCluster), withoutFile(duck))).toEqual([]);
    expect(onCluster.outputs.recommendationsCsv).not.toBeNull();
    const [duckCsv, clusterCsv] = [readFileSync(duck.outputs.recommendationsCsv!, 'utf8'), readFileSync(onCluster.outputs.recommendationsCsv!, 'utf8')];
    expect(duckCsv.split('\n').length).toBeGreaterThan(1000);
    expect(clusterCsv).toBe(duckCsv);
  });

  it('run.json names no stage left out on the cluster (regression: cross-sell was skipped with a warning)', () => {
    expect(onCluster.warnings.filter((w) => /cross-sell|ClickHouse/i.test(w))).toEqual([]);
    expect(onCluster.warnings).toEqual(duck.warnings);
  });
});
