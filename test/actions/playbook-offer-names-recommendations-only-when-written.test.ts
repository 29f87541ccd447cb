/**
 * A user trial (session 40): the shipped playbook's cross-sell offer read "recommended products (recommendations.csv)"
 * in plan.csv and plan.json whether or not any recommendations.csv had been written — after an analysis without
 * products, or one run with --skip-patterns. The offer now names the file the warehouse's latest analysis wrote (its
 * path), or says there is none and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

/** The cross-sell play's offer in plan.json and plan.csv of a default playbook run on `db` into `out`. */
async function crossSellOffer(db: string, out: string): Promise<{ json: unknown; csv: boolean }> {
  const run = await cli(['playbook', '--db', db, '--out', out, '--prefix', `p${out.length}-`]);
  expect(run.code, run.stderr).toBe(0);
  const plays = (JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { plays: { play: string; offer: string }[] }).plays;
  const offer = plays.find((p) => p.play === 'cross-sell')!.offer;
  return { json: offer, csv: readFileSync(join(out, 'plan.csv'), 'utf8').includes(`,${offer.includes(',') ? `"${offer}"` : offer},`) };
}

describe('the playbook names recommendations.csv only where one was written', () => {
  it('data without products: the offer says there is nothing to recommend, in plan.json and plan.csv alike', async () => {
    const db = await smallAnalysedShop(); // order lines without products, analysed with --skip-patterns
    expect(await crossSellOffer(db, join(scratchDir(), 'plan'))).toEqual({ json: 'recommended products (no recommendations.csv: the data has no products to recommend)', csv: true });
  }, 120_000);

  it('data with products: none after an analysis with --skip-patterns (and how to get one), the path of the file after one without', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    expect((await cli(['synth', '--customers', '300', '--seed', '4', '--out', join(dir, 'shop'), '--no-events'])).code).toBe(0);
    const flags = ['--db', db, '--skip-report', '--no-regularity-check', '--quiet'];
    const skipped = await cli(['analyze', join(dir, 'shop', 'transactions.csv'), ...flags, '--out', join(dir, 'a'), '--skip-patterns']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(await crossSellOffer(db, join(dir, 'plan-1'))).toEqual({
      json: 'recommended products (no recommendations.csv: the latest analysis of this warehouse wrote none, or it is gone; clvkit recommend --all --out FILE, or an analyze without --skip-patterns, writes one)',
      csv: true,
    });
    const full = await cli(['analyze', ...flags, '--out', join(dir, 'b')]);
    expect(full.code, full.stderr).toBe(0);
    expect(await crossSellOffer(db, join(dir, 'plan-22'))).toEqual({ json: `recommended products (${join(dir, 'b', 'recommendations.csv')})`, csv: true });
  }, 240_000);
});
