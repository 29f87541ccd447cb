/**
 * Scratch tables on a ClickHouse cluster and the leases that tell a running
 * writer's from a dead one's. ClickHouse has no transactions and no sessions
 * whose end drops a table, so a process killed with `kill -9` leaves the
 * tables it was working in — rows of customers (tokens, order ids, products,
 * amounts) that no reader sees and, before this, no erasure reached:
 *
 * - an append's or ingest copy's staging tables (`<table>__staging_<ms>_<hex>`,
 *   a Distributed table and each shard's `…_local`: append-atomically.ts) and
 *   the Memory table doubles pass through (`<table>__exact_<ms>_<hex>`:
 *   append-columns.ts) — named uniquely, each with its own lease id
 *   (`<ms>_<hex>`), held with `hold` before the table is created;
 * - a run's tables (an analysis on the cluster, a server's run): the derived
 *   tables it stages (`clv_staged_*`), those the swap moves aside
 *   (`clv_replaced_*`), a read command's copies (`clv_scratch_*`:
 *   staged-derived-tables.ts) and its `TEMP` tables and views (`clv_intervals`,
 *   …: ordinary tables here) — names a later run reuses, so they are claimed
 *   instead: before the statement that makes one runs, the connection's lease
 *   (`conn_<ms>_<hex>`) writes a claim on the name (`ClickHouseWarehouse.execute`,
 *   `scratchClaimsOf`).
 *
 * Leases live in `scratch_leases` on every shard (lease, scratch, beat): a beat
 * is written when a lease is taken and every `LEASE_BEAT_MS` while the writer
 * holds any table (a timer of the warehouse: `ScratchLeases`). A lease is
 * dead when it has had no beat for `LEASE_SECONDS` on any shard — its writer
 * was killed, or lost the cluster that long (its own next statement then
 * fails). A staging or exact table is orphaned when its lease is dead; a
 * claimed name when every lease that claimed it is dead; a table of those
 * kinds nobody leased (made by a clvkit before leases) once it is
 * `STALE_SCRATCH_SECONDS` old (`system.tables.metadata_modification_time`).
 * `dropOrphanedScratch` drops the orphaned ones on every shard where they are;
 * `ensureClusterSchema` runs it, so every command that opens the cluster as a
 * writer (ingest, analyze, erase, retention, the actions, serve) sweeps first.
 * Times are each shard's own clock (`now()` there), never the writer's.
 */
import { randomBytes } from 'node:crypto';
import { DERIVED_TABLES } from '../derived-tables.js';
import type { SqlDialect } from '../sql-dialect.js';

/** What of a ClickHouse warehouse the leases use (structural: the warehouse holds a `ScratchLeases`, which cannot import its type back). */
export interface ShardedWarehouse {
  readonly database: string;
  readonly dialect: SqlDialect;
  commandOnEachShard(sql: string): Promise<void>;
  commandOnShard(index: number, sql: string): Promise<void>;
  queryOnEachShard(sql: string): Promise<string[]>;
  queryOnShard(index: number, sql: string): Promise<string>;
  /** this connection's leases, told when a sweep saw the lease table on every shard */
  readonly scratchLeases?: Pick<ScratchLeases, 'leaseTableSeen'>;
}

/** The lease table, one on every shard (not sharded: each shard answers for the scratch tables it holds). */
export const LEASE_TABLE = 'scratch_leases';

/** How often a writer renews the leases it holds. */
export const LEASE_BEAT_MS = 10_000;

/** A lease not renewed for this long is its dead writer's (six missed beats: a busy event loop misses one or two). */
export const LEASE_SECONDS = 60;

/** A scratch table without any lease (made before leases) is taken for a crash's leftover at this age. */
export const STALE_SCRATCH_SECONDS = 60 * 60;

/** Where a staging or exact table's name holds a lease id: after `__staging_` or `__exact_`, `<ms since 1970>_<hex>`. */
const LEASE_ID = /__(?:staging|exact)_(\d+_[0-9a-f]+)/g;

/** Prefixes of a run's derived tables not live (staged, moved aside by the swap, a read command's copies: staged-derived-tables.ts). */
export const RUN_TABLE_PREFIXES = ['clv_staged_', 'clv_replaced_', 'clv_scratch_'] as const;

/** The live derived tables: never a scratch table, whoever claimed the name. */
const NEVER_SCRATCH = new Set(DERIVED_TABLES.map((table) => table.name));

