/**
 * vitest globalSetup: one scratch folder per test run for fixtures that
 * several test files share (the demo data ingested once: test/helpers/demo-warehouse.ts).
 * Nothing is built here: the first test file that needs a fixture builds it
 * (so a targeted run pays only for what it uses); the folder is removed when
 * the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the run's folder of shared fixtures */
    sharedFixturesDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-shared-fixtures-'));
  project.provide('sharedFixturesDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
