import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { minGroupSizeFlag } from './privacy-command.js';

// loaded on first use, so that --help never loads fastify or DuckDB (see lazy-function.ts)
const startServer = lazyFunction(() => import('../../server/start-server.js'), 'startServer');
const stopOnSignals = lazyFunction(() => import('../../server/start-server.js'), 'stopOnSignals');

interface ServeFlags {
  db: string;
  engine: string;
  keyFile?: string;
  port: string;
  host: string;
  demo?: boolean;
  minGroupSize: string;
  secureCookies?: boolean;
  logLevel: string;
}

/** Parses `--port`: 0 (any free port) to 65535. */
export function portFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port ${value} is not a port number`, 'e.g. --port 8080 (0 picks a free one)');
  return n;
}

export function serveCommand(io: CliIo): Command {
  return new Command('serve')
    .description('the HTTP API and dashboard: log in (clvkit users add), look at the base, open a customer, build audiences, send events (docs/server.md)')
    .option('--db <path>', 'warehouse file', './clvkit.duckdb')
    .option('--engine <engine>', 'duckdb (the only engine serve runs on so far)', 'duckdb')
    .option('--key-file <path>', 'key file (default: CLVKIT_KEY, CLVKIT_KEY_FILE, or <db>.key beside the warehouse)')
    .option('--port <port>', 'TCP port (0: any free one)', '8080')
    .option('--host <host>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--demo', 'load the bundled demo data into --db and analyse it first (once), so the dashboard has something to show')
    .option('--min-group-size <k>', 'aggregates never describe fewer customers than this (the privacy k-floor)', '5')
    .option('--secure-cookies', 'mark the session cookie Secure (when the server is behind TLS)')
    .option('--log-level <level>', 'log level of the JSON request log on stdout: fatal, error, warn, info, debug or silent', 'info')
    .action(async (flags: ServeFlags) => {
      if (flags.engine === 'clickhouse') throw new UserError('clvkit serve does not run on ClickHouse yet: it keeps its accounts, runs and ingestion bookkeeping in a DuckDB warehouse', 'serve a DuckDB warehouse (--db PATH); analyse the cluster with clvkit analyze --engine clickhouse');
      if (flags.engine !== 'duckdb') throw new UserError(`--engine ${flags.engine} is not duckdb or clickhouse`, 'pass --engine duckdb (default)');
      const port = portFlag(flags.port);
      const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(flags.logLevel)) throw new UserError(`--log-level ${flags.logLevel} is not a level`, 'fatal, error, warn, info, debug or silent');
      const note = (line: string) => void io.stderr.write(`clvkit serve: ${line}\n`);
      const server = await startServer({
        db: flags.db,
        ...(flags.keyFile ? { keyFile: flags.keyFile } : {}),
        port,
        host: flags.host,
        demo: flags.demo === true,
        minGroupSize,
        secureCookies: flags.secureCookies === true,
        logLevel: flags.logLevel,
        note,
      });
      note(`listening on ${server.url} (API docs ${server.url}/docs; stop with Ctrl-C)`);
      await stopOnSignals(server, note);
      note('stopped');
    });
}
