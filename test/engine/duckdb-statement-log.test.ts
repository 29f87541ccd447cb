import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';

// CLVKIT_DUCKDB_LOG=FILE: one JSON line per statement of an embedded warehouse, as CLVKIT_CLICKHOUSE_LOG for a cluster.
const saved = process.env.CLVKIT_DUCKDB_LOG;
afterEach(() => {
  if (saved === undefined) delete process.env.CLVKIT_DUCKDB_LOG;
  else process.env.CLVKIT_DUCKDB_LOG = saved;
});

describe('the DuckDB statement log', () => {
  it('writes each statement with its kind, time and text, failed ones marked, and the results unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-duckdb-log-'));
    const file = join(dir, 'statements.jsonl');
    process.env.CLVKIT_DUCKDB_LOG = file;
    const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
    try {
      await warehouse.execute('CREATE TABLE t (x DOUBLE)');
      expect(await warehouse.append('t', { x: Float64Array.of(1, 2, 3) })).toBe(3);
      expect(await warehouse.query('SELECT sum(x) AS s FROM t')).toEqual([{ s: 6 }]);
      expect(Array.from((await warehouse.queryColumns('SELECT x FROM t ORDER BY x')).columns.x as Float64Array)).toEqual([1, 2, 3]);
      await expect(warehouse.query('SELECT nothing_here FROM t')).rejects.toThrow(/nothing_here/);
      expect(warehouse.dialect.identifier('x')).toBe('"x"');
    } finally {
      await warehouse.close();
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const ours = lines.filter((l) => /\bt\b/.test(String(l.sql)));
    expect(ours.map((l) => [l.kind, l.sql, l.failed ?? false])).toEqual([
      ['execute', 'CREATE TABLE t (x DOUBLE)', false],
      ['append', 'APPEND INTO t', false],
      ['query', 'SELECT sum(x) AS s FROM t', false],
      ['queryColumns', 'SELECT x FROM t ORDER BY x', false],
      ['query', 'SELECT nothing_here FROM t', true],
    ]);
    for (const line of ours) {
      expect(line.node).toBe('duckdb');
      expect(line.seconds).toBeGreaterThanOrEqual(0);
      expect(line.cpuSeconds).toBeGreaterThanOrEqual(0);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
