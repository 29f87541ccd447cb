/**
 * Two staged analyses on one warehouse object (a server's shared connection:
 * a run started through the API, and the scoring stages an audience request
 * runs on a warehouse never analysed) go one after the other. At once, the
 * second dropped the first's staged tables when it started and both wrote the
 * same staged names.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../src/pipeline/analysis-context.js';
import { runStagedAnalysis } from '../../src/pipeline/staged-analysis.js';
import { readStoredAnalysis } from '../../src/pipeline/stored-analysis.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const context = (asOf: string) => ({ results: { asOf, scoresModel: null }, written: new Set<string>() }) as unknown as AnalysisContext;

describe('staged analyses on one warehouse', () => {
  const scratch = useScratchWarehouse();

  it('run one after the other: the second starts once the first is stored, and each stores its own tables', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = runStagedAnalysis(scratch.warehouse, async (view) => {
      log.push('first starts');
      started();
      await view.execute("CREATE OR REPLACE TABLE customer_summary AS SELECT 'c_first' AS customer_id");
      await gate;
      log.push('first ends');
      return context('2023-01-31');
    });
    const second = runStagedAnalysis(scratch.warehouse, async (view) => {
      log.push('second starts');
      expect((await scratch.warehouse.query('SELECT customer_id FROM customer_summary')).map((r) => r.customer_id)).toEqual(['c_first']);
      await view.execute("CREATE OR REPLACE TABLE customer_summary AS SELECT 'c_second' AS customer_id");
      return context('2023-02-28');
    });
    // once the first has started (however long a loaded machine takes to get there), the second has 50 ms in which
    // it would start too if it did not wait
    await firstStarted;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).toEqual(['first starts']);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['first starts', 'first ends', 'second starts']);
    expect((await scratch.warehouse.query('SELECT customer_id FROM customer_summary')).map((r) => r.customer_id)).toEqual(['c_second']);
    expect(await readStoredAnalysis(scratch.warehouse)).toMatchObject({ asOf: '2023-02-28', tables: ['customer_summary'] });
  });

  it('a failed run does not hold up the next', async () => {
    const failed = runStagedAnalysis(scratch.warehouse, async () => {
      throw new Error('injected');
    });
    const next = runStagedAnalysis(scratch.warehouse, async (view) => {
      await view.execute("CREATE OR REPLACE TABLE customer_summary AS SELECT 'c_next' AS customer_id");
      return context('2023-03-31');
    });
    await expect(failed).rejects.toThrow('injected');
    await next;
    expect(await readStoredAnalysis(scratch.warehouse)).toMatchObject({ asOf: '2023-03-31' });
  });
});
