import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODULE_LOAD_HOOK as HOOK } from '../helpers/module-load-hook.js';

/**
 * `clvkit --help` and every command's `--help` must start at once: they may
 * load commander and the command definitions, never DuckDB, ExcelJS, ECharts
 * or the analysis code behind the commands (see src/cli/lazy-function.ts).
 * Guarded without timing: a module resolve hook lists every module the help
 * runs load, in one child process, and the test checks the list.
 */
const RUN_CLI = fileURLToPath(new URL('../../src/cli/run-cli.ts', import.meta.url));


// every command's --help, after the top-level --help, in one process
const DRIVER = `
const { runCli } = await import(${JSON.stringify(RUN_CLI)});
let top = '';
const quiet = { write: () => true };
await runCli(['--help'], { stdout: { write: (text) => ((top += text), true) }, stderr: quiet });
const commands = [...top.slice(top.indexOf('Commands:')).matchAll(/^  ([a-z-]+)/gm)].map((m) => m[1]).filter((name) => name !== 'help');
for (const command of commands) await runCli([command, '--help'], { stdout: quiet, stderr: quiet });
for (const command of ['keys', 'audit', 'retention', 'audience', 'campaign', 'ingests']) for (const sub of ['init', 'rotate', 'verify', 'list', 'apply', 'create', 'show', 'drop', 'evaluate']) await runCli([command, sub, '--help'], { stdout: quiet, stderr: quiet });
process.stdout.write(JSON.stringify(commands));
`;

describe('CLI start-up', () => {
  it('--help of clvkit and of every command loads no DuckDB, ExcelJS, ECharts, pipeline, engine, report or model code', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', HOOK, '--input-type=module', '-e', DRIVER], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(run.status, run.stderr).toBe(0);
    const commands = JSON.parse(run.stdout) as string[];
    expect(commands).toEqual(expect.arrayContaining(['ingest', 'summarize', 'fit', 'validate', 'analyze', 'synth', 'segments', 'rules', 'keys', 'privacy']));
    const loaded = run.stderr.split('\n').filter((line) => line.startsWith('loaded ')).map((line) => line.slice('loaded '.length));
    // the hook saw the CLI itself load (so an empty list cannot pass)
    expect(loaded.some((url) => url.endsWith('/src/cli/commands/analyze-command.ts'))).toBe(true);
    expect(loaded.some((url) => url.includes('/node_modules/commander/'))).toBe(true);
    const forbidden = [/\/node_modules\/fastify\//, /\/src\/server\/create-server\.ts$/, /\/node_modules\/exceljs\//, /\/node_modules\/echarts\//, /\/node_modules\/zrender\//, /\/node_modules\/@duckdb\//, /\/src\/pipeline\/analyze\.ts$/, /\/src\/engine\/duckdb-warehouse\.ts$/, /\/src\/engine\/duckdb-node-api\.ts$/, /\/src\/report\//, /\/src\/models\//, /\/src\/ingest\/ingest-files\.ts$/, /\/src\/synth\/generate-shop\.ts$/];
    const offending = loaded.filter((url) => forbidden.some((pattern) => pattern.test(url)));
    expect(offending).toEqual([]);
  }, 60_000);
});
