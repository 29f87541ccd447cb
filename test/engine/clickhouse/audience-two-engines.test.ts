import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { DERIVED_TABLES } from '../../../src/engine/derived-tables.js';
import { createRandom } from '../../../src/math/random.js';
import { addDays } from '../../../src/core/calendar-days.js';
import { fileDifference } from '../../../scripts/compare-customers-csv.js';
import { cli, useFixedKey } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { prospectsWarehouse } from '../../helpers/prospects-warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseCopyOfFile, clickhouseWarehouse, differences, dropScratchDatabase } from '../../helpers/clickhouse.js';

// clvkit audience on both engines: a DuckDB warehouse is ingested and analysed; its transactions and derived tables are
// copied row for row to the cluster (sharded by customer); the same --where, --holdout and --seed must draw the same
// members into the same groups on both, and list / show --out / drop must work on the cluster.
describe.skipIf(!CLICKHOUSE_URL)(`clvkit audience --engine clickhouse draws what DuckDB draws${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  let db: string;
  let clickhouse: ClickHouseWarehouse;
  let on: string[];
  // one fixed key for both engines (tokens and audit): a random key drew other tokens, so another seeded split, every run —
  // some runs left every play under the minimum group size after suppression (the playbook test failed now and then)
  useFixedKey(18);

  beforeAll(async () => {
    dir = scratchDir();
    db = join(dir, 'shop.duckdb');
    const random = createRandom(18);
    const lines = ['order_id,customer_id,date,amount'];
    let order = 0;
    for (let c = 1; c <= 400; c++) {
      const n = 1 + random.integer(6);
      for (let k = 0; k < n; k++) lines.push(`O${++order},P${c},2023-${String(1 + random.integer(12)).padStart(2, '0')}-${String(1 + random.integer(28)).padStart(2, '0')},${(5 + 50 * random.uniform()).toFixed(2)}`);
    }
    writeFileSync(join(dir, 'orders.csv'), lines.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db])).code).toBe(0);
    // no regularity check: these orders look like steady buyers to the value model's fit, and its MBG/CNBD-k tournament
    // was 3.6 of the analysis' 6 s for scores that only need to be the same on both engines (they are copied)
    const analysed = await cli(['analyze', '--db', db, '--out', join(dir, 'out'), '--skip-report', '--skip-patterns', '--no-regularity-check', '--quiet']);
    expect(analysed.code, analysed.stderr).toBe(0);
    clickhouse = await clickhouseCopyOfFile(db, 'audience', ['warehouse_meta', 'customer_reid', 'transactions', ...DERIVED_TABLES.map((t) => t.name)]);
    on = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', clickhouse.database];
  }, 300_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  const members = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

  it('create: the same members in the same groups for the same seed, with a filter over three derived tables', async () => {
    const where = "frequency >= 1 AND p_alive > 0.1 AND stage <> 'churned'";
    const args = (out: string) => ['audience', 'create', '--name', 'repeaters', '--where', where, '--holdout', '0.25', '--seed', '9', '--out', join(dir, out), '--json'];
    const duck = await cli([...args('duck.csv'), '--db', db]);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli([...args('cluster.csv'), ...on]);
    expect(cluster.code, cluster.stderr).toBe(0);
    const [d, c] = [JSON.parse(duck.stdout), JSON.parse(cluster.stdout)];
    expect(d.members).toBeGreaterThan(50);
    expect(d.members).toBeLessThan(400); // the filter removed someone
    expect({ members: c.members, treatment: c.treatment, control: c.control, sendDate: c.sendDate, scoresAsOf: c.scoresAsOf }).toEqual({ members: d.members, treatment: d.treatment, control: d.control, sendDate: d.sendDate, scoresAsOf: d.scoresAsOf });
    // to the bit: the mean is a running sum over the treated members in the order the filter's query returns them
    // (create-audience.ts: ORDER BY s.customer_id, token order on both engines); unordered, the cluster's shards came
    // back in another order and its last digits differed (94.10748917233285 against 94.10748917233299)
    expect(c.meanPredictedClv).toBe(d.meanPredictedClv);
    expect(fileDifference(join(dir, 'cluster.csv'), join(dir, 'duck.csv'))).toBeNull(); // the same bytes
    // a constant and an IN list go through too (TRUE has no ClickHouse spelling of its own)
    // half held out: the playbook's contactedWithinDays suppresses both halves (the treated were contacted, the control
    // group's campaign is still being measured), and the plays of the other stages fill
    const stages = ['audience', 'create', '--name', 'stages', '--where', "TRUE AND stage IN ('new', 'active', 'churned', 'reactivated')", '--holdout', '0.5', '--seed', '3', '--json'];
    expect((await cli([...stages, '--db', db])).code).toBe(0); // the same audiences on both engines (the playbook's suppression reads them)
    const all = await cli([...stages, ...on]);
    expect(all.code, all.stderr).toBe(0);
    const [held] = await clickhouse.query("SELECT count(*) AS n FROM customer_stages WHERE stage IN ('new', 'active', 'churned', 'reactivated')");
    expect(JSON.parse(all.stdout).members).toBe(Number(held!.n));
    // a text a category column never holds is refused alike, its values read from the cluster's table
    const top = ['audience', 'create', '--name', 'top', '--where', "value_tier = 'top' OR stage = 'new'"];
    const [topDuck, topCluster] = [await cli([...top, '--db', db]), await cli([...top, ...on])];
    expect(topDuck.stderr).toBe("clvkit: error: --where: 'top' at character 14 is not a value of value_tier (hint: value_tier is one of high, medium, low)\n");
    expect([topCluster.code, topCluster.stderr]).toEqual([2, topDuck.stderr]);
    // drawn a few days later without the contact rule: the same note on both engines, counting the new treatment group's
    // customers in the still-open control groups (read back from audience_members just after the draw is stored)
    const later = ['audience', 'create', '--name', 'later', '--where', 'frequency >= 1', '--holdout', '0.2', '--seed', '11', '--send-date', addDays(d.sendDate, 5), '--json'];
    const [laterDuck, laterCluster] = [await cli([...later, '--db', db]), await cli([...later, ...on])];
    expect(laterDuck.code, laterDuck.stderr).toBe(0);
    expect(laterCluster.code, laterCluster.stderr).toBe(0);
    expect(laterDuck.stderr).toMatch(/^clvkit: \d+ of the \d+ customers to contact \(the treatment group\) are in the control group of a campaign not yet measured past /);
    expect(laterCluster.stderr).toBe(laterDuck.stderr);
    for (const where of [['--db', db], on]) expect((await cli(['audience', 'drop', 'later', ...where])).code).toBe(0);
  }, 120_000);

  it('list, show --out (the members written again, audited) and drop on the cluster', async () => {
    const listed = await cli(['audience', 'list', '--json', ...on]);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((a) => a.name).sort()).toEqual(['repeaters', 'stages']);
    // created_at to the second on both engines, in list and show alike: a ClickHouse DateTime holds whole seconds (18.16
    // has no DateTime64), and DuckDB kept the milliseconds the cluster dropped (…:30.456Z against …:30.000Z)
    for (const where of [['--db', db], on]) {
      const all = JSON.parse((await cli(['audience', 'list', '--json', ...where])).stdout) as { name: string; createdAt: string }[];
      expect(all.map((a) => a.createdAt).filter((at) => !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(at))).toEqual([]);
      const one = JSON.parse((await cli(['audience', 'show', 'stages', '--json', ...where])).stdout) as { createdAt: string };
      expect(one.createdAt).toBe(all.find((a) => a.name === 'stages')!.createdAt);
    }
    const shown = await cli(['audience', 'show', 'repeaters', '--out', join(dir, 'again.csv'), '--json', ...on]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).file.rows).toBe(members(join(dir, 'duck.csv')).length - 1);
    expect(fileDifference(join(dir, 'again.csv'), join(dir, 'duck.csv'))).toBeNull();
    const [audited] = await clickhouse.query("SELECT count(*) AS n FROM audit_log WHERE target = 'audience:repeaters'");
    expect(Number(audited!.n)).toBeGreaterThanOrEqual(2); // drawn, then written again
    // --group treatment: the treatment group alone, the same rows as DuckDB's file filtered
    const treated = await cli(['audience', 'show', 'repeaters', '--out', join(dir, 'treated.csv'), '--group', 'treatment', ...on]);
    expect(treated.code, treated.stderr).toBe(0);
    const duckRows = members(join(dir, 'duck.csv'));
    expect(members(join(dir, 'treated.csv'))).toEqual([duckRows[0], ...duckRows.slice(1).filter((line) => line.endsWith(',treatment'))]);
    // the customer view lists the audiences the customer is in, the same on both engines
    const token = duckRows[1]!.split(',')[0]!;
    const [duckCustomer, clusterCustomer] = [await cli(['customer', token, '--json', '--db', db]), await cli(['customer', token, '--json', ...on])];
    expect(clusterCustomer.code, clusterCustomer.stderr).toBe(0);
    const inAudiences = JSON.parse(clusterCustomer.stdout).audiences as { name: string; group: string }[];
    expect(inAudiences.map((a) => a.name)).toContain('repeaters');
    expect(inAudiences).toEqual(JSON.parse(duckCustomer.stdout).audiences);
    // the hints of a name taken (audience create, playbook) and of a missing response window name the cluster's flags, not a --db
    const flags = `--engine clickhouse --clickhouse-url ${CLICKHOUSE_URL} --clickhouse-database ${clickhouse.database}`;
    const taken = await cli(['audience', 'create', '--name', 'repeaters', '--where', 'frequency >= 1', ...on]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`clvkit audience drop repeaters ${flags}`);
    expect(taken.stderr).not.toContain('--db');
    const window = await cli(['campaign', 'evaluate', '--audience', 'repeaters', '--from', '2099-01-01', '--to', '2099-01-31', ...on]);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain(`clvkit ingest <file> ${flags}`);
    expect(window.stderr).not.toContain('--db');
    const nobody = ['audience', 'create', '--name', 'nobody', '--where', 'frequency < 0 AND p_alive BETWEEN 2 AND 3'];
    const empty = await cli([...nobody, ...on]);
    // an audience of nobody is an answer with a warning, exit 0 (session 43); its hint as before
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).toContain(`clvkit segments / lifecycle ${flags} show`);
    expect(empty.stderr).not.toContain('--db');
    // the hint's ranges of the numbers compared: the same on both engines
    const ranges = (stderr: string) => /widen the filter: (.*?); clvkit/.exec(stderr)?.[1];
    const emptyOnFile = await cli([...nobody, '--db', db]);
    expect(ranges(empty.stderr)).toMatch(/^frequency runs from 0 to \d+ and p_alive from [\d.]+ to [\d.]+ among the 400 customers$/);
    expect(ranges(empty.stderr)).toBe(ranges(emptyOnFile.stderr));
    const none = await clickhouseWarehouse('audience_none');
    try {
      const listedNone = await cli(['audience', 'list', '--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', none.database]);
      expect(listedNone.code, listedNone.stderr).toBe(0);
      expect(listedNone.stdout).toBe(`no audiences (clvkit audience create --engine clickhouse --clickhouse-url ${CLICKHOUSE_URL} --clickhouse-database ${none.database} --name NAME --where EXPR)\n`);
    } finally {
      await dropScratchDatabase(none);
    }
    expect((await cli(['audience', 'drop', 'repeaters', '--db', db])).code).toBe(0);
    const dropped = await cli(['audience', 'drop', 'repeaters', '--json', ...on]);
    expect(dropped.code, dropped.stderr).toBe(0);
    const [left] = await clickhouse.query("SELECT (SELECT count(*) FROM audiences WHERE name = 'repeaters') AS a, (SELECT count(*) FROM audience_members WHERE audience = 'repeaters') AS m");
    expect([Number(left!.a), Number(left!.m)]).toEqual([0, 0]);
    const missing = await cli(['audience', 'show', 'repeaters', ...on]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no audience repeaters/);
  }, 120_000);

  it('playbook: the same plays, members, groups and files on both engines, with and without a budget', async () => {
    for (const [label, extra] of [['plain', []], ['budget', ['--budget', '400', '--rank-by', 'value']]] as const) {
      // a floor of 2: on these 400 customers most plays' 10% control groups are below 5 (skipped, as they could not be measured)
      const args = (out: string) => ['playbook', '--out', join(dir, `${label}-${out}`), '--seed', '4', '--prefix', `${label}-`, '--json', '--min-group-size', '2', ...extra];
      const duck = await cli([...args('duck'), '--db', db]);
      expect(duck.code, duck.stderr).toBe(0);
      const cluster = await cli([...args('cluster'), ...on]);
      expect(cluster.code, cluster.stderr).toBe(0);
      type Counts = Record<'optedOut' | 'contactedRecently' | 'runningControlGroup' | 'boughtRecently' | 'nextOrderDue', number>;
      type PlanRow = { play: string; eligible: number; matched: number; suppressed: Counts; members: number; treatment: number; control: number; skipped: string | null; notes: string[]; expectedIncrementalValue: number | null };
      const rows = (stdout: string) => (JSON.parse(stdout) as { plays: PlanRow[] }).plays.map((r) => ({ play: r.play, eligible: r.eligible, matched: r.matched, suppressed: r.suppressed, members: r.members, treatment: r.treatment, control: r.control, skipped: r.skipped, notes: r.notes }));
      const [d, c] = [rows(duck.stdout), rows(cluster.stdout)];
      expect(c).toEqual(d);
      const drawn = d.filter((r) => r.skipped === null);
      expect(drawn.length).toBeGreaterThan(2);
      // the balance of each play's draw (createAudience measures it on the engine it draws on): the same on both
      const balances = (stdout: string) => (JSON.parse(stdout) as { plays: { balance: { covariates: unknown[] } | null }[] }).plays.map((r) => r.balance);
      expect(balances(duck.stdout).filter((b) => b !== null && b.covariates.length >= 4)).toHaveLength(drawn.length);
      expect(differences(balances(duck.stdout), balances(cluster.stdout))).toEqual([]);
      // the suppression read the audiences: no one in 'stages', treated or held out, is eligible again, and the plan counts them
      const [groups] = await clickhouse.query("SELECT countIf(group_name = 'treatment') AS treated, countIf(group_name = 'control') AS held FROM audience_members WHERE audience = 'stages'");
      expect(d.reduce((sum, r) => sum + r.eligible, 0)).toBeLessThanOrEqual(400 - Number(groups!.treated) - Number(groups!.held));
      const suppressed = (stdout: string) => (JSON.parse(stdout) as { totals: { suppressed: Counts } }).totals.suppressed;
      expect(suppressed(cluster.stdout)).toEqual(suppressed(duck.stdout));
      expect([suppressed(cluster.stdout).contactedRecently, suppressed(cluster.stdout).runningControlGroup]).toEqual([Number(groups!.treated), Number(groups!.held)]);
      for (const r of drawn) expect(fileDifference(join(dir, `${label}-cluster`, `${r.play}.csv`), join(dir, `${label}-duck`, `${r.play}.csv`))).toBeNull();
      if (label === 'plain') {
        // dropped on both engines, so the budget run is not suppressed by this run's treatment groups (contactedWithinDays)
        for (const r of drawn) {
          for (const where of [['--db', db], on]) expect((await cli(['audience', 'drop', `plain-${r.play}`, ...where])).code).toBe(0);
        }
      }
      if (label === 'budget') {
        const targeting = (stdout: string) => (JSON.parse(stdout) as { targeting: { basis: string } | null; totals: { expectedCost: number } });
        expect(targeting(cluster.stdout).targeting?.basis).toBe('value × P(alive)');
        expect(targeting(cluster.stdout).totals.expectedCost).toBeCloseTo(targeting(duck.stdout).totals.expectedCost, 9);
      }
    }
  }, 240_000);

  it('segments: the same RFM segments and value tiers (sizes, shares, revenue, suppression) on both engines', async () => {
    const args = ['segments', '--as-of', '2023-12-31', '--min-group-size', '5', '--json'];
    const duck = await cli([...args, '--db', db]);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli([...args, ...on]);
    expect(cluster.code, cluster.stderr).toBe(0);
    const [d, c] = [JSON.parse(duck.stdout), JSON.parse(cluster.stdout)];
    expect(d.rfm.customers).toBe(400);
    expect(d.rfm.segments.length).toBeGreaterThan(3);
    expect(differences(d, c)).toEqual([]);
    const [audited] = await clickhouse.query("SELECT count(*) AS n FROM audit_log WHERE details LIKE '%segments%'");
    expect(Number(audited!.n)).toBe(1);
    const withFile = await cli(['segments', join(dir, 'orders.csv'), ...on]);
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toMatch(/reads the cluster, not a file/);
  }, 120_000);
});

// prospects (known from profiles and events, never bought) are in the audience's population on both engines: the
// population subquery (buyers ∪ prospects, customer_summary's columns NULL for a prospect) is the star's base on ClickHouse
describe.skipIf(!CLICKHOUSE_URL)(`clvkit audience --engine clickhouse draws prospects as DuckDB does${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let dir: string;
  let db: string;
  let clickhouse: ClickHouseWarehouse;
  let on: string[];
  useFixedKey(31);

  beforeAll(async () => {
    ({ dir, db } = await prospectsWarehouse());
    clickhouse = await clickhouseCopyOfFile(db, 'audience_prospects', ['warehouse_meta', 'customer_reid', 'transactions', ...DERIVED_TABLES.map((t) => t.name)]);
    on = ['--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL, '--clickhouse-database', clickhouse.database];
  }, 300_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  it('prospects, a prospect threshold and prospects or buyers: the same members in the same groups; the playbook alike', async () => {
    const [held] = await clickhouse.query("SELECT count(*) AS n FROM customer_stages WHERE stage = 'prospect'");
    const prospects = Number(held!.n);
    expect(prospects).toBeGreaterThanOrEqual(20);
    // the threshold keeps part of the prospects: at the window's end the shop's prospects have stopped browsing, and the
    // fitted model gives them 1e-7 to 2e-4 (0.0001 kept 2 of 30 once the generator's sign-ups and browsing were real)
    const wheres = ["stage = 'prospect'", 'conversion_propensity > 0.000001 AND expected_first_year_value IS NOT NULL', "stage = 'prospect' OR frequency >= 3"];
    for (const [i, where] of wheres.entries()) {
      const args = (out: string) => ['audience', 'create', '--name', `prospects-${i}`, '--where', where, '--holdout', '0.2', '--seed', '5', '--min-group-size', '2', '--out', join(dir, out), '--json'];
      const duck = await cli([...args(`p${i}-duck.csv`), '--db', db]);
      expect(duck.code, duck.stderr).toBe(0);
      const cluster = await cli([...args(`p${i}-cluster.csv`), ...on]);
      expect(cluster.code, cluster.stderr).toBe(0);
      const [d, c] = [JSON.parse(duck.stdout), JSON.parse(cluster.stdout)];
      if (i === 0) expect(d.members).toBe(prospects);
      if (i === 1) expect(d.members).toBeGreaterThanOrEqual(10);
      if (i === 1) expect(d.members).toBeLessThan(prospects);
      if (i === 2) expect(d.members).toBeGreaterThan(prospects);
      expect({ members: c.members, treatment: c.treatment, control: c.control }).toEqual({ members: d.members, treatment: d.treatment, control: d.control });
      expect(fileDifference(join(dir, `p${i}-cluster.csv`), join(dir, `p${i}-duck.csv`))).toBeNull();
    }
    const config = join(dir, 'plays.json');
    writeFileSync(config, JSON.stringify({ defaults: { holdout: 0.2, suppression: { recentlyBoughtDays: 3650, nextOrderWithinDays: 30 } }, plays: [{ name: 'welcome', where: "stage = 'prospect'", costPerContact: 1, expectedLift: 0.05 }] }));
    const args = (out: string) => ['playbook', '--config', config, '--out', join(dir, out), '--prefix', 'pb-', '--min-group-size', '2', '--json'];
    const [duck, cluster] = [await cli([...args('pb-duck'), '--db', db]), await cli([...args('pb-cluster'), ...on])];
    expect(duck.code, duck.stderr).toBe(0);
    expect(cluster.code, cluster.stderr).toBe(0);
    const plays = (stdout: string) => (JSON.parse(stdout) as { plays: { matched: number; members: number }[]; totals: unknown }).plays.map((p) => [p.matched, p.members]);
    expect(plays(cluster.stdout)).toEqual(plays(duck.stdout));
    expect(plays(duck.stdout)[0]![0]).toBe(prospects);
    expect(differences(JSON.parse(duck.stdout).totals, JSON.parse(cluster.stdout).totals)).toEqual([]);
  }, 240_000);
});
