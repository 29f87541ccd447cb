/**
 * Data engineer's trial (session 42, D2 and D7): a nightly job reading `clvkit playbook --json` and
 * `clvkit audience create --json` never saw their warnings — stale scores, the opt-out list's match, a draw that
 * contaminates a running campaign's control group — which went to stderr alone; playbook's JSON had no `scoresAsOf`.
 * Both JSON answers (and plan.json) now carry `warnings: string[]`, the same lines stderr prints (without `clvkit: `).
 * And a budget's money came out as float noise (`expectedCost` 200.00000000000003 for `--budget 200`, a play's
 * 46.300000000000004), failing a script's `expectedCost <= budget`: the budget is now spent in whole cents, and the
 * plan's money is rounded to cents.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { scoredShop } from '../helpers/scored-shop.js';

let dir = '';
let db = '';

/** stderr's lines without the `clvkit: ` prefix: what `warnings` should hold. */
const stderrLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('clvkit: ')).map((l) => l.slice('clvkit: '.length));

const cents = (v: number) => Math.round(v * 100) / 100 === v;

beforeAll(async () => {
  ({ dir, db } = await scoredShop());
}, 180_000);

interface Plan {
  scoresAsOf: string | null;
  warnings: string[];
  budget: number | null;
  plays: { play: string; treatment: number; costPerContact: number; expectedCost: number; expectedIncrementalValue: number | null; audience: string | null }[];
  totals: { treatment: number; expectedCost: number; expectedIncrementalValue: number | null };
}

describe('--json outputs carry their warnings', () => {
  it('audience create --json: the contamination note in warnings, as stderr says it', async () => {
    const first = await cli(['audience', 'create', '--db', db, '--name', 'first', '--where', 'TRUE', '--holdout', '0.5', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).warnings).toEqual([]);
    // drawn the same send date over the same customers: half of the first audience's control group is treated now
    const second = await cli(['audience', 'create', '--db', db, '--name', 'second', '--where', 'TRUE', '--seed', '2', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const answer = JSON.parse(second.stdout) as { warnings: string[]; scoresAsOf: string };
    expect(answer.warnings.some((w) => /are in the control group of a campaign not yet measured .*contaminate the uplift/.test(w))).toBe(true);
    expect(answer.warnings).toEqual(stderrLines(second.stderr));
  }, 120_000);

  it('playbook --json and plan.json: the stale-scores and opt-out notes in warnings, and scoresAsOf', async () => {
    // purchases ingested after the analysis: the scores describe older data
    const lines = readFileSync(join(dir, 'shop', 'transactions.csv'), 'utf8').trim().split('\n');
    const last = lines.slice(1).map((l) => l.split(',')[2]!).sort().at(-1)!;
    const later = new Date(Date.parse(`${last.slice(0, 10)}T12:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 19);
    const row = lines[1]!.split(',');
    row[0] = '999999';
    row[2] = later;
    writeFileSync(join(dir, 'later.csv'), `${lines[0]}\n${row.join(',')}\n`);
    expect((await cli(['ingest', join(dir, 'later.csv'), '--db', db, '--quiet'])).code).toBe(0);
    writeFileSync(join(dir, 'optout.txt'), `${row[1]}\nnobody-at-all\n`);

    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan'), '--prefix', 'stale-', '--opt-out', join(dir, 'optout.txt'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.scoresAsOf).toBe(last.slice(0, 10));
    expect(plan.warnings.some((w) => w.startsWith(`the scores and stages describe the data to ${last.slice(0, 10)}, the warehouse holds purchases to ${later.slice(0, 10)}`))).toBe(true);
    expect(plan.warnings).toContain('opt-out list: 2 ids, 1 of them customers of the warehouse');
    // the first test's audiences (everyone, sent the same day) leave every play's customers suppressed: nothing is
    // drawn, and the hint that says so (stderr's last line with --json) ends the warnings
    expect(plan.plays.every((p) => p.audience === null)).toBe(true);
    expect(plan.warnings.at(-1)).toMatch(/^hint: nothing drawn: /);
    expect(plan.warnings).toEqual(stderrLines(run.stderr));
    const file = JSON.parse(readFileSync(join(dir, 'plan', 'plan.json'), 'utf8')) as Plan;
    expect(file.warnings).toEqual(plan.warnings);
    expect(file.scoresAsOf).toBe(plan.scoresAsOf);
  }, 180_000);

  it('playbook --budget: the budget spent in whole cents, and the money of the plan in cents', async () => {
    // a contact of 0.1: 200 of them make 20, which float sums made 20.000000000000004 (a pick refused, or a total over)
    writeFileSync(join(dir, 'tenths.json'), JSON.stringify({ plays: [
      { name: 'repeat', where: 'orders >= 2', holdout: 0.1, costPerContact: 0.1, expectedLift: 0.05 },
      { name: 'rest', where: 'TRUE', holdout: 0.1, costPerContact: 0.3, expectedLift: 0.05 },
    ] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'tenths.json'), '--out', join(dir, 'tenths'), '--prefix', 'tenths-', '--budget', '20', '--rank-by', 'value', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    const drawn = plan.plays.filter((p) => p.audience !== null);
    expect(drawn.length).toBeGreaterThan(0);
    for (const p of drawn) {
      expect(cents(p.expectedCost), `${p.play} ${p.expectedCost}`).toBe(true);
      expect(p.expectedCost).toBe(Math.round(p.treatment * p.costPerContact * 100) / 100);
      if (p.expectedIncrementalValue !== null) expect(cents(p.expectedIncrementalValue), String(p.expectedIncrementalValue)).toBe(true);
    }
    expect(cents(plan.totals.expectedCost), String(plan.totals.expectedCost)).toBe(true);
    expect(plan.totals.expectedCost).toBeLessThanOrEqual(20);
    // the budget spent to the cent: 20 exactly (no pick refused because 0.1 × 200 summed to more than 20)
    expect(plan.totals.expectedCost).toBe(20);
    if (plan.totals.expectedIncrementalValue !== null) expect(cents(plan.totals.expectedIncrementalValue)).toBe(true);
  }, 180_000);
});
