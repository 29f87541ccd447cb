/**
 * Events on a synthetic shop (3,000 buyers, 1,500 prospects, 1,500 visitors
 * who never identify, seed 16): buyer types scored against the planted
 * truth, identity stitching against the generator's counts, funnels that add
 * up. The 20,000-customer figure is in the bench (`--only events`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/warehouse.js';
import type { ShopTruth } from '../../src/synth/shop-truth.js';
import { buildEventSessions, type StitchingCounts } from '../../src/events/build-event-sessions.js';
import { BUYER_TYPES_TABLE, classifyBuyerTypes, type BuyerTypeResult } from '../../src/events/classify-buyer-types.js';
import { computeFunnels, type FunnelRow, type Funnels } from '../../src/events/compute-funnels.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';
import { balancedAccuracy } from './balanced-accuracy.js';
import { readCsv } from '../synth/shop-test-helpers.js';

describe('events of a synthetic shop (3,000 buyers)', () => {
  let warehouse: Warehouse;
  let dir: string;
  let stitching: StitchingCounts;
  let types: BuyerTypeResult;
  let funnels: Funnels;
  let truth: ShopTruth;
  beforeAll(async () => {
    dir = scratchDir();
    truth = await generateShop({ outDir: dir, customers: 3000, seed: 16 });
    warehouse = await memoryWarehouse();
    await ingestFiles(warehouse, [join(dir, 'transactions.csv'), join(dir, 'customers.csv'), join(dir, 'events.csv')], { now: new Date('2030-01-01T00:00:00Z') });
    stitching = await buildEventSessions(warehouse, { asOf: '2023-12-31' });
    types = await classifyBuyerTypes(warehouse);
    funnels = await computeFunnels(warehouse);
  }, 240_000);
  afterAll(() => warehouse?.close());

  it('classifies buyers as impulsive or deliberate with balanced accuracy ≥ 0.85 against the planted types', async () => {
    const truth = readCsv(join(dir, 'truth-customers.csv'));
    const planted = new Map(truth.rows.map((row) => [row[0]!, row[truth.col('buyer_type')]!]));
    const found = new Map((await warehouse.query(`SELECT customer_id, buyer_type FROM ${BUYER_TYPES_TABLE}`)).map((r) => [String(r.customer_id), String(r.buyer_type)]));
    const pairs = [...planted].map(([id, type]) => ({ truth: type, predicted: found.get(id) ?? '' }));
    expect(found.size).toBe(3000); // every buyer browsed before buying
    expect(balancedAccuracy(pairs, 'impulsive', 'deliberate')).toBeGreaterThanOrEqual(0.85);
    expect(types.customers.impulsive + types.customers.deliberate + types.customers.unknown).toBe(3000);
    // impulsive buyers buy within minutes of their first view, deliberate ones days later
    expect(types.medians.impulsive.minutes_to_purchase).toBeLessThan(10);
    expect(types.medians.deliberate.minutes_to_purchase).toBeGreaterThan(24 * 60);
  });

  it('stitches the visitor ids that log in, and with them the anonymous sessions the generator wrote on them', async () => {
    // as of the window's last day, every event counts: the generator's own counts of what stitching can find
    const v = truth.visitors!;
    expect(stitching.visitorsLinked).toBe(v.linked);
    expect(stitching.visitorsLinkedByLogin).toBe(v.linked);
    expect(stitching.visitorsAnonymous).toBe(v.neverIdentified);
    expect(stitching.sessions).toBe(v.sessions);
    expect(stitching.sessionsStitched).toBe(v.sessionsStitchable);
    expect(stitching.customersReached).toBe(v.customersReachable);
    // a plausible share: most sessions with anonymous events are linked to their customer, not all (visitors who
    // never identify, second devices never logged in on)
    const share = stitching.sessionsStitched / v.sessionsWithAnonymousEvents;
    expect(share, `${stitching.sessionsStitched} of ${v.sessionsWithAnonymousEvents}`).toBeGreaterThan(0.6);
    expect(share).toBeLessThan(0.95);
    const [anonymous] = await warehouse.query("SELECT count(*) AS n FROM events WHERE customer_id IS NULL");
    expect(Number(anonymous!.n)).toBeGreaterThan(0); // there were anonymous events to stitch
    // sessions without a customer after stitching: those of visitor ids never linked, and only those
    const [unlinked] = await warehouse.query(`SELECT count(*) AS n FROM clv_sessions WHERE customer_id IS NULL`);
    expect(Number(unlinked!.n)).toBe(stitching.sessions - stitching.customerSessions);
    expect(stitching.customerSessions).toBeLessThan(stitching.sessions);
    expect(stitching.customerSessions).toBeGreaterThan(0.8 * stitching.sessions);
  });

  it('has nested funnel steps that add up, overall and over every breakdown', () => {
    const check = (row: FunnelRow) => {
      expect(row.viewed.sessions).toBeLessThanOrEqual(row.sessions);
      expect(row.carted.sessions).toBeLessThanOrEqual(row.viewed.sessions);
      expect(row.purchased.sessions).toBeLessThanOrEqual(row.carted.sessions);
      expect(row.purchased.rateLow).toBeLessThanOrEqual(row.purchased.rate);
      expect(row.purchased.rateHigh).toBeGreaterThanOrEqual(row.purchased.rate);
    };
    check(funnels.overall);
    expect(funnels.overall.sessions).toBe(stitching.sessions);
    // every synthetic order ends a session with views and cart adds
    const [orders] = [Number(funnels.overall.purchased.sessions)];
    expect(orders).toBeGreaterThan(0);
    expect(funnels.overall.cartsAbandoned + funnels.overall.purchased.sessions).toBe(funnels.overall.carted.sessions + funnels.overall.purchasedWithoutCart);
    for (const breakdown of [funnels.bySegment, funnels.byStage, funnels.byChannel, funnels.byCohort]) {
      for (const row of breakdown) check(row);
    }
    for (const breakdown of [funnels.byChannel]) {
      const sum = (pick: (r: FunnelRow) => number) => breakdown.reduce((a, r) => a + pick(r), 0);
      expect(sum((r) => r.sessions)).toBe(funnels.overall.sessions);
      expect(sum((r) => r.purchased.sessions)).toBe(funnels.overall.purchased.sessions);
    }
  });
});
