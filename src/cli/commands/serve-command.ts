import { isIP } from 'node:net';
import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { StoppedError } from '../../core/errors/stopped-error.js';
import type { CliIo } from '../cli-io.js';
import { stopLines } from '../quiet-option.js';
import { lazyFunction } from '../lazy-function.js';
import { minGroupSizeFlag } from './privacy-command.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads fastify or DuckDB (see lazy-function.ts)
const startServer = lazyFunction(() => import('../../server/start-server.js'), 'startServer');
const stopOnSignals = lazyFunction(() => import('../../server/start-server.js'), 'stopOnSignals');

interface ServeFlags extends EngineFlags {
  db: string;
  keyFile?: string;
  port: string;
  host: string;
  demo?: boolean;
  minGroupSize: string;
  secureCookies?: boolean;
  trustProxy?: string;
  logLevel: string;
}

/** Parses `--port`: 0 (any free port) to 65535. */
export function portFlag(value: string): number {
  const n = numberText(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port ${value} is not a port number from 0 to 65535`, 'e.g. --port 8080 (0 picks a free one)');
  return n;
}

/**
 * Parses `--trust-proxy`: comma-separated IP addresses or CIDRs of the reverse proxy in front of the server. Only a
 * request from one of them has its client taken from X-Forwarded-For (fastify's `trustProxy`).
 *
 * Example: `trustProxyFlag('127.0.0.1, 10.0.0.0/8')` → `['127.0.0.1', '10.0.0.0/8']`
 */
export function trustProxyFlag(value: string): string[] {
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', prefix, ...more] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? 0 : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (family === 0 || more.length > 0 || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      throw new UserError(`--trust-proxy ${value}: ${JSON.stringify(entry)} is not an IP address or CIDR`, 'the address(es) of your reverse proxy, comma-separated, e.g. --trust-proxy 127.0.0.1 or --trust-proxy 10.0.0.0/8,::1');
    }
  }
  return entries;
}

export function serveCommand(io: CliIo): Command {
  return addEngineOptions(new Command('serve')
    .description('the HTTP API and dashboard: log in (clvkit users add), look at the base, open a customer, build audiences, send events (docs/server.md)')
    .option('--db <path>', 'warehouse file (with --engine clickhouse: the local state file of accounts, tokens, runs and ingestion bookkeeping)', './clvkit.duckdb')
    .option('--key-file <path>', 'key file (default: CLVKIT_KEY, CLVKIT_KEY_FILE, or <db>.key beside the warehouse)')
    .option('--port <port>', 'TCP port (0: any free one)', '8080')
    .option('--host <host>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--demo', 'load the bundled demo data into --db (with --engine clickhouse: into the cluster, an empty database) and analyse it first (once), so the dashboard has something to show')
    .option('--min-group-size <k>', 'aggregates never describe fewer customers than this (the privacy k-floor)', '5')
    .option('--secure-cookies', 'mark the session cookie Secure (when the server is behind TLS)')
    .option('--trust-proxy <addresses>', 'comma-separated IPs/CIDRs of the reverse proxy in front: a request from one of them counts as its X-Forwarded-For client (login locks and limits); default: X-Forwarded-For ignored')
    .option('--log-level <level>', 'log level of the JSON request log on stdout: fatal, error, warn, info, debug or silent', 'info'), 'creates', 'state file')
    .action(async (flags: ServeFlags) => {
      // on ClickHouse the data is on the cluster; accounts, tokens, runs, ingestion bookkeeping and the audit log stay in the DuckDB file --db
      const engine = checkEngineFlags(flags);
      const port = portFlag(flags.port);
      const minGroupSize = minGroupSizeFlag(flags.minGroupSize);
      const trustProxy = flags.trustProxy === undefined ? undefined : trustProxyFlag(flags.trustProxy);
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(flags.logLevel)) throw new UserError(`--log-level ${flags.logLevel} is not a level`, 'fatal, error, warn, info, debug or silent');
      const note = (line: string) => void io.stderr.write(`clvkit serve: ${line}\n`);
      // the security warnings and the lines of a stop are said under --quiet too (a supervisor's log needs them most)
      const said = (line: string) => void stopLines(io).write(`clvkit serve: ${line}\n`);
      const server = await startServer({
        db: flags.db,
        ...(flags.keyFile ? { keyFile: flags.keyFile } : {}),
        port,
        host: flags.host,
        demo: flags.demo === true,
        minGroupSize,
        secureCookies: flags.secureCookies === true,
        ...(trustProxy ? { trustProxy } : {}),
        logLevel: flags.logLevel,
        note,
        warn: said,
        ...(engine === 'clickhouse' ? { clickhouse: { url: flags.clickhouseUrl!, ...(flags.cluster ? { cluster: flags.cluster } : {}), ...(flags.clickhouseDatabase ? { database: flags.clickhouseDatabase } : {}) } } : {}),
      });
      note(`listening on ${server.url} (API docs ${server.url}/docs; stop with Ctrl-C)`);
      // stopped by a signal, or on its own when the warehouse thread died (then exit 1 with the reason, for a supervisor to restart it)
      const failed = await Promise.race([stopOnSignals(server, said).then(() => null), server.failure]);
      if (failed) throw new StoppedError(`${failed.message.split('\n')[0]}; the server stopped (start it again: acknowledged batches not yet applied are replayed from the write-ahead log)`);
      said('stopped');
    });
}
