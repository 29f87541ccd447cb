/**
 * A run the learned stage will refuse stops before the value models' fits. Found in session 19: `analyze
 * --churn-days 273` on the CDNOW sample (a 273-day holdout after 272 days of calibration data) fitted, compared and
 * scored every value model, and only then, in the learned stage, said the windows cannot hold 273 days — on a large
 * shop, minutes of fits for a refusal its windows decided from the start. The same for --learned-tournament on
 * windows too short for the honest tournament's inner split. Now the value stage checks the learned stage's windows
 * as soon as its calibration end is set (learned-windows-check.ts): the refusal is the same, the value stage never
 * ends, and the run writes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { analyze } from '../../src/pipeline/analyze.js';
import type { AnalyzeOptions } from '../../src/pipeline/analyze-options.js';
import type { ProgressEvent } from '../../src/pipeline/run-stages.js';
import { learnedWindowsCheck } from '../../src/pipeline/stages/learned-windows-check.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = { files: [`${FIXTURES}cdnow/CDNOW_sample.txt.gz`], map: { customer_id: '2', date: '3', quantity: '4', amount: '5' }, timeUnit: 'week' as const };

/** analyze's refusal and the stages it started and ended */
async function refusal(options: Partial<AnalyzeOptions>): Promise<{ error: unknown; started: string[]; ended: string[]; out: string }> {
  const out = join(scratchDir('clvkit-learned-windows-'), 'out');
  const events: ProgressEvent[] = [];
  const error = await analyze({ ...CDNOW, db: ':memory:', outDir: out, skipPatterns: true, skipReport: true, onProgress: (e) => events.push(e), ...options } as AnalyzeOptions).then(() => null, (e: unknown) => e);
  const steps = (phase: ProgressEvent['phase']) => events.filter((e) => e.phase === phase).map((e) => e.step);
  return { error, started: steps('start'), ended: steps('end'), out };
}

describe('the learned stage’s refusals of the windows come before the value models’ fits (CDNOW sample)', () => {
  it('--churn-days 273 with a 273-day holdout: the same one-line refusal, the value stage never ends, nothing written', async () => {
    const run = await refusal({ holdoutDays: 273, churnDays: 273 });
    expect(run.error).toBeInstanceOf(UserError);
    expect((run.error as UserError).message).toBe('--churn-days 273 does not fit the windows: the churn labels need N days after the first third of the 272 days from the first purchase to the calibration end (at most 181) and N days of the 273-day holdout to check them on');
    expect((run.error as UserError).hint).toBe('pass --churn-days from 14 to 181, or leave it out for the longest that fits');
    expect(run.started).toContain('value');
    expect(run.ended).not.toContain('value'); // before: the value stage ended, its fits done, and the learned stage refused
    expect(run.started).not.toContain('learned');
    expect(existsSync(join(run.out, 'customers.csv'))).toBe(false);
  }, 120_000);

  it('through the API the refusal names churnDays; 181 days, the longest that fits, is not refused', async () => {
    const api = await refusal({ holdoutDays: 273, churnDays: 200, api: true });
    expect((api.error as UserError).message).toMatch(/^churnDays 200 does not fit the windows: /);
    expect((api.error as UserError).hint).toBe('send churnDays from 14 to 181, or leave it out for the longest that fits');
    expect(api.ended).not.toContain('value');
    // the check the value stage runs, on the windows it sets: 181 passes, 182 does not
    const window = { calibrationDays: 272, holdoutDays: 273 };
    expect(() => learnedWindowsCheck({ churnDays: 181 })!(window)).not.toThrow();
    expect(() => learnedWindowsCheck({ churnDays: 182 })!(window)).toThrow(/--churn-days 182 does not fit the windows/);
  }, 120_000);

  it('--learned-tournament on a calibration window too short for its inner split: refused before the fits, with the hint to move the holdout', async () => {
    // 546 days of data, a 520-day holdout: 26 days of calibration data, short of the tournament's 42
    const run = await refusal({ holdoutDays: 520, learnedTournament: true });
    expect(run.error).toBeInstanceOf(UserError);
    expect((run.error as UserError).message).toMatch(/^the calibration window is too short for the honest tournament: its 2\d days give an inner window of \d+ days?/);
    expect((run.error as UserError).hint).toMatch(/^pass --holdout-days from 14 to \d+/);
    expect(run.ended).not.toContain('value');
  }, 120_000);

  it('nothing to check without --churn-days or --learned-tournament, or with the learned stage off', () => {
    expect(learnedWindowsCheck({})).toBeUndefined();
    expect(learnedWindowsCheck({ skipChurn: true, churnDays: 90, learnedTournament: true })).toBeUndefined();
    expect(learnedWindowsCheck({ learnedTournament: true })).toBeTypeOf('function');
  });
});
