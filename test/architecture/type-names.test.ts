/**
 * One name, one thing: an exported type or interface name is declared in one
 * file of src/. Two unrelated `LifecycleSeries` (the lifecycle step's counts
 * per state, and the report's and read API's series per stage) read alike in
 * an import and meant different shapes; the report's forms are `Report…` now.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Every `.ts` file under `dir`. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The exported type and interface names of some source text. */
function exportedTypeNames(source: string): string[] {
  return [...source.matchAll(/^export\s+(?:declare\s+)?(?:interface|type)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}

describe('exported type names', () => {
  it('are read from interface and type declarations, not from re-exports or comments', () => {
    const source = ['export interface A { x: number }', 'export type B = string;', "export type { C } from './c.js';", '// export interface D {}', 'interface E {}', 'export declare type F = 1;'].join('\n');
    expect(exportedTypeNames(source)).toEqual(['A', 'B', 'F']);
  });

  it('each name one declaration in src/', () => {
    const declaredIn = new Map<string, string[]>();
    for (const file of tsFiles(SRC)) {
      for (const name of exportedTypeNames(readFileSync(file, 'utf8'))) declaredIn.set(name, [...(declaredIn.get(name) ?? []), relative(SRC, file)]);
    }
    expect(declaredIn.size).toBeGreaterThan(300);
    const twice = [...declaredIn].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(twice).toEqual([]);
  });
});
