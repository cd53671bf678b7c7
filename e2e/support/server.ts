// The built server (apps/server/dist/server.js) as a child process in embedded mode: a free port,
// a fresh temporary DATA_DIR, and stop/start on the same port and DATA_DIR for the restart test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_ENTRY = join(REPO_ROOT, 'apps/server/dist/server.js');
export const WEB_INDEX = join(REPO_ROOT, 'apps/web/dist/index.html');
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Server processes still running: killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export class TestServer {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private log = '';

  /** The port of the running process (another than `port` while a spare instance runs). */
  private currentPort: number;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {
    this.currentPort = port;
  }

  /** Starts a server with its own port and DATA_DIR; `env` adds to or overrides the defaults. */
  static async start(env: Record<string, string> = {}): Promise<TestServer> {
    if (!existsSync(SERVER_ENTRY) || !existsSync(WEB_INDEX)) {
      throw new Error('No build found: run `npm run build` first (the e2e global setup does).');
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'ticketmain-e2e-'));
    const server = new TestServer(await freePort(), dataDir, env);
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.currentPort}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Everything the process wrote (for failure messages). */
  output(): string {
    return this.log;
  }

  /** Starts the process (again) on the same port and DATA_DIR and waits for GET /ready. */
  async start(): Promise<void> {
    await this.launch(this.port);
  }

  /**
   * While the server is stopped: runs it on another port (same DATA_DIR) for `use`, then stops
   * it. Whoever waits on the usual port (the pages) cannot see what happens meanwhile.
   */
  async withSpareInstance<T>(use: (url: string) => Promise<T>): Promise<T> {
    await this.launch(await freePort());
    try {
      return await use(this.url);
    } finally {
      await this.stop();
      this.currentPort = this.port;
    }
  }

  private async launch(port: number): Promise<void> {
    if (this.child !== null) throw new Error('the server is already running');
    this.currentPort = port;
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'true',
        ADMIN_TOKEN,
        ...this.env,
        PORT: String(port),
        DATA_DIR: this.dataDir,
      },
    });
    this.child = child;
    running.add(child);
    child.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        running.delete(child);
        if (this.child === child) this.child = null;
        resolve(code);
      }),
    );
    await this.waitReady();
  }

  /** SIGTERM (the server closes sockets with 1012 and exits), SIGKILL if it hangs. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and deletes its DATA_DIR. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child === null) {
        throw new Error(
          `the server on port ${this.currentPort} exited during start-up:\n${this.log}`,
        );
      }
      try {
        const reply = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(2_000) });
        if (reply.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop('SIGKILL');
    throw new Error(`the server on port ${this.currentPort} was not ready in time:\n${this.log}`);
  }
}