/** The SQL condition on `system.tables.name` (or `.table`) of a staging or exact table. */
export function scratchNameSql(column = 'name'): string {
  return `(position(${column}, '__staging_') > 0 OR position(${column}, '__exact_') > 0)`;
}

/** Whether `name` is a staging or exact table's (or its shards' `_local`). */
export function isScratchName(name: string): boolean {
  return name.includes('__staging_') || name.includes('__exact_');
}

/** Whether `name` (or its shards' `_local`) is a run's derived table that is not live (`RUN_TABLE_PREFIXES`). */
export function isRunTableName(name: string): boolean {
  return RUN_TABLE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The lease ids in a scratch table's name (a staging table's exact table names both). */
export function leaseIdsOf(name: string): string[] {
  return [...name.matchAll(LEASE_ID)].map((match) => match[1]!);
}

/** The lease id of a fresh scratch table: `<ms since 1970>_<8 hex>`. */
export function newLeaseId(random: string): string {
  return `${Date.now()}_${random}`;
}

const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const CREATE = new RegExp(`^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(TEMP\\s+|TEMPORARY\\s+)?(?:TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${NAME}`, 'i');
const DROP = new RegExp(`^\\s*DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?${NAME}\\s*;?\\s*$`, 'i');
const RENAME = /^\s*RENAME\s+TABLE\s+([\s\S]+)$/i;

/**
 * The names a statement sent to the warehouse makes a run's scratch table of
 * (`claim`: a `TEMP` table or view, a table or view named with a
 * `RUN_TABLE_PREFIXES` prefix, a table renamed to such a name) and those it
 * drops or renames away (`release`).
 *
 * Example: `scratchClaimsOf('RENAME TABLE customer_rfm TO clv_replaced_customer_rfm, clv_staged_customer_rfm TO customer_rfm')` → `{ claim: ['clv_replaced_customer_rfm'], release: ['clv_staged_customer_rfm'] }`
 */
export function scratchClaimsOf(sql: string): { claim: string[]; release: string[] } {
  const created = CREATE.exec(sql);
  if (created) return { claim: created[1] !== undefined || isRunTableName(created[2]!) ? [created[2]!] : [], release: [] };
  const dropped = DROP.exec(sql);
  if (dropped) return { claim: [], release: [dropped[1]!] };
  const renamed = RENAME.exec(sql);
  if (!renamed) return { claim: [], release: [] };
  const pairs = renamed[1]!.split(',').map((pair) => /^\s*(?:\w+\.)?(\w+)\s+TO\s+(?:\w+\.)?(\w+)\s*$/i.exec(pair)).filter((m) => m !== null);
  return { claim: pairs.map((m) => m[2]!).filter(isRunTableName), release: pairs.map((m) => m[1]!) };
}

async function ensureLeaseTable(warehouse: ShardedWarehouse): Promise<void> {
  // one row per (lease, scratch) once merged: the latest beat (a server's lease is renewed for as long as it runs)
  await warehouse.commandOnEachShard(
    `CREATE TABLE IF NOT EXISTS ${warehouse.database}.${LEASE_TABLE} (lease String, scratch String, beat DateTime) ENGINE = ReplacingMergeTree(beat) ORDER BY (lease, scratch)`,
  );
}

/**
 * The leases one warehouse connection holds, renewed by one timer (unref'd:
 * it keeps no process alive) while it holds any table. `hold` (a staging or
 * exact table, by the lease id in its name) and `claim` (a run's table, by
 * name, under the connection's own lease) write before they return, so the
 * caller creates the table after a sweep can see who holds it; `release`
 * stops renewing what is released (the rows stay, and expire).
 */
export class ScratchLeases {
  /** lease ids of the staging and exact tables held */
  readonly #held = new Set<string>();
  /** names claimed and not dropped */
  readonly #claimed = new Set<string>();
  /** names with a claim row under the connection's lease since it was last renewed without a gap */
  readonly #claimRows = new Set<string>();
  /** names claimed ahead of a run (`claimAhead`), each with the number of runs that claimed it and have not ended */
  readonly #ahead = new Map<string, number>();
  /** the connection's lease, for the names it claims */
  readonly #connection = `conn_${newLeaseId(randomBytes(4).toString('hex'))}`;
  #timer: NodeJS.Timeout | null = null;
  #tableMade = false;

  constructor(private readonly warehouse: ShardedWarehouse) {}

