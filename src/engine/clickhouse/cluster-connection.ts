/**
 * The connections of a ClickHouse warehouse (clickhouse-warehouse.ts,
 * `openClickHouseWarehouse`): the entry node asked which cluster and shards
 * there are and whether the database is there (or it is created on every
 * shard), then a client for the entry node and one per shard.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { UserError } from '../../core/errors/user-error.js';
import { editDistance } from '../../core/edit-distance.js';
import { maskUrlPasswords } from '../../core/mask-url-passwords.js';
import { discoverShardUrls } from './discover-shard-urls.js';
import { combineLoggers, statementLoggerFromEnvironment, traceClient, type StatementLogger } from './statement-log.js';
import { errorMessage } from '../../core/errors/error-message.js';

export interface ClickHouseWarehouseOptions {
  /** database on every shard (default `clvkit`); created when missing, unless `createDatabase` is false */
  readonly database?: string;
  /**
   * false: a database the entry node does not know is refused (`UserError`, naming the databases there that hold
   * clvkit data) and nothing is created — for the commands that read or change what a cluster holds, which a
   * mistyped name would otherwise run on an empty database they made. Default true (ingests create it).
   */
  readonly createDatabase?: boolean;
  /** the cluster of `remote_servers` the tables are spread over (default: the only cluster the entry node knows) */
  readonly cluster?: string;
  /** HTTP URLs of the shards, for DDL (default: discovered from `system.clusters`, see discover-shard-urls.ts) */
  readonly shardUrls?: readonly string[];
  /** rows per INSERT batch of `append` (default 100,000) */
  readonly batchRows?: number;
  /** called after every statement sent to the cluster with its text and duration (statement-log.ts; also CLVKIT_CLICKHOUSE_LOG=FILE) */
  readonly onStatement?: StatementLogger;
  /**
   * seconds a statement may run before the client gives up (default: CLVKIT_CLICKHOUSE_TIMEOUT_SECONDS, else 600).
   * 18.16 sends no progress while an INSERT … SELECT runs, so a statement past this fails with "Timeout error"
   * though the server finishes it (seen on 100M generated lines at load ~25 on 2 cores).
   */
  readonly requestTimeoutSeconds?: number;
}

/** Progress headers keep a long query's HTTP connection alive (the client warns without them). */
const PROGRESS = { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: '110000' } as const;

/** What `connectCluster` opened: the entry node's origin, the database, cluster and shards, and their clients. */
export interface ClusterConnection {
  readonly origin: string;
  readonly database: string;
  readonly cluster: string;
  readonly shardUrls: readonly string[];
  /** the entry node's client, on `database` */
  readonly client: ClickHouseClient;
  readonly shardClients: readonly ClickHouseClient[];
  /** whether this connection created the database (the entry node did not have it) */
  readonly createdDatabase: boolean;
}

/** Where a `--clickhouse-url` points: the server's origin (scheme, host, port), and the user and password written in it (percent-decoded), if any. */
export interface ClusterUrl {
  readonly origin: string;
  readonly username?: string;
  readonly password?: string;
}

/** `scheme://` before a host: a URL written without it (`localhost:8123`) or with one slash (`http:/host`) lacks it. */
const SCHEME_AND_SLASHES = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * `url` read as a `--clickhouse-url`: `UserError` (naming it without its password, with the URL meant in the hint) when
 * it does not parse, lacks `scheme://` (`localhost:8123`, `http:/host:8123` — which `URL` would read as `http://host`),
 * is not http(s), or has a path, query or fragment — clvkit talks to the server's origin alone (the database is
 * `--clickhouse-database`), and @clickhouse/client would read a path as the database: dropping it silently could
 * leave the user on another database than the one they wrote.
 *
 * Example: `readClusterUrl('http://alice:s%40cret@ch-1:8123')` → `{ origin: 'http://ch-1:8123', username: 'alice', password: 's@cret' }`
 */
