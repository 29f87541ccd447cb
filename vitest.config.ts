import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a scratch folder per run for fixtures several files share (built by the first file that needs one)
    globalSetup: ['test/setup/shared-fixtures.ts'],
    // both cores of the 2-core CI machine (vitest's default leaves one idle): 473 s instead of 695 s for the whole suite
    maxWorkers: 2,
  },
});
