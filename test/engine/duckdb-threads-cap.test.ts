import { afterEach, describe, expect, it } from 'vitest';
import { duckDbThreads } from '../../src/engine/duckdb-threads.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { UserError } from '../../src/core/errors/user-error.js';

/** The DuckDB threads a warehouse really runs with (`SELECT current_setting('threads')`). */
async function threadsOf(threads?: number): Promise<number> {
  const warehouse = await openDuckDbWarehouse(':memory:', { threads, migrate: false });
  try {
    const [row] = await warehouse.query("SELECT current_setting('threads') AS threads");
    return Number(row!.threads);
  } finally {
    await warehouse.close();
  }
}

describe('CLVKIT_DUCKDB_THREADS caps the DuckDB threads of every warehouse clvkit opens', () => {
  const before = process.env.CLVKIT_DUCKDB_THREADS;
  afterEach(() => {
    if (before === undefined) delete process.env.CLVKIT_DUCKDB_THREADS;
    else process.env.CLVKIT_DUCKDB_THREADS = before;
  });

  it('is a ceiling: a warehouse asking for more gets the cap, one asking for fewer keeps its own, one asking nothing gets the cap', async () => {
    process.env.CLVKIT_DUCKDB_THREADS = '3';
    expect(await threadsOf(8)).toBe(3);
    expect(await threadsOf(2)).toBe(2);
    expect(await threadsOf()).toBe(3);
    expect(duckDbThreads(5)).toBe(3);
  });

  it('unset or empty leaves the choice as asked (DuckDB: every core when nothing is asked)', async () => {
    delete process.env.CLVKIT_DUCKDB_THREADS;
    expect(await threadsOf(3)).toBe(3);
    expect(duckDbThreads(undefined)).toBeUndefined();
    process.env.CLVKIT_DUCKDB_THREADS = '';
    expect(duckDbThreads(7)).toBe(7);
  });

  it.each(['0', '-1', '1.5', 'two', 'all'])('refuses %j in one line with a hint', (text) => {
    process.env.CLVKIT_DUCKDB_THREADS = text;
    let error: unknown;
    try {
      duckDbThreads(2);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`CLVKIT_DUCKDB_THREADS=${text} is not a whole number of threads from 1`);
    expect((error as UserError).hint).toMatch(/unset it/);
  });
});
