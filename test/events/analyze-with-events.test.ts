/**
 * The contract of `clvkit analyze <tx> --events F --customers F`: customers.csv
 * has `buyer_type`, a row for every prospect with stage `prospect`, and a
 * finite `predicted_clv_12m` for everyone; run.json has the events summary.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { publishEventsSummary } from '../../src/events/publish-events-summary.js';
import type { EventsSummary } from '../../src/events/run-events.js';
import type { FunnelRow } from '../../src/events/compute-funnels.js';
import { SuppressionTally } from '../../src/privacy/disclosure/suppress-rows.js';
import { analyzeSynthShop } from '../helpers/analyze-synth-shop.js';
import { readCsv, readTruth, type Csv } from '../synth/shop-test-helpers.js';

describe('analyze with events and customer profiles (600 buyers, 300 prospects)', () => {
  let customers: Csv;
  let run: Record<string, any>;
  let dir: string;
  beforeAll(async () => {
    ({ dir, customers, run } = await analyzeSynthShop({ events: true }));
  }, 300_000);

  it('writes a row for every buyer and every prospect, prospects with stage prospect', () => {
    const stage = customers.col('stage');
    const ids = customers.rows.map((r) => Number(r[customers.col('original_id')]));
    // the synthetic shop's 300 never-buying sign-ups (prospectShare 0.5) follow its 600 buyers' ids
    expect(customers.rows.length).toBe(900);
    const prospects = customers.rows.filter((r) => r[stage] === 'prospect');
    expect(prospects.map((r) => Number(r[customers.col('original_id')])).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => 100_601 + i));
    expect(new Set(ids).size).toBe(900);
  });

  it('has a finite predicted_clv_12m for everyone, and a propensity in [0, 1] for prospects', () => {
    const clv = customers.col('predicted_clv_12m');
    for (const row of customers.rows) expect(Number.isFinite(Number(row[clv])) && row[clv] !== '').toBe(true);
    const propensity = customers.col('conversion_propensity');
    for (const row of customers.rows.filter((r) => r[customers.col('stage')] === 'prospect')) {
      const p = Number(row[propensity]);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('types buyers impulsive or deliberate and leaves prospects empty', () => {
    const type = customers.col('buyer_type');
    const stage = customers.col('stage');
    expect(new Set(customers.rows.filter((r) => r[stage] !== 'prospect').map((r) => r[type]))).toEqual(new Set(['impulsive', 'deliberate']));
    expect(new Set(customers.rows.filter((r) => r[stage] === 'prospect').map((r) => r[type]))).toEqual(new Set(['']));
  });

  it('puts the events summary in run.json: stitching, funnels, buyer types, prospects with a calibration by decile', () => {
    const events = run.events;
    // the visitor ids with a login up to the as-of date (the last purchase day): a buyer's or prospect's own, a
    // second device's once logged in on; not the visitors who never identify nor second devices never logged in on
    const truth = readTruth(dir);
    expect(events.stitching.visitorsLinked).toBe(1037);
    expect(events.stitching.visitorsLinked).toBeLessThanOrEqual(truth.visitors!.linked);
    expect(events.stitching.visitorsAnonymous).toBeGreaterThanOrEqual(truth.visitors!.anonymousVisitors * 0.9);
    expect(events.funnels.overall.sessions).toBe(events.stitching.sessions);
    expect(events.buyerTypes.customers.impulsive + events.buyerTypes.customers.deliberate).toBe(600);
    expect(events.prospects.prospects).toBe(300);
    expect(events.prospects.model).toBe('logistic regression');
    expect(events.prospects.calibration).toHaveLength(10);
    expect(run.timingsMs.events).toBeGreaterThan(0);
  });
});

describe('the browse × purchase cross-table in run.json', () => {
  it('withholds no cell that its row or column margin, published beside it, gives back by subtraction', () => {
    // analyze on synth --customers 12000 --seed 4711 with its events: the lapsing row showed every cell but churned (2
    // customers, withheld), and browseStages.lapsing = 808 less the shown 515 + 111 + 21 + 159 gave the 2 back;
    // browsing_active × dormant (1) likewise from segments.stages' dormant 705 less the shown 683 + 21
    const cells = [
      ['browsing_active', 'active', 428], ['browsing_active', 'at_risk', 10], ['browsing_active', 'dormant', 1], ['browsing_active', 'reactivated', 185],
      ['gone', 'active', 500], ['gone', 'at_risk', 724], ['gone', 'churned', 8661], ['gone', 'dormant', 683], ['gone', 'prospect', 1200],
      ['lapsing', 'active', 515], ['lapsing', 'at_risk', 111], ['lapsing', 'churned', 2], ['lapsing', 'dormant', 21], ['lapsing', 'reactivated', 159],
    ].map(([browseStage, purchaseStage, customers]) => ({ browseStage: browseStage as string, purchaseStage: purchaseStage as string, customers: customers as number }));
    const step = { sessions: 100, people: 100, rate: 1, rateLow: 0.96, rateHigh: 1 };
    const overall: FunnelRow = { group: 'all', people: 13200, sessions: 100, viewed: step, carted: step, purchased: step, conversionRate: 1, conversionLow: 0.96, conversionHigh: 1, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0 };
    const summary = {
      sessionGapMinutes: 30,
      funnels: { overall, bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] },
      onlineLifecycle: { browseStages: { browsing_active: 624, lapsing: 808, gone: 11768 }, crossTable: cells, validation: null },
    } as unknown as EventsSummary;
    const k = 5;
    const published = publishEventsSummary(summary, k, new SuppressionTally(k)).onlineLifecycle.crossTable;
    expect(published.find((c) => c.browseStage === 'lapsing' && c.purchaseStage === 'churned')!.customers).toBeNull();
    for (const key of ['browseStage', 'purchaseStage'] as const) {
      for (const margin of new Set(cells.map((c) => c[key]))) {
        const withheld = cells.filter((c, i) => c[key] === margin && published[i]!.customers === null);
        if (withheld.length === 0) continue;
        expect(withheld.length, `${key} ${margin}: one withheld cell is its margin less the shown ones`).toBeGreaterThanOrEqual(2);
        expect(withheld.reduce((sum, c) => sum + c.customers, 0), `${key} ${margin}`).toBeGreaterThanOrEqual(k);
      }
    }
    published.forEach((c, i) => { if (c.customers !== null) expect(c.customers).toBe(cells[i]!.customers); });
  });

  it('withholds a browse stage of fewer than k customers, and a complement (their sum is everyone with events)', () => {
    // regression (new-user trial): onlineLifecycle.browseStages was published whole, a stage of 3 customers included
    const summary = (stages: Record<string, number>) =>
      ({ funnels: { overall: null, bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] }, onlineLifecycle: { browseStages: stages, crossTable: [], validation: null } }) as unknown as EventsSummary;
    const publish = (stages: Record<string, number>) => {
      const tally = new SuppressionTally(5);
      const s = summary(stages);
      const published = publishEventsSummary({ ...s, funnels: { ...s.funnels, overall: { group: 'all', people: 0, sessions: 0, viewed: { sessions: 0, people: 0, rate: 0, rateLow: 0, rateHigh: 0 }, carted: { sessions: 0, people: 0, rate: 0, rateLow: 0, rateHigh: 0 }, purchased: { sessions: 0, people: 0, rate: 0, rateLow: 0, rateHigh: 0 }, conversionRate: 0, conversionLow: 0, conversionHigh: 0, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0 } } } as EventsSummary, 5, tally);
      return { stages: published.onlineLifecycle.browseStages, tally: tally.summary().tables['events.onlineLifecycle.browseStages'] ?? 0 };
    };
    expect(publish({ browsing_active: 3, lapsing: 40, gone: 900 })).toEqual({ stages: { browsing_active: null, lapsing: null, gone: 900 }, tally: 2 });
    expect(publish({ browsing_active: 30, lapsing: 40, gone: 900 })).toEqual({ stages: { browsing_active: 30, lapsing: 40, gone: 900 }, tally: 0 });
    expect(publish({ browsing_active: 0, lapsing: 40, gone: 900 }).stages).toEqual({ browsing_active: 0, lapsing: 40, gone: 900 });
  });

  it('does not leave a withheld browse stage readable as its cross-table row, shown whole', () => {
    // regression: browsing_active (3) was withheld with lapsing (40) as its complement, while the cross-table's lapsing
    // row was published whole (20 + 20 + 0 = 40, every customer with events a buyer): lapsing came back from its row,
    // and browsing_active as everyone with events less 40 and 900
    const rows: Record<string, number[]> = { browsing_active: [3, 0, 0], lapsing: [20, 20, 0], gone: [5, 5, 890], none: [0, 6, 100] };
    const purchase = ['active', 'at_risk', 'churned'];
    const crossTable = Object.entries(rows).flatMap(([browseStage, counts]) => counts.map((customers, j) => ({ browseStage, purchaseStage: purchase[j]!, customers })));
    const step = { sessions: 0, people: 0, rate: 0, rateLow: 0, rateHigh: 0 };
    const overall = { group: 'all', people: 0, sessions: 0, viewed: step, carted: step, purchased: step, conversionRate: 0, conversionLow: 0, conversionHigh: 0, searchesWithoutView: 0, cartsAbandoned: 0, purchasedWithoutCart: 0 };
    const summary = {
      funnels: { overall, bySegment: [], byStage: [], byChannel: [], byCohort: [], byFirstSeen: [] },
      onlineLifecycle: { browseStages: { browsing_active: 3, lapsing: 40, gone: 900 }, crossTable, validation: null },
    } as unknown as EventsSummary;
    const tally = new SuppressionTally(5);
    const published = publishEventsSummary(summary, 5, tally).onlineLifecycle;
    expect(published.browseStages).toEqual({ browsing_active: null, lapsing: null, gone: 900 });
    for (const stage of ['browsing_active', 'lapsing']) {
      const row = published.crossTable.filter((c) => c.browseStage === stage);
      // the row's withheld cells: at least two, at least k customers together (its stage count is no longer a margin)
      const withheld = row.filter((c) => c.customers === null);
      expect(withheld.length, stage).toBeGreaterThanOrEqual(stage === 'browsing_active' ? 1 : 2);
    }
    // browsing_active's row needs nothing more (its small cell and its stage are two withheld, 6 customers)
    expect(published.crossTable.filter((c) => c.browseStage === 'browsing_active').map((c) => c.customers)).toEqual([null, 0, 0]);
    published.crossTable.forEach((c, i) => { if (c.customers !== null) expect(c.customers).toBe(crossTable[i]!.customers); });
  });
});
