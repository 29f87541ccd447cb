/**
 * With --budget, a play whose eligible customers were all too few for the minimum group size is skipped before the
 * budget is picked, and its reason says so ("even all N eligible customers: …, fewer than the minimum group size …;
 * the budget was picked without this play"). The nothing-drawn hint read the word 'budget' in that reason and told the
 * user to raise --budget, which cannot help (even every customer is too few): it now names the minimum group size, as
 * without --budget.
 *
 * The 600-customer synthetic shop with a minimum group size of 1,000: every play is below it whatever the budget.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scoredShop } from '../helpers/scored-shop.js';

describe('a playbook with --budget whose plays are all below the minimum group size', () => {
  it('ends with the minimum-group-size hint, not "raise --budget"; plan.json records the kind', async () => {
    const { dir, db } = await scoredShop();
    const ran = await cli(['playbook', '--db', db, '--out', join(dir, 'plan'), '--budget', '100000', '--min-group-size', '1000']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trimEnd().split('\n').at(-1)).toBe(
      'hint: nothing drawn: 5 of the 6 plays are below the minimum group size 1000 (in customers, or in the control group their holdout leaves) and 1 matches no customer; ' +
        'for a shop of 600 customers pass a lower --min-group-size (the privacy k-floor), or a playbook (--config) with fewer, broader plays or a larger holdout',
    );
    const plan = JSON.parse(readFileSync(join(dir, 'plan', 'plan.json'), 'utf8')) as { plays: { skipped: string | null; skipKind: string | null }[] };
    const below = plan.plays.filter((p) => p.skipKind === 'belowMinGroupSize');
    expect(below).toHaveLength(5);
    for (const p of below) expect(p.skipped).toMatch(/^even all [\d,]+ eligible customers: .*fewer than the minimum group size 1000.*; the budget was picked without this play; they were offered to the later plays that match them$/);
  }, 180_000);
});
