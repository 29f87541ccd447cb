import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlaybook, loadPlaybook, readPlaybookFile } from '../../src/actions/playbook.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

let dir: string;
let db: string;

async function query(sql: string) {
  const warehouse = await openDuckDbWarehouse(db);
  try {
    return await warehouse.query(sql);
  } finally {
    await warehouse.close();
  }
}

beforeAll(async () => {
  dir = scratchDir();
  db = join(dir, 'shop.duckdb');
  // a synthetic BG/NBD shop (every stage populated); ingested, never analysed
  expect((await cli(['synth', '--customers', '1500', '--seed', '4', '--out', join(dir, 'shop'), '--no-events'])).code).toBe(0);
  expect((await cli(['ingest', join(dir, 'shop', 'transactions.csv'), '--db', db])).code).toBe(0);
}, 120_000);

describe('clvkit playbook', () => {
  it('draws one audience per play, each customer in the first play that matches, suppression applied, and writes the plan', async () => {
    const run = await cli(['playbook', '--db', db, '--out', join(dir, 'plan'), '--json', '--seed', '3']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/running the analysis stages/);
    const plan = JSON.parse(run.stdout);
    expect(JSON.parse(readFileSync(join(dir, 'plan', 'plan.json'), 'utf8'))).toEqual(plan);
    expect(plan.plays.map((p: { play: string }) => p.play)).toEqual(['win-back-high-value', 'onboarding', 'cross-sell', 'at-risk-nudge', 'reactivation', 'last-offer']);
    const drawn = plan.plays.filter((p: { audience: string | null }) => p.audience !== null);
    expect(drawn.length).toBeGreaterThanOrEqual(4);
    for (const p of drawn) {
      expect(p.expectedCost).toBeCloseTo(p.costPerContact * p.treatment, 9);
      expect(p.expectedRoi).toBeCloseTo((p.expectedIncrementalValue - p.expectedCost) / p.expectedCost, 9);
      expect(p.control).toBe(Math.round(p.members * 0.1));
      expect(readFileSync(p.file, 'utf8').trim().split('\n')).toHaveLength(p.members + 1);
    }
    // every member matches its play's filter, no customer is in two plays, nobody bought in the 7 days before the send date
    const [check] = await query(`SELECT count(*) AS n, count(DISTINCT m.customer_id) AS customers,
        count(*) FILTER (WHERE a.play = 'win-back-high-value' AND NOT (g.stage = 'at_risk' AND v.value_tier = 'high')) AS wrong_winback,
        count(*) FILTER (WHERE a.play = 'at-risk-nudge' AND g.stage <> 'at_risk') AS wrong_nudge,
        count(*) FILTER (WHERE a.play = 'cross-sell' AND (g.stage NOT IN ('active', 'reactivated') OR c.next_order_p50 < DATE '2024-01-07')) AS wrong_cross_sell,
        count(*) FILTER (WHERE s.last_purchase > DATE '${plan.sendDate}' - 7 AND a.play <> 'onboarding') AS recent
      FROM audience_members m JOIN audiences a ON a.name = m.audience JOIN customer_stages g USING (customer_id) JOIN customer_value_tiers v USING (customer_id) JOIN customer_summary s USING (customer_id) JOIN customer_scores c USING (customer_id)`);
    expect(Number(check!.n)).toBe(plan.totals.members);
    expect(Number(check!.customers)).toBe(plan.totals.members);
    expect([check!.wrong_winback, check!.wrong_nudge, check!.wrong_cross_sell, check!.recent].map(Number)).toEqual([0, 0, 0, 0]);
    const csv = readFileSync(join(dir, 'plan', 'plan.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('play,audience,channel,offer,where,eligible,members,treatment,control,costPerContact,expectedCost,lift,liftSource,expectedIncrementalValue,expectedRoi,file,skipped');
    expect(csv).toHaveLength(7);

    // again within 14 days: the treated customers of the first run are suppressed (contacted), their control customers are not
    const second = await cli(['playbook', '--db', db, '--out', join(dir, 'again'), '--json', '--prefix', 'again-', '--budget', '20']);
    expect(second.stderr).toMatch(/the budget ranks customers by value × P\(alive\) \(predicted CLV × the play’s lift\): no past campaign with a control group has been evaluated/);
    const again = JSON.parse(second.stdout);
    expect(again.targeting).toEqual({ basis: 'value × P(alive)', reason: 'no past campaign with a control group has been evaluated (clvkit campaign evaluate)', upliftModel: null, notProfitable: 0 });
    expect(again.totals.expectedCost).toBeLessThanOrEqual(20);
    expect(again.plays.filter((p: { audience: string | null }) => p.audience !== null).length).toBeGreaterThan(0);
    const [overlap] = await query(`SELECT count(*) AS n FROM audience_members m2 JOIN audience_members m1 ON m1.customer_id = m2.customer_id
      WHERE m2.audience LIKE 'again-%' AND m1.audience LIKE 'playbook-%' AND m1.group_name = 'treatment'`);
    expect(Number(overlap!.n)).toBe(0);

    // once a campaign of a play has been evaluated, its measured uplift replaces the assumed lift
    const crossSell = plan.plays.find((p: { play: string }) => p.play === 'cross-sell');
    const warehouse = await openDuckDbWarehouse(db);
    await warehouse.execute(`INSERT INTO campaign_evaluations VALUES ('${crossSell.audience}', TIMESTAMP '2024-03-01', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-31', '{"window":{"from":"2024-01-01","to":"2024-01-31"},"revenue":{"relativeUplift":0.2},"purchases":{"relativeUplift":0.1}}')`);
    await warehouse.close();
    const third = JSON.parse((await cli(['playbook', '--db', db, '--out', join(dir, 'third'), '--json', '--prefix', 'third-'])).stdout);
    const measured = third.plays.find((p: { play: string }) => p.play === 'cross-sell');
    expect([measured.lift, measured.liftSource]).toEqual([0.2, `measured: ${crossSell.audience} 2024-01-01…2024-01-31`]);
    expect(third.plays.find((p: { play: string }) => p.play === 'reactivation').liftSource).toBe('playbook');

    // bad input leaves nothing half-written: a prefix already used (checked for every play before any is drawn), an unknown column
    const counts = async () => (await query('SELECT (SELECT count(*) FROM audiences) AS a, (SELECT count(*) FROM audience_members) AS m, (SELECT count(*) FROM audit_log) AS l'))[0];
    const before = await counts();
    const reused = await cli(['playbook', '--db', db, '--out', join(dir, 'reused')]);
    expect(reused.code).toBe(2);
    expect(reused.stderr).toMatch(/^clvkit: error: audience playbook-\S+ already exists( \(and \d+ more of this playbook\))?: nothing was drawn \(hint: pass another --prefix/);
    expect(reused.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ plays: [{ name: 'ok', where: "stage = 'new'", costPerContact: 1, expectedLift: 0.1 }, { name: 'typo', where: "stagee = 'new'", costPerContact: 1, expectedLift: 0.1 }] }));
    const typo = await cli(['playbook', '--db', db, '--config', join(dir, 'typo.json'), '--out', join(dir, 'typo'), '--prefix', 'typo-']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^clvkit: error: --where: unknown column stagee at character 1 \(hint: did you mean stage/);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(await counts()).toEqual(before);
  }, 180_000);

  it('skips a play whose control or treatment group would fall below the k-floor: such a campaign could never be measured', async () => {
    // one play over everyone with a 1% holdout: its control group (≈ 1% of ~1,000 customers) is below a floor of 30
    writeFileSync(join(dir, 'floor.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, holdout: 0.01 }] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'floor.json'), '--out', join(dir, 'floor'), '--json', '--prefix', 'floor-', '--min-group-size', '30']);
    expect(run.code, run.stderr).toBe(0);
    const [everyone] = JSON.parse(run.stdout).plays as { play: string; audience: string | null; eligible: number; control: number; skipped: string | null }[];
    expect(everyone!.eligible).toBeGreaterThan(100);
    expect(everyone!.eligible).toBeLessThan(2950);
    expect(everyone!.audience).toBeNull();
    expect(everyone!.skipped).toBe(`a control group of ${Math.round(everyone!.eligible * 0.01)} of ${everyone!.eligible} customers (holdout 0.01), fewer than the minimum group size 30: the campaign could not be measured`);
    expect(await query("SELECT name FROM audiences WHERE name LIKE 'floor-%'")).toEqual([]);
  }, 120_000);

  it('--budget gives the share of a play that could never be measured to the other plays, and the treated contacts never cost more than the budget', async () => {
    // 'vip' ranks first (lift 1) but with a 1% holdout and a floor of 30 no draw of this shop could be measured; its
    // picks used to take the whole budget and then be skipped, leaving 'others' with nothing and the budget unspent
    writeFileSync(join(dir, 'budget.json'), JSON.stringify({ plays: [
      { name: 'vip', where: "stage IN ('active', 'new', 'reactivated')", costPerContact: 1, expectedLift: 1, holdout: 0.01 },
      { name: 'others', where: 'TRUE', costPerContact: 1.5, expectedLift: 0.01, holdout: 0.5 },
    ] }));
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'budget.json'), '--out', join(dir, 'budget'), '--json', '--prefix', 'budget-', '--min-group-size', '30', '--budget', '301']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { plays: { play: string; audience: string | null; members: number; treatment: number; control: number; expectedCost: number; skipped: string | null }[]; totals: { expectedCost: number } };
    const [vip, others] = plan.plays;
    expect(vip!.audience).toBeNull();
    expect(vip!.skipped).toMatch(/^even all \d+ eligible customers: a control group of \d+ of \d+ customers \(holdout 0.01\), fewer than the minimum group size 30: the campaign could not be measured; the budget was picked without this play$/);
    expect(others!.audience).toBe('budget-others');
    // 1.5 per treated contact within 301: 401 drawn, 201 held out, 200 treated (300 spent); a 402nd would make 201 treated (301.5)
    expect([others!.treatment, others!.control, others!.expectedCost]).toEqual([200, 201, 300]);
    expect(plan.totals.expectedCost).toBeLessThanOrEqual(301);

    // both plays short in one round (review): 'react' (49 eligible: never 2 × 30) took most of a 50 budget, 'churn' got
    // the rest, both were set aside together and nothing was drawn; 'react' goes first now, and 'churn' gets the budget
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ plays: [
      { name: 'react', where: "stage = 'reactivated'", costPerContact: 1, expectedLift: 10, holdout: 0.5 },
      { name: 'churn', where: "stage = 'churned'", costPerContact: 1, expectedLift: 0.001, holdout: 0.5 },
    ] }));
    const short = await cli(['playbook', '--db', db, '--config', join(dir, 'short.json'), '--out', join(dir, 'short'), '--json', '--prefix', 'short-', '--min-group-size', '30', '--budget', '50']);
    expect(short.code, short.stderr).toBe(0);
    const [react, churn] = JSON.parse(short.stdout).plays as { audience: string | null; eligible: number; treatment: number; control: number; expectedCost: number; skipped: string | null }[];
    expect([react!.audience, react!.eligible < 60]).toEqual([null, true]);
    expect(react!.skipped).toMatch(/^even all \d+ eligible customers: /);
    expect([churn!.audience, churn!.treatment, churn!.control, churn!.expectedCost]).toEqual(['short-churn', 50, 51, 50]);

    // a pick was costed at 0.9 of a contact (holdout 0.1), but round(n × 0.1) rounds down: 54 picks hold out 5 and
    // treat 49, over a budget of 48.7; the treated are now costed exactly (53 picks: 5 held out, 48 treated)
    writeFileSync(join(dir, 'tenth.json'), JSON.stringify({ plays: [{ name: 'tenth', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, holdout: 0.1 }] }));
    const tenth = await cli(['playbook', '--db', db, '--config', join(dir, 'tenth.json'), '--out', join(dir, 'tenth'), '--json', '--prefix', 'tenth-', '--budget', '48.7']);
    expect(tenth.code, tenth.stderr).toBe(0);
    const [play] = JSON.parse(tenth.stdout).plays as { treatment: number; control: number; expectedCost: number }[];
    expect([play!.treatment, play!.control, play!.expectedCost]).toEqual([48, 5, 48]);
  }, 120_000);

  it('checks a playbook file field by field (one-line errors)', () => {
    const error = (json: unknown) => {
      try {
        parsePlaybook(json, 'mine.json');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(error({})).toBe('playbook mine.json has no "plays" list');
    expect(error({ plays: [{ name: 'x', where: "stage = 'new'", costPerContact: -1, expectedLift: 0.1 }] })).toBe('playbook play x costPerContact is -1, not a number in [0, Infinity]');
    expect(error({ plays: [{ name: 'x', where: 'stage =', costPerContact: 1, expectedLift: 0.1 }] })).toBe('--where: expected a value but found the end of the expression');
    expect(error({ plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, suppression: { lastWeek: 1 } }] })).toBe('playbook play x suppression.lastWeek is not a suppression rule');
    expect(error({ plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, colour: 'red' }] })).toBe('playbook play 1 has an unknown field colour');
    const parsed = parsePlaybook({ defaults: { expectedMargin: 0.4, suppression: { recentlyBoughtDays: 7 } }, plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, suppression: { contactedWithinDays: 3 } }] }, 'mine.json');
    expect(parsed.plays[0]).toEqual({ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, expectedMargin: 0.4, holdout: 0.1, suppression: { recentlyBoughtDays: 7, contactedWithinDays: 3 } });
    // the shipped default playbook is valid
    expect(loadPlaybook().plays.length).toBe(6);
  });

  it('reads a YAML playbook (.yaml / .yml) as the same playbook as its JSON form; a YAML error is one line', async () => {
    const yaml = [
      '# win back and onboarding',
      'description: two plays',
      'defaults:',
      '  holdout: 0.2',
      '  expectedMargin: 0.3',
      '  suppression: { recentlyBoughtDays: 7 }',
      'plays:',
      '  - name: win-back',
      '    where: "stage = \'at_risk\' AND value_tier = \'high\'"',
      '    channel: email + sms',
      '    costPerContact: 1.5',
      '    expectedLift: 0.15',
      '    suppression:',
      '      contactedWithinDays: 14',
      '      optedOut: true',
      '  - name: onboarding',
      "    where: stage = 'new'",
      '    costPerContact: 0.1',
      '    expectedLift: 0.08',
    ].join('\n');
    const json = {
      description: 'two plays',
      defaults: { holdout: 0.2, expectedMargin: 0.3, suppression: { recentlyBoughtDays: 7 } },
      plays: [
        { name: 'win-back', where: "stage = 'at_risk' AND value_tier = 'high'", channel: 'email + sms', costPerContact: 1.5, expectedLift: 0.15, suppression: { contactedWithinDays: 14, optedOut: true } },
        { name: 'onboarding', where: "stage = 'new'", costPerContact: 0.1, expectedLift: 0.08 },
      ],
    };
    for (const name of ['mine.yaml', 'mine.YML']) {
      writeFileSync(join(dir, name), yaml);
      const read = await readPlaybookFile(join(dir, name));
      expect(read).toEqual({ ...parsePlaybook(json, join(dir, name)) });
      expect(read.plays[0]!.suppression).toEqual({ recentlyBoughtDays: 7, contactedWithinDays: 14, optedOut: true });
    }
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(json));
    expect((await readPlaybookFile(join(dir, 'mine.json'))).plays).toEqual(parsePlaybook(json, 'x').plays);
    // a broken file, a custom tag, a duplicated key: one-line UserErrors
    writeFileSync(join(dir, 'broken.yaml'), 'plays:\n  - name: x\n   where: TRUE\n');
    await expect(readPlaybookFile(join(dir, 'broken.yaml'))).rejects.toThrow(/^playbook .*broken\.yaml is not valid YAML: [^\n]+$/);
    writeFileSync(join(dir, 'twice.yaml'), 'plays: []\nplays: []\n');
    await expect(readPlaybookFile(join(dir, 'twice.yaml'))).rejects.toThrow(UserError);
    writeFileSync(join(dir, 'empty.yml'), 'description: nothing\n');
    await expect(readPlaybookFile(join(dir, 'empty.yml'))).rejects.toThrow(/has no "plays" list/);
    // the CLI takes YAML through --config
    writeFileSync(join(dir, 'cli.yaml'), yaml);
    const run = await cli(['playbook', '--db', db, '--config', join(dir, 'cli.yaml'), '--out', join(dir, 'yaml-plan'), '--prefix', 'yaml-', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).plays.map((p: { play: string }) => p.play)).toEqual(['win-back', 'onboarding']);
  }, 120_000);
});