export function readClusterUrl(url: string): ClusterUrl {
  const named = `--clickhouse-url ${maskUrlPasswords(url)}`;
  if (!SCHEME_AND_SLASHES.test(url)) {
    const scheme = /^https:/i.test(url) ? 'https' : 'http';
    const meant = originOf(`${scheme}://${url.replace(/^https?:\/*/i, '')}`);
    throw new UserError(`${named} is not an http(s) URL`, `write the scheme and two slashes before the host, e.g. ${meant ?? 'http://127.0.0.1:8123'}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${named} is not a URL`, 'pass the HTTP URL of the entry node, e.g. http://127.0.0.1:8123 (a user and password as http://USER:PASSWORD@HOST:PORT)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`${named} is not an http(s) URL`, `ClickHouse answers HTTP, e.g. ${parsed.host ? `http://${parsed.host}` : 'http://127.0.0.1:8123'}`);
  }
  const extra = `${parsed.pathname === '/' ? '' : parsed.pathname}${parsed.search}${parsed.hash}`;
  if (extra !== '') {
    const what = parsed.pathname !== '/' ? 'a path' : parsed.search ? 'a query' : 'a fragment';
    throw new UserError(`${named} has ${what} (${maskUrlPasswords(extra)}), which clvkit does not use`, `pass the server alone, e.g. ${parsed.origin}, and name the database with --clickhouse-database NAME`);
  }
  return {
    origin: parsed.origin,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** The http(s) origin of `url`, or undefined when it has none. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * The client options that address `server` (the entry node's origin, or a shard's URL): its origin, with the user and
 * password its URL carries, else those of the entry node's URL (`entry`) — sent as HTTP basic auth.
 */
function clientAddress(server: string, entry: ClusterUrl): { url: string; username?: string; password?: string } {
  const own = readClusterUrl(server);
  const { username, password } = own.username !== undefined || own.password !== undefined ? own : entry;
  return { url: own.origin, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/** ClickHouse's error codes of a user it does not know, a wrong password, and (later versions) either. */
const AUTHENTICATION_CODES = /\bCode: (192|193|516)\b/;

/**
 * Seconds the first question to the entry node (`SELECT 1`) may take, at most (less when the request timeout is less):
 * a host that takes the connection and never answers, or drops it unanswered (a wrong address, a firewall), would
 * otherwise hold the command for the whole request timeout (600 s by default) before it said so.
 */
export const CONNECT_TIMEOUT_SECONDS = 20;

/** The client's message for a request that got no answer in its timeout (@clickhouse/client's socket pool). */
const CLIENT_TIMEOUT_MESSAGE = 'Timeout error.';

/**
 * The reason an error of the first question gives, in words: the client's own message (`connect ECONNREFUSED …`,
 * `getaddrinfo ENOTFOUND …`, a ClickHouse exception), the inner errors of an `AggregateError` (every address of a
 * name refused), the timeout in seconds, or — the client says nothing when an HTTP error answer has an empty body —
 * what the address answers to a plain GET of /ping (which every ClickHouse server answers "Ok."): a user trial read
 * `no ClickHouse server answers at http://10.255.255.1:8123 ()`.
 */
async function unansweredReason(error: unknown, origin: string, timeoutSeconds: number): Promise<string> {
  const messages = error instanceof AggregateError && error.errors.length > 0 ? error.errors.map(errorMessage) : [errorMessage(error)];
  const said = [...new Set(messages.map((m) => m.split('\n')[0]!.trim()).filter((m) => m !== ''))].join('; ');
  if (said === CLIENT_TIMEOUT_MESSAGE) return `no answer within ${timeoutSeconds} s: nothing answers at that address and port, or a firewall drops the connection`;
  if (said !== '') return said;
  try {
    const answer = await fetch(`${origin}/ping`, { signal: AbortSignal.timeout(5_000) });
    const body = (await answer.text()).trim().split('\n')[0]!.slice(0, 80);
    return `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${body ? ` (${JSON.stringify(body)})` : ' with an empty body'} to GET /ping, where a ClickHouse server answers "Ok.": another server, or a proxy, answers there`;
  } catch {
    return 'an HTTP error answer without a message, which a ClickHouse server never gives: another server, or a proxy, answers there';
  }
}

/** Why the entry node did not answer `SELECT 1`, as one line: refused the user of `url`, or no server there. */
async function unanswered(error: unknown, url: ClusterUrl, timeoutSeconds: number): Promise<UserError> {
  const reason = maskUrlPasswords(await unansweredReason(error, url.origin, timeoutSeconds));
  if (AUTHENTICATION_CODES.test(reason)) {
    return new UserError(
      `the ClickHouse server at ${url.origin} refused user ${url.username ?? 'default'}: ${reason}`,
      'check the user and password in --clickhouse-url (http://USER:PASSWORD@HOST:PORT, with @ : / and % in them written %40 %3A %2F %25)',
    );
  }
  if (NATIVE_PORT.test(reason)) {
    const httpPort = HTTP_PORT_NAMED.exec(errorText(error))?.[1];
    const host = new URL(url.origin).hostname;
    return new UserError(
      `${url.origin} is the native (clickhouse-client) port of a ClickHouse server, not its HTTP port (${reason})`,
      httpPort ? `pass its HTTP port: --clickhouse-url http://${host.includes(':') ? `[${host}]` : host}:${httpPort}` : "pass its HTTP port: 8123 by default; 18621 for shard 1 of scripts/clickhouse-cluster.sh's cluster",
    );
  }
  return new UserError(`no ClickHouse server answers at ${url.origin} (${reason})`, 'start one (scripts/clickhouse-cluster.sh start DIR prints its URL) or check --clickhouse-url');
}

/** What a ClickHouse server's native (TCP) port answers an HTTP request: "Port 9000 is for clickhouse-client program." */
const NATIVE_PORT = /\bis for clickhouse-client program\b/;

/** …and, from some versions, the HTTP port on its next line: "You must use port 8123 for HTTP." */
const HTTP_PORT_NAMED = /\bYou must use port (\d{1,5}) for HTTP\b/;

/** Every line of an error's message (and of an `AggregateError`'s inner errors). */
function errorText(error: unknown): string {
  const all = error instanceof AggregateError ? [error, ...error.errors] : [error];
  return all.map(errorMessage).join('\n');
}

/** The client's request timeout: `option` seconds, else CLVKIT_CLICKHOUSE_TIMEOUT_SECONDS, else 600 s. */
function requestTimeoutMs(option: number | undefined): number {
  const text = process.env.CLVKIT_CLICKHOUSE_TIMEOUT_SECONDS;
  const seconds = option ?? (text === undefined || text === '' ? 600 : Number(text));
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UserError(`CLVKIT_CLICKHOUSE_TIMEOUT_SECONDS=${text} is not a positive number of seconds`, 'unset it for 600 s, or give e.g. 3600');
  return seconds * 1000;
}

/** How many databases holding clvkit data a refusal names. */
const DATABASES_NAMED = 8;

/**
 * `UserError` when the entry node (`origin`) knows no `database`: one line
 * naming the databases there that hold clvkit data (an `ingests` table),
 * those nearest the name asked first (a typo's), and how to create it
 * instead.
 */
async function databaseExists(entry: ClickHouseClient, database: string): Promise<boolean> {
  const rows = await (await entry.query({ query: `SELECT name FROM system.databases WHERE name = '${database}'`, format: 'JSONEachRow' })).json<{ name: string }>();
  return rows.length > 0;
}

async function assertDatabaseExists(entry: ClickHouseClient, origin: string, database: string): Promise<void> {
  const rows = async (query: string) => (await (await entry.query({ query, format: 'JSONEachRow' })).json<{ database: string }>()).map((row) => row.database);
  if (await databaseExists(entry, database)) return;
  const held = (await rows("SELECT DISTINCT database FROM system.tables WHERE name = 'ingests' ORDER BY database"))
    .map((name) => ({ name, distance: editDistance(name, database) }))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .map((entry) => entry.name);
  const named = held.length === 0 ? 'no database there holds clvkit data' : `databases there holding clvkit data, nearest first: ${held.slice(0, DATABASES_NAMED).join(', ')}${held.length > DATABASES_NAMED ? ` and ${held.length - DATABASES_NAMED} more` : ''}`;
  throw new UserError(
    `no database ${database} on the ClickHouse cluster at ${origin}`,
    `${named}; check --clickhouse-database (default clvkit), or load data first: clvkit ingest FILE --engine clickhouse --clickhouse-url ${origin} --clickhouse-database ${database} creates it`,
  );
}

/**
 * Connect to a ClickHouse cluster through its entry node (`url`): the
 * database created on every shard when missing, or refused when
 * `createDatabase` is false (`assertDatabaseExists`).
 */
export async function connectCluster(url: string, options: ClickHouseWarehouseOptions = {}): Promise<ClusterConnection> {
  const database = options.database ?? 'clvkit';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new UserError(`database name ${database} is not plain`, 'use letters, digits and _');
  const address = readClusterUrl(url);
  const parsed = new URL(address.origin);
  const timeout = requestTimeoutMs(options.requestTimeoutSeconds);
  const connect = (server: string, db?: string) => createClient({ ...clientAddress(server, address), request_timeout: timeout, log: { level: ClickHouseLogLevel.OFF }, clickhouse_settings: PROGRESS, ...(db ? { database: db } : {}) });
  // the first question with a shorter timeout of its own (CONNECT_TIMEOUT_SECONDS)
  const probeSeconds = Math.min(timeout / 1000, CONNECT_TIMEOUT_SECONDS);
  const probe = createClient({ ...clientAddress(parsed.origin, address), request_timeout: probeSeconds * 1000, log: { level: ClickHouseLogLevel.OFF } });
  try {
    await probe.query({ query: 'SELECT 1', format: 'TabSeparated' }).then((result) => result.text());
  } catch (error) {
    throw await unanswered(error, address, probeSeconds);
  } finally {
    await probe.close();
  }
  const entry = connect(parsed.origin);
  const clusters = (await (await entry.query({ query: 'SELECT DISTINCT cluster FROM system.clusters', format: 'JSONEachRow' })).json<{ cluster: string }>()).map((row) => row.cluster);
  const cluster = options.cluster ?? (clusters.length === 1 ? clusters[0]! : undefined);
  if (!cluster || !clusters.includes(cluster)) {
    await entry.close();
    throw new UserError(
      options.cluster ? `the server at ${parsed.origin} knows no cluster ${options.cluster}` : `the server at ${parsed.origin} knows ${clusters.length} clusters`,
      `pass --cluster NAME, one of: ${clusters.join(', ') || '(none: add a remote_servers entry)'}`,
    );
  }
  let existed = true;
  try {
    if (options.createDatabase === false) await assertDatabaseExists(entry, parsed.origin, database);
    else existed = await databaseExists(entry, database);
  } catch (error) {
    await entry.close();
    throw error;
  }
  const shardUrls = options.shardUrls ?? (await discoverShardUrls(entry, parsed, cluster));
  const log = combineLoggers(options.onStatement, statementLoggerFromEnvironment());
  const shardClients = shardUrls.map((shardUrl, i) => traceClient(connect(shardUrl), `shard ${i + 1}`, log));
  // created only when no node had it: a database one shard held alone (made there without ON CLUSTER, an entry node
  // restored) is not this connection's to remove again
  for (const shard of shardClients) if (!existed) existed = await databaseExists(shard, database);
  for (const shard of shardClients) await shard.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await entry.close();
  const client = traceClient(connect(parsed.origin, database), 'entry', log);
  return { origin: parsed.origin, database, cluster, shardUrls, client, shardClients, createdDatabase: !existed };
}
