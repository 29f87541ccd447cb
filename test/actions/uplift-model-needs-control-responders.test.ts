/**
 * QA: `campaign uplift-model` trained and chose a two-model learner (p = 0.008) on a campaign whose control group had
 * no buyer at all, and `playbook --budget` then ranked by it. With no control responses the two-model's control model
 * is constant and the Qini curve's control term is zero: the curve measures who buys among the treated, not who
 * responds to the campaign, and shuffling the scores tests buyer ranking. An uplift model needs at least
 * MIN_UPLIFT_RESPONDERS buyers (and non-buyers) in the treated and the control group of both halves: fewer, and
 * uplift-model refuses, and the playbook budget falls back to value × P(alive), saying why. Both also name the
 * outcome their Qini is of (QA: two Qini answers for one campaign, revenue in the playbook's note and buyers in
 * uplift-model, neither saying which).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_UPLIFT_RESPONDERS } from '../../src/actions/train-uplift-model.js';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';
import { scratchDir } from '../helpers/warehouse.js';

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('an uplift model needs buyers in the control group of both halves', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) });
    const random = createRandom(7);
    const orders = new Map<string, number>();
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 600; c++) {
      const n = 1 + random.integer(6);
      orders.set(`K${c}`, n);
      for (let k = 0; k < n; k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    const scored = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
    expect(scored.code, scored.stderr).toBe(0);
    const drawn = await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '5', '--send-date', '2024-01-01', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'past.csv')]);
    expect(drawn.code, drawn.stderr).toBe(0);
    // January: the treated with one or two orders buy often, the other treated now and then, no control customer at all
    const january = ['order_id,customer_id,date,amount'];
    for (const [, group, id] of readFileSync(join(dir, 'past.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))) {
      if (group === 'treatment' && random.uniform() < (orders.get(id!)! <= 2 ? 0.6 : 0.05)) january.push(`J${++order},${id},${day('2024-01-01', random.integer(31))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);
    const evaluated = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
  }, 240_000);

  it('campaign uplift-model refuses in one line with a hint (exit 2), naming the groups short of buyers', async () => {
    for (const outcome of ['buyers', 'revenue']) {
      const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--outcome', outcome]);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^clvkit: error: the training half of past has too few buyers in the window 2024-01-01 … 2024-01-31 to learn uplift from: its control group 0 buyers of \d+ — fewer than 10 in a group \(an uplift model compares the groups’ responses: with none, or a handful, in one group its model is all but constant, and the Qini curve ranks who buys, not who responds to the campaign\) \(hint: uplift needs 10 buyers and 10 non-buyers in the treated and the control group of each half: train on a campaign with a larger control group or a longer response window \(campaign evaluate counts its buyers\)\)$/);
      expect(lines).toHaveLength(1);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(MIN_UPLIFT_RESPONDERS).toBe(10);
  }, 60_000);

  it('playbook --budget does not rank by it: value × P(alive), and the note says why', async () => {
    writeFileSync(join(dir, 'plays.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'orders >= 1', costPerContact: 1, expectedLift: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'plays.json'), '--out', join(dir, 'plan'), '--budget', '100', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.targeting.basis).toBe('value × P(alive)');
    expect(plan.targeting.upliftModel).toBeNull();
    // screened out from its counts before any training (uplift-targeting.ts tooSmallToLearnFrom), named without its counts
    expect(plan.targeting.reason).toBe('no past campaign is large enough to learn uplift from: 1 past campaign too small to learn from: past (its control group has fewer than 20 buyers in 2024-01-01 … 2024-01-31) — an uplift model needs 10 buyers, 10 non-buyers and 50 customers in the treated and the control group of each half');
  }, 120_000);
});

describe('the Qini answers name their outcome', () => {
  it('uplift-model’s reason and the playbook’s note say buyers, purchases or revenue', async () => {
    const db = await noUpliftCampaign();
    for (const outcome of ['buyers', 'revenue']) {
      const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '2', '--outcome', outcome, '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).reason).toContain(`Qini of ${outcome}: `);
    }
    expect((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--json'])).code).toBe(0);
    const dir = scratchDir();
    writeFileSync(join(dir, 'plays.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'orders >= 1', costPerContact: 1, expectedLift: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'plays.json'), '--out', join(dir, 'plan'), '--budget', '50', '--send-date', '2024-02-01', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.targeting.basis).toBe('value × P(alive)');
    expect(plan.targeting.reason).toMatch(/^no past campaign gives an uplift model better than random targeting: past: no learner ranks its held-out half better than random targeting .*Qini of revenue: coefficients two-model -?\d\.\d{3}, transformed-outcome -?\d\.\d{3}$/);
  }, 240_000);
});
