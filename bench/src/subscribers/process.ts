// The bench's handle on its subscriber process (worker.ts): a child of its own, so that thousands
// of sockets do not compete with the bench's event loop. Started through `sh -c 'ulimit -n …'`,
// which raises the soft limit on open files as far as the hard limit allows (one file per
// socket); the limit it got is reported. Commands go one at a time over IPC, each with a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, FromWorker, ReplyTo, ToWorker } from './protocol.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

interface Pending {
  resolve(reply: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class SubscriberProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    /** The subscriber process's soft limit on open files. */
    readonly fdLimit: number,
  ) {
    child.on('message', (message: FromWorker) => this.onMessage(message));
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(`subscriber process exited (code ${code}, signal ${signal})`));
        this.pending.delete(id);
      }
    });
  }

  /** Starts the process with a soft limit of at least `openFiles` if the hard limit allows it. */
  static start(openFiles: number): Promise<SubscriberProcess> {
    const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
    const limit = Math.max(1_024, Math.floor(openFiles));
    // Only ever raised: to `limit`, else to the hard limit. `$0 "$@"` is node with the bench's
    // own flags (tsx, source conditions) and the worker.
    const script = [
      `cur=$(ulimit -n)`,
      `if [ "$cur" != unlimited ] && [ "$cur" -lt ${limit} ]; then`,
      `  ulimit -n ${limit} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null`,
      'fi',
      'exec "$0" "$@"',
    ].join('\n');
    // e.g. BENCH_SUBSCRIBER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" to profile this side.
    const extra = (process.env.BENCH_SUBSCRIBER_NODE_ARGS ?? '').split(' ').filter((a) => a);
    const node = [process.execPath, ...process.execArgv, ...extra, entry];
    const child = spawn('sh', ['-c', script, ...node], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the subscriber process did not start in time'));
      }, START_TIMEOUT_MS);
      child.once('message', (message: FromWorker) => {
        clearTimeout(timer);
        if (message.kind === 'ready') resolve(new SubscriberProcess(child, message.fdLimit));
        else reject(new Error('the subscriber process did not say it was ready'));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the subscriber process exited at start (code ${code})`));
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  run<C extends Command>(command: C, timeoutMs: number): Promise<ReplyTo<C>> {
    if (this.exited) return Promise.reject(new Error('the subscriber process is gone'));
    const id = this.nextId++;
    return new Promise<ReplyTo<C>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`subscriber process: no answer to ${command.type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => resolve(reply as ReplyTo<C>),
        reject,
        timer,
      });
      const message: ToWorker = { id, command };
      this.child.send(message);
    });
  }

  private onMessage(message: FromWorker): void {
    if (message.kind === 'ready') return;
    const p = this.pending.get(message.id);
    if (p === undefined) return;
    this.pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.kind === 'failed') p.reject(new Error(`subscriber process: ${message.error}`));
    else p.resolve(message.reply);
  }

  /** Disconnects (the process exits on its own), then kills it if it lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
