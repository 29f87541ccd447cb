import type { ClickHouseClient } from '@clickhouse/client';
import { UserError } from '../../core/errors/user-error.js';

/**
 * The HTTP URL of every shard of `cluster` (first replica of each), for the
 * statements that must run on each shard (ClickHouse 18.16 runs `ON CLUSTER`
 * DDL only with ZooKeeper). `system.clusters` gives each shard's host and
 * native (TCP) port; the HTTP port is assumed to sit at the same offset from
 * the native port as on the entry node (8123 / 9000 on a default install,
 * HTTP = TCP − 1000 on the loopback script's cluster). Where that does not
 * hold, pass the shard URLs explicitly.
 */
export async function discoverShardUrls(entry: ClickHouseClient, entryUrl: URL, cluster: string): Promise<string[]> {
  const result = await entry.query({
    query: `SELECT shard_num, host_address, port, is_local FROM system.clusters WHERE cluster = '${cluster.replaceAll("'", "\\'")}' AND replica_num = 1 ORDER BY shard_num`,
    format: 'JSONEachRow',
  });
  const shards = await result.json<{ shard_num: number; host_address: string; port: number; is_local: number }>();
  const local = shards.find((shard) => Number(shard.is_local) === 1);
  const entryPort = Number(entryUrl.port || (entryUrl.protocol === 'https:' ? 443 : 80));
  if (!local) {
    throw new UserError(`the entry node ${entryUrl.origin} is not a shard of cluster ${cluster}`, 'point --clickhouse-url at one of the shards, or pass the shard URLs');
  }
  const offset = entryPort - Number(local.port);
  return shards.map((shard) => {
    const host = shard.host_address.includes(':') ? `[${shard.host_address}]` : shard.host_address;
    return `${entryUrl.protocol}//${host}:${Number(shard.port) + offset}`;
  });
}
