import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWords } from '../../src/core/run-words.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { analyzeWindowWords, honestSplitError, honestSplitShortfall, VALIDATE_WINDOW_WORDS } from '../../src/pipeline/honest-windows.js';
import type { RunSummary } from '../../src/pipeline/run-summary.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { cli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { openTestServer, runToEnd, type TestServer } from '../server/server-fixture.js';

// A user trial: a shop of regular buyers with 21–41 days of history before the holdout failed its plain `clvkit
// analyze` (exit 2): the value model's fit showed steady buyers, so the regularity check ran the honest tournament
// unasked, and the tournament refused the short calibration window with the hint "use a later --calibration-end" — a
// flag analyze does not have, nor the API. The check is now skipped with a note saying what runs it (the holdout days,
// in the run's words); asked for (--learned-tournament), the run stops with that hint.

describe('the honest tournament\'s windows: what is short, and what to change in each command\'s words', () => {
  it('says which window is short', () => {
    expect(honestSplitShortfall({ calibrationDays: 42, holdoutDays: 14 })).toBeNull();
    expect(honestSplitShortfall({ calibrationDays: 31, holdoutDays: 28 })).toBe('the calibration window is too short for the honest tournament: its 31 days give an inner window of 10 days, and the tournament chooses on 14 at least (42 days of calibration data)');
    expect(honestSplitShortfall({ calibrationDays: 300, holdoutDays: 7 })).toBe('the holdout is too short for the honest tournament: its 7 days give an inner window of 7 days, and the tournament chooses on 14 at least (the inner window is no longer than the holdout)');
    expect(honestSplitShortfall({ calibrationDays: 20, holdoutDays: 10 })).toBe('the calibration window (20 days) and the holdout (10 days) are too short for the honest tournament: they give an inner window of 6 days, and the tournament chooses on 14 at least (42 days of calibration data, a holdout of 14)');
  });

  it('analyze and the API move the split with the holdout days: never --calibration-end, which neither has', () => {
    const window = { calibrationDays: 31, holdoutDays: 28 };
    expect(honestSplitError(window, analyzeWindowWords(runWords(false)))!.hint).toBe('pass --holdout-days from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)');
    expect(honestSplitError(window, analyzeWindowWords(runWords(true)))!.hint).toBe('send holdoutDays from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)');
    expect(honestSplitError({ calibrationDays: 44, holdoutDays: 12 }, analyzeWindowWords(runWords(true)))!.hint).toBe('send "holdoutDays": 14 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)');
    expect(honestSplitError({ calibrationDays: 21, holdoutDays: 28 }, analyzeWindowWords(runWords(false)))!.hint).toBe('analyse a longer history: the tournament needs 56 days from the first purchase to the as-of date (42 days of calibration data, then a holdout of 14), and the data span 49 days');
  });

  it('validate, which has --calibration-end and --holdout-end, names them', () => {
    expect(honestSplitError({ calibrationDays: 31, holdoutDays: 28 }, VALIDATE_WINDOW_WORDS)!.hint).toBe('use a later --calibration-end: the tournament needs 42 days from the first purchase to --calibration-end and 14 from there to --holdout-end (the last purchase when not given)');
    expect(honestSplitError({ calibrationDays: 100, holdoutDays: 7 }, VALIDATE_WINDOW_WORDS)!.hint).toBe('use an earlier --calibration-end or a later --holdout-end: the tournament needs 42 days from the first purchase to --calibration-end and 14 from there to --holdout-end (the last purchase when not given)');
  });
});

describe('a shop of regular buyers with 31 days of history before the default 28-day holdout (250 customers, 60 days)', () => {
  let dir: string;
  let file: string;
  let server: TestServer;
  const NOTE = 'the mbgnbd fit shows every customer buying at one steady rate, which MBG/CNBD-k describes, but the honest tournament that runs it beside the BTYD models was skipped: the calibration window is too short for the honest tournament: its 31 days give an inner window of 10 days, and the tournament chooses on 14 at least (42 days of calibration data); to run it, ';

  beforeAll(async () => {
    dir = scratchDir('clvkit-regularity-short-');
    // 250 customers (400 before: the five analyses cost the same checks a third more); at 150 the value model's fit is no
    // longer the steady-buyer one that starts the check, so the notes below are not written
    await generateShop({ outDir: dir, customers: 250, seed: 42, days: 60, shape: 'regular', events: false });
    file = join(dir, 'transactions.csv');
    server = await openTestServer();
    await ingestFiles(server.context.warehouse, [file], { keyring: server.context.keyring });
  }, 120_000);
  afterAll(async () => server?.close());

  it('clvkit analyze finishes (it exited 2 with "use a later --calibration-end"): the regularity check is skipped with a note naming --holdout-days', async () => {
    const run = await cli(['analyze', file, '--out', join(dir, 'cli'), '--skip-patterns', '--skip-report', '--quiet', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    // the value model's fit is the steady-buyer one that starts the check
    expect(summary.valueModel!.final.fit.boundary?.parameters).toContain('r');
    expect(summary.learned!.tournament).toBeUndefined();
    expect(summary.warnings.find((w) => w.startsWith(NOTE))).toBe(`${NOTE}pass --holdout-days from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)`);
    expect(summary.warnings.join('\n')).not.toContain('calibration-end');
  }, 180_000);

  it('clvkit analyze --learned-tournament stops with exit 2 and the hint naming --holdout-days; the hint\'s holdout runs the tournament', async () => {
    const refused = await cli(['analyze', file, '--out', join(dir, 'asked'), '--skip-patterns', '--skip-report', '--quiet', '--learned-tournament']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('clvkit: error: the calibration window is too short for the honest tournament: its 31 days give an inner window of 10 days, and the tournament chooses on 14 at least (42 days of calibration data) (hint: pass --holdout-days from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14))\n');
    const ran = await cli(['analyze', file, '--out', join(dir, 'asked-17'), '--skip-patterns', '--skip-report', '--quiet', '--learned-tournament', '--candidates', 'mbgcnbd', '--holdout-days', '17', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as RunSummary).learned!.tournament!.innerCutoff).toBe('2022-01-29');
  }, 180_000);

  it('clvkit validate, which has --calibration-end: the tournament is skipped with its hint (it was the message alone)', async () => {
    const run = await cli(['validate', file, '--calibration-end', '2022-02-01', '--candidates', 'mbgcnbd']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('honest tournament skipped: the calibration window is too short for the honest tournament: its 31 days give an inner window of 10 days, and the tournament chooses on 14 at least (42 days of calibration data); use a later --calibration-end: the tournament needs 42 days from the first purchase to --calibration-end and 14 from there to --holdout-end (the last purchase when not given)\n');
  }, 180_000);

  it('POST /api/runs: the run finishes, its note names holdoutDays as the API takes it', async () => {
    const analyst = await server.login('analyst');
    const { view, summary } = await runToEnd(server, analyst, { skipPatterns: true, skipReport: true });
    expect(view.status, view.error ?? '').toBe('finished');
    expect(summary!.warnings.find((w) => w.startsWith(NOTE))).toBe(`${NOTE}send holdoutDays from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)`);
    const asked = await runToEnd(server, analyst, { learnedTournament: true, skipPatterns: true, skipReport: true });
    expect(asked.view).toMatchObject({ status: 'failed', hint: 'send holdoutDays from 14 to 17 (the calibration window is the data before the holdout: the tournament needs 42 days of it and a holdout of 14)' });
  }, 180_000);
});
