/**
 * `compactWarehouseFile` with a signal (the CLI's Ctrl-C or SIGTERM during `clvkit erase`, user trial 42) aborted
 * while it rewrites the file — once the checkpoint is done and its copy started — stops: an `InterruptedError`, the
 * file as it was (the same bytes, its rows all there), no copy left beside it. The abort is reached deterministically:
 * core/replace-file.js is wrapped so that the signal is aborted as the compaction starts its copy (`startOwnerOnlyFile`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { compactWarehouseFile } from '../../../src/privacy/warehouse/compact-warehouse-file.js';
import { InterruptedError } from '../../../src/core/errors/interrupted-error.js';
import { scratchDir } from '../../helpers/warehouse.js';

const abortAt = vi.hoisted(() => ({ path: '', controller: null as AbortController | null }));

vi.mock('../../../src/core/replace-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/core/replace-file.js')>();
  return {
    ...real,
    startOwnerOnlyFile: (path: string, options?: { readonly keepMode?: boolean }) => {
      if (path === abortAt.path) abortAt.controller?.abort();
      return real.startOwnerOnlyFile(path, options);
    },
  };
});

describe('a compaction stopped by its signal', () => {
  it('throws InterruptedError and leaves the file as it was, no copy beside it', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    const warehouse = await openDuckDbWarehouse(db, { migrate: false });
    await warehouse.execute('CREATE TABLE held AS SELECT range AS n FROM range(10000)');
    await warehouse.execute('DELETE FROM held WHERE n % 2 = 0');
    await warehouse.close();
    const bytes = readFileSync(db);
    const controller = new AbortController();
    Object.assign(abortAt, { path: db, controller });
    const stopped = await compactWarehouseFile(db, { signal: controller.signal }).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(InterruptedError);
    expect((stopped as Error).message).toBe(`the rewrite of ${db} was interrupted: the file is as it was, not rewritten`);
    expect(readdirSync(dir).sort()).toEqual(['shop.duckdb']);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    const again = await openDuckDbWarehouse(db, { migrate: false });
    try {
      expect(await again.query('SELECT count(*) AS n FROM held')).toEqual([{ n: 5000 }]);
    } finally {
      await again.close();
    }
    // not aborted: it rewrites the file
    expect((await compactWarehouseFile(db)).bytesAfter).toBeGreaterThan(0);
  });
});
