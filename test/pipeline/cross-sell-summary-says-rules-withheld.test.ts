/**
 * Regression (a new-user QA pass): on a 150-customer shop the progress line said "12 rules …, 50 next-purchase rules"
 * and the summary "12 rules …, 5 next-purchase rules": the other 45 rested on fewer customers than the minimum group
 * size and were withheld from run.json (privacy.suppressed.rulesWithheld), which the summary did not say.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { analyze } from '../../src/pipeline/analyze.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

const crossSellLine = (run: RunSummary) => formatRunSummary(run).split('\n').find((l) => l.startsWith('  cross-sell'))!;

/** the run with `tables` as what suppression withheld at k = `k` */
function withheld(run: RunSummary, k: number, tables: Record<string, number>): RunSummary {
  return { ...run, privacy: { ...run.privacy, suppressed: { ...run.privacy.suppressed!, minGroupSize: k, tables } } };
}

describe("the summary's cross-sell line", () => {
  let dir: string;
  let run: RunSummary;
  beforeAll(async () => {
    dir = scratchDir();
    await generateShop({ outDir: dir, customers: 150, seed: 7 });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipModels: true, skipReport: true });
  }, 120_000);

  it('says how many next-purchase rules the minimum group size withheld', () => {
    const published = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    // the shop's figures: every association rule rests on 5 customers or more, 45 of the 50 next-purchase rules do not
    expect(published.privacy.suppressed.tables['patterns.rules']).toBeUndefined();
    expect(published.privacy.suppressed.tables['patterns.sequenceRules']).toBe(45);
    expect(run.patterns!.sequenceRules).toHaveLength(5);
    expect(crossSellLine(run)).toMatch(/^ {2}cross-sell \d+ rules \([^)]*\), 5 next-purchase rules \(45 more withheld: followed by fewer than 5 customers, --min-group-size\)/);
  });

  it('says it of association rules too, and nothing when none was withheld', () => {
    expect(crossSellLine(withheld(run, 10, { 'patterns.rules': 7, 'patterns.sequenceRules': 1 }))).toMatch(/^ {2}cross-sell \d+ rules \([^)]*; 7 more withheld: resting on fewer than 10 customers, --min-group-size\), 5 next-purchase rules \(1 more withheld: followed by fewer than 10 customers, --min-group-size\)/);
    expect(crossSellLine(withheld(run, 5, { 'segments.cohorts': 3 }))).not.toContain('withheld');
  });
});
