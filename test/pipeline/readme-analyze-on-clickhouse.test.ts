import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// README's command table said `analyze --engine clickhouse` runs "(no `--events` there; see below)", while README
// further down and docs/events.md ("On ClickHouse") say event files run on the cluster — as they do
// (analyze-on-clickhouse.ts refuses --demo only). The row now says what the cluster takes.
const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const analyzeRow = readme.split('\n').find((line) => line.startsWith('| `clvkit analyze '))!;

describe("README's clvkit analyze row", () => {
  it('says the cluster takes --events and --customers files, and refuses --demo alone', () => {
    expect(analyzeRow).toBeDefined();
    expect(analyzeRow).not.toMatch(/no `--events`/);
    expect(analyzeRow).toContain('runs it on a ClickHouse cluster (transaction, `--events` and `--customers` files loaded into it first; no `--demo` there; see below)');
  });
});
