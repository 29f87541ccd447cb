/**
 * A complete, deterministic ReportData for the report tests: the ingest of
 * the demo data's shape (UCI Online Retail counts from README.md), synthetic
 * customers (seeded), and every optional section filled with plausible
 * aggregates. One rule name is hostile on purpose (`<script>`, `{b}`, `&`).
 */
import { fixtureEvents } from './events-fixture.js';
import { createRandom } from '../../src/math/random.js';
import { buildPrivacyReport } from '../../src/privacy/warehouse/privacy-report.js';
import { parseRetention } from '../../src/privacy/warehouse/retention.js';
import type { IngestFileReport, IngestReport } from '../../src/ingest/ingest-report.js';
import type { ReportChurn, ReportData, ReportModelCard } from '../../src/report/report-data.js';

export const HOSTILE_TEXT = '<script>alert("x")</script> {b} & Co';

export interface FixtureCustomers {
  readonly totalSpend: Float64Array;
  readonly historicValue: Float64Array;
  readonly predictedValue: Float64Array;
  readonly probabilityAlive: Float64Array;
}

/** `n` customers: log-normal spend (3% with returns exceeding purchases), predicted value correlated with it. */
export function fixtureCustomers(n: number, seed = 7): FixtureCustomers {
  const random = createRandom(seed);
  const totalSpend = new Float64Array(n);
  const historicValue = new Float64Array(n);
  const predictedValue = new Float64Array(n);
  const probabilityAlive = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    const spend = u < 0.03 ? -Math.round(random.uniform() * 50 * 100) / 100 : Math.round(Math.exp(5.8 + 1.25 * random.normal()) * 100) / 100;
    totalSpend[i] = spend;
    historicValue[i] = spend;
    const alive = random.beta(2, 1.2);
    probabilityAlive[i] = alive;
    predictedValue[i] = spend <= 0 ? 0 : Math.round(alive * Math.exp(0.7 * Math.log(spend) + 1.2 + 0.7 * random.normal()) * 100) / 100;
  }
  return { totalSpend, historicValue, predictedValue, probabilityAlive };
}

const RULES = {
  malformed_row: 0,
  missing_customer_id: 135080,
  missing_date: 0,
  bad_date: 0,
  future_date: 0,
  bad_number: 0,
  zero_quantity: 0,
  nonpositive_price: 40,
  non_product: 1905,
  duplicate: 5228,
  missing_event_type: 0,
  erased_customer: 0,
};

/** The ingest's per-file privacy facts (spread in, so the fixture compiles with and without that field of IngestFileReport). */
const FILE_PRIVACY = { privacy: { customerIds: 'tokens', rootKeyId: 'k0123456789', piiStored: [], newCustomers: 4372, quarantineEncrypted: true } as const };

const FILE: IngestFileReport = {
  ...FILE_PRIVACY,
  source: '/home/someone/data/online_retail.csv.gz',
  sha256: 'a'.repeat(64),
  alreadyIngested: false,
  ingestId: 1,
  format: 'csv',
  encoding: 'latin-1',
  delimiter: ',',
  hasHeader: true,
  mapping: { order_id: 'InvoiceNo', product_id: 'StockCode', description: 'Description', quantity: 'Quantity', date: 'InvoiceDate', unit_price: 'UnitPrice', customer_id: 'CustomerID', country: 'Country' },
  mappingOrigin: { order_id: 'name', customer_id: 'name', date: 'name' },
  dateFormats: ['%m/%d/%Y %H:%M'],
  rowsRead: 541909,
  accepted: 399656,
  quarantined: 142253,
  rules: RULES,
  returns: 8506,
  outliersFlagged: 24,
  warnings: ['3 lines look re-exported (same customer, date and amount, no order id): kept'],
  elapsedMs: 4210,
};

export const FIXTURE_INGEST: IngestReport = { rowsRead: 541909, accepted: 399656, quarantined: 142253, rules: RULES, returns: 8506, outliersFlagged: 24, files: [FILE] };