  /** The lease table is on every shard (a sweep saw it): the first lease written needs no CREATE … IF NOT EXISTS of it. */
  leaseTableSeen(): void {
    this.#tableMade = true;
  }

  /** This connection's lease id (`conn_<ms>_<hex>`), under which it claims a run's tables. */
  get connectionLease(): string {
    return this.#connection;
  }

  /**
   * Hold the leases of the staging or exact tables `names` (by the lease id in each name), before they are made: one
   * INSERT per shard for the ids not held yet. A copy holds all its staging tables' at once; a table whose lease is
   * held already (renewed by the timer since) costs no statement when it is made.
   */
  async hold(...names: string[]): Promise<void> {
    const ids = names.map((name) => {
      const found = leaseIdsOf(name);
      if (found.length === 0) throw new Error(`scratch table ${name} names no lease id (<ms>_<hex> after __staging_ or __exact_)`);
      return found[found.length - 1]!;
    });
    const fresh = [...new Set(ids)].filter((id) => !this.#held.has(id));
    if (fresh.length > 0) await this.#write(fresh.map((id): [string, string] => [id, '']));
    for (const id of ids) this.#held.add(id);
    if (ids.length > 0) this.#start();
  }

  /**
   * Claim the run's tables `names` under this connection's lease, before the statement that makes them runs: one
   * INSERT per shard for all the names not claimed yet (a RENAME that moves ten live tables aside claims ten names).
   */
  async claim(...names: string[]): Promise<void> {
    if (names.length === 0) return;
    const fresh = [...new Set(names)].filter((name) => !this.#claimRows.has(name));
    if (fresh.length > 0) {
      await this.#write(fresh.map((name): [string, string] => [this.#connection, name])); // the claim is a beat too
      for (const name of fresh) this.#claimRows.add(name);
    }
    for (const name of names) this.#claimed.add(name);
    this.#start();
  }

  /**
   * Claim the names a run may make (its TEMP and staged tables), all in one INSERT per shard, before it makes any:
   * each `claim` of one of them later costs no statement (one per name before: 70 of the 519 requests of a small
   * analysis on a 2-shard cluster). The lease is renewed while the run goes on (until `endClaimAhead`), as while it
   * holds a table. The price: a killed writer's leftover of a name claimed here and not made by this run (a stage the
   * run skips) is taken for live by another writer's sweep until this run ends and its lease lapses (a minute), then
   * dropped by the next sweep; the command's own sweep, before the claim, drops what was orphaned by then.
   */
  async claimAhead(names: readonly string[]): Promise<void> {
    const fresh = [...new Set(names)].filter((name) => !this.#claimRows.has(name));
    if (fresh.length > 0) {
      await this.#write(fresh.map((name): [string, string] => [this.#connection, name]));
      for (const name of fresh) this.#claimRows.add(name);
    }
    for (const name of new Set(names)) this.#ahead.set(name, (this.#ahead.get(name) ?? 0) + 1);
    if (this.#ahead.size > 0) this.#start();
  }

  /** The run that claimed `names` ahead has ended: those it made and has not dropped stay claimed (`claim`), the rest lapse. */
  endClaimAhead(names: readonly string[]): void {
    for (const name of new Set(names)) {
      const runs = (this.#ahead.get(name) ?? 0) - 1;
      if (runs > 0) this.#ahead.set(name, runs);
      else this.#ahead.delete(name);
    }
    this.#stopWhenIdle();
  }

  /** Stop renewing the lease of scratch table `name` (dropped, or about to be), or this connection's claim on it. */
  release(name: string): void {
    for (const id of leaseIdsOf(name)) this.#held.delete(id);
    this.#claimed.delete(name);
    this.#stopWhenIdle();
  }

  #stopWhenIdle(): void {
    if (this.#held.size === 0 && this.#claimed.size === 0 && this.#ahead.size === 0) this.stop();
  }

  /** Stop renewing every lease (nothing held, or the connection closes): the connection's lapses, its claims with it. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#claimRows.clear();
  }

  #start(): void {
    this.#timer ??= setInterval(() => void this.#beat().catch(() => undefined), LEASE_BEAT_MS).unref();
  }

  async #beat(): Promise<void> {
    await this.#write([...[...this.#held].map((id): [string, string] => [id, '']), ...(this.#claimed.size > 0 || this.#ahead.size > 0 ? [[this.#connection, ''] as [string, string]] : [])]);
  }

  async #write(rows: readonly (readonly [string, string])[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.#tableMade) {
      await ensureLeaseTable(this.warehouse);
      this.#tableMade = true;
    }
    const values = rows.map(([lease, scratch]) => `(${this.warehouse.dialect.literal(lease)}, ${this.warehouse.dialect.literal(scratch)}, now())`);
    await this.warehouse.commandOnEachShard(`INSERT INTO ${this.warehouse.database}.${LEASE_TABLE} (lease, scratch, beat) VALUES ${values.join(', ')}`);
  }
}

/** A scratch table where it was found: its shard (index in `shardUrls`), name and engine. */
export interface ScratchTable {
  readonly shard: number;
  readonly name: string;
  readonly engine: string;
  /** `staging`: a staging or exact table (its lease in its name); `run`: a run's table (claimed, or named `RUN_TABLE_PREFIXES`) */
  readonly kind: 'staging' | 'run';
  /** whether a writer holds it now (module comment) */
  readonly live: boolean;
}

export interface SweepOptions {
  readonly leaseSeconds?: number;
  readonly staleSeconds?: number;
  /** tables never taken for scratch, whoever claimed their names (the schema's) */
  readonly keep?: readonly string[];
}

/** What `readLeases` found: the leases, the live ones, each claimed name's claimers, and the shards holding a lease a day past its last beat there. */
interface Leases {
  readonly known: Set<string>;
  readonly live: Set<string>;
  readonly claims: Map<string, Set<string>>;
  readonly expiredOn: Set<number>;
}

/** Seconds past its last beat after which a lease's rows are deleted (`pruneExpiredLeases`). */
const EXPIRED_SECONDS = 86_400;

/**
 * Each lease held on any shard, and whether it had a beat in the last `leaseSeconds`; each claimed name with the
 * leases claiming it; the shards where a lease's last beat is a day old. `withTable`: the shards known to hold the
 * lease table (from a listing of their tables made just before), else each shard is asked.
 */
async function readLeases(warehouse: ShardedWarehouse, leaseSeconds: number, withTable?: readonly boolean[]): Promise<Leases> {
  const db = warehouse.dialect.literal(warehouse.database);
  const known = new Set<string>();
  const live = new Set<string>();
  const claims = new Map<string, Set<string>>();
  const expiredOn = new Set<number>();
  // a shard without the lease table (no writer leased anything there yet) holds no lease
  const held = withTable ?? (await warehouse.queryOnEachShard(`SELECT count() FROM system.tables WHERE database = ${db} AND name = '${LEASE_TABLE}'`)).map((n) => Number(n) > 0);
  for (const [shard, hasTable] of held.entries()) {
    if (!hasTable) continue;
    const answer = await warehouse.queryOnShard(
      shard,
      `SELECT lease, scratch, toUInt8(max(beat) >= now() - ${leaseSeconds}), toUInt8(max(beat) < now() - ${EXPIRED_SECONDS}) FROM ${warehouse.database}.${LEASE_TABLE} GROUP BY lease, scratch`,
    );
    const recent = new Set<string>(); // leases with a row on this shard beaten within the day
    const leases = new Set<string>();
    for (const line of answer.split('\n').filter(Boolean)) {
      const [lease, scratch, fresh, old] = line.split('\t');
      known.add(lease!);
      leases.add(lease!);
      if (old !== '1') recent.add(lease!);
      if (fresh === '1') live.add(lease!);
      if (scratch) claims.set(scratch, (claims.get(scratch) ?? new Set()).add(lease!));
    }
    if ([...leases].some((lease) => !recent.has(lease))) expiredOn.add(shard);
  }
  return { known, live, claims, expiredOn };
}

/**
 * Every scratch table on every shard, each said live or orphaned (module
 * comment). The tables are listed before the leases are read: a writer
 * leases a table before it creates it, so a table listed has its lease (or
 * claim) in what is read after.
 */
export async function scratchTables(warehouse: ShardedWarehouse, options: SweepOptions = {}): Promise<ScratchTable[]> {
  return (await surveyScratch(warehouse, options)).found;
}

/** `scratchTables`, with the leases read (`readLeases`: the shards with expired leases, for the sweep's pruning) and whether every shard holds the lease table. */
async function surveyScratch(warehouse: ShardedWarehouse, options: SweepOptions): Promise<{ found: ScratchTable[]; leases: Leases; leaseTableEverywhere: boolean }> {
  const db = warehouse.dialect.literal(warehouse.database);
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const staleSeconds = options.staleSeconds ?? STALE_SCRATCH_SECONDS;
  const keep = new Set([...NEVER_SCRATCH, ...(options.keep ?? []), LEASE_TABLE]);
  const listed: { shard: number; name: string; engine: string; age: number }[] = [];
  const tables = `SELECT name, engine, toInt64(now()) - toInt64(metadata_modification_time) FROM system.tables WHERE database = ${db} ORDER BY name`;
  const withLeaseTable: boolean[] = [];
  for (const [shard, answer] of (await warehouse.queryOnEachShard(tables)).entries()) {
    withLeaseTable[shard] = false;
    for (const line of answer.split('\n').filter(Boolean)) {
      const [name, engine, age] = line.split('\t');
      if (name === LEASE_TABLE) withLeaseTable[shard] = true;
      listed.push({ shard, name: name!, engine: engine!, age: Number(age) });
    }
  }
  // the lease table's presence taken from the listing (a writer makes it before the tables it leases, so one made
  // since holds no lease of a table listed)
  const leases = await readLeases(warehouse, leaseSeconds, withLeaseTable);
  const { known, live, claims } = leases;
  const found: ScratchTable[] = [];
  for (const { shard, name, engine, age } of listed) {
    const base = name.replace(/_local$/, '');
    if (isScratchName(name)) {
      const ids = leaseIdsOf(name);
      const leased = ids.some((id) => known.has(id));
      found.push({ shard, name, engine, kind: 'staging', live: leased ? ids.some((id) => live.has(id)) : age < staleSeconds });
      continue;
    }
    if (keep.has(base)) continue;
    const claimers = claims.get(base);
    if (claimers) found.push({ shard, name, engine, kind: 'run', live: [...claimers].some((lease) => live.has(lease)) });
    else if (isRunTableName(base)) found.push({ shard, name, engine, kind: 'run', live: age < staleSeconds });
  }
  return { found, leases, leaseTableEverywhere: withLeaseTable.every(Boolean) };
}

/**
 * Drop the orphaned scratch tables (`scratchTables`: no writer's any more) on
 * every shard where they are, and the lease rows expired a day ago; a live
 * one (a writer still staging, a run still going) is kept. A run's names are
 * reused by the next run, so the leases are read once more right before the
 * drops: a name claimed meanwhile by a writer that has just started is kept.
 * Returns the names dropped (without `_local`), sorted.
 */
export async function dropOrphanedScratch(warehouse: ShardedWarehouse, options: SweepOptions = {}): Promise<string[]> {
  const survey = await surveyScratch(warehouse, options);
  // the lease table is on every shard: this connection's first lease needs no CREATE … IF NOT EXISTS of it
  if (survey.leaseTableEverywhere) warehouse.scratchLeases?.leaseTableSeen();
  let orphaned = survey.found.filter((table) => !table.live);
  if (orphaned.some((table) => table.kind === 'run')) {
    const { live, claims } = await readLeases(warehouse, options.leaseSeconds ?? LEASE_SECONDS);
    orphaned = orphaned.filter((table) => table.kind === 'staging' || ![...(claims.get(table.name.replace(/_local$/, '')) ?? [])].some((lease) => live.has(lease)));
  }
  const db = warehouse.database;
  // views first, then the Distributed and Memory tables, then the local ones they read from (none is read by anyone by now)
  const order = (engine: string) => (engine === 'View' ? 0 : engine === 'Distributed' ? 1 : 2);
  for (const table of [...orphaned].sort((a, b) => order(a.engine) - order(b.engine))) {
    await warehouse.commandOnShard(table.shard, `DROP TABLE IF EXISTS ${db}.${table.name}`);
  }
  await pruneExpiredLeases(warehouse, survey.leases.expiredOn);
  return [...new Set(orphaned.map((table) => table.name.replace(/_local$/, '')))].sort();
}

/** Lease rows a day past their last beat, deleted (a mutation, not waited for) on the shards `readLeases` found holding any. */
async function pruneExpiredLeases(warehouse: ShardedWarehouse, shards: ReadonlySet<number>): Promise<void> {
  const old = `lease IN (SELECT lease FROM ${warehouse.database}.${LEASE_TABLE} GROUP BY lease HAVING max(beat) < now() - ${EXPIRED_SECONDS})`;
  for (const shard of [...shards].sort((a, b) => a - b)) {
    await warehouse.commandOnShard(shard, `ALTER TABLE ${warehouse.database}.${LEASE_TABLE} DELETE WHERE ${old}`).catch(() => undefined);
  }
}
