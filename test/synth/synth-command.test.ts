import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthCommand } from '../../src/cli/commands/synth-command.js';
import { UserError } from '../../src/core/errors/user-error.js';
import { captureIo } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

/** Run `clvkit synth <args>` as run-cli would (commander errors thrown, not exiting). */
async function runSynth(args: string[]) {
  const c = captureIo();
  const command = synthCommand(c.io).exitOverride().configureOutput({ writeOut: (s) => void c.io.stdout.write(s), writeErr: (s) => void c.io.stderr.write(s) });
  let error: unknown;
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (e) {
    error = e;
  }
  return { ...c, error };
}

describe('clvkit synth', () => {
  it('--help lists every flag', async () => {
    const r = await runSynth(['--help']);
    expect((r.error as { code?: string }).code).toBe('commander.helpDisplayed');
    const flags = ['--customers', '--seed', '--out', '--format', '--shape', '--model', '--start', '--days', '--dirt-rate', '--products', '--no-events'];
    const visitorFlags = ['--prospect-share', '--signup-at-checkout', '--signup-lead-days', '--visits-before-signup', '--logged-out-share', '--multi-device-share', '--anonymous-visitors', '--browse-rate', '--browse-ratio'];
    for (const flag of [...flags, ...visitorFlags]) expect(r.stdout()).toContain(flag);
  });

  it('passes the sign-up and browsing flags to the shop, and prints its sign-ups and visitors', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    const r = await runSynth([
      '--customers', '200', '--seed', '3', '--out', dir, '--prospect-share', '1', '--signup-at-checkout', '0', '--signup-lead-days', '60', '--visits-before-signup', '2',
      '--logged-out-share', '0', '--multi-device-share', '0', '--anonymous-visitors', '0.25', '--browse-rate', '2', '--browse-ratio', '4',
    ]);
    expect(r.error).toBeUndefined();
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(truth.options).toMatchObject({ prospectShare: 1, signupAtCheckoutShare: 0, signupLeadDays: 60, visitsBeforeSignup: 2, loggedOutShare: 0, multiDeviceShare: 0, anonymousVisitors: 0.25, browseRate: 2, browseRatio: 4 });
    // nobody at checkout, no second device, every session after a sign-up logged in, 50 visitors who never identify
    expect(truth.signups).toMatchObject({ total: 400, atCheckout: 0, early: 200, neverBuy: 200 });
    expect(truth.visitors).toMatchObject({ peopleWithSecondDevice: 0, sessionsLoggedOut: 0, anonymousVisitors: 50, neverIdentified: 50, linked: 400 });
    expect(r.stdout()).toContain('\n  sign-ups   400: 0 at the first checkout, 200 earlier, 200 never buy\n');
    expect(r.stdout()).toMatch(/\n {2}visitors {3}450 ids, 400 log in; [\d,]+ sessions with anonymous events, [\d,]+ of them on an id that logs in\n/);
  });

  it('writes a shop and prints a summary; small shops print no progress lines', async () => {
    const dir = join(scratchDir('clvkit-synth-cli-'), 'shop');
    const r = await runSynth(['--customers', '300', '--seed', '5', '--out', dir, '--model', 'paretonbd', '--start', '2021-03-01', '--days', '400', '--dirt-rate', '0.02', '--products', '120']);
    expect(r.error).toBeUndefined();
    expect(r.stdout()).toMatch(/^clvkit synth — 300 customers, seed 5, Pareto\/NBD \(weeks\), 2021-03-01 … 2022-04-05 \(exclusive\)\n/);
    expect(r.stdout()).toMatch(/dirt {7}duplicate \d+, missing_customer_id \d+, non_product \d+; returns \d+/);
    expect(r.stderr()).toBe('');
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(truth.options).toMatchObject({ customers: 300, seed: 5, model: 'paretonbd', start: '2021-03-01', days: 400, products: 120, dirt: { duplicate: 0.02, missingCustomerId: 0.02, postage: 0.02, returns: 0.02 } });
    expect(existsSync(join(dir, 'events.csv'))).toBe(true);
  });

  it('large shops (≥ 50,000 customers) print a progress line every 10% on stderr; --quiet silences them', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    const r = await runSynth(['--customers', '50000', '--out', dir, '--no-events', '--dirt-rate', '0']);
    expect(r.error).toBeUndefined();
    const lines = r.stderr().split('\n').filter(Boolean);
    expect(lines.length, r.stderr()).toBe(10);
    expect(lines[0]).toMatch(/^clvkit: synth 10% — 5,000\/50,000 customers, [\d,]+ transaction rows, 0 events, [\d.]+ s$/);
    expect(lines[9]).toMatch(/^clvkit: synth 100% — 50,000\/50,000 customers/);
    const quiet = await runSynth(['--customers', '50000', '--out', dir, '--no-events', '--dirt-rate', '0', '--quiet']);
    expect(quiet.stderr()).toBe('');
  });

  it('--shape sets the purchase pattern and its default window; the summary names the shape', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    const r = await runSynth(['--customers', '40', '--seed', '3', '--out', dir, '--shape', 'one-time', '--no-events']);
    expect(r.error).toBeUndefined();
    expect(r.stdout()).toMatch(/^clvkit synth — 40 customers, seed 3, one-time \(weeks\), 2022-01-01 … 2023-01-01 \(exclusive\)\n/);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(truth.shape).toMatchObject({ name: 'one-time', params: {} });
    expect(truth.transactions.orders).toBe(40);
    expect(truth.customers.repeatPurchases).toBe(0);
    const decade = await runSynth(['--customers', '5', '--out', scratchDir('clvkit-synth-cli-'), '--shape', 'decade', '--model', 'paretonbd', '--no-events']);
    expect(decade.stdout()).toMatch(/, decade \(Pareto\/NBD\) \(weeks\), 2015-01-01 … 2025-01-01 \(exclusive\)/);
  });

  it('--json prints truth.json; --no-events skips events.csv', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    const r = await runSynth(['--customers', '50', '--out', dir, '--no-events', '--json']);
    expect(r.error).toBeUndefined();
    const printed = JSON.parse(r.stdout());
    expect(printed).toEqual(JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')));
    expect(printed.seed).toBe(42);
    expect(existsSync(join(dir, 'events.csv'))).toBe(false);
  });

  it('warns when the window ends after today (clvkit ingest would quarantine those rows as future_date)', async () => {
    const r = await runSynth(['--customers', '20', '--out', scratchDir('clvkit-synth-cli-'), '--start', '2099-01-01', '--days', '10', '--no-events']);
    expect(r.error).toBeUndefined();
    expect(r.stderr()).toBe('clvkit: warning: the window ends 2099-01-11, after today: clvkit ingest quarantines rows dated after the time of ingest as future_date\n');
  });

  it('bad flags: one-line UserError with a hint', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    const cases: [string[], RegExp][] = [
      [['--out', dir], /^--customers is required$/],
      [['--customers', 'ten', '--out', dir], /^--customers ten is not a whole number ≥ 1$/],
      [['--customers', '0', '--out', dir], /^--customers 0 is not a whole number ≥ 1$/],
      [['--customers', '10'], /^--out is required$/],
      [['--customers', '10', '--out', dir, '--seed', '1.5'], /^--seed 1\.5 is not a whole number/],
      [['--customers', '10', '--out', dir, '--format', 'xlsx'], /^--format xlsx is not csv or parquet$/],
      [['--customers', '10', '--out', dir, '--model', 'mbgnbd'], /^--model mbgnbd is not bgnbd or paretonbd$/],
      [['--customers', '10', '--out', dir, '--shape', 'weekly'], /^--shape weekly is not one of bgnbd, steady, regular, daily, one-time, one-day, decade$/],
      [['--customers', '10', '--out', dir, '--shape', 'regular', '--model', 'paretonbd'], /^model paretonbd does not apply to the shape regular$/],
      [['--customers', '10', '--out', dir, '--start', '2022-13-01'], /^start 2022-13-01 is not a date$/],
      [['--customers', '10', '--out', dir, '--days', '-3'], /^--days -3 is not a whole number ≥ 1$/],
      [['--customers', '10', '--out', dir, '--dirt-rate', '2'], /^--dirt-rate 2 is not a rate from 0 to 0\.5$/],
      [['--customers', '10', '--out', dir, '--products', '5'], /^--products 5 is not a whole number ≥ 10$/],
      [['--customers', '10', '--out', dir, '--prospect-share', '-1'], /^--prospect-share -1 is not a number of never-buying sign-ups per buyer from 0 to 10$/],
      [['--customers', '10', '--out', dir, '--signup-at-checkout', '1.2'], /^--signup-at-checkout 1\.2 is not a share from 0 to 1$/],
      [['--customers', '10', '--out', dir, '--signup-lead-days', '0'], /^--signup-lead-days 0 is not a number of days from 1 to 3650$/],
      [['--customers', '10', '--out', dir, '--logged-out-share', 'half'], /^--logged-out-share half is not a share from 0 to 1$/],
      [['--customers', '10', '--out', dir, '--browse-ratio', '0'], /^--browse-ratio 0 is not a ratio in \(0, 30\]$/],
    ];
    for (const [args, message] of cases) {
      const r = await runSynth(args);
      expect(r.error, args.join(' ')).toBeInstanceOf(UserError);
      const error = r.error as UserError;
      expect(error.message, args.join(' ')).toMatch(message);
      expect(error.message).not.toContain('\n');
      expect(error.hint, args.join(' ')).toMatch(/\S/);
    }
    expect(existsSync(join(dir, 'truth.json'))).toBe(false);
  });

  it('--out pointing at a file is a UserError', async () => {
    const dir = scratchDir('clvkit-synth-cli-');
    await runSynth(['--customers', '10', '--out', dir, '--no-events']);
    const r = await runSynth(['--customers', '10', '--out', join(dir, 'truth.json')]);
    expect(r.error).toBeInstanceOf(UserError);
    expect((r.error as UserError).message).toMatch(/truth\.json is a file, not a folder/);
  });
});