/** BG/NBD P(alive) (Fader, Hardie & Lee 2005, eq. 13) for the fixture's P(alive) grid. */
function bgnbdAlive(x: number, tx: number, T: number): number {
  const [r, alpha, a, b] = [0.243, 4.414, 0.793, 2.426];
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

function weekLabel(start: string, week: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * week);
  return d.toISOString().slice(0, 10);
}

export function fixtureModelCard(): ReportModelCard {
  const weeks = 52;
  const calibrationEndIndex = 38;
  const periodLabels = Array.from({ length: weeks }, (_, k) => weekLabel('2010-12-06', k));
  const actualIncremental = periodLabels.map((_, k) => Math.round(400 + 12 * k + 120 * Math.sin(k / 4) + (k > 44 ? 260 : 0)));
  const expectedIncremental = periodLabels.map((_, k) => Math.round((400 + 12 * k) * 100) / 100);
  const T = 39;
  const frequency = Array.from({ length: 11 }, (_, x) => x);
  const recency = Array.from({ length: 13 }, (_, j) => (T * j) / 12);
  const probabilityAlive = frequency.map((x) => recency.map((r, j) => (x > 0 && j === 0 ? NaN : x === 0 && j > 0 ? NaN : bgnbdAlive(x, x === 0 ? 0 : r, T))));
  const entry = (model: string, label: string, ll: number, mae: number, chosen: boolean, converged = true) => ({
    model,
    label,
    citation: `${label} (fixture citation)`,
    params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    intervals95: { r: [0.22, 0.27] as const, alpha: [3.9, 5.0] as const, a: [0.6, 1.05] as const, b: [1.7, 3.4] as const },
    logLikelihood: ll,
    aic: -2 * ll + 8,
    bic: -2 * ll + 8 * Math.log(2357) / 2,
    fit: { converged },
    holdout: { mae, rmse: mae * 1.7, totalRelativeError: chosen ? -0.042 : 0.11, spearman: 0.61, gini: 0.52, predictedTotal: chosen ? 1724 : 1980, actualTotal: 1800 },
    chosen,
  });
  return {
    timeUnit: 'week',
    calibrationEnd: '2011-09-04',
    holdoutEnd: '2011-12-09',
    holdoutDuration: 13.7,
    calibrationCustomers: 3720,
    chosen: 'bgnbd',
    reason: 'BG/NBD has the smallest per-customer holdout error (MAE 0.6123 vs Pareto/NBD 0.6201)',
    comparison: [entry('bgnbd', 'BG/NBD', -9582.4, 0.6123, true), entry('mbgnbd', 'MBG/NBD', -9580.1, 0.6301, false), entry('paretonbd', 'Pareto/NBD', -9577.9, 0.6201, false, false)],
    diagnostics: {
      calibrationHistogram: { labels: ['0', '1', '2', '3', '4', '5', '6', '7+'], actual: [1411, 439, 214, 100, 62, 38, 30, 69], expected: [1402.3, 459.1, 210.4, 107.7, 59.3, 34.4, 20.7, 69.1] },
      conditionalExpectation: { labels: ['0', '1', '2', '3', '4', '5', '6', '7+'], customers: [1411, 439, 214, 100, 62, 38, 30, 69], actual: [0.23, 0.63, 0.98, 1.42, 1.91, 2.3, 2.45, 4.1], expected: [0.2, 0.62, 1.05, 1.46, 1.84, 2.2, 2.67, 4.35] },
      tracking: { periodLabels, actualIncremental, expectedIncremental, calibrationEndIndex },
      frequencyRecency: { T, frequency, recency, probabilityAlive },
    },
    final: { model: 'bgnbd', params: { r: 0.251, alpha: 4.02, a: 0.81, b: 2.51 }, intervals95: { r: [0.23, 0.27], alpha: [3.6, 4.5], a: [0.63, 1.04], b: [1.8, 3.5] }, logLikelihood: -12001.2, fit: { converged: true }, customers: 4338 },
    spend: { model: 'gammagamma', params: { p: 6.25, q: 3.74, gamma: 15.44 }, intervals95: { p: [5.6, 7.0], q: [3.3, 4.2], gamma: [12.1, 19.7] }, repeatBuyers: 2790, populationMeanSpend: 368.4, note: 'Gamma-Gamma assumes spend is independent of frequency (correlation 0.11 among repeat buyers).' },
    clv: { horizonMonths: 12, discountRatePerYear: 0.1, margin: 1, totalPredicted: 4.62e6, intervalLevel: 0.9 },
  };
}

