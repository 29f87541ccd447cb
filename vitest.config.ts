import { defineConfig } from 'vitest/config';

/**
 * Test files that need a module graph of their own: they replace a module
 * with `vi.mock` (the analysis pipeline's demo file, node:worker_threads),
 * which must not leak into the files that share a worker with them.
 */
const OWN_MODULES = [
  'test/server/serve-demo-on-clickhouse.test.ts',
  'test/server/warehouse-thread-death.test.ts',
  'test/cli/analyze-interrupt-listens-early.test.ts',
  'test/ingest/cluster-ingest-memory-bounded.test.ts',
  // they count the MBG/CNBD-k fits and L-BFGS evaluations through a wrapped module
  'test/pipeline/regularity-fit-once-per-history.test.ts',
  'test/models/mbgcnbd/mbgcnbd-limit-fit-evaluations.test.ts',
  // it counts the churn validations through a wrapped module
  'test/pipeline/learned-step-validates-churn-once.test.ts',
  // it watches the modes of the files write streams open through a wrapped node:fs
  'test/pipeline/revealed-id-files-owner-only-from-creation.test.ts',
  // it watches the modes of the audience files writeFileSync makes through a wrapped node:fs
  'test/actions/audience-file-owner-only-from-creation.test.ts',
  // it makes a folder at --out right before the move into place through a wrapped core/replace-file
  'test/cli/audience-out-becomes-a-folder.test.ts',
  // it runs a writer in the gaps of a compaction through a wrapped core/replace-file
  'test/privacy/warehouse/compaction-holds-the-file-throughout.test.ts',
  // it emits SIGTERM as a file starts being read (--json writes no line to emit it at) through a wrapped ingest-files
  'test/cli/ingest-stopped-by-sigterm.test.ts',
  // it emits a signal as an erasure's deletion or file rewrite starts through wrapped erase-customers and compact-warehouse-file
  'test/cli/erase-interrupted.test.ts',
  // it aborts a compaction's signal as its copy starts through a wrapped core/replace-file
  'test/privacy/warehouse/compaction-stopped-by-its-signal.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a scratch folder per run for fixtures several files share (built by the first file that needs one)
    globalSetup: ['test/setup/shared-fixtures.ts'],
    // DuckDB on one thread in every warehouse the tests open, and in the CLI processes they start (a ceiling: see
    // src/engine/duckdb-threads.ts). Two workers share two cores, and the tests' tables are a few thousand rows: a second
    // DuckDB thread cost 12% more CPU in DuckDB-heavy files (12 files: 194 → 170 CPU s) for nothing. Results that depend
    // on the order DuckDB's threads return rows in are caught where four threads are asked for on purpose
    // (test/pipeline/analysis-independent-of-duckdb-threads.test.ts) and by the two-engine tests (ClickHouse's shards).
    env: { CLVKIT_DUCKDB_THREADS: '1' },
    // both cores of the 2-core CI machine (vitest's default leaves one idle): 473 s instead of 695 s for the whole suite;
    // and a third worker for the time the others wait on ClickHouse, Chromium and the CLI processes they start (with two
    // workers the cores were 86% busy: 1,149 CPU s in 671 s): 626 s instead of 671 s (2026-12-06, 526 files green)
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        // the files of a worker share its imported modules (the sources, DuckDB, fastify, echarts are imported once per
        // worker, not once per file): test/privacy, features, segments, math and core (45 files) 40.6 s instead of 76.6 s,
        // 49 CPU s instead of 83 (load 5-8); the whole suite with a 2-shard cluster: 1,348 tests green
        test: { name: 'shared-modules', include: ['test/**/*.test.ts'], exclude: OWN_MODULES, isolate: false },
      },
      { extends: true, test: { name: 'own-modules', include: OWN_MODULES, isolate: true } },
    ],
  },
});
