// The queue store's contract on a real 3-master Redis Cluster: every script touches one event's
// hash tag only, so each call runs on the master of that slot (events land on different masters).
import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { RedisQueueStore } from '../../src/queue/redis-store.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { queueStoreContract } from './contract.js';

queueStoreContract('redis cluster', async () => {
  const cluster = await PrivateRedisCluster.start(3);
  const client = () =>
    new Cluster(
      cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      { enableAutoPipelining: true },
    );
  const [a, b] = [client(), client()];
  const prefix = `test:queue:${randomUUID()}:`;
  return {
    store: new RedisQueueStore(a, prefix),
    twin: new RedisQueueStore(b, prefix),
    close: async () => {
      a.disconnect();
      b.disconnect();
      await cluster.stop();
    },
  };
});
