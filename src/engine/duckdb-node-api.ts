import { createRequire } from 'node:module';
import type * as NodeApi from '@duckdb/node-api';

/**
 * The values of `@duckdb/node-api` clvkit uses, loaded with `require`: the package is CommonJS, and an ES `import` of
 * it made Node read and lex every one of its files for their export names first (cjs-module-lexer follows each
 * `__exportStar(require(...))`), then load them again: ~450 ms of CPU to load DuckDB in a process against ~200 ms by
 * `require` (a plain `node` process, the same machine), paid by every `clvkit ingest` or `analyze`. The same module and
 * classes either way (one copy in Node's module cache). Types are imported from the package as usual (`import type`).
 *
 * Example: `import { DuckDBInstance } from './duckdb-node-api.js'`
 */
const api = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;

export const { BIGINT, BOOLEAN, DOUBLE, DuckDBDataChunk, DuckDBInstance, DuckDBTimestampValue, DuckDBTypeId, INTEGER, JSDuckDBValueConverter, TIMESTAMP, VARCHAR } = api;
export type DuckDBInstance = NodeApi.DuckDBInstance;
export type DuckDBDataChunk = NodeApi.DuckDBDataChunk;
export type DuckDBTypeId = NodeApi.DuckDBTypeId;
