import { describe, expect, it } from 'vitest';
import { ANALYSIS_STAGES, plannedStageNames } from '../../src/pipeline/analysis-stages.js';
import { runStages, type ProgressEvent } from '../../src/pipeline/run-stages.js';
import type { Stage } from '../../src/pipeline/stage.js';

interface Log {
  ran: string[];
}

const stage = (name: string, reads: string[], writes: string[], skip = false): Stage<Log> => ({
  name,
  reads,
  writes,
  skip: () => skip,
  run: async (log) => {
    log.ran.push(name);
    return `${name} detail`;
  },
});

describe('runStages', () => {
  it('runs the stages in order, skips the skipped ones, records a timing and a start and end event per stage', async () => {
    const log: Log = { ran: [] };
    const events: ProgressEvent[] = [];
    const timings: Record<string, number> = {};
    await runStages([stage('a', ['transactions'], ['t1']), stage('b', ['t1'], ['t2'], true), stage('c', ['t1'], [])], log, { timings, onProgress: (e) => events.push(e) });
    expect(log.ran).toEqual(['a', 'c']);
    expect(Object.keys(timings)).toEqual(['a', 'c']);
    expect(events.map((e) => `${e.step}:${e.phase}`)).toEqual(['a:start', 'a:end', 'c:start', 'c:end']);
    expect(events[1]!.detail).toBe('a detail');
    expect(events[1]!.elapsedMs).toBe(timings.a);
  });

  it('refuses a stage that reads a table no earlier stage writes, before running anything', async () => {
    const log: Log = { ran: [] };
    await expect(runStages([stage('a', ['t2'], []), stage('b', [], ['t2'])], log, { timings: {} })).rejects.toThrow('stage a reads t2, which no earlier stage writes');
    expect(log.ran).toEqual([]);
  });
});

describe('the analysis stages', () => {
  it('are ingest, summary, value, learned, segments, lifecycle, events, cross-sell, publish, report; every table a stage reads is written before it', async () => {
    expect(ANALYSIS_STAGES.map((s) => s.name)).toEqual(['ingest', 'summary', 'value', 'learned', 'segments', 'lifecycle', 'events', 'cross-sell', 'publish', 'report']);
    // the wiring check alone (every stage skipped)
    await runStages(ANALYSIS_STAGES.map((s) => ({ ...s, skip: () => true })), {} as never, { timings: {} });
  });

  it('only the summary stage writes customer_summary; the later stages read it', () => {
    expect(ANALYSIS_STAGES.filter((s) => s.writes.includes('customer_summary')).map((s) => s.name)).toEqual(['summary']);
    expect(ANALYSIS_STAGES.filter((s) => s.reads.includes('customer_summary')).map((s) => s.name)).toEqual(['value', 'learned', 'segments', 'lifecycle', 'publish', 'report']);
  });

  it('plans the progress steps from the options', () => {
    expect(plannedStageNames({ hasInput: false, skipModels: true, skipPatterns: true })).toEqual(['summary', 'segments', 'lifecycle', 'events', 'publish', 'report']);
    expect(plannedStageNames({ hasInput: true, skipSegments: true, skipReport: true })).toEqual(['ingest', 'summary', 'value', 'learned', 'events', 'cross-sell', 'publish']);
    expect(plannedStageNames({ hasInput: true, skipChurn: true, skipSegments: true, skipReport: true })).toEqual(['ingest', 'summary', 'value', 'events', 'cross-sell', 'publish']);
  });
});
