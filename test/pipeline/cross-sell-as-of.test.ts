/**
 * An analysis as of a date reads nothing after it: its cross-sell rules, next-purchase rules, recommender choice and
 * recommendations.csv are those of the data up to that day. Regression: the cross-sell stage mined every order the
 * warehouse held (Online Retail as of 2011-09-30: 18,349 baskets against 13,081 orders up to that day), and the
 * recommender's test window ran to the last purchase held.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('cross-sell of an analysis as of a date', () => {
  const AS_OF = '2023-03-31';
  let full: RunSummary;
  let cut: RunSummary;
  let dir: string;
  beforeAll(async () => {
    dir = scratchDir('clvkit-cross-sell-as-of-');
    await generateShop({ outDir: dir, customers: 300, seed: 5, events: false });
    // the same file without the lines dated after the as-of day (order_date is the third column, before any quoted text)
    const lines = readFileSync(join(dir, 'transactions.csv'), 'utf8').trimEnd().split('\n');
    const kept = [lines[0]!, ...lines.slice(1).filter((line) => line.split(',')[2]!.slice(0, 10) <= AS_OF)];
    expect(kept.length).toBeLessThan(lines.length);
    writeFileSync(join(dir, 'to-as-of.csv'), `${kept.join('\n')}\n`);
    const keyring = keyringFromKey(generateKey());
    const run = (file: string, out: string) => analyze({ files: [join(dir, file)], db: ':memory:', outDir: join(dir, out), asOf: AS_OF, keyring, skipModels: true, skipReport: true });
    full = await run('transactions.csv', 'full');
    cut = await run('to-as-of.csv', 'cut');
  }, 120_000);

  it('mines the same baskets and rules as the data up to that day', () => {
    expect(full.patterns!.baskets).toBe(cut.patterns!.baskets);
    expect(full.patterns!.rules).toEqual(cut.patterns!.rules);
    expect(full.patterns!.sequenceRules).toEqual(cut.patterns!.sequenceRules);
  });

  it('evaluates the recommender on a test window that ends on that day, and writes the same recommendations', () => {
    expect(full.patterns!.recommender).toEqual(cut.patterns!.recommender);
    expect(readFileSync(join(dir, 'full', 'recommendations.csv'), 'utf8')).toBe(readFileSync(join(dir, 'cut', 'recommendations.csv'), 'utf8'));
  });
});
