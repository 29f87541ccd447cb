/**
 * `--no-churn --learned-tournament` runs the tournament it asks for. Found in session 31: the learned stage was
 * skipped under --no-churn unless the regularity check ran the tournament unasked, and that check never runs when the
 * tournament is asked for — so the asked tournament silently did not run (run.json `learned: null`, no warning).
 * Now --no-churn leaves out only the churn early warning.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { plannedStageNames } from '../../src/pipeline/analysis-stages.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

const CDNOW = { files: [`${FIXTURES}cdnow/CDNOW_sample.txt.gz`], map: { customer_id: '2', date: '3', quantity: '4', amount: '5' }, timeUnit: 'week' as const };

describe('--no-churn with --learned-tournament', () => {
  it('runs the honest tournament, without the churn early warning (CDNOW sample)', async () => {
    const stages: string[] = [];
    const result = await analyze({ ...CDNOW, db: ':memory:', outDir: scratchDir('clvkit-no-churn-tournament-'), skipPatterns: true, skipReport: true, skipSegments: true, skipChurn: true, learnedTournament: true, onProgress: (e) => e.phase === 'end' && stages.push(e.step) });
    expect(stages).toContain('learned');
    expect(result.learned?.tournament?.chosen).toEqual(expect.any(String));
    expect(result.learned?.churn).toBeUndefined();
    // run.json says the tournament ran because it was asked for, not because the fit showed steady buyers
    expect(result.learned?.tournamentRanFor).toBe('asked');
  }, 300_000);

  it('plans the learned stage', () => {
    expect(plannedStageNames({ hasInput: true, skipChurn: true, learnedTournament: true, skipSegments: true, skipReport: true })).toEqual(['ingest', 'summary', 'value', 'learned', 'events', 'cross-sell', 'publish']);
  });
});
