// A private redis-server on a free loopback port, for tests that flush, freeze, kill or restart
// Redis (the shared one on 6379 is never touched that way).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class PrivateRedis {
  private process: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => {}); // refused until the server is up; the loop retries
    for (let i = 0; i < 100; i++) {
      try {
        await client.connect();
        await client.ping();
        client.disconnect();
        return;
      } catch {
        client.disconnect();
        await sleep(50);
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** A client for the test itself, to flush or inspect. */
  client(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: 1 });
  }

  /**
   * SIGSTOP: the server keeps its connections but answers nothing, as a hung or partitioned Redis.
   * Resolves once the process is stopped (state T in /proc), so every later call meets it.
   */
  async freeze(): Promise<void> {
    const child = this.process;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null)
      throw new Error('redis is not running');
    child.kill('SIGSTOP');
    for (let i = 0; i < 200; i++) {
      if ((await processState(child.pid)) === 'T') return;
      await sleep(10);
    }
    throw new Error(`redis-server ${child.pid} did not stop`);
  }

  /** SIGKILL, also of a frozen server; resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

/** The state letter of /proc/<pid>/stat (R running, S sleeping, T stopped...). */
async function processState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}
