// The server under test as a child process: spawn it on a free port with the bench's prefix and
// schema, wait for /ready, read its CPU time and RSS from /proc, and stop it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { clientOf } from './api.js';
import { sleep } from './util.js';

export interface ServerOptions {
  entry: string;
  redisUrl: string;
  databaseUrl: string;
  schema: string;
  keyPrefix: string;
  logFile: string;
  /** Extra environment for a scenario that needs another setting. */
  env?: Record<string, string>;
  /** Node flags before the entry, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] (not all of
   *  them are allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
}

/** What every replica of one server must share: the session secret (a token minted by one
 *  replica is valid on every other) and the admin token. */
interface Secrets {
  adminToken: string;
  sessionSecret: string;
}

const READY_TIMEOUT_MS = 60_000;
const READY_PROBE_TIMEOUT_MS = 2_000;
const STOP_TIMEOUT_MS = 12_000;
const LOG_TAIL_LINES = 40;

export class ServerProcess {
  readonly adminToken: string;
  private readonly sessionSecret: string;
  /** Replicas started from this one; stop() stops them too (also on Ctrl-C). */
  private readonly replicas: ServerProcess[] = [];
  private readonly tail: string[] = [];
  private exited: { code: number | null; signal: string | null } | undefined;
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private readonly ticksPerSecond = clockTicks();
  url = '';
  pid = 0;

  constructor(
    private readonly options: ServerOptions,
    secrets: Secrets = {
      adminToken: randomBytes(24).toString('hex'),
      sessionSecret: randomBytes(32).toString('hex'),
    },
  ) {
    this.adminToken = secrets.adminToken;
    this.sessionSecret = secrets.sessionSecret;
  }

  /**
   * Another process of the same server, not started yet: the same entry, backends, key prefix,
   * schema, secrets and settings, its own port and log file (`<log>-replica<N>.log`). Start it
   * once this one is ready (the schema is then migrated); stop() of this one stops it too.
   */
  replica(): ServerProcess {
    const n = this.replicas.length + 2;
    const logFile = this.options.logFile.replace(/(\.log)?$/, `-replica${n}$1`);
    const replica = new ServerProcess(
      { ...this.options, logFile },
      { adminToken: this.adminToken, sessionSecret: this.sessionSecret },
    );
    this.replicas.push(replica);
    return replica;
  }

  async start(): Promise<void> {
    if (!existsSync(this.options.entry)) {
      throw new Error(`${this.options.entry} is missing: run \`npm run build\` at the root first`);
    }
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.log = createWriteStream(this.options.logFile, { flags: 'a' });
    const args = [...(this.options.nodeArgs ?? []), this.options.entry];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...this.environment(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (child.pid === undefined) throw new Error('the server process did not start');
    this.pid = child.pid;
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk));
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
    await this.waitReady();
  }

  private environment(port: number): Record<string, string> {
    const o = this.options;
    return {
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: o.redisUrl,
      DATABASE_URL: o.databaseUrl,
      DATABASE_SCHEMA: o.schema,
      REDIS_KEY_PREFIX: o.keyPrefix,
      SESSION_SECRET: this.sessionSecret,
      ADMIN_TOKEN: this.adminToken,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      // One process per ServerProcess, so that its CPU is the one read from /proc/<pid>.
      WORKERS: '1',
      // No hold may expire during a run (at most 5 scenarios × 600 s): a failed release of a
      // confirmed hold then always means a lost hold, never an expiry.
      HOLD_TTL_SECONDS: '7200',
      // The webhooks scenario's receiver listens on loopback, which is refused by default.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      ...o.env,
    };
  }

  private record(chunk: Buffer): void {
    this.log?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.tail.push(line);
      if (this.tail.length > LOG_TAIL_LINES) this.tail.shift();
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const api = clientOf(this, { timeoutMs: READY_PROBE_TIMEOUT_MS });
    while (Date.now() < deadline) {
      if (this.exited !== undefined) throw this.crashed('exited before it was ready');
      const readiness = await api.ready().catch(() => undefined);
      if (readiness?.status === 'ready') return;
      await sleep(200);
    }
    throw this.crashed(`not ready after ${READY_TIMEOUT_MS / 1000} s`);
  }

  /** The error to throw when the server died or never came up, with the end of its log. */
  crashed(what: string): Error {
    const how = this.exited ? ` (exit code ${this.exited.code}, signal ${this.exited.signal})` : '';
    return new Error(
      `server ${what}${how}; last log lines:\n${this.tail.join('\n') || '(none)'}\n` +
        `full log: ${this.options.logFile}`,
    );
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** User + system CPU time the server process has used, in ms (from /proc/<pid>/stat). */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / this.ticksPerSecond;
  }

  /** Resident set size in bytes (from /proc/<pid>/status). */
  rssBytes(): number {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  }

  /** The server's soft limit on open files (each WebSocket is one), from /proc/<pid>/limits. */
  openFilesLimit(): number | undefined {
    const limits = readFileSync(`/proc/${this.pid}/limits`, 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    return soft === undefined ? undefined : Number(soft);
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.stop()));
    const child = this.child;
    if (child === undefined || this.exited !== undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }
}

/** Clock ticks per second (USER_HZ), the unit of /proc's CPU times. */
export function clockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** A port the OS says is free now (another process could take it before the server does). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