/** A learned card as run.json holds it: churn validation (one small bin withheld) and an honest tournament. */
export function fixtureChurn(): ReportChurn {
  const bins = (shift: number) =>
    Array.from({ length: 10 }, (_, b) => (b === 0 ? { lower: 0, upper: 0.1, count: null, meanPredicted: null, observedRate: null } : { lower: b / 10, upper: (b + 1) / 10, count: 50 + 10 * b, meanPredicted: b / 10 + 0.05, observedRate: Math.min(1, b / 10 + shift) }));
  const card = (auc: number, shift: number) => ({ customers: 1200, baseRate: 0.62, auc, aucInterval: [auc - 0.02, auc + 0.02] as const, prAuc: auc + 0.1, prAucInterval: [auc + 0.08, auc + 0.12] as const, brier: 0.3 - auc / 4, reliability: bins(shift) });
  return {
    churn: {
      horizonDays: 90,
      trainedAsOf: '2011-09-10',
      bands: { high: 0.6, medium: 0.3 },
      model: { params: { loss: 'logistic', learningRate: 0.05, maxDepth: 4, maxLeaves: 15, rounds: 400, subsample: 0.8, l2: 1 }, bestIteration: 57, roundsTrained: 87 },
      drivers: [{ feature: 'since_last_ratio', value: 0.41 }, { feature: 'btyd_p_alive', value: 0.22 }, { feature: 'frequency', value: 0.1 }],
      validation: { learned: card(0.76, 0.04), btydOneMinusPAlive: card(0.69, -0.1) },
      meanProbability: 0.58,
    },
    tournament: {
      chosen: 'mbgnbd',
      reason: 'MBG/NBD stays: the best other eligible candidate, GBT (Poisson), has inner MAE 0.484 against 0.380 <b>',
      bestInHindsight: 'paretonbd',
      candidates: [
        { label: 'MBG/NBD', chosen: true, inner: { mae: 0.38 }, holdout: { mae: 0.765, totalRelativeError: -0.162, gini: 0.664, decileMape: 0.238 } },
        { label: 'GBT (Poisson)', chosen: false, inner: { mae: 0.484 }, holdout: { mae: 0.907, totalRelativeError: 0.114, gini: 0.674, decileMape: 0.47 } },
      ],
    },
  };
}

