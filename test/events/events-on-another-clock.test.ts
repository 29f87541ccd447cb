/**
 * Events and orders on different clocks (QA of session 34, finding 1): events
 * exported in UTC with a `Z` beside orders in the shop's local time (5 hours
 * behind) put every purchase outside its session — purchased sessions 8,705 →
 * 10 on a synthetic shop — and analyze said nothing. Now the events step finds
 * the shift that lines them up and says it in one warning, with the
 * `--timezone` that aligns the files. Also (finding 11): events after the
 * as-of date, left out, are counted and said when the as-of date was not given.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { scratchDir, writeLines } from '../helpers/warehouse.js';

const CUSTOMERS = 30;
const ORDERS_EACH = 3;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/**
 * A tiny shop: each order at a local time T (written without an offset), its session a view at T − 20 min and a cart add at
 * T − 5 min, and a view-only session three days before; events written `hoursAhead` later with `suffix` (`Z`). Two views
 * on the day after the last order. Returns the two files.
 */
function writeShop(dir: string, hoursAhead: number, suffix: string): { orders: string; events: string } {
  const orders = ['order_id,customer_id,order_date,product_id,quantity,unit_price'];
  const events = ['session_id,customer_id,ts,type,product_id'];
  const at = (ms: number) => `${iso(ms + hoursAhead * 3_600_000)}${suffix}`;
  let last = 0;
  for (let i = 0; i < CUSTOMERS; i++) {
    for (let j = 0; j < ORDERS_EACH; j++) {
      const day = Date.UTC(2023, 0, 1) + (i * 11 + j * 97) * 86_400_000;
      const t = day + (9 + ((i + j) % 8)) * 3_600_000 + ((i * 7 + j * 13) % 60) * 60_000;
      last = Math.max(last, day);
      const customer = 1001 + i;
      orders.push(`${i * 10 + j},${customer},${iso(t)},P${j},1,${10 + j}`);
      events.push(`s${i}-${j},${customer},${at(t - 20 * 60_000)},view,P${j}`, `s${i}-${j},${customer},${at(t - 5 * 60_000)},add_to_cart,P${j}`);
      events.push(`b${i}-${j},${customer},${at(t - 3 * 86_400_000)},view,P${j + 1}`);
    }
  }
  const after = last + 86_400_000 + 10 * 3_600_000;
  events.push(`late,1001,${at(after)},view,P1`, `late,1001,${at(after + 60_000)},view,P2`);
  return { orders: writeLines(dir, 'orders.csv', orders), events: writeLines(dir, 'events.csv', events) };
}

async function run(hoursAhead: number, suffix: string, timezone?: string): Promise<Record<string, any>> {
  const dir = scratchDir();
  const files = writeShop(dir, hoursAhead, suffix);
  await analyze({
    files: [files.orders], eventFiles: [files.events], db: ':memory:', outDir: join(dir, 'out'),
    skipModels: true, skipPatterns: true, skipReport: true, ...(timezone ? { timezone } : {}),
  });
  return JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
}

const clockWarnings = (run: Record<string, any>) => (run.warnings as string[]).filter((w) => w.startsWith('events and orders look to be on different clocks'));

describe('events in UTC beside orders in local time (5 hours behind)', () => {
  let shifted: Record<string, any>;
  let aligned: Record<string, any>;
  beforeAll(async () => {
    shifted = await run(5, 'Z');
    aligned = await run(5, 'Z', '-05:00');
  }, 120_000);

  it('finds the events 5 hours ahead and says so in one warning naming the --timezone that aligns them', () => {
    expect(shifted.events.orderPlacement).toMatchObject({ orders: 90, timedChecked: 90, timedInSession: 0, eventsAheadMinutes: 300, timedInSessionShifted: 90 });
    const [warning, ...more] = clockWarnings(shifted);
    expect(more).toEqual([]);
    expect(warning).toContain('the events read 5 hours ahead of the orders');
    expect(warning).toContain('of 90 orders by customers with sessions, 0 fall in one of their sessions');
    expect(warning).toContain('90 with the events moved 5 hours back');
    expect(warning).toContain('read the event files with --timezone -05:00');
  });

  it('says nothing once --timezone -05:00 puts the events on the orders\' clock, and every order is in its session', () => {
    expect(clockWarnings(aligned)).toEqual([]);
    expect(aligned.events.orderPlacement).toMatchObject({ timedInSession: 90, eventsAheadMinutes: 0 });
    expect(aligned.events.funnels.overall.purchased.sessions).toBe(90);
    expect(shifted.events.funnels.overall.purchased.sessions).toBe(0);
  });

  it('counts the events after the as-of date (the last purchase day) and says they were left out', () => {
    for (const r of [shifted, aligned]) {
      expect(r.events.stitching.eventsAfterAsOf).toBe(2);
      expect(r.warnings).toContain(`2 events after the as-of date ${r.parameters.asOf} (the last purchase day) were left out of the sessions, funnels, buyer types and prospects`);
    }
  });
});

describe('events and orders on one clock', () => {
  it('give no clock warning and name no shift', async () => {
    const same = await run(0, '');
    expect(same.events.orderPlacement).toMatchObject({ timedInSession: 90, eventsAheadMinutes: 0, timedInSessionShifted: 90 });
    expect(clockWarnings(same)).toEqual([]);
  }, 60_000);
});
