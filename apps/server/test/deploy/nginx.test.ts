// deploy/nginx.conf run for real (Debian's nginx) in front of two replica processes: the API, the
// WebSocket upgrade and the asset cache through it. Only the addresses are rewritten: compose's
// service names become the replicas' loopback ports.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.js';
import { SharedBackends, startReplica, type Replica } from '../support/process.js';
import { freePort } from '../support/redis-server.js';
import { Watcher } from '../support/watcher.js';

const CONF = fileURLToPath(new URL('../../../../deploy/nginx.conf', import.meta.url));
const ASSET = '/assets/app-0123abcd.js';

const hasNginx = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).status === 0;
if (!hasNginx) console.warn('SKIPPED deploy/nginx.conf checks: nginx is not installed');

/** The config with compose's addresses replaced; paths moved into `dir`. */
function localConf(dir: string, listen: number, upstreams: number[]): string {
  let server = 0;
  const text = readFileSync(CONF, 'utf8')
    .replace(/server server\d+:3000/g, () => `server 127.0.0.1:${upstreams[server++]}`)
    .replace('listen 80;', `listen 127.0.0.1:${listen};`)
    .replace('/var/cache/nginx/ticketmain', join(dir, 'cache'))
    .replace('pid /tmp/nginx.pid;', `pid ${join(dir, 'nginx.pid')};`)
    .replace('/var/log/nginx/access.log', join(dir, 'access.log'));
  expect(server).toBe(2);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, text);
  return file;
}

/** A stand-in web build, so the asset route has something to cache. */
function webDist(dir: string): string {
  const dist = join(dir, 'web');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Ticketmain</title>');
  writeFileSync(join(dist, ASSET), 'console.log("seat map");');
  return dist;
}

describe.skipIf(!hasNginx)('deploy/nginx.conf', () => {
  const backends = new SharedBackends();
  // nginx's workers run as nobody: they must be able to enter the directory.
  const dir = mkdtempSync(join(tmpdir(), 'ticketmain-nginx-'));
  chmodSync(dir, 0o755);
  let replicas: Replica[] = [];
  let nginx: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    await backends.create();
    const env = backends.env({ WEB_DIST_DIR: webDist(dir), TRUST_PROXY: '127.0.0.1' });
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
    const port = await freePort();
    const conf = localConf(
      dir,
      port,
      replicas.map((r) => r.port),
    );
    const check = spawnSync('nginx', ['-t', '-q', '-e', 'stderr', '-c', conf], {
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
    nginx = spawn('nginx', ['-e', 'stderr', '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !(await fetch(`${url}/ready`).catch(() => null))?.ok; i++) {
      await sleep(50);
    }
  }, 60_000);

  afterAll(async () => {
    if (nginx?.exitCode === null) {
      const exited = new Promise((resolve) => nginx?.once('exit', resolve));
      nginx.kill('SIGQUIT'); // graceful: the workers finish, then the master exits
      await exited;
    }
    await Promise.all(replicas.map((r) => r.stop()));
    await backends.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes nginx -t and proxies /ready and the API to the replicas', async () => {
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const buyer = await Client.session(url);
    expect((await buyer.hold('arena-demo', ['A1'])).status).toBe(201);
    expect((await buyer.request('GET', '/api/events')).status).toBe(200);
  });

  it('upgrades /ws: a subscriber through nginx sees a hold made through nginx', async () => {
    const watcher = await Watcher.subscribe(url, 'arena-demo');
    const buyer = await Client.session(url);
    expect((await buyer.hold('arena-demo', ['B2'])).status).toBe(201);
    await watcher.until(() => watcher.seats.get('B2') === 'HELD', 2_000);
    watcher.close();
  });

  it('caches hashed assets for good, and keeps /metrics private', async () => {
    const first = await fetch(`${url}${ASSET}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const second = await fetch(`${url}${ASSET}`);
    expect(await second.text()).toContain('seat map');
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/`)).headers.get('content-type')).toContain('text/html');
  });
});
