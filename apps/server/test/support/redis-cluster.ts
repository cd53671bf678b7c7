// A private 3-master Redis Cluster on free loopback ports, for the cluster tests: started with
// redis-server --cluster-enabled and `redis-cli --cluster create`, killed and deleted afterwards.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  process: ChildProcess;
}

export class PrivateRedisCluster {
  private constructor(
    private readonly dir: string,
    readonly nodes: ClusterNode[],
  ) {}

  /** Starts `masters` nodes (no replicas) and waits until every node reports cluster_state:ok. */
  static async start(masters = 3): Promise<PrivateRedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'ticketmain-cluster-'));
    const nodes: ClusterNode[] = [];
    const cluster = new PrivateRedisCluster(dir, nodes);
    try {
      const ports = await distinctFreePorts(masters * 2);
      for (let i = 0; i < masters; i++)
        nodes.push(startNode(dir, ports[2 * i]!, ports[2 * i + 1]!));
      await Promise.all(nodes.map((node) => waitPing(node.port)));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-yes',
      ]);
      await Promise.all(nodes.map((node) => waitClusterOk(node.port)));
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** The REDIS_CLUSTER_NODES value: every node, though one would do for discovery. */
  get nodeList(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** The port of the master that owns a key's slot (asked of the cluster, not computed here). */
  async ownerOf(key: string): Promise<number> {
    const client = new Redis(this.nodes[0]!.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
      const ranges = (await client.call('CLUSTER', 'SLOTS')) as [
        number,
        number,
        [string, number],
      ][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (range === undefined) throw new Error(`no node owns slot ${slot}`);
      return range[2][1];
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => kill(node.process)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The bus port is set explicitly: the default (port + 10000) can fall outside 1-65535. */
function startNode(dir: string, port: number, busPort: number): ClusterNode {
  const args = [
    ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)],
    ...['--dir', dir, '--save', '', '--appendonly', 'no'],
  ];
  return { port, process: spawn('redis-server', args, { stdio: 'ignore' }) };
}

async function waitPing(port: number): Promise<void> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => {}); // refused until the server is up; the loop retries
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        client.disconnect();
        await sleep(50);
      }
    }
    throw new Error(`cluster node on port ${port} did not start`);
  } finally {
    client.disconnect();
  }
}

/** Every node must know every slot before clients connect, or they see CLUSTERDOWN. */
async function waitClusterOk(port: number): Promise<void> {
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < 200; i++) {
      const info = String(await client.call('CLUSTER', 'INFO'));
      if (info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384')) return;
      await sleep(50);
    }
    throw new Error(`cluster node on port ${port} never reached cluster_state:ok`);
  } finally {
    client.disconnect();
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
