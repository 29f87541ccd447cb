import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlaybook, loadPlaybook, readPlaybookFile, type Playbook } from '../../src/actions/playbook.js';
import { runPlaybook } from '../../src/actions/run-playbook.js';
import { balanceVerdict, formatAbsSmd, largestAbsSmd, type GroupBalance } from '../../src/actions/balance-summary.js';
import { splitCsvLine } from '../../src/actions/action-file-text.js';
import { runningCampaigns, suppressionCondition } from '../../src/actions/suppression-condition.js';
import { addDays, dayOfValue } from '../../src/core/calendar-days.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { duckdbDialect } from '../../src/engine/sql-dialect.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { cli } from '../helpers/cli.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

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

/** The first `n` customer ids (as in the input) of the synthetic shop's transactions. */
function shopCustomerIds(n: number): string[] {
  const lines = readFileSync(join(dir, 'shop', 'transactions.csv'), 'utf8').trim().split('\n').slice(1);
  return [...new Set(lines.map((line) => line.split(',')[1]!).filter(Boolean))].slice(0, n);
}

/** The members of the audiences named `<prefix>…` in warehouse `path`, and those of them who are customers `ids` (by their tokens). */
async function drawnAmong(path: string, prefix: string, ids: readonly string[]): Promise<{ drawn: number; listed: string[] }> {
  const token = createPseudonymiser(readKeyFile(`${path}.key`));
  const tokens = new Set(ids.map((id) => token(id)));
  const warehouse = await openDuckDbWarehouse(path);
  try {
    const rows = await warehouse.query(`SELECT customer_id FROM audience_members WHERE audience LIKE '${prefix}%'`);
    return { drawn: rows.length, listed: rows.map((r) => String(r.customer_id)).filter((t) => tokens.has(t)) };
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
  // the same warehouse analysed once and before any draw, for the tests that count what one playbook run leaves out or
  // need a warehouse of their own (the first test scores `db` itself: that playbook runs the analysis stages). One
  // analysis for four copies: each playbook on a never-analysed copy ran them again, 11-15 s apiece
  const analysed = join(dir, 'analysed.duckdb');
  copyFileSync(db, analysed);
  copyFileSync(`${db}.key`, `${analysed}.key`);
  expect((await cli(['analyze', '--db', analysed, '--out', join(dir, 'analysed-out'), '--quiet', '--skip-report', '--skip-patterns'])).code).toBe(0);
  for (const copy of ['undrawn', 'stale', 'backtest', 'running']) {
    copyFileSync(analysed, join(dir, `${copy}.duckdb`));
    copyFileSync(`${analysed}.key`, join(dir, `${copy}.duckdb.key`));
  }
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
    // the columns of old in their places; the suppressed counts after them, then the balance of each draw
    expect(csv[0]).toBe('play,audience,channel,offer,where,eligible,members,treatment,control,costPerContact,expectedCost,lift,liftSource,expectedIncrementalValue,expectedRoi,file,skipped,matched,suppressedOptedOut,suppressedContactedRecently,suppressedRunningControlGroup,suppressedBoughtRecently,suppressedNextOrderDue,balance,balanceLargestAbsSmd');
    expect(csv).toHaveLength(7);
    // per play: the verdict of its draw's balance and its largest |SMD| (as the CLI's line prints it), empty for a skipped play
    const cells = csv.slice(1).map((line) => splitCsvLine(line, ','));
    expect(cells.map((c) => c.length)).toEqual(csv.slice(1).map(() => 25));
    for (const [i, p] of (plan.plays as { play: string; balance: GroupBalance | null }[]).entries()) {
      const [balance, largest] = cells[i]!.slice(23);
      expect(cells[i]![0]).toBe(p.play);
      if (p.balance === null) expect([balance, largest], p.play).toEqual(['', '']);
      else expect([balance, largest], p.play).toEqual([balanceVerdict(p.balance), formatAbsSmd(largestAbsSmd(p.balance)!)]);
    }
    expect(cells.filter((c) => /^(within|beyond) chance/.test(c[23]!)).length).toBe(drawn.length);

    // again within 14 days: the customers of the first run are suppressed, the treated (contacted) and the control groups
    // (their campaigns are still being measured) alike, so the budget finds no one left
    const second = await cli(['playbook', '--db', db, '--out', join(dir, 'again'), '--json', '--prefix', 'again-', '--budget', '20']);
    expect(second.stderr).toMatch(/the budget ranks customers by value × P\(alive\) \(predicted CLV × the play’s lift\): no past campaign with a control group has been evaluated/);
    const again = JSON.parse(second.stdout);
    expect(again.targeting).toEqual({ basis: 'value × P(alive)', reason: 'no past campaign with a control group has been evaluated (clvkit campaign evaluate)', upliftModel: null, notProfitable: 0 });
    expect(again.totals.expectedCost).toBeLessThanOrEqual(20);
    expect(again.totals.suppressed.contactedRecently + again.totals.suppressed.runningControlGroup).toBe(plan.totals.members);
    const [overlap] = await query(`SELECT count(*) AS n FROM audience_members m2 JOIN audience_members m1 ON m1.customer_id = m2.customer_id
      WHERE m2.audience LIKE 'again-%' AND m1.audience LIKE 'playbook-%'`);
    expect(Number(overlap!.n)).toBe(0);

    // once a campaign of a play has been evaluated, its measured uplift replaces the assumed lift (3%) where its interval excludes 0
    // (evaluations that name their tests; one stored before them is read in welch-era-evaluations.test.ts)
    const crossSell = plan.plays.find((p: { play: string }) => p.play === 'cross-sell');
    const evaluation = (at: string, revenue: string) => `INSERT INTO campaign_evaluations VALUES ('${crossSell.audience}', TIMESTAMP '${at}', TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-31', '{"window":{"from":"2024-01-01","to":"2024-01-31"},"revenue":${revenue},"purchases":{"relativeUplift":0.1,"relativeUpliftInterval":[-0.2,0.5],"test":"permutation"}}')`;
    let warehouse = await openDuckDbWarehouse(db);
    await warehouse.execute(evaluation('2024-03-01', '{"relativeUplift":0.2,"relativeUpliftInterval":[0.08,0.33],"test":"permutation"}'));
    await warehouse.close();
    const third = JSON.parse((await cli(['playbook', '--db', db, '--out', join(dir, 'third'), '--json', '--prefix', 'third-'])).stdout);
    const measured = third.plays.find((p: { play: string }) => p.play === 'cross-sell');
    expect([measured.lift, measured.liftSource]).toEqual([0.2, `measured: ${crossSell.audience} 2024-01-01…2024-01-31`]);
    expect(third.plays.find((p: { play: string }) => p.play === 'reactivation').liftSource).toBe('playbook');
    // regression (a user trial): a measurement whose interval holds both 0 and the assumed lift (5 control customers) is
    // noise; it replaced the assumption, and the budget ranked customers by it
    warehouse = await openDuckDbWarehouse(db);
    await warehouse.execute(evaluation('2024-03-02', '{"relativeUplift":0.088,"relativeUpliftInterval":[-0.926,15.065],"test":"permutation"}'));
    await warehouse.close();
    const fourth = JSON.parse((await cli(['playbook', '--db', db, '--out', join(dir, 'fourth'), '--json', '--prefix', 'fourth-'])).stdout);
    const uncertain = fourth.plays.find((p: { play: string }) => p.play === 'cross-sell');
    expect([uncertain.lift, uncertain.liftSource]).toEqual([0.03, `playbook (measured: ${crossSell.audience} 2024-01-01…2024-01-31 +8.8% [-92.6%, +1506.5%] holds both 0 and the assumed +3.0%: too uncertain to replace it)`]);

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
    // the refusal names the play and the playbook file, and the field as the file writes it (it said --where: …)
    expect(typo.stderr.split(' (hint: ')[0]).toBe(`clvkit: error: playbook ${join(dir, 'typo.json')} play typo where: unknown column stagee at character 1`);
    expect(typo.stderr).toMatch(/\(hint: did you mean stage/);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    // a text the column never holds (value_tier holds high, medium, low): refused before any play is drawn (the play
    // before it, of the churned, would be drawn were it refused only when its turn came)
    writeFileSync(join(dir, 'tier.json'), JSON.stringify({ plays: [{ name: 'ok', where: "stage = 'churned'", costPerContact: 1, expectedLift: 0.1 }, { name: 'vip', where: "value_tier = 'top' OR stage = 'at_risk'", costPerContact: 1, expectedLift: 0.1 }] }));
    const tier = await cli(['playbook', '--db', db, '--config', join(dir, 'tier.json'), '--out', join(dir, 'tier'), '--prefix', 'tier-']);
    expect(tier.code).toBe(2);
    expect(tier.stderr).toBe(`clvkit: error: playbook ${join(dir, 'tier.json')} play vip where: 'top' at character 14 is not a value of value_tier (hint: value_tier is one of high, medium, low)\n`);
    expect(await counts()).toEqual(before);
  }, 180_000);

  it('--send-date backtests the playbook: audiences sent on that date and named after it, rules counted back from it, a note that the filters read later data, and campaign evaluate measures the weeks after it', async () => {
    // its own copy of the analysed shop (scores describe the data to 2023-12-31): no other test's audiences here
    const own = join(dir, 'backtest.duckdb');
    const run = await cli(['playbook', '--db', own, '--out', join(dir, 'backtest'), '--json', '--seed', '3', '--send-date', '2023-11-01']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^clvkit: --send-date 2023-11-01 is not after the date the scores describe \(2023-12-31\): the plays' filters read purchases made after it \(stages, values, who bought at all\), and those purchases count as responses — run the playbook before the send date, on data up to the day before it$/m);
    const plan = JSON.parse(run.stdout);
    expect(plan.sendDate).toBe('2023-11-01');
    const drawn = plan.plays.filter((p: { audience: string | null }) => p.audience !== null);
    expect(drawn.length).toBeGreaterThanOrEqual(3);
    for (const p of drawn) expect(p.audience).toBe(`playbook-2023-11-01-${p.play}`);
    const warehouse = await openDuckDbWarehouse(own);
    let stored, recent;
    try {
      stored = await warehouse.query("SELECT name, CAST(send_date AS DATE) AS send_date FROM audiences ORDER BY name");
      // recentlyBoughtDays 7 counts back from the send date: nobody (but onboarding's) bought in the 7 days before 2023-11-01
      [recent] = await warehouse.query(`SELECT count(*) AS n FROM audience_members m JOIN audiences a ON a.name = m.audience
        WHERE a.play <> 'onboarding' AND m.customer_id IN (SELECT customer_id FROM transactions WHERE NOT is_return AND ts >= TIMESTAMP '2023-10-25' AND ts < TIMESTAMP '2023-11-01')`);
    } finally {
      await warehouse.close();
    }
    expect(stored.map((r) => String(r.name))).toEqual(drawn.map((p: { audience: string }) => p.audience).sort());
    for (const r of stored) expect(dayOfValue(r.send_date)).toBe('2023-11-01');
    expect(Number(recent!.n)).toBe(0);

    // cross-sell (active customers: some of its control group buy) measured over November, data the warehouse already holds
    const crossSell = drawn.find((p: { play: string }) => p.play === 'cross-sell');
    const audience = crossSell.audience as string;
    const evaluated = await cli(['campaign', 'evaluate', '--db', own, '--audience', audience, '--from', '2023-11-01', '--to', '2023-11-30', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result.window).toMatchObject({ from: '2023-11-01', to: '2023-11-30' });
    expect(result.groups.treatment + result.groups.control).toBe(crossSell.members);
    expect(result.revenue?.relativeUplift ?? result.purchases.relativeUplift).not.toBeNull();

    // a later backtest uses that measured lift only once its window has ended before the send date: earlier, it was not known yet
    const lift = async (sendDate: string) => {
      const again = await cli(['playbook', '--db', own, '--out', join(dir, `backtest-${sendDate}`), '--json', '--send-date', sendDate, '--prefix', `bt-${sendDate}-`]);
      expect(again.code, again.stderr).toBe(0);
      return JSON.parse(again.stdout).plays.find((p: { play: string }) => p.play === crossSell.play).liftSource as string;
    };
    expect(await lift('2023-11-15')).toBe('playbook');
    // known then: used, or named as too uncertain to replace the assumption (its interval holds 0 and the assumed lift)
    expect(await lift('2023-12-05')).toMatch(new RegExp(`^(playbook \\()?measured: ${audience} 2023-11-01…2023-11-30`));
  }, 180_000);

  it('a --send-date that is not a date is refused in one line (exit 2), before anything is read or drawn', async () => {
    for (const bad of ['2023-02-30', 'yesterday', '2023-1-5']) {
      const run = await cli(['playbook', '--db', join(dir, 'undrawn.duckdb'), '--out', join(dir, 'bad-date'), '--send-date', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`clvkit: error: --send-date ${bad} is not a date (hint: write it as YYYY-MM-DD, e.g. --send-date 2011-09-30)\n`);
    }
    const [none] = await query("SELECT count(*) AS n FROM audiences WHERE name LIKE 'playbook-2023-02-30%'");
    expect(Number(none!.n)).toBe(0);
  });

  it("does not contact a running campaign's control group: a second run suppresses it like the treated, counts every suppression by reason, and frees it once the campaign is measured or both its contact and measurement windows have passed", async () => {
    // its own copy of the analysed shop: the other tests' audiences suppress nobody here
    const own = join(dir, 'running.duckdb');
    const ownQuery = async (sql: string) => {
      const warehouse = await openDuckDbWarehouse(own);
      try {
        return await warehouse.query(sql);
      } finally {
        await warehouse.close();
      }
    };
    type Counts = { optedOut: number; contactedRecently: number; runningControlGroup: number; boughtRecently: number; nextOrderDue: number };
    type Row = { play: string; audience: string | null; matched: number; eligible: number; members: number; treatment: number; control: number; skipped: string | null; notes: string[]; suppressed: Counts };
    type Plan = { sendDate: string; plays: Row[]; totals: { members: number; suppressed: Counts } };
    const sum = (c: Counts) => c.optedOut + c.contactedRecently + c.runningControlGroup + c.boughtRecently + c.nextOrderDue;
    const run = async (prefix: string, ...extra: string[]) => {
      const r = await cli(['playbook', '--db', own, '--out', join(dir, prefix), '--prefix', `${prefix}-`, '--seed', '3', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return { stdout: r.stdout, plan: JSON.parse(readFileSync(join(dir, prefix, 'plan.json'), 'utf8')) as Plan };
    };

    const { plan: first } = await run('first');
    const drawn = first.plays.filter((p) => p.audience !== null);
    const treated = drawn.reduce((a, p) => a + p.treatment, 0);
    const held = drawn.reduce((a, p) => a + p.control, 0);
    expect(held).toBeGreaterThan(50);

    // the same day again: nobody of the first run is drawn, whichever group they were in (on main every member of the
    // second run was held out in the first: its control groups were contacted, and no count said why eligible shrank)
    const second = await run('second');
    const [overlap] = await ownQuery("SELECT count(*) AS n, count(*) FILTER (WHERE m1.group_name = 'control') AS held FROM audience_members m2 JOIN audience_members m1 ON m1.customer_id = m2.customer_id WHERE m2.audience LIKE 'second-%' AND m1.audience LIKE 'first-%'");
    expect([Number(overlap!.n), Number(overlap!.held)]).toEqual([0, 0]);
    // every play's eligible count is explained: the customers its filter matched (not placed in an earlier play), less those suppressed, by reason
    for (const p of second.plan.plays) expect(p.matched).toBe(p.eligible + sum(p.suppressed));
    // the customers drawn in no play, each counted once under its first reason: the first run's treated and held-out, and those the first run suppressed too
    expect(second.plan.totals.suppressed).toEqual({ ...first.totals.suppressed, contactedRecently: treated, runningControlGroup: held });
    expect(second.stdout).toContain(`suppressed: ${treated.toLocaleString('en-US')} contacted recently, ${held.toLocaleString('en-US')} in a running campaign's control group`);
    const winBack = second.plan.plays.find((p) => p.play === 'win-back-high-value')!;
    expect(winBack.suppressed.runningControlGroup).toBeGreaterThan(0);
    expect(winBack.skipped ?? winBack.notes.join('\n')).toMatch(/suppress/);
    expect(winBack.notes.some((n) => n.includes("in a running campaign's control group") && n.includes('first-win-back-high-value'))).toBe(true);
    expect(winBack.notes.join('\n')).toMatch(/once both 14 days \(contactedWithinDays\) and its own measurement window \(measureDays\) have passed since its send date/);

    // a few purchases after the send date; one campaign measured over a window that has ended, one over a window still open
    const sendDate = first.sendDate;
    const day = (n: number) => addDays(sendDate, n);
    const purchases = (d: string) => ['order_id,customer_id,order_date,product_id,description,quantity,unit_price,country,cost', ...['100001', '100002', '100003'].map((id, i) => `${900000 + i}${d.replaceAll('-', '')},${id},${d}T12:00:00,10001,TEST,1,10.00,United Kingdom,4.00`)].join('\n') + '\n';
    writeFileSync(join(dir, 'after.csv'), purchases(day(0)) + purchases(day(1)).split('\n').slice(1).join('\n'));
    expect((await cli(['ingest', join(dir, 'after.csv'), '--db', own])).code).toBe(0);
    const [measured, open] = drawn;
    expect((await cli(['campaign', 'evaluate', '--db', own, '--audience', measured!.audience!, '--from', day(0), '--to', day(1)])).code).toBe(0);
    expect((await cli(['campaign', 'evaluate', '--db', own, '--audience', open!.audience!, '--from', day(0), '--to', day(60)])).code).toBe(0);
    // (measured over one day: these draws' own control groups hold nobody back past their contact window)
    writeFileSync(join(dir, 'everyone.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, measureDays: 1, suppression: { contactedWithinDays: 14 } }] }));
    const everyone = (prefix: string) => run(prefix, '--config', join(dir, 'everyone.json'));

    // two days later: the measured campaign's control group is free again, the others' are not, the treated never
    const third = (await everyone('third')).plan;
    expect(third.sendDate).toBe(day(2));
    expect(third.plays[0]!.suppressed).toEqual({ optedOut: 0, contactedRecently: treated, runningControlGroup: held - measured!.control, boughtRecently: 0, nextOrderDue: 0 });
    const [freed] = await ownQuery(`SELECT count(*) FILTER (WHERE m1.audience = '${measured!.audience}' AND m1.group_name = 'control') AS freed, count(*) AS n FROM audience_members m3 JOIN audience_members m1 ON m1.customer_id = m3.customer_id WHERE m3.audience = 'third-everyone' AND m1.audience LIKE 'first-%'`);
    expect([Number(freed!.freed), Number(freed!.n)]).toEqual([measured!.control, measured!.control]);

    // three weeks on: every window of 14 days has passed, the treated are free; the campaigns never evaluated are still
    // within their 30-day measurement windows (measureDays), so their control groups stay held back with the one measured
    // over a window still open (before measureDays, they were freed 14 days after their send date, unmeasured)
    writeFileSync(join(dir, 'later.csv'), purchases(day(20)));
    expect((await cli(['ingest', join(dir, 'later.csv'), '--db', own])).code).toBe(0);
    const fourth = (await everyone('fourth')).plan;
    expect(fourth.plays[0]!.suppressed).toEqual({ optedOut: 0, contactedRecently: 0, runningControlGroup: held - measured!.control, boughtRecently: 0, nextOrderDue: 0 });

    // past the 30 days (and 15 days after the fourth draw): only the campaign measured over a window still open keeps its control group
    writeFileSync(join(dir, 'latest.csv'), purchases(day(35)));
    expect((await cli(['ingest', join(dir, 'latest.csv'), '--db', own])).code).toBe(0);
    const fifth = (await everyone('fifth')).plan;
    expect(fifth.sendDate).toBe(day(36));
    expect(fifth.plays[0]!.suppressed).toEqual({ optedOut: 0, contactedRecently: 0, runningControlGroup: open!.control, boughtRecently: 0, nextOrderDue: 0 });
    expect(fifth.plays[0]!.eligible).toBe(fifth.plays[0]!.matched - open!.control);
  }, 240_000);

  it('runningCampaigns: a campaign never evaluated runs for the N days after its send date (as its treated count as contacted) or its own measurement window, whichever is longer; an evaluated one while its window reaches the send date', () => {
    const campaigns = [
      { name: 'sent-13-days-before', sendDate: '2024-01-18', measuredTo: null },
      { name: 'sent-14-days-before', sendDate: '2024-01-17', measuredTo: null },
      { name: 'measured-to-the-day-before', sendDate: '2024-01-25', measuredTo: '2024-01-30' },
      { name: 'measured-to-the-send-date', sendDate: '2023-11-01', measuredTo: '2024-01-31' },
    ];
    // the N days before 2024-01-31 are 2024-01-17 … 2024-01-30 for N = 14 (a user trial found them one short: 01-18 …)
    expect(runningCampaigns(campaigns, '2024-01-31', 14)).toEqual(['sent-13-days-before', 'sent-14-days-before', 'measured-to-the-send-date']);
    expect(runningCampaigns(campaigns, '2024-01-31', 13)).toEqual(['sent-13-days-before', 'measured-to-the-send-date']);
    // a campaign to be measured over 30 days runs, never evaluated, for its 30 days whatever the contact window
    const planned = [{ name: 'sent-29-days-before-30-to-measure', sendDate: '2024-01-02', measuredTo: null, measureDays: 30 }, { name: 'sent-30-days-before-30-to-measure', sendDate: '2024-01-01', measuredTo: null, measureDays: 30 }];
    expect(runningCampaigns(planned, '2024-01-31', 14)).toEqual(['sent-29-days-before-30-to-measure']);
    // the rule is part of contactedWithinDays: a play without it leaves every control group alone
    const d = duckdbDialect;
    expect(suppressionCondition({}, { sendDate: '2024-01-31', withScores: true, withOptOut: false, campaigns }, d).rules).toEqual([]);
    const rules = suppressionCondition({ contactedWithinDays: 14, recentlyBoughtDays: 7 }, { sendDate: '2024-01-31', withScores: true, withOptOut: false, campaigns }, d);
    expect(rules.rules.map((r) => r.reason)).toEqual(['contactedRecently', 'runningControlGroup', 'boughtRecently']);
    expect(rules.rules[1]!.sql).toBe("s.customer_id NOT IN (SELECT customer_id FROM audience_members WHERE group_name = 'control' AND audience IN ('sent-13-days-before', 'sent-14-days-before', 'measured-to-the-send-date'))");
    // bought in the 7 days before 2024-01-31 (2024-01-24 is one of them), read from the transactions
    expect(rules.rules[2]!.sql).toBe("s.customer_id NOT IN (SELECT customer_id FROM transactions WHERE NOT is_return AND ts >= TIMESTAMP '2024-01-24 00:00:00' AND ts < TIMESTAMP '2024-01-31 00:00:00')");
    // a campaign sent after the send date (a draw dated in the past) is not running on it
    expect(runningCampaigns([...campaigns, { name: 'sent-the-day-after', sendDate: '2024-02-01', measuredTo: null }], '2024-01-31', 14)).toEqual(['sent-13-days-before', 'sent-14-days-before', 'measured-to-the-send-date']);
  });

  // Regression (a user trial): with the default playbook, whose plays do not set optedOut, --opt-out was loaded and
  // then ignored — 124 of 300 opted-out customers were put in treatment groups, and optedOut counted 0.
  it('--opt-out is applied to every play, whether or not the playbook sets optedOut', async () => {
    const ids = shopCustomerIds(300);
    writeFileSync(join(dir, 'optout.txt'), ids.join('\n') + '\n');
    const undrawn = join(dir, 'undrawn.duckdb');
    const run = await cli(['playbook', '--db', undrawn, '--out', join(dir, 'optout'), '--json', '--prefix', 'optout-', '--opt-out', join(dir, 'optout.txt')]);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { totals: { suppressed: { optedOut: number } } };
    expect(plan.totals.suppressed.optedOut).toBeGreaterThan(50);
    const { drawn, listed } = await drawnAmong(undrawn, 'optout-', ids);
    expect(drawn).toBeGreaterThan(0);
    expect(listed).toEqual([]);
  }, 120_000);

  // Regression (a user trial): a playbook drawn after new purchases were ingested, on the scores of the last analysis,
  // said nothing of it, and recentlyBoughtDays read the summary's last_purchase — 34 customers who had bought in the 7
  // days before the send date were left in
  it('on scores older than the data: says so, and leaves out those who bought since, from the transactions', async () => {
    // analysed (analyze --db, in beforeAll), then purchases ingested after its last day
    const stale = join(dir, 'stale.duckdb');
    const warehouse = await openDuckDbWarehouse(stale);
    const [bounds] = await warehouse.query('SELECT CAST(max(ts) AS DATE)::VARCHAR AS day FROM transactions');
    await warehouse.close();
    const day = addDays(String(bounds!.day), 3);
    const ids = shopCustomerIds(40);
    writeFileSync(join(dir, 'since.csv'), ['order_id,customer_id,order_date,product_id,quantity,unit_price', ...ids.map((id, i) => `S${i},${id},${day}T10:00:00,P1,1,9.99`)].join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'since.csv'), '--db', stale])).code).toBe(0);
    writeFileSync(join(dir, 'everyone-recent.json'), JSON.stringify({ plays: [{ name: 'everyone', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, suppression: { recentlyBoughtDays: 7 } }] }));
    const run = await cli(['playbook', '--db', stale, '--config', join(dir, 'everyone-recent.json'), '--out', join(dir, 'stale-plan'), '--json', '--prefix', 'stale-']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/the scores and stages describe the data to \d{4}-\d\d-\d\d, the warehouse holds purchases to \d{4}-\d\d-\d\d: run clvkit analyze --db \S+\.duckdb to refresh them/);
    const plan = JSON.parse(run.stdout) as { sendDate: string; plays: { suppressed: { boughtRecently: number } }[] };
    expect(plan.sendDate).toBe(addDays(day, 1));
    expect(plan.plays[0]!.suppressed.boughtRecently).toBeGreaterThanOrEqual(40);
    const { drawn, listed } = await drawnAmong(stale, 'stale-', ids);
    expect(drawn).toBeGreaterThan(0);
    expect(listed).toEqual([]);
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
    expect(everyone!.skipped).toBe(`a control group of ${Math.round(everyone!.eligible * 0.01)} of ${everyone!.eligible.toLocaleString('en-US')} customers (holdout 0.01), fewer than the minimum group size 30: the campaign could not be measured; they were offered to the later plays that match them`);
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
    expect(vip!.skipped).toMatch(/^even all [\d,]+ eligible customers: a control group of \d+ of [\d,]+ customers \(holdout 0.01\), fewer than the minimum group size 30: the campaign could not be measured; the budget was picked without this play; they were offered to the later plays that match them$/);
    expect(others!.audience).toBe('budget-others');
    // 1.5 per treated contact within 301: 401 drawn, 201 held out, 200 treated (300 spent); a 402nd would make 201 treated (301.5)
    expect([others!.treatment, others!.control, others!.expectedCost]).toEqual([200, 201, 300]);
    expect(plan.totals.expectedCost).toBeLessThanOrEqual(301);

    // both plays short in one round (review): 'react' (fewer than 60 eligible: never 2 × 30) took most of a 50 budget,
    // 'churn' got the rest, both were set aside together and nothing was drawn; 'react' goes first now, and 'churn' gets
    // the budget. (All 61 reactivated customers of this shop would be measurable since the comeback counts, not only
    // the last purchase: the recently reactivated, 36, are not)
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ plays: [
      { name: 'react', where: "stage = 'reactivated' AND days_since_last < 30", costPerContact: 1, expectedLift: 10, holdout: 0.5 },
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
    // a filter's refusal names the playbook, the play and the field as the file writes it (it said --where: …)
    expect(error({ plays: [{ name: 'x', where: 'stage =', costPerContact: 1, expectedLift: 0.1 }] })).toBe('playbook mine.json play x where: expected a value but found the end of the expression');
    expect(error({ plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, suppression: { lastWeek: 1 } }] })).toBe('playbook play x suppression.lastWeek is not a suppression rule');
    expect(error({ plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, colour: 'red' }] })).toBe('playbook play 1 has an unknown field colour');
    const parsed = parsePlaybook({ defaults: { expectedMargin: 0.4, suppression: { recentlyBoughtDays: 7 } }, plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, suppression: { contactedWithinDays: 3 } }] }, 'mine.json');
    expect(parsed.plays[0]).toEqual({ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, expectedMargin: 0.4, holdout: 0.1, measureDays: 30, suppression: { recentlyBoughtDays: 7, contactedWithinDays: 3 } });
    expect(parsePlaybook({ defaults: { measureDays: 45 }, plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1 }] }, 'mine.json').plays[0]!.measureDays).toBe(45);
    expect(error({ plays: [{ name: 'x', where: 'TRUE', costPerContact: 1, expectedLift: 0.1, measureDays: 0 }] })).toBe('playbook play x measureDays is 0, not a number in [1, 3650]');
    // the shipped default playbook is valid
    expect(loadPlaybook().plays.length).toBe(6);
  });

  // Regression: a play's filter refused when the playbook ran said '--where: unknown column …' — a flag the playbook
  // command has not, from the CLI, and the CLI's flag in the answer of POST /api/playbook/run — without naming the play.
  it("a play's filter refused when the playbook runs names the playbook file, the play and its field where, from the CLI and the API alike", async () => {
    const play = { costPerContact: 1, expectedLift: 0.1 };
    const playbook = parsePlaybook({ plays: [{ name: 'ok', where: "stage = 'new'", ...play }, { name: 'typo', where: "stagee = 'new'", ...play }, { name: 'day', where: "last_purchase > '2024-13-01'", ...play }] }, 'mine.json');
    const warehouse = await memoryWarehouse();
    try {
      for (const api of [false, true]) {
        const refusal = async (plays: Playbook['plays']) => {
          try {
            await runPlaybook(warehouse, { playbook: { ...playbook, plays }, outDir: join(dir, 'refused'), seed: 1, api, keyring: null, access: { actor: 'test', role: 'analyst' }, minGroupSize: 5 });
          } catch (e) {
            expect(e).toBeInstanceOf(UserError);
            return { message: (e as UserError).message, hint: (e as UserError).hint };
          }
          throw new Error('no refusal');
        };
        expect(await refusal(playbook.plays.slice(0, 2))).toEqual({ message: 'playbook mine.json play typo where: unknown column stagee at character 1', hint: 'did you mean stage? (columns: docs/actions.md)' });
        expect(await refusal([playbook.plays[2]!])).toEqual({ message: 'playbook mine.json play day where last_purchase 2024-13-01 is not a date', hint: "write it as YYYY-MM-DD, e.g. last_purchase <= '2024-06-30'" });
      }
    } finally {
      await warehouse.close();
    }
    // refused as the file is read: the hint's example is written as in the file
    try {
      parsePlaybook({ plays: [{ name: 'x', where: 'stage =', ...play }] }, 'mine.yaml');
      throw new Error('no refusal');
    } catch (e) {
      expect({ message: (e as UserError).message, hint: (e as UserError).hint }).toEqual({ message: 'playbook mine.yaml play x where: expected a value but found the end of the expression', hint: `e.g. "where": "stage IN ('at_risk','dormant') AND predicted_clv_12m > 50" (docs/actions.md lists the columns)` });
    }
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
