import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/math/random.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * `playbook --budget` driven by an uplift model (issue 17, item 4): a past
 * campaign with a 30% control group is simulated with a planted effect on
 * the customers with one or two orders only (the "responders"); once it is
 * evaluated, the budget must go to the responders far more than the
 * value × P(alive) fallback sends it there (that ranking prefers the
 * frequent, high-value buyers, on whom the campaign does nothing).
 */
const CUSTOMERS = 2000;

/**
 * The analysis stages into the ingested warehouse, without the regularity check: audience create would run them itself,
 * and on these histories (1–6 orders each, uniformly: every customer at one steady rate) they ran MBG/CNBD-k too, 13–14 s
 * apiece, which the BTYD models beat — customer_scores are theirs either way.
 */
async function score(db: string, dir: string): Promise<void> {
  const run = await cli(['analyze', '--db', db, '--no-regularity-check', '--skip-patterns', '--skip-report', '--quiet', '--out', join(dir, 'scored')]);
  expect(run.code, run.stderr).toBe(0);
}

const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

describe('playbook --budget ranks by an uplift model learnt from a past campaign, and falls back to value × P(alive) without one', () => {
  it('puts more of the budget on the planted responders than the fallback does; the Qini validation is printed and in the plan', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) }); // tokens decide the control split: one split every run
    const random = createRandom(31);
    const orders = new Map<string, number>();
    const history = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= CUSTOMERS; c++) {
      const n = 1 + random.integer(6);
      orders.set(`K${c}`, n);
      for (let k = 0; k < n; k++) history.push(`H${++order},K${c},${day('2023-01-01', random.integer(365))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    await score(db, dir);
    const created = await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.3', '--seed', '5', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'past.csv')]);
    expect(created.code, created.stderr).toBe(0);
    const members = readFileSync(join(dir, 'past.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const responder = new Map(members.map(([token, , id]) => [token!, orders.get(id!)! <= 2]));
    expect([...responder.values()].filter(Boolean).length).toBeGreaterThan(500);

    const config = join(dir, 'plays.json');
    writeFileSync(config, JSON.stringify({ defaults: { expectedMargin: 0.5, holdout: 0.1 }, plays: [
      { name: 'loyal', where: 'orders >= 4', costPerContact: 0.5, expectedLift: 0.1 },
      { name: 'occasional', where: 'orders <= 3', costPerContact: 1, expectedLift: 0.1 },
    ] }));
    const playbook = (prefix: string, ...extra: string[]) => cli(['playbook', '--db', db, '--config', config, '--out', join(dir, prefix), '--prefix', `${prefix}-`, '--budget', '300', '--seed', '2', ...extra]);
    /** share of the expected cost of treated contacts that goes to planted responders */
    const budgetOnResponders = (plan: { plays: { file: string | null; costPerContact: number }[] }) => {
      let all = 0;
      let responders = 0;
      for (const p of plan.plays) {
        if (!p.file) continue;
        for (const [token, group] of readFileSync(p.file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))) {
          if (group !== 'treatment') continue;
          all += p.costPerContact;
          if (responder.get(token!)) responders += p.costPerContact;
        }
      }
      return responders / all;
    };

    // no past campaign evaluated yet: value × P(alive), and it says so
    const before = await playbook('before');
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toMatch(/the budget ranks customers by value × P\(alive\) \(predicted CLV × the play’s lift\): no past campaign with a control group has been evaluated/);
    expect(before.stdout).toMatch(/^budget ranked by value × P\(alive\): no past campaign/m);

    // the campaign's January: base rate 0.3 purchases for everyone, +1.2 for treated responders only
    const january = ['customer_id,date,amount'];
    for (const [token, group, id] of members) {
      const n = random.poisson(0.3 + (group === 'treatment' && responder.get(token!) ? 1.2 : 0));
      for (let k = 0; k < n; k++) january.push(`${id},${day('2024-01-01', random.integer(31))},${(10 + 40 * random.uniform()).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);
    expect((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31'])).code).toBe(0);

    // one run for both of its forms: the human plan on stdout, and the plan as --json prints it in plan.json (the same
    // object: test/actions/playbook.test.ts); a second run for the human plan trained the uplift model again
    const driven = await playbook('uplift');
    expect(driven.code, driven.stderr).toBe(0);
    expect(driven.stderr).toMatch(/the budget ranks customers by the uplift model \((two-model|transformed-outcome), incremental revenue\) trained on the past campaign past \(2024-01-01 … 2024-01-31\); on its held-out half the Qini coefficient is \d\.\d{3} \(0 = random targeting\), p = 0\.001 against 999 shuffles of the scores/);
    const plan = JSON.parse(readFileSync(join(dir, 'uplift', 'plan.json'), 'utf8'));
    expect(plan.targeting.basis).toBe('uplift model');
    const model = plan.targeting.upliftModel;
    expect(model.audience).toBe('past');
    expect(model.qini.qini).toHaveLength(21);
    expect(model.qini.coefficient).toBeGreaterThan(0.1);
    // the planted effect beats every one of the 999 shuffles of the scores
    expect(model.qiniTest).toEqual({ test: 'permutation', permutations: 999, pValue: 0.001, alpha: 0.05 });
    expect(model.learners.find((l: { learner: string }) => l.learner === model.learner).qiniPValue).toBe(0.001);
    expect(model.validation.treatment + model.validation.control).toBe(1000);
    expect(plan.totals.expectedCost).toBeLessThanOrEqual(300 * 1.15);
    // customers the model expects no gain from are never taken, whatever budget is left
    expect(plan.targeting.notProfitable).toBeGreaterThan(100);
    for (const p of plan.plays.filter((r: { audience: string | null }) => r.audience)) expect(p.valueSource).toMatch(/^uplift model × margin/);

    const fallback = await playbook('value', '--json', '--rank-by', 'value');
    expect(fallback.code, fallback.stderr).toBe(0);
    const valuePlan = JSON.parse(fallback.stdout);
    expect(valuePlan.targeting).toMatchObject({ basis: 'value × P(alive)', upliftModel: null });

    const upliftShare = budgetOnResponders(plan);
    const valueShare = budgetOnResponders(valuePlan);
    // the fallback prefers the cheap, valuable loyal customers (no responder among them); the model finds the responders
    expect(valueShare).toBeLessThan(0.3);
    expect(upliftShare).toBeGreaterThan(0.7);
    expect(upliftShare).toBeGreaterThan(valueShare + 0.4);

    // the human plan prints the Qini validation
    expect(driven.stdout).toMatch(/^budget ranked by uplift model: /m);
    expect(driven.stdout).toMatch(/Qini on the held-out half of past \(\d+ treated \/ \d+ control\): coefficients two-model -?\d\.\d{3} \(p = [\d.]+\), transformed-outcome -?\d\.\d{3} \(p = [\d.]+\); the better of the two against shuffled scores: p = 0\.001 \(999 shuffles\)/);
  }, 240_000);

  it('on a frequency-only log (no order values) ranks by incremental purchases and leaves the expected value unknown, saying so', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    initKeyFile(`${db}.key`, { key: Buffer.alloc(32, 42) }); // tokens decide the control split: one split every run
    const random = createRandom(32);
    const orders = new Map<string, number>();
    const history = ['customer_id,date'];
    for (let c = 1; c <= 1500; c++) {
      const n = 1 + random.integer(6);
      orders.set(`F${c}`, n);
      for (let k = 0; k < n; k++) history.push(`F${c},${day('2023-01-01', random.integer(365))}`);
    }
    writeFileSync(join(dir, 'history.csv'), history.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'history.csv'), '--db', db])).code).toBe(0);
    await score(db, dir);
    expect((await cli(['audience', 'create', '--db', db, '--name', 'past', '--where', 'orders >= 1', '--holdout', '0.4', '--seed', '5', '--role', 'admin', '--reveal-ids', '--out', join(dir, 'past.csv')])).code).toBe(0);
    const members = readFileSync(join(dir, 'past.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const january = ['customer_id,date'];
    for (const [, group, id] of members) {
      const n = random.poisson(0.3 + (group === 'treatment' && orders.get(id!)! <= 2 ? 1.5 : 0));
      for (let k = 0; k < n; k++) january.push(`${id},${day('2024-01-01', random.integer(31))}`);
    }
    writeFileSync(join(dir, 'january.csv'), january.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'january.csv'), '--db', db])).code).toBe(0);
    expect((await cli(['campaign', 'evaluate', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31'])).code).toBe(0);
    writeFileSync(join(dir, 'plays.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'orders >= 1', costPerContact: 1, expectedLift: 0.1 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'plays.json'), '--out', join(dir, 'plan'), '--budget', '200', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.targeting.basis).toBe('uplift model');
    expect(plan.targeting.upliftModel.outcome).toBe('purchases');
    const play = plan.plays[0];
    expect(play.expectedIncrementalValue).toBeNull();
    expect(play.valueSource).toBe('uplift model (incremental purchases; no order values)');
    expect(play.notes.some((n: string) => /^expected incremental purchases of the treated: \d+\.\d$/.test(n))).toBe(true);
    // the budget still goes to the planted responders
    const byToken = new Map(members.map(([token, , id]) => [token!, orders.get(id!)! <= 2]));
    const treated = readFileSync(play.file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((r) => r[1] === 'treatment');
    expect(treated.filter((r) => byToken.get(r[0]!)).length / treated.length).toBeGreaterThan(0.7);
  }, 240_000);
});
