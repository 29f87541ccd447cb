/**
 * A test file that replaces a module with `vi.mock` runs with a module graph
 * of its own (OWN_MODULES in vitest.config.ts): the shared-modules project
 * imports each module once per worker, so a mock either leaks into the files
 * after it or never applies, the module being loaded already — as
 * cluster-ingest-memory-bounded's spy on the local DuckDB saw no read when
 * the cluster ingest ran before it in the same worker.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('module mocks', () => {
  it('every test file that calls vi.mock is listed in OWN_MODULES', () => {
    const config = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');
    const mocking = testFiles(join(ROOT, 'test')).filter((path) => /\bvi\.mock\(/.test(readFileSync(path, 'utf8'))).map((path) => relative(ROOT, path));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((file) => !config.includes(`'${file}'`))).toEqual([]);
  });
});
