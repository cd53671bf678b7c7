// WORKERS=N: Node's cluster module runs N servers on one port; the primary replaces a worker that
// dies and, on SIGTERM, stops them all gracefully. Embedded mode refuses more than one worker.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ENTRY, SharedBackends, startReplica, type Replica } from '../support/process.js';

const run = promisify(execFile);

/** The worker processes a primary forked (not tsx's esbuild helper, which is also a child). */
async function workersOf(primaryPid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(primaryPid)]).catch(
    () => ({ stdout: '' }), // ps exits 1 when there is no child at all
  );
  return stdout
    .split('\n')
    .filter((line) => line.includes('server.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (let value = await probe(); ; value = await probe()) {
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms: ${String(value)}`);
    await sleep(100);
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WORKERS=2 (services)', () => {
  const backends = new SharedBackends();
  let primary: Replica;
  beforeAll(async () => {
    await backends.create();
    primary = await startReplica(backends.env({ WORKERS: '2', LOG_LEVEL: 'info' }));
  }, 60_000);
  afterAll(async () => {
    await primary?.stop(); // SIGTERM: already done by the last test unless it failed
    await backends.drop();
  });

  it('forks two workers that both serve on the shared port', async () => {
    const workers = await until(
      () => workersOf(primary.process.pid!),
      (pids) => pids.length === 2,
    );
    // Each worker logs its own start; pino stamps the line with the worker's pid.
    await until(
      async () => serving(primary.output()),
      (pids) => pids.length === 2,
    );
    expect(serving(primary.output()).sort()).toEqual([...workers].sort());
    expect((await fetch(`${primary.url}/ready`)).status).toBe(200);
  });

  it('replaces a worker that dies', async () => {
    const [victim, survivor] = await workersOf(primary.process.pid!);
    process.kill(victim!, 'SIGKILL');
    const after = await until(
      () => workersOf(primary.process.pid!),
      (pids) => pids.length === 2 && !pids.includes(victim!),
    );
    expect(after).toContain(survivor);
    expect(isAlive(victim!)).toBe(false);
    console.info(
      `workers: 1 of 1 planned worker killed (${victim}), replaced by ${after.filter((p) => p !== survivor)}`,
    );
    await until(
      async () => serving(primary.output()).length,
      (n) => n === 3,
    );
    expect((await fetch(`${primary.url}/ready`)).status).toBe(200);
  });

  it('SIGTERM stops every worker gracefully and the primary exits 0 within 10 s', async () => {
    const workers = await workersOf(primary.process.pid!);
    const started = Date.now();
    expect(await primary.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(workers.filter(isAlive)).toEqual([]);
  });
});

describe('WORKERS in embedded mode', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ticketmain-workers-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses more than one worker with a message that says why', async () => {
    const env = { PATH: process.env.PATH, WORKERS: '2', DATA_DIR: dataDir, PORT: '0' };
    const args = ['--conditions=ticketmain-source', '--import', 'tsx', SERVER_ENTRY];
    const failure = await run(process.execPath, args, { env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('WORKERS: embedded mode runs in one process');
  });
});

/** Pids of the workers that logged "Ticketmain is serving". */
function serving(output: string): number[] {
  const lines = output.matchAll(/"pid":(\d+)[^\n]*"msg":"Ticketmain is serving"/g);
  return [...lines].map((match) => Number(match[1]));
}
