// Opens the hold store's Redis client: one server (REDIS_URL) or an ioredis Cluster
// (REDIS_CLUSTER_NODES), and the subscriber connection(s) that go with it.
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Structurally the config's RedisTarget; declared here so the hold store needs no config. */
export type RedisEndpoint =
  | { kind: 'standalone'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[] };

export type RedisClient = Redis | Cluster;

/** Fail a command fast while Redis is away, so callers answer 503 instead of hanging. */
const FAIL_FAST = {
  maxRetriesPerRequest: 1,
  commandTimeout: 1_500,
  connectTimeout: 1_500,
} satisfies RedisOptions;

/**
 * Connected and ready. Auto-pipelining batches the commands of one tick per node: on a Cluster
 * that turns the per-event calls of `counts` into one round trip per shard.
 */
export async function connectRedis(endpoint: RedisEndpoint): Promise<RedisClient> {
  const client =
    endpoint.kind === 'standalone'
      ? new Redis(endpoint.url, {
          ...FAIL_FAST,
          enableAutoPipelining: true,
          // While disconnected, commands fail at once (503) instead of queueing for a reconnect.
          enableOfflineQueue: false,
          retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
          lazyConnect: true,
        })
      : new Cluster(endpoint.nodes, {
          enableAutoPipelining: true,
          // Same as above; a failover within the cluster is retried by ioredis (MOVED, TRYAGAIN).
          enableOfflineQueue: false,
          lazyConnect: true,
          redisOptions: FAIL_FAST,
        });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/**
 * A second client for SSUBSCRIBE (a connection in subscriber mode runs nothing else). On a
 * Cluster, ioredis's sharded subscribers keep one connection per master and send each
 * SSUBSCRIBE to the master that owns the channel's slot, re-subscribing when slots move.
 */
export function subscriberFor(client: RedisClient): RedisClient {
  // The offline queue holds an SSUBSCRIBE sent while this lazy connection is still connecting.
  const options = { enableAutoPipelining: false, enableOfflineQueue: true };
  return client instanceof Cluster
    ? client.duplicate([], { ...options, shardedSubscribers: true })
    : client.duplicate(options);
}

/** PONG from the server, or from every master of a Cluster (each owns some events). */
export async function pingAll(client: RedisClient): Promise<boolean> {
  const targets = client instanceof Cluster ? client.nodes('master') : [client];
  if (targets.length === 0) return false;
  const replies = await Promise.all(targets.map((target) => target.ping()));
  return replies.every((reply) => reply === 'PONG');
}