export function fixtureReportData(customers = 2000, seed = 7): ReportData {
  const c = fixtureCustomers(customers, seed);
  const monthLabels = Array.from({ length: 12 }, (_, k) => `2011-${String(k + 1).padStart(2, '0')}`);
  const privacy = buildPrivacyReport({
    tables: {
      transactions: { columns: ['order_id', 'customer_id', 'ts', 'product_id', 'description', 'quantity', 'unit_price', 'amount', 'country', 'is_return'], rowCount: 399656 },
      customers: { columns: ['customer_id', 'email_enc', 'name_enc', 'note_enc', 'country', 'loyalty_tier'], rowCount: 4338 },
      quarantine: { columns: ['ingest_id', 'source', 'line', 'raw', 'reason', 'detail'], rowCount: 142253 },
      customer_scores: { columns: ['customer_id', 'p_alive', 'predicted_clv_12m'], rowCount: 4338 },
    },
    retention: { quarantine: parseRetention('180d'), transactions: parseRetention('3y') },
    now: new Date('2024-05-01T00:00:00Z'),
  });
  return {
    title: 'clvkit report — fixture shop',
    dataSource: 'UCI Online Retail (CC BY 4.0)',
    currency: '£',
    generatedAt: '2024-05-01T12:00:00.000Z',
    run: {
      clvkitVersion: '0.1.0',
      startedAt: '2024-05-01T11:59:00.000Z',
      parameters: { db: ':memory:', files: ['/home/someone/data/online_retail.csv.gz'], asOf: '2011-12-09', timeUnit: 'week', grain: 'day' },
      ingest: FIXTURE_INGEST,
      warehouse: { transactions: 399656, quarantined: 142253 },
      campaigns: {
        withheld: 1,
        campaigns: [
          {
            audience: 'winback-2011-12',
            play: 'win-back-high-value',
            window: { from: '2011-12-10', to: '2012-01-09', days: 31 },
            groups: { treatment: 1600, control: 400 },
            repurchaseRate: { treatment: 0.52, control: 0.44 },
            averageOrderValue: { treatment: 31.2, control: 30.4 },
            purchases: { treatment: 0.78, control: 0.6, relativeUplift: 0.3, relativeUpliftInterval: [0.18, 0.43], pValue: 0.0001 },
            buyers: { treatment: 0.52, control: 0.44, relativeUplift: 0.18, relativeUpliftInterval: [0.07, 0.3], pValue: 0.002 },
            revenue: { treatment: 24.3, control: 18.2, relativeUplift: 0.335, relativeUpliftInterval: [0.17, 0.52], pValue: 0.0002 },
            margin: { treatment: 7.3, control: 5.5, relativeUplift: 0.335, relativeUpliftInterval: [0.17, 0.52], pValue: 0.0002 },
            cost: 800,
            costPerResponse: 0.96,
            costPerIncrementalBuyer: 6.25,
            roi: 2.6,
            roiInterval: [1.1, 4.2],
          },
          {
            audience: 'cross-sell-2011-12',
            play: null,
            window: { from: '2011-12-10', to: '2012-01-09', days: 31 },
            groups: { treatment: 900, control: 100 },
            repurchaseRate: { treatment: 0.61, control: 0.6 },
            averageOrderValue: { treatment: null, control: null },
            purchases: { treatment: 0.9, control: 0.88, relativeUplift: 0.023, relativeUpliftInterval: [-0.12, 0.19], pValue: 0.77 },
            buyers: { treatment: 0.61, control: 0.6, relativeUplift: 0.017, relativeUpliftInterval: [-0.11, 0.16], pValue: 0.8 },
            revenue: null,
            margin: null,
            cost: null,
            costPerResponse: null,
            costPerIncrementalBuyer: null,
            roi: null,
            roiInterval: null,
          },
        ],
      },
      headline: {
        customers: 4338,
        repeatCustomers: 2790,
        repeatRate: 2790 / 4338,
        returnOnlyCustomers: 34,
        orders: 18532,
        netRevenue: 8_278_519.42,
        returnsValue: -611_342.09,
        averageOrderValue: 479.7,
        meanPurchaseOccasions: 4.27,
        firstPurchase: '2010-12-01',
        lastPurchase: '2011-12-09',
        top20RevenueShare: 0.7436,
      },
      timingsMs: { ingest: 4210, summary: 180, headline: 35, 'value models': 2890, write: 120 },
      events: fixtureEvents(HOSTILE_TEXT),
    },
    customers: { totalSpend: c.totalSpend, historicValue: c.historicValue, predictedValue: c.predictedValue, predictionHorizonMonths: 12, probabilityAlive: c.probabilityAlive },
    quarantineExamples: [
      { source: '/home/someone/data/online_retail.csv.gz', line: 623, reason: 'missing_customer_id', detail: null, raw: '536414,22139,,56,12/1/2010 11:52,0,,United Kingdom' },
      { source: 'online_retail.csv.gz', line: 1445, reason: 'non_product', detail: 'product code POST', raw: '536540,POST,POSTAGE,3,12/1/2010 14:05,18,1***,France' },
      { source: 'online_retail.csv.gz', line: 518, reason: 'duplicate', detail: 'same as line 517', raw: '536409,21866,UNION JACK FLAG LUGGAGE TAG,1,12/1/2010 11:45,1.25,1***,United Kingdom' },
      { source: 'online_retail.csv.gz', line: 299984, reason: 'nonpositive_price', detail: 'unit price 0', raw: '563186,B,Adjust bad debt,1,8/12/2011 14:51,-11062.06,,United Kingdom' },
      { source: 'online_retail.csv.gz', line: 9, reason: 'bad_date', detail: 'date: not a date', raw: `536365,85123A,${HOSTILE_TEXT},6,not a date,2.55,1***,United Kingdom` },
    ],
    modelCard: fixtureModelCard(),
    churn: fixtureChurn(),
    segments: {
      method: 'quintiles of recency, frequency and monetary value',
      segments: [
        { name: 'Champions', customers: 612, value: 4_410_000, predictedValue: 1_900_000, action: 'reward; early access; ask for reviews' },
        { name: 'Loyal', customers: 580, value: 1_560_000, predictedValue: 980_000, action: 'upsell higher-value products' },
        { name: 'Potential loyalists', customers: 498, value: 520_000, predictedValue: 410_000, action: 'membership, recommendations' },
        { name: 'New', customers: 301, value: 95_000, predictedValue: 120_000, action: 'onboarding, second-purchase offer' },
        { name: 'Promising', customers: 242, value: 80_000, predictedValue: 70_000, action: 'brand awareness, free trials' },
        { name: 'Need attention', customers: 356, value: 310_000, predictedValue: 150_000, action: 'limited-time offers' },
        { name: 'At risk', customers: 540, value: 690_000, predictedValue: 140_000, action: 'win-back e-mails, personal contact' },
        { name: 'Cannot lose them', customers: 88, value: 320_000, predictedValue: 60_000, action: 'win them back; talk to them' },
        { name: 'Hibernating', customers: 611, value: 190_000, predictedValue: 30_000, action: 'relevant offers; otherwise let go' },
        { name: 'Lost', customers: 510, value: 103_519, predictedValue: 8_000, action: 'ignore unless cheap to reach' },
      ],
    },
    clusters: {
      method: 'k-means on log-scaled recency, frequency, monetary value and tenure; k = 4 chosen by silhouette',
      features: ['recency (weeks)', 'purchase days', 'spend per order', 'tenure (weeks)'],
      silhouette: 0.41,
      clusters: [
        { name: 'Frequent big spenders', customers: 702, means: [3.1, 14.2, 612.4, 49.8], zScores: [-0.9, 1.8, 1.2, 0.8], value: 5_100_000 },
        { name: 'Regulars', customers: 1388, means: [6.8, 5.1, 311.0, 41.2], zScores: [-0.4, 0.3, 0.1, 0.4] , value: 2_200_000 },
        { name: 'One-off recent', customers: 1012, means: [8.2, 1.0, 240.3, 9.1], zScores: [-0.2, -0.7, -0.3, -1.4], value: 410_000 },
        { name: 'Lapsed', customers: 1236, means: [36.5, 1.6, 228.8, 44.0], zScores: [1.5, -0.6, -0.4, 0.5], value: 568_519 },
      ],
    },
    stages: {
      asOf: '2011-12-09',
      stages: [
        { name: 'New', customers: 301, description: 'first purchase in the last 90 days' },
        { name: 'Active', customers: 1650, description: 'P(alive) ≥ 0.7 and bought in the last 180 days' },
        { name: 'At risk', customers: 890, description: 'P(alive) between 0.3 and 0.7' },
        { name: 'Dormant', customers: 760, description: 'P(alive) between 0.1 and 0.3' },
        { name: 'Churned', customers: 737, description: 'P(alive) below 0.1' },
      ],
    },
    transitions: {
      fromLabel: '2011-06-30',
      toLabel: '2011-12-09',
      flows: [
        { from: 'New', to: 'Active', customers: 180 },
        { from: 'New', to: 'At risk', customers: 120 },
        { from: 'New', to: 'Churned', customers: 60 },
        { from: 'Active', to: 'Active', customers: 1100 },
        { from: 'Active', to: 'At risk', customers: 310 },
        { from: 'Active', to: 'Dormant', customers: 90 },
        { from: 'At risk', to: 'Active', customers: 140 },
        { from: 'At risk', to: 'At risk', customers: 300 },
        { from: 'At risk', to: 'Dormant', customers: 380 },
        { from: 'Dormant', to: 'Active', customers: 30 },
        { from: 'Dormant', to: 'At risk', customers: 60 },
        { from: 'Dormant', to: 'Dormant', customers: 290 },
        { from: 'Dormant', to: 'Churned', customers: 380 },
        { from: 'Churned', to: 'Churned', customers: 297 },
        { from: 'Churned', to: 'Active', customers: 0 },
      ],
    },
    lifecycleSeries: {
      periodLabels: monthLabels,
      stages: [
        { name: 'New', counts: [948, 380, 440, 350, 290, 300, 270, 170, 330, 440, 420, 301] },
        { name: 'Active', counts: [0, 700, 900, 1100, 1250, 1350, 1420, 1480, 1510, 1560, 1620, 1650] },
        { name: 'At risk', counts: [0, 120, 300, 420, 520, 600, 680, 720, 790, 830, 870, 890] },
        { name: 'Dormant', counts: [0, 0, 60, 150, 240, 330, 420, 510, 580, 650, 710, 760] },
        { name: 'Churned', counts: [0, 0, 0, 30, 90, 160, 250, 350, 440, 540, 640, 737] },
      ],
    },
    cohorts: {
      periodUnit: 'month',
      cohorts: monthLabels.map((label, i) => ({
        label,
        customers: i === 0 ? 948 : 420 - 15 * i,
        retention: Array.from({ length: 12 - i }, (_, k) => (k === 0 ? 1 : Math.round((0.38 * Math.exp(-k / 9) + (i === 0 ? 0.12 : 0)) * 1000) / 1000)),
      })),
    },
    rules: {
      basket: 'order',
      baskets: 18532,
      minSupport: 0.01,
      minConfidence: 0.3,
      rules: [
        { antecedent: ['PINK REGENCY TEACUP AND SAUCER'], consequent: ['GREEN REGENCY TEACUP AND SAUCER'], support: 0.0213, confidence: 0.821, lift: 18.4, count: 395 },
        { antecedent: ['GREEN REGENCY TEACUP AND SAUCER', 'PINK REGENCY TEACUP AND SAUCER'], consequent: ['ROSES REGENCY TEACUP AND SAUCER'], support: 0.0189, confidence: 0.89, lift: 17.2, count: 350 },
        { antecedent: ['JUMBO BAG PINK POLKADOT'], consequent: ['JUMBO BAG RED RETROSPOT'], support: 0.0331, confidence: 0.67, lift: 6.1, count: 613 },
        { antecedent: [HOSTILE_TEXT], consequent: ['LUNCH BAG RED RETROSPOT'], support: 0.0122, confidence: 0.55, lift: 5.4, count: 226 },
        { antecedent: ['ALARM CLOCK BAKELIKE GREEN'], consequent: ['ALARM CLOCK BAKELIKE RED'], support: 0.0241, confidence: 0.64, lift: 14.9, count: 447 },
        { antecedent: ['WOODEN STAR CHRISTMAS SCANDINAVIAN'], consequent: ['WOODEN HEART CHRISTMAS SCANDINAVIAN'], support: 0.0161, confidence: 0.71, lift: 22.8, count: 298 },
        { antecedent: ['LUNCH BAG PINK POLKADOT'], consequent: ['LUNCH BAG RED RETROSPOT'], support: 0.0287, confidence: 0.6, lift: 7.3, count: 532 },
        { antecedent: ['SET/6 RED SPOTTY PAPER PLATES'], consequent: ['SET/6 RED SPOTTY PAPER CUPS'], support: 0.0142, confidence: 0.78, lift: 31.6, count: 263 },
      ].sort((a, b) => b.lift - a.lift),
    },
    privacy: {
      ...privacy,
      notes: ['customer ids are pseudonymised at ingest (HMAC-SHA256 tokens)', 'e-mail, name and notes are encrypted (AES-256-GCM) and never decrypted for this report'],
    },
  };
}
