import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { captureIo } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('clvkit CLI', () => {
  it('prints help for every command and exits 0', async () => {
    for (const command of [[], ['ingest'], ['summarize'], ['analyze']]) {
      const c = captureIo();
      expect(await runCli([...command, '--help'], c.io)).toBe(0);
      expect(c.stdout()).toMatch(/Usage: clvkit/);
    }
  });

  it('an unknown command asked for help (--help, -h, help NAME) is the one-line error and exit 2 of the command without it, not the main help and exit 0', async () => {
    const run = async (argv: string[]) => {
      const c = captureIo();
      return { code: await runCli(argv, c.io), stdout: c.stdout(), stderr: c.stderr() };
    };
    const plain = await run(['measure']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe("clvkit: error: unknown command 'measure' (hint: run clvkit --help for usage)\n");
    for (const argv of [['measure', '--help'], ['report', '-h'], ['measure', '--db', 'x.duckdb', '--help'], ['--help', 'measure'], ['help', 'measure']]) {
      const asked = await run(argv);
      expect({ argv, code: asked.code, stdout: asked.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(asked.stderr).toBe(`clvkit: error: unknown command '${argv.find((a) => a === 'measure' || a === 'report')}' (hint: run clvkit --help for usage)\n`);
    }
    // under a command with subcommands: the same error as without --help, with that command's hint
    const sub = await run(['campaign', 'bogus', '--help']);
    expect({ code: sub.code, stdout: sub.stdout }).toEqual({ code: 2, stdout: '' });
    expect(sub.stderr).toBe((await run(['campaign', 'bogus'])).stderr);
    expect(sub.stderr).toMatch(/^clvkit: error: unknown command 'bogus' \(hint: run clvkit campaign --help for usage\)\n$/);
    // known commands still print their help and exit 0; arguments of a command are not commands
    for (const argv of [['--help'], ['-h'], ['help'], ['help', 'campaign'], ['campaign', '--help'], ['campaign', 'evaluate', '-h'], ['ingest', 'measure', '--help']]) {
      const known = await run(argv);
      expect({ argv, code: known.code }).toEqual({ argv, code: 0 });
      expect(known.stdout).toMatch(/^Usage: clvkit/);
    }
  });

  // Regression: `clvkit campaign` (a command group without one of its commands) printed the group's help on stderr
  // and exited 0, as if it had done what was asked.
  it('a command group without a subcommand is bad input: one line naming its subcommands, a hint, exit 2; its help still exits 0', async () => {
    const run = async (argv: string[]) => {
      const c = captureIo();
      return { code: await runCli(argv, c.io), stdout: c.stdout(), stderr: c.stderr() };
    };
    const groups = {
      privacy: 'report',
      keys: 'init or rotate',
      audit: 'verify, list or minimise',
      retention: 'apply',
      audience: 'create, list, show or drop',
      campaign: 'evaluate, compare or uplift-model',
      users: 'add, list, remove or unlock',
      tokens: 'create, list or revoke',
      ingests: 'list or drop',
    };
    for (const [group, subcommands] of Object.entries(groups)) {
      expect({ group, ...(await run([group])) }).toEqual({ group, code: 2, stdout: '', stderr: `clvkit: error: clvkit ${group} needs a subcommand: ${subcommands} (hint: run clvkit ${group} --help for usage)\n` });
      for (const argv of [[group, '--help'], [group, 'help'], ['help', group]]) {
        const help = await run(argv);
        expect({ argv, code: help.code, stderr: help.stderr }).toEqual({ argv, code: 0, stderr: '' });
        expect(help.stdout).toMatch(new RegExp(`^Usage: clvkit ${group} \\[options\\] \\[command\\]\\n`));
      }
    }
    // these are all the groups: the commands the main help lists without options or arguments
    const listed = [...(await run(['--help'])).stdout.matchAll(/^ {2}([a-z-]+) {2,}\S/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(groups).sort());
  });

  it('exits 2 with one line and a hint on a user error, never a stack trace', async () => {
    const c = captureIo();
    expect(await runCli(['ingest', '/no/such/file.csv', '--db', ':memory:'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/^clvkit: error: no such file: \/no\/such\/file\.csv \(hint: .+\)\n$/);
    expect(c.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a bad flag value', async () => {
    const c = captureIo();
    expect(await runCli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', ':memory:', '--map', 'nonsense'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/--map nonsense is not role=column/);
    const d = captureIo();
    expect(await runCli(['summarize', `${FIXTURES}shop/tiny-shop.csv`, '--as-of', '2023-99-01', '--time-unit', 'week', '--out', '/tmp/x.csv'], d.io)).toBe(2);
    expect(d.stderr()).toMatch(/--as-of 2023-99-01 is not a date/);
    const e = captureIo();
    expect(await runCli(['summarize', `${FIXTURES}shop/tiny-shop.csv`, '--as-of', '2023-06-01', '--time-unit', 'fortnight', '--out', '/tmp/x.csv'], e.io)).toBe(2);
  });

  it('ingest --json reports counts that add up', async () => {
    const c = captureIo();
    const db = join(scratchDir(), 'wh.duckdb');
    expect(await runCli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db, '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.stdout());
    expect(report.rowsRead).toBe(22);
    expect(report.accepted + report.quarantined).toBe(report.rowsRead);
    expect(Object.values(report.rules as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(report.quarantined);
  });

  it('summarize writes the lifetimes columns, with a holdout on request', async () => {
    const out = join(scratchDir(), 'summary.csv');
    const c = captureIo();
    const code = await runCli(
      ['summarize', `${FIXTURES}cdnow/CDNOW_sample.txt.gz`, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--time-unit', 'week', '--out', out, '--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5'],
      c.io,
    );
    expect(code, c.stderr()).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,duration_holdout,time_unit');
    expect(lines).toHaveLength(2358);
    const first = lines[1]!.split(',');
    expect(first[0]).toBe('0001');
    expect(Number(first[1])).toBe(2);
    expect(Number(first[2])).toBeCloseTo(30.43, 2);
    expect(Number(first[3])).toBeCloseTo(38.86, 2);
  });

  it('analyze writes customers.csv and run.json, and --json prints run.json', async () => {
    const dir = scratchDir();
    const c = captureIo();
    expect(await runCli(['analyze', `${FIXTURES}shop/tiny-shop.csv`, '--out', dir, '--json', '--as-of', '2023-06-30', '--role', 'admin', '--reveal-ids'], c.io)).toBe(0);
    const run = JSON.parse(c.stdout());
    expect(run.ingest.rowsRead).toBe(22);
    expect(run.parameters.asOf).toBe('2023-06-30');
    expect(run.headline.customers).toBe(6);
    expect(existsSync(join(dir, 'run.json'))).toBe(true);
    const csv = readFileSync(join(dir, 'customers.csv'), 'utf8').trim().split('\n');
    // 6 customers are too few for the value models: skipped, and said so
    // the events columns are there (empty) without events; so is predicted_clv_12m (a prospect's value, empty for
    // buyers when no value model ran: session 40, prospect-value-in-csv-without-value-models)
    expect(csv[0]).toBe('customer_id,original_id,first_purchase,last_purchase,orders,frequency,recency,T,monetary_value,total_spend,returns,historic_clv,rfm_score,segment,value_tier,value_quadrant,cluster,stage,browse_stage,buyer_type,conversion_propensity,predicted_clv_12m,predicted_clv_12m_low,predicted_clv_12m_high');
    expect(run.valueModel).toBeNull();
    expect(run.warnings.join(' ')).toMatch(/value models skipped: 6 customers/);
    expect(csv).toHaveLength(7);
    // ids are pseudonymous tokens; an admin who asks sees the original id beside each
    expect(csv.slice(1).every((line) => /^c_[a-z2-7]{26},[A-Z],/.test(line))).toBe(true);
    // customer D: three orders on two days (Jan 10 twice, Apr 1): frequency 1 (a count, written as an integer), returns none
    const d = csv.find((line) => line.split(',')[1] === 'D')!.split(',').slice(1);
    expect(d.slice(1, 5)).toEqual(['2023-01-10', '2023-04-01', '3', '1']);
    // customer C: 10 bought, 10 returned
    const cRow = csv.find((line) => line.split(',')[1] === 'C')!.split(',').slice(1);
    expect(Number(cRow[8])).toBe(0);
    expect(Number(cRow[9])).toBe(-10);
    expect(c.stderr()).toMatch(/ingest done/);
    // one progress line per stage that ran (the value stage skipped: too few customers)
    expect([...c.stderr().matchAll(/^clvkit: ([a-z-]+) done in /gm)].map((m) => m[1])).toEqual(['ingest', 'summary', 'segments', 'lifecycle', 'events', 'cross-sell', 'publish', 'report']);
    expect(Object.keys(run.timingsMs)).toEqual(['ingest', 'summary', 'segments', 'lifecycle', 'events', 'cross-sell', 'publish', 'report']);
  });

  it('analyze exports pseudonymous ids only, unless an admin asks to reveal them', async () => {
    const dir = scratchDir();
    const c = captureIo();
    expect(await runCli(['analyze', `${FIXTURES}shop/tiny-shop.csv`, '--out', dir, '--quiet', '--skip-report', '--as-of', '2023-06-30'], c.io)).toBe(0);
    // the summary says what the ids are and how to get the original ones
    expect(c.stdout()).toMatch(/\n {2}ids {8}customer_id is a pseudonymous token made with a one-run key: it matches no other run \(CLVKIT_KEY or --db for stable tokens; --role admin --reveal-ids adds the original ids\)\n/);
    const text = readFileSync(join(dir, 'customers.csv'), 'utf8');
    const csv = text.trim().split('\n');
    expect(csv[0]!.startsWith('customer_id,first_purchase,')).toBe(true);
    expect(csv.slice(1).every((line) => /^c_[a-z2-7]{26},/.test(line))).toBe(true);
    const refused = captureIo();
    expect(await runCli(['analyze', `${FIXTURES}shop/tiny-shop.csv`, '--out', dir, '--quiet', '--skip-report', '--reveal-ids'], refused.io)).toBe(2);
    expect(refused.stderr()).toMatch(/admin/);
  });

  it('analyze with --db and no file analyses what the warehouse holds', async () => {
    const dir = scratchDir();
    const db = join(dir, 'wh.duckdb');
    expect(await runCli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db], captureIo().io)).toBe(0);
    const c = captureIo();
    expect(await runCli(['analyze', '--db', db, '--out', dir, '--json', '--quiet'], c.io)).toBe(0);
    expect(JSON.parse(c.stdout()).headline.customers).toBe(6);
    const empty = captureIo();
    expect(await runCli(['analyze', '--db', join(dir, 'empty.duckdb'), '--out', dir], empty.io)).toBe(2);
    expect(empty.stderr()).toMatch(/no warehouse .*empty\.duckdb/);
    // a warehouse that exists but holds no purchase: its one file holds returns only (a file none of whose rows could
    // be accepted — no customer id, no date read — is refused now, with nothing recorded)
    expect(await runCli(['keys', 'init', '--db', join(dir, 'none.duckdb')], captureIo().io)).toBe(0);
    const none = captureIo();
    writeFileSync(join(dir, 'returns.csv'), 'order_id,customer_id,date,quantity,unit_price\nC1,A1,2023-01-05,-1,10\nC2,A2,2023-02-05,-2,10\n');
    expect(await runCli(['ingest', join(dir, 'returns.csv'), '--db', join(dir, 'none.duckdb')], none.io)).toBe(0);
    const nothing = captureIo();
    expect(await runCli(['analyze', '--db', join(dir, 'none.duckdb'), '--out', dir], nothing.io)).toBe(2);
    expect(nothing.stderr()).toMatch(/holds no purchases/);
  });
});

describe('clvkit fit and validate', () => {
  it('fit --json reproduces the published BG/NBD estimates from the CDNOW summary', async () => {
    const c = captureIo();
    expect(await runCli(['fit', `${FIXTURES}cdnow/cdnow_customers_summary.csv`, '--model', 'bgnbd', '--json'], c.io)).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['model', 'params', 'logLikelihood', 'n', 'converged', 'iterations', 'gradientNorm', 'stdErrors']));
    expect(result.model).toBe('bgnbd');
    expect(result.n).toBe(2357);
    expect(result.converged).toBe(true);
    expect(result.params.r).toBeCloseTo(0.243, 3);
    expect(result.params.alpha).toBeCloseTo(4.414, 2);
    expect(result.params.a).toBeCloseTo(0.793, 3);
    expect(result.params.b).toBeCloseTo(2.426, 2);
    expect(result.logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it('fit explains a missing column and an unknown model with exit code 2', async () => {
    const c = captureIo();
    expect(await runCli(['fit', `${FIXTURES}cdnow/cdnow_customers_summary.csv`, '--model', 'gammagamma'], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/no monetary_value column \(columns found: ID, frequency, recency, T\)/);
    const d = captureIo();
    expect(await runCli(['fit', `${FIXTURES}cdnow/cdnow_customers_summary.csv`, '--model', 'xyz'], d.io)).toBe(2);
  });

  it('validate --json prints the tournament with holdout metrics for every model', async () => {
    const c = captureIo();
    const code = await runCli(['validate', `${FIXTURES}cdnow/CDNOW_sample.txt.gz`, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--time-unit', 'week', '--json', '--map', 'customer_id=2', '--no-learned'], c.io);
    expect(code, c.stderr()).toBe(0);
    const selection = JSON.parse(c.stdout());
    expect(selection.comparison).toHaveLength(3);
    for (const entry of selection.comparison) {
      expect(entry.holdout.actualTotal).toBe(selection.comparison[0].holdout.actualTotal);
      expect(entry.holdout.mae).toBeGreaterThan(0);
    }
    expect(selection.comparison.filter((e: { chosen: boolean }) => e.chosen)).toHaveLength(1);
    expect(selection.diagnostics.calibrationHistogram.actual[0]).toBe(1411);
  });
});

describe('clvkit fit --model bgbb', () => {
  it('reproduces the published BG/BB estimates on the donations data', async () => {
    const c = captureIo();
    expect(await runCli(['fit', `${FIXTURES}donations/donations.csv`, '--model', 'bgbb', '--json'], c.io), c.stderr()).toBe(0);
    const result = JSON.parse(c.stdout());
    expect(result.n).toBe(11_104);
    expect(result.params.alpha).toBeCloseTo(1.204, 2);
    expect(result.params.beta).toBeCloseTo(0.75, 2);
    expect(result.params.gamma).toBeCloseTo(0.657, 2);
    expect(result.params.delta).toBeCloseTo(2.783, 2);
    expect(result.logLikelihood).toBeCloseTo(-33225.6, 0);
  });
});
