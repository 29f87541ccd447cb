import type { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';

/** `--engine` and the ClickHouse connection flags. */
export interface EngineFlags {
  readonly engine?: string;
  readonly clickhouseUrl?: string;
  readonly cluster?: string;
  readonly clickhouseDatabase?: string;
}

/** The engine a command runs on, with its flags checked (UserError with a hint otherwise). */
export function checkEngineFlags(flags: EngineFlags): 'duckdb' | 'clickhouse' {
  const engine = flags.engine ?? 'duckdb';
  if (engine !== 'duckdb' && engine !== 'clickhouse') throw new UserError(`--engine ${engine} is not duckdb or clickhouse`, 'pass --engine duckdb (default) or --engine clickhouse');
  if (engine === 'clickhouse' && !flags.clickhouseUrl) {
    throw new UserError('--engine clickhouse needs --clickhouse-url', 'pass the HTTP URL of a shard, e.g. --clickhouse-url http://127.0.0.1:18621 (scripts/clickhouse-cluster.sh start DIR prints it)');
  }
  if (engine === 'duckdb' && (flags.clickhouseUrl || flags.cluster)) throw new UserError('--clickhouse-url and --cluster need --engine clickhouse', 'add --engine clickhouse');
  // ignored, it used to send the rows to the DuckDB file --db (./clvkit.duckdb by default) with exit code 0
  if (engine === 'duckdb' && flags.clickhouseDatabase !== undefined) {
    throw new UserError('--clickhouse-database needs --engine clickhouse', 'add --engine clickhouse --clickhouse-url URL (without them the command runs on the DuckDB warehouse file --db)');
  }
  return engine;
}

/**
 * `--db` given with `--engine clickhouse`: the cluster is the warehouse, so a warehouse file would be left unread (or
 * unwritten) without a word. Refused by every command that takes both (addEngineOptions), before the cluster is
 * contacted; `dbGiven`: whether the user passed --db (not its default).
 */
export function refuseDbOnCluster(engine: string | undefined, dbGiven: boolean): void {
  if (engine === 'clickhouse' && dbGiven) {
    throw new UserError('--db and --engine clickhouse exclude each other', 'the cluster is the warehouse: drop --db, or drop --engine clickhouse to use the warehouse file');
  }
}

/**
 * Add `--engine`, `--clickhouse-url`, `--cluster` and `--clickhouse-database` to a command. `database`: whether the
 * command creates the database (ingest; `with files`: analyze and validate when given files) or reads one that must
 * exist (the default: such a command refuses a database the cluster does not have). A `--db` of the command given
 * with `--engine clickhouse` is refused before its action (refuseDbOnCluster) unless `dbOnCluster` is `'state file'`
 * (erase and serve: there --db names the local state file of a server on the cluster).
 */
export function addEngineOptions(command: Command, database: 'creates' | 'with files' | 'must exist' = 'must exist', dbOnCluster: 'refused' | 'state file' = 'refused'): Command {
  const databaseHelp = { creates: 'created when missing', 'with files': 'created when missing if files are given, else it must exist (clvkit ingest creates it)', 'must exist': 'must exist (clvkit ingest creates it)' }[database];
  if (dbOnCluster === 'refused') {
    command.hook('preAction', (self) => {
      const source = self.getOptionValueSource('db');
      refuseDbOnCluster(self.opts<EngineFlags>().engine, source !== undefined && source !== 'default');
    });
  }
  return command
    .option('--engine <engine>', 'duckdb (a warehouse file, --db) or clickhouse (a cluster, --clickhouse-url)', 'duckdb')
    .option('--clickhouse-url <url>', 'HTTP URL of a ClickHouse shard (scripts/clickhouse-cluster.sh start DIR prints one); a user and password as http://USER:PASSWORD@HOST:PORT (never shown in messages)')
    .option('--cluster <name>', 'the ClickHouse cluster (remote_servers) to shard over (default: the only one)')
    .option('--clickhouse-database <name>', `ClickHouse database (default clvkit); ${databaseHelp}`);
}
