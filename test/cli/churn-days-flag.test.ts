/**
 * `--churn-days N` on analyze and validate. Found in a trial on the CDNOW sample (39 weeks of calibration, 39 of
 * holdout): the churn early warning looked 181 days ahead while the holdout was 273 days, the output did not say so,
 * and nothing could set it. Now the output says N and how it was chosen, --churn-days sets it, and a value the windows
 * cannot hold is one line with a hint and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHonestTournament } from '../../src/cli/commands/format-honest-tournament.js';
import { cli } from '../helpers/cli.js';
import { sharedCliRun } from '../helpers/shared-cli-run.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;
const MAP = ['--map', 'customer_id=2', '--map', 'date=3', '--map', 'quantity=4', '--map', 'amount=5'];
const VALIDATE = ['validate', CDNOW, ...MAP, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--time-unit', 'week', '--candidates', 'linear-poisson'];
/** analyze with the trial's split: a 273-day holdout after 272 days of calibration data */
const analyzeArgs = (out: string) => ['analyze', CDNOW, ...MAP, '--holdout-days', '273', '--time-unit', 'week', '--skip-patterns', '--skip-report', '--quiet', '--out', out];

async function refused(args: string[], pattern: RegExp): Promise<void> {
  const run = await cli(args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(/^clvkit: error: .+ \(hint: .+\)\n$/);
  expect(run.stderr).toMatch(pattern);
}

describe('--churn-days sets the churn early warning’s horizon, and the output says it (CDNOW sample, 39 + 39 weeks)', () => {
  it('--help of analyze and validate lists --churn-days', async () => {
    for (const command of ['analyze', 'validate']) expect((await cli([command, '--help'])).stdout.replace(/\s+/g, ' '), command).toContain('--churn-days <n> churn early warning: the N of “no purchase in the next N days”');
  });

  it('validate says the default N, 181 days, and why it is not the 273-day holdout', async () => {
    const run = await sharedCliRun(VALIDATE); // the same run as calibration-days-say-what-is-counted's
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('churn early warning (no purchase in the 181 days after the calibration end; 75.0% churned):\n  N = 181 days, shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third');
    expect(run.stdout).toContain('(--churn-days sets a shorter N)');
  }, 120_000);

  it('validate --churn-days 90 scores both churn scores on 90 days and says it was asked', async () => {
    // one run (--json): its text is formatHonestTournament of the same result, what validate prints without --json (the
    // test before checks that printing path); a second run of the same validation for the text asserted nothing more
    const run = await cli([...VALIDATE, '--churn-days', '90', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(formatHonestTournament(json.honest)).toContain('churn early warning (no purchase in the 90 days after the calibration end; 83.1% churned):\n  N = 90 days, as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout');
    expect(json.honest.churnHorizon).toMatchObject({ days: 90, chosen: 'asked' });
    expect(json.honest.churn.horizonDays).toBe(90);
    expect(json.honest.churn.btydOneMinusPAlive.baseRate).toBe(json.honest.churn.learned.baseRate);
  }, 120_000);

  it('validate refuses an N the windows cannot hold, or that is no whole number of 14 days or more, in one line (exit 2)', async () => {
    await refused([...VALIDATE, '--churn-days', '273'], /^clvkit: error: --churn-days 273 does not fit the windows: the churn labels need N days after the first third of the 272 days from the first purchase to the calibration end \(at most 181\) and N days of the 273-day holdout to check them on \(hint: pass --churn-days from 14 to 181, or leave it out for the longest that fits\)\n$/);
    await refused([...VALIDATE, '--churn-days', '13'], /--churn-days 13 is shorter than 14 days/);
    await refused([...VALIDATE, '--churn-days', '30.5'], /--churn-days 30\.5 is not a whole number of days/);
    await refused([...VALIDATE.filter((a) => a !== '--candidates' && a !== 'linear-poisson'), '--no-learned', '--churn-days', '90'], /--churn-days sets the churn early warning of the honest tournament, and --no-learned skips that tournament/);
  }, 120_000);

  it('analyze says N and how it was chosen in its summary and run.json, and --churn-days changes it', async () => {
    const dir = scratchDir('clvkit-churn-days-');
    const byDefault = await cli(analyzeArgs(join(dir, 'default')));
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/\n {2}churn {6}no purchase in the next 181 days \(the longest the history holds, not the holdout's 273\): AUC 0\.\d{3} \(P\(no purchase\) of [^ ]+ 0\.\d{3}\)(; churn_probability from [^\n]+)?\n/);
    expect(byDefault.stdout).toContain("warning    the churn early warning looks 181 days ahead, shorter than the holdout (273 days): the 272 days from the first purchase to the calibration end leave 181 days after their first third");
    const defaultCard = JSON.parse(readFileSync(join(dir, 'default', 'run.json'), 'utf8')).learned.churn;
    expect(defaultCard).toMatchObject({ horizonDays: 181, horizonChosen: 'shortened', trainedAsOf: '1997-12-31' });
    expect(defaultCard.horizonReason).toMatch(/^shorter than the holdout \(273 days\): /);

    const asked = await cli([...analyzeArgs(join(dir, 'asked')), '--churn-days', '90']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toMatch(/\n {2}churn {6}no purchase in the next 90 days \(as --churn-days asked\): AUC 0\.\d{3} \(P\(no purchase\) of [^ ]+ 0\.\d{3}\)(; churn_probability from [^\n]+)?\n/);
    expect(asked.stdout).not.toContain('the churn early warning looks');
    const card = JSON.parse(readFileSync(join(dir, 'asked', 'run.json'), 'utf8')).learned.churn;
    expect(card).toMatchObject({ horizonDays: 90, horizonChosen: 'asked', horizonReason: 'as --churn-days 90 asked: the churn figures score no purchase in the first 90 days of the 273-day holdout', trainedAsOf: '1998-04-01' });
    // the learned model, 1 − P(alive) and P(no purchase) on the same 90-day labels
    expect(card.validation.horizonDays).toBe(90);
    expect(card.validation.learned.baseRate).toBe(card.validation.btydOneMinusPAlive.baseRate);
    expect(card.validation.learned.baseRate).toBe(card.validation.btydNoPurchase.baseRate);
    expect(card.validation.learned.baseRate).not.toBe(defaultCard.validation.learned.baseRate);
  }, 240_000);

  it('analyze refuses --churn-days 273 (exit 2) and --churn-days beside --no-churn or --skip-models', async () => {
    const dir = scratchDir('clvkit-churn-days-refused-');
    await refused([...analyzeArgs(join(dir, 'long')), '--churn-days', '273'], /^clvkit: error: --churn-days 273 does not fit the windows: .*\(hint: pass --churn-days from 14 to 181, or leave it out for the longest that fits\)\n$/);
    await refused([...analyzeArgs(join(dir, 'no-churn')), '--no-churn', '--churn-days', '90'], /--churn-days sets the churn early warning, and --no-churn skips it/);
    await refused([...analyzeArgs(join(dir, 'skip-models')), '--skip-models', '--churn-days', '90'], /--churn-days .*--skip-models skips them/);
    await refused([...analyzeArgs(join(dir, 'abc')), '--churn-days', 'abc'], /--churn-days abc is not a whole number of days \(hint: pass e\.g\. --churn-days 90/);
  }, 120_000);
});
