/**
 * A play skipped for too few customers (fewer than --min-group-size) used to keep them: they were tied to their first
 * matching play before the minimum-group check, so the later plays that match them never saw them, and the totals
 * never counted them. They now fall through to the next play that matches them (first match among the plays that
 * run), and the summary accounts for every customer: in plays + suppressed + not drawn + matched by no play.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

type Counts = Record<string, number>;
type Plan = { plays: { play: string; audience: string | null; matched: number; eligible: number; members: number; skipped: string | null; skipKind: string | null }[]; totals: { members: number; suppressed: Counts; customers: number; notDrawn: number; matchedByNone: number } };

describe('playbook: the customers of a play too small to run', () => {
  it('go to the next play that matches them, and the totals add up to every customer', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['synth', '--customers', '600', '--seed', '4', '--out', join(dir, 'shop'), '--no-events'])).code).toBe(0);
    expect((await cli(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db])).code).toBe(0);
    const analysed = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
    expect(analysed.code, analysed.stderr).toBe(0);
    const config = join(dir, 'plays.json');
    // 'rest' matches everyone with an order; 'tiny' a few of them, first; 'none' no one (it matches no customer)
    writeFileSync(config, JSON.stringify({ defaults: { holdout: 0.5 }, plays: [
      { name: 'tiny', where: 'orders >= 7', costPerContact: 1, expectedLift: 0.1 },
      { name: 'rest', where: 'orders >= 2', costPerContact: 1, expectedLift: 0.1 },
    ] }));
    const run = async (prefix: string, k: number) => {
      const r = await cli(['playbook', '--db', db, '--config', config, '--out', join(dir, prefix), '--prefix', `${prefix}-`, '--min-group-size', String(k)]);
      expect(r.code, r.stderr).toBe(0);
      return { stdout: r.stdout, plan: JSON.parse(readFileSync(join(dir, prefix, 'plan.json'), 'utf8')) as Plan };
    };
    const both = await run('both', 2);
    const [tinyRan, restAfterTiny] = both.plan.plays;
    expect(tinyRan!.audience).toBe('both-tiny');
    const t = tinyRan!.eligible;
    expect(t).toBeGreaterThan(3);
    expect(restAfterTiny!.eligible).toBeGreaterThan(2 * (t + 2));

    // a floor above tiny's size: tiny is skipped and its customers are offered to rest
    const skipped = await run('skip', t + 1);
    const [tiny, rest] = skipped.plan.plays;
    expect(tiny!.audience).toBeNull();
    expect(tiny!.skipped).toBe(`${t} customers, fewer than the minimum group size ${t + 1}; they were offered to the later plays that match them`);
    // plan.json records the kind beside the words (the nothing-drawn hint reads it)
    expect([tiny!.skipKind, rest!.skipKind]).toEqual(['belowMinGroupSize', null]);
    expect(rest!.matched).toBe(restAfterTiny!.matched + t);
    expect(rest!.members).toBe(restAfterTiny!.members + t);

    const warehouse = await openDuckDbWarehouse(db);
    let customers: number;
    let matchedByNone: number;
    try {
      customers = Number((await warehouse.query('SELECT count(*) AS n FROM customer_summary'))[0]!.n);
      matchedByNone = Number((await warehouse.query('SELECT count(*) AS n FROM customer_summary WHERE NOT (orders >= 2)'))[0]!.n);
    } finally {
      await warehouse.close();
    }
    expect(matchedByNone).toBeGreaterThan(0);
    for (const { plan, stdout } of [both, skipped]) {
      const suppressed = Object.values(plan.totals.suppressed).reduce((a, n) => a + n, 0);
      expect(plan.totals.customers).toBe(customers);
      expect(plan.totals.matchedByNone).toBe(matchedByNone);
      expect(plan.totals.members + suppressed + plan.totals.notDrawn + plan.totals.matchedByNone).toBe(customers);
      expect(stdout).toContain(`all ${customers.toLocaleString('en-US')} customers accounted for: ${plan.totals.members.toLocaleString('en-US')} in plays`);
      expect(stdout).toContain(`${matchedByNone.toLocaleString('en-US')} matched by no play's filter`);
    }
  }, 240_000);
});
